/* `opsbook model`: the linked model as JSON (schemas/model.schema.json) — services with what
 * runs in each environment, environments in promotion order with their gates, rendered
 * kustomizations, Argo CD applications, workflows, Kubernetes objects, Helm charts and the
 * typed edges. Sorted and stable, so the output diffs cleanly. */
#include "render.h"

#include <jansson.h>
#include <string.h>

#include "model/argocd.h"
#include "model/gha.h"
#include "model/helm.h"
#include "model/k8s.h"
#include "model/kustomize.h"
#include "model/linked.h"

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *strs(const struct vec *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->len; i++)
        json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static json_t *where(const char *path, int line)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "line", json_integer(line));
    return o;
}

static json_t *obj_refs(const struct vec *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->len; i++) {
        const struct obj_ref *r = v->items[i];
        json_t *o = where(r->unit->file->path, r->obj->loc.line);
        json_object_set_new(o, "kind", json_string(r->obj->kind));
        json_object_set_new(o, "name", jstr(r->obj->name));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *service_json(const struct service *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(s->id));
    json_object_set_new(o, "name", json_string(s->name));
    const struct k8s_object *w = s->workload.obj;
    json_t *wl = where(s->workload.unit->file->path, w->loc.line);
    json_object_set_new(wl, "kind", json_string(w->kind));
    json_object_set_new(wl, "name", jstr(w->name));
    json_object_set_new(wl, "namespace", jstr(w->namespace));
    json_object_set_new(o, "workload", wl);
    json_object_set_new(o, "services", obj_refs(&s->selected_by));
    json_object_set_new(o, "ingresses", obj_refs(&s->routes));
    json_object_set_new(o, "autoscalers", obj_refs(&s->hpas));
    json_object_set_new(o, "disruption_budgets", obj_refs(&s->pdbs));
    json_object_set_new(o, "network_policies", obj_refs(&s->netpols));
    json_object_set_new(o, "images", strs(&s->images));
    json_object_set_new(o, "dockerfiles", strs(&s->dockerfiles));
    json_object_set_new(o, "built_by", strs(&s->build_jobs));
    json_object_set_new(o, "deployed_by", strs(&s->deployers));
    json_t *envs = json_array();
    for (size_t i = 0; i < s->envs.len; i++) {
        const struct svc_env *se = s->envs.items[i];
        json_t *e = json_object();
        json_object_set_new(e, "environment", json_string(se->env));
        json_t *imgs = json_array();
        for (size_t k = 0; k < se->nimages; k++) {
            json_t *im = where(se->image_paths[k], se->image_lines[k]);
            json_object_set_new(im, "image", json_string(se->images[k]));
            json_array_append_new(imgs, im);
        }
        json_object_set_new(e, "images", imgs);
        json_object_set_new(e, "overlay", jstr(se->overlay));
        json_object_set_new(e, "deployed_by", jstr(se->deployed_by));
        json_array_append_new(envs, e);
    }
    json_object_set_new(o, "environments", envs);
    return o;
}

static json_t *environment_json(const struct environment *e, int order)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "name", json_string(e->name));
    json_object_set_new(o, "aliases", strs(&e->aliases));
    json_object_set_new(o, "production", json_boolean(e->production));
    json_object_set_new(o, "order", json_integer(order));
    json_object_set_new(o, "sources", strs(&e->sources));
    json_object_set_new(o, "gates", strs(&e->gates));
    json_object_set_new(o, "argocd_automated", json_integer(e->auto_sync));
    json_object_set_new(o, "argocd_manual", json_integer(e->manual_sync));
    json_object_set_new(o, "workflow_jobs", json_integer(e->workflow_jobs));
    json_object_set_new(o, "reviewers_in_code", json_boolean(e->reviewers));
    return o;
}

