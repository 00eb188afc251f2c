/* Services: each workload defined in the repository's manifests (patch files excluded) with
 * what selects, scales, protects and routes to it, the Dockerfiles and workflow jobs that
 * build its images, the Argo CD apps and jobs that deploy it, and per environment which image
 * runs there (from the rendered overlays). Edges are recorded as they are found. */
#include "linked.h"

#include <stdlib.h>
#include <string.h>

static void edge_add(struct linked_model *lm, enum edge_kind kind, const char *from,
                     const char *to, const char *path, int line)
{
    struct edge *e = arena_alloc(lm->arena, sizeof(*e));
    e->kind = kind;
    e->from = from;
    e->to = to;
    e->path = path;
    e->line = line;
    vec_push(&lm->edges, e);
}

const char *linked_edge_kind_name(enum edge_kind k)
{
    static const char *const names[] = {
        [EDGE_SELECTS] = "selects",         [EDGE_SCALES] = "scales",
        [EDGE_PROTECTS] = "protects",       [EDGE_DEPLOYS] = "deploys",
        [EDGE_BUILDS_IMAGE] = "builds-image", [EDGE_OVERLAYS] = "overlays",
        [EDGE_DOCUMENTS] = "documents",     [EDGE_LINKS_TO] = "links-to",
    };
    return names[k];
}

static const char *obj_id(struct linked_model *lm, const struct obj_ref *r)
{
    return arena_sprintf(lm->arena, "k8s:%s#%s/%s", r->unit->file->path, r->obj->kind,
                         r->obj->name ? r->obj->name : "");
}

static struct obj_ref *ref_new(struct linked_model *lm, const struct unit *u,
                               const struct k8s_object *o)
{
    struct obj_ref *r = arena_alloc(lm->arena, sizeof(*r));
    r->unit = u;
    r->obj = o;
    return r;
}

static int is_kind(const struct k8s_object *o, const char *kind)
{
    return o->kind && strcmp(o->kind, kind) == 0;
}

static void push_unique(struct arena *a, struct vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], s) == 0)
            return;
    vec_push(v, arena_strdup(a, s));
}

/* The last path component of an image repository ("ghcr.io/acme/api" -> "api"). */
static const char *repo_base(const char *repo)
{
    const char *s = repo ? strrchr(repo, '/') : NULL;
    return s ? s + 1 : repo;
}

/* Manifests' workloads become services; every other object is kept for joining. */
static void collect(struct linked_model *lm, struct model *m, struct vec *objs)
{
    struct strmap patches = STRMAP_INIT, seen = STRMAP_INIT;
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        for (size_t p = 0; p < k->npatches; p++)
            if (k->patches[p].path)
                strmap_put(&patches, k->patches[p].path, (void *)1);
    }
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_K8S || strmap_get(&patches, u->file->path))
            continue;
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            vec_push(objs, ref_new(lm, u, o));
            if (!k8s_object_is_workload(o) || !o->name || strmap_get(&seen, o->name))
                continue;
            struct service *s = arena_alloc(lm->arena, sizeof(*s));
            s->name = arena_strdup(lm->arena, o->name);
            s->id = arena_sprintf(lm->arena, "service:%s", o->name);
            s->workload.unit = u;
            s->workload.obj = o;
            strmap_put(&seen, s->name, s);
            vec_push(&lm->services, s);
        }
    }
    strmap_release(&patches);
    strmap_release(&seen);
}