static json_t *kustomization_json(const struct kustomization *k)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(k->path));
    json_object_set_new(o, "environment", jstr(k->env));
    json_object_set_new(o, "namespace", jstr(k->namespace));
    json_object_set_new(o, "name_prefix", jstr(k->name_prefix));
    json_object_set_new(o, "name_suffix", jstr(k->name_suffix));
    json_object_set_new(o, "included", json_boolean(k->included));
    json_t *res = json_array();
    for (size_t i = 0; i < k->nresources; i++) {
        const struct kz_entry *e = &k->resources[i];
        json_t *r = where(k->path, e->loc.line);
        json_object_set_new(r, "value", json_string(e->value));
        json_object_set_new(r, "resolved", jstr(e->path));
        json_object_set_new(r, "type", json_string(e->remote ? "remote" : e->file ? "file"
                                                   : e->kust ? "kustomization" : "missing"));
        json_array_append_new(res, r);
    }
    json_object_set_new(o, "resources", res);
    json_t *pat = json_array();
    for (size_t i = 0; i < k->npatches; i++) {
        const struct kz_patch *p = &k->patches[i];
        json_t *r = where(k->path, p->loc.line);
        json_object_set_new(r, "file", jstr(p->path));
        json_object_set_new(r, "inline", json_boolean(p->text != NULL));
        json_object_set_new(r, "target_kind", jstr(p->target_kind));
        json_object_set_new(r, "target_name", jstr(p->target_name));
        json_array_append_new(pat, r);
    }
    json_object_set_new(o, "patches", pat);
    json_t *imgs = json_array();
    for (size_t i = 0; i < k->nimages; i++) {
        const struct kz_image *im = &k->images[i];
        json_t *r = where(k->path, im->loc.line);
        json_object_set_new(r, "name", json_string(im->name));
        json_object_set_new(r, "new_name", jstr(im->new_name));
        json_object_set_new(r, "new_tag", jstr(im->new_tag));
        json_object_set_new(r, "digest", jstr(im->digest));
        json_array_append_new(imgs, r);
    }
    json_object_set_new(o, "images", imgs);
    json_t *gens = json_array();
    for (size_t i = 0; i < k->ngenerators; i++) {
        const struct kz_generator *g = &k->generators[i];
        json_t *r = where(k->path, g->loc.line);
        json_object_set_new(r, "name", jstr(g->name));
        json_object_set_new(r, "kind", json_string(g->secret ? "Secret" : "ConfigMap"));
        json_t *src = json_array();
        for (size_t s = 0; s < g->nsources; s++)
            json_array_append_new(src, json_string(g->sources[s]));
        json_object_set_new(r, "sources", src);
        json_object_set_new(r, "literals", json_integer(g->nliterals));
        json_array_append_new(gens, r);
    }
    json_object_set_new(o, "generators", gens);
    json_t *objs = json_array();
    for (size_t i = 0; i < k->objects.len; i++) {
        const struct kz_object *ob = k->objects.items[i];
        const char *path;
        int line;
        kz_loc_resolve(ob, ob->line, &path, &line);
        json_t *r = where(path, line);
        json_object_set_new(r, "kind", jstr(ob->kind));
        json_object_set_new(r, "name", jstr(ob->name));
        json_object_set_new(r, "namespace", jstr(ob->namespace));
        json_object_set_new(r, "base_name", jstr(ob->base_name));
        if (ob->obj && ob->obj->pod) {
            json_t *im = json_array();
            const struct k8s_podspec *pod = ob->obj->pod;
            for (size_t c = 0; c < pod->ninit; c++)
                json_array_append_new(im, jstr(pod->init_containers[c]->image_raw));
            for (size_t c = 0; c < pod->ncontainers; c++)
                json_array_append_new(im, jstr(pod->containers[c]->image_raw));
            json_object_set_new(r, "images", im);
        }
        json_array_append_new(objs, r);
    }
    json_object_set_new(o, "objects", objs);
    return o;
}

static json_t *app_json(const struct argo_app *a)
{
    json_t *o = where(a->unit->file->path, a->loc.line);
    json_object_set_new(o, "kind", json_string(a->kind));
    json_object_set_new(o, "name", jstr(a->name));
    json_object_set_new(o, "application_set", jstr(a->set_name));
    json_object_set_new(o, "project", jstr(a->project));
    json_t *src = json_object();
    json_object_set_new(src, "repo_url", jstr(a->repo_url));
    json_object_set_new(src, "path", jstr(a->path));
    json_object_set_new(src, "target_revision", jstr(a->target_revision));
    json_object_set_new(src, "chart", jstr(a->chart));
    json_object_set_new(src, "type", json_string(a->source_kind));
    json_object_set_new(src, "this_repository", json_boolean(a->local));
    json_object_set_new(src, "path_exists", json_boolean(a->path_exists));
    json_object_set_new(src, "kustomization", jstr(a->kust ? a->kust->path : NULL));
    json_object_set_new(o, "source", src);
    json_t *dst = json_object();
    json_object_set_new(dst, "server", jstr(a->dest_server));
    json_object_set_new(dst, "name", jstr(a->dest_name));
    json_object_set_new(dst, "namespace", jstr(a->dest_namespace));
    json_object_set_new(o, "destination", dst);
    json_t *sync = json_object();
    json_object_set_new(sync, "automated", json_boolean(a->automated));
    json_object_set_new(sync, "prune", json_boolean(a->prune == 1));
    json_object_set_new(sync, "self_heal", json_boolean(a->self_heal == 1));
    json_t *opts = json_array();
    for (size_t i = 0; a->sync_options && a->sync_options[i]; i++)
        json_array_append_new(opts, json_string(a->sync_options[i]));
    json_object_set_new(sync, "options", opts);
    json_object_set_new(o, "sync", sync);
    json_object_set_new(o, "environment", jstr(a->env));
    return o;
}

static json_t *workflows_json(const struct model *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t w = 0; w < u->workflows.len; w++) {
            const struct gha_workflow *wf = u->workflows.items[w];
            json_t *o = where(u->file->path, wf->loc.line);
            json_object_set_new(o, "name", jstr(wf->name));
            json_t *jobs = json_array();
            for (size_t j = 0; j < wf->njobs; j++) {
                const struct gha_job *job = wf->jobs[j];
                json_t *jo = where(u->file->path, job->loc.line);
                json_object_set_new(jo, "id", jstr(job->id));
                json_object_set_new(jo, "environment", jstr(job->environment));
                json_t *needs = json_array();
                for (size_t n = 0; n < job->nneeds; n++)
                    json_array_append_new(needs, json_string(job->needs[n]));
                json_object_set_new(jo, "needs", needs);
                json_array_append_new(jobs, jo);
            }
            json_object_set_new(o, "jobs", jobs);
            json_array_append_new(a, o);
        }
    }
    return a;
}

static json_t *objects_json(const struct model *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *ob = u->k8s_objects.items[j];
            json_t *o = where(u->file->path, ob->loc.line);
            json_object_set_new(o, "kind", jstr(ob->kind));
            json_object_set_new(o, "name", jstr(ob->name));
            json_object_set_new(o, "namespace", jstr(ob->namespace));
            json_object_set_new(o, "fragment", json_boolean(ob->fragment));
            json_array_append_new(a, o);
        }
    }
    return a;
}

static json_t *charts_json(const struct linked_model *lm)
{
    json_t *a = json_array();
    for (size_t i = 0; i < lm->charts.len; i++) {
        const struct helm_chart *c = lm->charts.items[i];
        json_t *o = where(c->path, c->loc.line);
        json_object_set_new(o, "type", json_string(c->is_values ? "values" : "chart"));
        json_object_set_new(o, "chart_dir", json_string(c->dir));
        json_object_set_new(o, "name", jstr(c->name));
        json_object_set_new(o, "version", jstr(c->version));
        json_object_set_new(o, "app_version", jstr(c->app_version));
        json_t *imgs = json_array();
        for (size_t k = 0; k < c->nimages; k++) {
            json_t *im = where(c->path, c->images[k].loc.line);
            json_object_set_new(im, "image", json_string(c->images[k].raw));
            json_array_append_new(imgs, im);
        }
        json_object_set_new(o, "images", imgs);
        json_array_append_new(a, o);
    }
    return a;
}

int render_model_json(FILE *out, const struct scan *s, const struct render_opts *opts)
{
    (void)opts;
    const struct linked_model *lm = s->model.linked;
    json_t *root = json_object();
    json_t *tool = json_object();
    json_object_set_new(tool, "name", json_string("opsbook"));
    json_object_set_new(tool, "version", json_string(OPSBOOK_VERSION));
    json_object_set_new(root, "tool", tool);
    json_t *svcs = json_array(), *envs = json_array(), *kusts = json_array(),
           *apps = json_array(), *edges = json_array();
    for (size_t i = 0; lm && i < lm->services.len; i++)
        json_array_append_new(svcs, service_json(lm->services.items[i]));
    for (size_t i = 0; lm && i < lm->environments.len; i++)
        json_array_append_new(envs, environment_json(lm->environments.items[i], (int)i));
    for (size_t i = 0; lm && i < lm->kustomizations.len; i++)
        json_array_append_new(kusts, kustomization_json(lm->kustomizations.items[i]));
    for (size_t i = 0; lm && i < lm->apps.len; i++)
        json_array_append_new(apps, app_json(lm->apps.items[i]));
    for (size_t i = 0; lm && i < lm->edges.len; i++) {
        const struct edge *e = lm->edges.items[i];
        json_t *o = where(e->path, e->line);
        json_object_set_new(o, "kind", json_string(linked_edge_kind_name(e->kind)));
        json_object_set_new(o, "from", json_string(e->from));
        json_object_set_new(o, "to", json_string(e->to));
        json_array_append_new(edges, o);
    }
    json_object_set_new(root, "services", svcs);
    json_object_set_new(root, "environments", envs);
    json_object_set_new(root, "kustomizations", kusts);
    json_object_set_new(root, "argocd_applications", apps);
    json_object_set_new(root, "workflows", workflows_json(&s->model));
    json_object_set_new(root, "k8s_objects", objects_json(&s->model));
    json_object_set_new(root, "helm", lm ? charts_json(lm) : json_array());
    json_object_set_new(root, "edges", edges);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}