static void join_objects(struct linked_model *lm, struct service *s, struct vec *objs)
{
    const struct k8s_object *w = s->workload.obj;
    const char *wid = obj_id(lm, &s->workload);
    for (size_t i = 0; i < objs->len; i++) {
        struct obj_ref *r = objs->items[i];
        const struct k8s_object *o = r->obj;
        const char *path = r->unit->file->path;
        if (is_kind(o, "Service") && k8s_selector_matches(&o->selector, &w->template_labels)) {
            vec_push(&s->selected_by, r);
            edge_add(lm, EDGE_SELECTS, obj_id(lm, r), wid, path, o->loc.line);
        } else if (is_kind(o, "HorizontalPodAutoscaler") && o->extra && o->extra->scale_name &&
                   w->name && strcmp(o->extra->scale_name, w->name) == 0 &&
                   (!o->extra->scale_kind || strcmp(o->extra->scale_kind, w->kind) == 0)) {
            vec_push(&s->hpas, r);
            edge_add(lm, EDGE_SCALES, obj_id(lm, r), wid, path, o->extra->scale_loc.line);
        } else if (is_kind(o, "PodDisruptionBudget") &&
                   k8s_selector_matches(&o->selector, &w->template_labels)) {
            vec_push(&s->pdbs, r);
            edge_add(lm, EDGE_PROTECTS, obj_id(lm, r), wid, path, o->selector_loc.line);
        } else if (is_kind(o, "NetworkPolicy") &&
                   (k8s_selector_matches(&o->selector, &w->template_labels) ||
                    (o->has_selector && o->selector.len == 0))) {
            vec_push(&s->netpols, r);
            edge_add(lm, EDGE_SELECTS, obj_id(lm, r), wid, path, o->selector_loc.line);
        }
    }
    /* Ingresses that route to one of its Services. */
    for (size_t i = 0; i < objs->len; i++) {
        struct obj_ref *r = objs->items[i];
        if (!is_kind(r->obj, "Ingress") || !r->obj->extra)
            continue;
        for (size_t b = 0; b < r->obj->extra->ning_services; b++)
            for (size_t k = 0; k < s->selected_by.len; k++) {
                const struct obj_ref *svc = s->selected_by.items[k];
                if (svc->obj->name && strcmp(svc->obj->name, r->obj->extra->ing_services[b]) == 0) {
                    vec_push(&s->routes, r);
                    edge_add(lm, EDGE_LINKS_TO, obj_id(lm, r), obj_id(lm, svc),
                             r->unit->file->path, r->obj->loc.line);
                }
            }
    }
    const struct k8s_podspec *pod = w->pod;
    for (size_t c = 0; pod && c < pod->ncontainers; c++)
        if (pod->containers[c]->image_raw)
            push_unique(lm->arena, &s->images, pod->containers[c]->image_raw);
}

/* 1 when a build of image repository `repo` is named in `text`. */
static int names_image(const char *text, const char *repo)
{
    const char *b = repo_base(repo);
    return text && b && *b && strstr(text, b) != NULL;
}

static int step_builds(const struct gha_step *st, const char *repo)
{
    if (st->uses.raw && st->uses.repo && strstr(st->uses.repo, "build-push-action")) {
        for (size_t i = 0; i < st->with.len; i++)
            if (strcmp(st->with.items[i].key, "tags") == 0)
                return names_image(st->with.items[i].value, repo);
        return 0;
    }
    if (!st->run)
        return 0;
    return (strstr(st->run, "docker build") || strstr(st->run, "docker buildx build") ||
            strstr(st->run, "docker push")) && names_image(st->run, repo);
}

static int step_deploys(const struct gha_step *st, const char *name)
{
    if (!st->run || !strstr(st->run, name))
        return 0;
    return strstr(st->run, "kubectl") || strstr(st->run, "helm ") ||
           strstr(st->run, "kustomize") || strstr(st->run, "argocd ");
}

static void join_builds(struct linked_model *lm, struct model *m, struct service *s)
{
    const char **repos = arena_alloc(lm->arena, (s->images.len + 1) * sizeof(*repos));
    for (size_t k = 0; k < s->images.len; k++) {
        struct k8s_image im;
        k8s_image_parse(&im, lm->arena, s->images.items[k]);
        repos[k] = im.repository;
    }
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind == FK_DOCKERFILE) {
            char *dir = path_dirname(u->file->path);
            const char *db = path_base(dir);
            int match = strcmp(db, s->name) == 0;
            for (size_t k = 0; !match && k < s->images.len; k++)
                match = repos[k] && strcmp(repo_base(repos[k]), db) == 0;
            if (match) {
                push_unique(lm->arena, &s->dockerfiles, u->file->path);
                edge_add(lm, EDGE_BUILDS_IMAGE, arena_sprintf(lm->arena, "dockerfile:%s",
                                                              u->file->path),
                         s->id, u->file->path, 1);
            }
            free(dir);
        }
        for (size_t w = 0; w < u->workflows.len; w++) {
            const struct gha_workflow *wf = u->workflows.items[w];
            for (size_t j = 0; j < wf->njobs; j++) {
                const struct gha_job *job = wf->jobs[j];
                const char *jid = arena_sprintf(lm->arena, "job:%s#%s", u->file->path, job->id);
                int builds = 0, deploys = 0;
                for (size_t st = 0; st < job->nsteps; st++) {
                    for (size_t k = 0; !builds && k < s->images.len; k++)
                        builds = repos[k] && step_builds(job->steps[st], repos[k]);
                    deploys |= job->environment && step_deploys(job->steps[st], s->name);
                }
                if (builds) {
                    push_unique(lm->arena, &s->build_jobs, jid);
                    edge_add(lm, EDGE_BUILDS_IMAGE, jid, s->id, u->file->path, job->loc.line);
                }
                if (deploys) {
                    push_unique(lm->arena, &s->deployers, jid);
                    edge_add(lm, EDGE_DEPLOYS, jid, s->id, u->file->path, job->loc.line);
                }
            }
        }
    }
}

const struct kz_object *linked_rendered_find(const struct kustomization *k, const char *kind,
                                             const char *base_name)
{
    for (size_t i = 0; i < k->objects.len; i++) {
        const struct kz_object *o = k->objects.items[i];
        if (o->kind && kind && strcmp(o->kind, kind) == 0 && o->base_name && base_name &&
            strcmp(o->base_name, base_name) == 0)
            return o;
    }
    return NULL;
}

static struct svc_env *svc_env_get(struct linked_model *lm, struct service *s, const char *env)
{
    const struct environment *e = linked_env_find(lm, env);
    const char *name = e ? e->name : env;
    for (size_t i = 0; i < s->envs.len; i++) {
        struct svc_env *se = s->envs.items[i];
        if (strcmp(se->env, name) == 0)
            return se;
    }
    struct svc_env *se = arena_alloc(lm->arena, sizeof(*se));
    se->env = name;
    se->images = arena_alloc(lm->arena, 17 * sizeof(*se->images));
    se->image_paths = arena_alloc(lm->arena, 17 * sizeof(*se->image_paths));
    se->image_lines = arena_alloc(lm->arena, 17 * sizeof(*se->image_lines));
    vec_push(&s->envs, se);
    return se;
}

static void env_images(struct linked_model *lm, struct service *s, const struct kustomization *k,
                       const struct kz_object *o)
{
    struct svc_env *se = svc_env_get(lm, s, k->env);
    if (!se->overlay || (k->included == 0))
        se->overlay = k->path;
    const struct k8s_podspec *pod = o->obj ? o->obj->pod : NULL;
    for (size_t c = 0; pod && c < pod->ncontainers; c++) {
        const struct k8s_container *ct = pod->containers[c];
        size_t i = 0;
        while (ct->image_raw && i < se->nimages && strcmp(se->images[i], ct->image_raw) != 0)
            i++;
        if (!ct->image_raw || i < se->nimages || se->nimages >= 16)
            continue;
        const char *path;
        int line;
        kz_loc_resolve(o, ct->image_loc.line, &path, &line);
        se->images[se->nimages] = ct->image_raw;
        se->image_paths[se->nimages] = path;
        se->image_lines[se->nimages++] = line;
    }
}

static int svc_env_cmp(const void *a, const void *b)
{
    const struct svc_env *x = *(const struct svc_env *const *)a;
    const struct svc_env *y = *(const struct svc_env *const *)b;
    int rx = linked_env_rank(x->env), ry = linked_env_rank(y->env);
    return rx != ry ? rx - ry : strcmp(x->env, y->env);
}

static void join_envs(struct linked_model *lm, struct service *s)
{
    const struct k8s_object *w = s->workload.obj;
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        const struct kz_object *o = k->env ? linked_rendered_find(k, w->kind, w->name) : NULL;
        if (o)
            env_images(lm, s, k, o);
    }
    for (size_t i = 0; i < lm->apps.len; i++) {
        const struct argo_app *app = lm->apps.items[i];
        if (!app->kust || !linked_rendered_find(app->kust, w->kind, w->name))
            continue;
        const char *aid = arena_sprintf(lm->arena, "argocd:%s#%s", app->unit->file->path,
                                        app->name ? app->name : "?");
        push_unique(lm->arena, &s->deployers, aid);
        edge_add(lm, EDGE_DEPLOYS, aid, s->id, app->unit->file->path, app->loc.line);
        if (app->env) {
            struct svc_env *se = svc_env_get(lm, s, app->env);
            se->deployed_by = aid;
        }
    }
    vec_sort(&s->envs, svc_env_cmp);
}

static int service_cmp(const void *a, const void *b)
{
    return strcmp((*(const struct service *const *)a)->name,
                  (*(const struct service *const *)b)->name);
}

void linked_services_build(struct linked_model *lm, struct model *m)
{
    struct vec objs = VEC_INIT;
    collect(lm, m, &objs);
    for (size_t i = 0; i < lm->services.len; i++) {
        struct service *s = lm->services.items[i];
        join_objects(lm, s, &objs);
        join_builds(lm, m, s);
        join_envs(lm, s);
    }
    /* Overlays: a kustomization that includes another folder's. */
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        for (size_t r = 0; r < k->nresources; r++)
            if (k->resources[r].kust)
                edge_add(lm, EDGE_OVERLAYS, arena_sprintf(lm->arena, "kustomization:%s", k->path),
                         arena_sprintf(lm->arena, "kustomization:%s", k->resources[r].kust->path),
                         k->path, k->resources[r].loc.line);
    }
    vec_sort(&lm->services, service_cmp);
    vec_release(&objs);
}
