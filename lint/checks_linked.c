/* Checks on the linked model: Kubernetes objects that refer to each other across files,
 * Kustomize entries and rendered production overlays, Argo CD applications, and the path
 * from a workflow to production. Also the overlay mechanics every rule on rendered objects
 * shares: reporting at a rendered field's source line and merging the same finding found
 * in several overlays into one that lists them. */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

#include "model/argocd.h"
#include "model/gha.h"
#include "model/k8s.h"
#include "model/kustomize.h"
#include "model/linked.h"

#define K8S KIND(FK_K8S)

static int kind_is(const struct k8s_object *o, const char *kind)
{
    return o->kind && strcmp(o->kind, kind) == 0;
}

/* Production by the rule's `production` list, or the configured names. */
static int is_production(const struct lint_ctx *ctx, const char *env)
{
    if (!env)
        return 0;
    if (lint_param(ctx->rule, "production"))
        return lint_param_list_has(ctx->rule, "production", env);
    return linked_env_is_production(ctx->model, env);
}

/* ---- reporting on rendered objects ---- */

struct finding *lint_report_rendered(struct lint_ctx *ctx, const struct kz_object *o,
                                     int enc_line, int col, const char *entity,
                                     const char *fmt, ...)
{
    const char *path;
    int line;
    kz_loc_resolve(o, enc_line, &path, &line);
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    struct finding *f = finding_new(ctx->rule->id, ctx->rule->severity, path, line, col, "%s",
                                    sb_str(&sb));
    sb_release(&sb);
    /* Shown the way the user opens it: the scanned root's display prefix, then the path. */
    const struct srcfile *kf = o->k->unit->file;
    size_t dl = strlen(kf->display), pl = strlen(kf->path);
    if (dl >= pl && strcmp(kf->display + dl - pl, kf->path) == 0) {
        char *display = xasprintf("%.*s%s", (int)(dl - pl), kf->display, path);
        f->display = finding_intern(display);
        free(display);
    }
    if (entity)
        f->entity = xstrdup(entity);
    if (o->k->env)
        f->overlays = xstrdup(o->k->env);
    findings_add(ctx->out, f);
    return f;
}

static int overlay_has(const char *list, const char *env)
{
    size_t n = strlen(env);
    for (const char *p = list; p && *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && memcmp(p, env, n) == 0)
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

static int same_place(const struct finding *a, const struct finding *b)
{
    return strcmp(a->rule_id, b->rule_id) == 0 && strcmp(a->path, b->path) == 0 &&
           strcmp(a->display ? a->display : "", b->display ? b->display : "") == 0 &&
           a->line == b->line && a->col == b->col && strcmp(a->message, b->message) == 0 &&
           (a->overlays || b->overlays);
}

static int env_order(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int rx = linked_env_rank(x), ry = linked_env_rank(y);
    return rx != ry ? rx - ry : strcmp(x, y);
}

/* Rewrites a comma-separated overlay list in promotion order (dev, …, prod). */
static void overlays_sort(struct finding *f)
{
    if (!f->overlays || !strchr(f->overlays, ','))
        return;
    struct vec parts = VEC_INIT;
    char *save = NULL;
    for (char *t = strtok_r(f->overlays, ",", &save); t; t = strtok_r(NULL, ",", &save))
        vec_push(&parts, t);
    vec_sort(&parts, env_order);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < parts.len; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", (const char *)parts.items[i]);
    vec_release(&parts);
    free(f->overlays);
    f->overlays = sb_detach(&sb);
}

void lint_findings_merge_overlays(struct findings *fs)
{
    size_t o = 0;
    for (size_t i = 0; i < fs->v.len; i++) {
        struct finding *f = fs->v.items[i];
        struct finding *prev = o ? fs->v.items[o - 1] : NULL;
        if (prev && same_place(prev, f)) {
            if (f->overlays && !overlay_has(prev->overlays, f->overlays)) {
                char *j = prev->overlays ? xasprintf("%s,%s", prev->overlays, f->overlays)
                                         : xstrdup(f->overlays);
                free(prev->overlays);
                prev->overlays = j;
            }
            finding_free(f);
            continue;
        }
        fs->v.items[o++] = f;
    }
    fs->v.len = o;
    for (size_t i = 0; i < fs->v.len; i++)
        overlays_sort(fs->v.items[i]);
}

/* ---- repository-wide indexes ---- */

/* Every object of the manifests that is whole enough to be applied, with its unit: a named
 * object counts even when its pod template lacks a container spec (its labels are still what
 * a Service or PDB selects); a document of a file used as a patch does not. */
struct objref {
    const struct unit *u;
    const struct k8s_object *o;
};

static void objects_all(struct vec *out, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_K8S)
            continue;
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            if (o->fragment && (u->patch_file || !o->name))
                continue;
            struct objref *r = xmalloc(sizeof(*r));
            r->u = u;
            r->o = o;
            vec_push(out, r);
        }
    }
}

static void objects_free(struct vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        free(v->items[i]);
    vec_release(v);
}

/* Objects by one label "key=value" (workloads by their pod template's labels, or
 * NetworkPolicies by their selector's labels), so a selector is matched against the few
 * objects that carry its first label instead of against every object: linear, not
 * quadratic, in the size of the repository. */
struct label_index {
    struct strmap by_label;   /* "key=value" -> struct vec* of struct objref* */
    struct vec owned;         /* the keys and vectors, to free */
};

static void label_index_add(struct label_index *ix, const struct k8s_kv *kv,
                            const struct objref *r)
{
    char *key = xasprintf("%s=%s", kv->key ? kv->key : "", kv->value ? kv->value : "");
    struct vec *list = strmap_get(&ix->by_label, key);
    if (!list) {
        list = xcalloc(1, sizeof(*list));
        strmap_put(&ix->by_label, key, list);
        vec_push(&ix->owned, key);
        vec_push(&ix->owned, list);
    } else {
        free(key);
    }
    vec_push(list, (void *)r);
}

static const struct vec *label_index_get(const struct label_index *ix, const struct k8s_kv *kv)
{
    char *key = xasprintf("%s=%s", kv->key ? kv->key : "", kv->value ? kv->value : "");
    const struct vec *list = strmap_get(&ix->by_label, key);
    free(key);
    return list;
}

static void label_index_release(struct label_index *ix)
{
    /* owned holds key, list, key, list, … */
    for (size_t i = 0; i + 1 < ix->owned.len; i += 2) {
        free(ix->owned.items[i]);
        vec_release(ix->owned.items[i + 1]);
        free(ix->owned.items[i + 1]);
    }
    vec_release(&ix->owned);
    strmap_release(&ix->by_label);
}

/* The labels a workload's pods carry: its template's, or, when a manifest leaves the
 * template out, its selector's (a valid workload's pods always carry those). */
static const struct k8s_kvs *pod_labels(const struct k8s_object *o)
{
    return o->template_labels.len ? &o->template_labels : &o->selector;
}

/* Workloads by each label of their pods. */
static void workloads_index(struct label_index *ix, const struct vec *objs)
{
    for (size_t i = 0; i < objs->len; i++) {
        const struct objref *r = objs->items[i];
        if (!k8s_object_is_workload(r->o))
            continue;
        const struct k8s_kvs *labels = pod_labels(r->o);
        for (size_t l = 0; l < labels->len; l++)
            label_index_add(ix, &labels->items[l], r);
    }
}

static int selects_any(const struct label_index *workloads, const struct k8s_kvs *sel)
{
    if (sel->len == 0)
        return 0;
    const struct vec *cands = label_index_get(workloads, &sel->items[0]);
    for (size_t i = 0; cands && i < cands->len; i++) {
        const struct objref *r = cands->items[i];
        if (k8s_selector_matches(sel, pod_labels(r->o)))
            return 1;
    }
    return 0;
}

/* ---- k8s-service-selects-nothing, k8s-pdb-selects-nothing, k8s-hpa-target-missing ---- */

static void selectors_check(struct lint_ctx *ctx, const char *kind)
{
    struct vec objs = VEC_INIT;
    struct label_index workloads = {STRMAP_INIT, VEC_INIT};
    objects_all(&objs, ctx->model);
    workloads_index(&workloads, &objs);
    for (size_t i = 0; i < objs.len; i++) {
        const struct objref *r = objs.items[i];
        if (!kind_is(r->o, kind) || r->u->patch_file)   /* a partial object */
            continue;
        if (!r->o->has_selector || r->o->selector.len == 0 ||
            selects_any(&workloads, &r->o->selector))
            continue;
        struct loc at = r->o->selector_loc.line ? r->o->selector_loc : r->o->loc;
        lint_report_at(ctx, r->u, at.line, at.col, NULL,
                       "%s/%s selects no workload: no pod template in the repository has all "
                       "of its selector's labels", kind, r->o->name ? r->o->name : "?");
    }
    label_index_release(&workloads);
    objects_free(&objs);
}

static void on_service_selects(struct lint_ctx *ctx)
{
    selectors_check(ctx, "Service");
}

static void on_pdb_selects(struct lint_ctx *ctx)
{
    selectors_check(ctx, "PodDisruptionBudget");
}

static void on_hpa_target(struct lint_ctx *ctx)
{
    struct vec objs = VEC_INIT;
    struct strmap by_name = STRMAP_INIT;   /* name -> struct vec* of objects so named */
    struct vec lists = VEC_INIT;
    objects_all(&objs, ctx->model);
    for (size_t i = 0; i < objs.len; i++) {
        const struct k8s_object *w = ((const struct objref *)objs.items[i])->o;
        if (!w->name)
            continue;
        struct vec *l = strmap_get(&by_name, w->name);
        if (!l) {
            l = xcalloc(1, sizeof(*l));
            strmap_put(&by_name, w->name, l);
            vec_push(&lists, l);
        }
        vec_push(l, (void *)w);
    }
    for (size_t i = 0; i < objs.len; i++) {
        const struct objref *r = objs.items[i];
        const struct k8s_kind_extra *x = r->o->extra;
        if (!kind_is(r->o, "HorizontalPodAutoscaler") || !x || !x->scale_name)
            continue;
        int found = 0;
        const struct vec *named = strmap_get(&by_name, x->scale_name);
        for (size_t j = 0; !found && named && j < named->len; j++) {
            const struct k8s_object *w = named->items[j];
            found = !x->scale_kind || (w->kind && strcmp(w->kind, x->scale_kind) == 0);
        }
        if (found)
            continue;
        struct loc at = x->scale_loc.line ? x->scale_loc : r->o->loc;
        lint_report_at(ctx, r->u, at.line, at.col, NULL,
                       "HorizontalPodAutoscaler/%s scales %s/%s, which no manifest defines",
                       r->o->name ? r->o->name : "?", x->scale_kind ? x->scale_kind : "?",
                       x->scale_name);
    }
    for (size_t i = 0; i < lists.len; i++) {
        vec_release(lists.items[i]);
        free(lists.items[i]);
    }
    vec_release(&lists);
    strmap_release(&by_name);
    objects_free(&objs);
}

/* ---- k8s-no-network-policy ---- */

static int ns_compatible(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

static void on_no_netpol(struct lint_ctx *ctx)
{
    struct vec objs = VEC_INIT;
    objects_all(&objs, ctx->model);
    /* Judged only where the repository manages NetworkPolicies at all: a workload left out
     * of a policy set is the gap; a repository without any leaves networking elsewhere. */
    int any = 0;
    for (size_t i = 0; !any && i < objs.len; i++)
        any = kind_is(((const struct objref *)objs.items[i])->o, "NetworkPolicy");
    /* Policies by the first label of their selector; those selecting every pod apart. */
    struct label_index policies = {STRMAP_INIT, VEC_INIT};
    struct vec select_all = VEC_INIT;
    for (size_t j = 0; any && j < objs.len; j++) {
        const struct objref *np = objs.items[j];
        if (!kind_is(np->o, "NetworkPolicy"))
            continue;
        if (np->o->selector.len == 0)
            vec_push(&select_all, (void *)np);
        else
            label_index_add(&policies, &np->o->selector.items[0], np);
    }
    for (size_t i = 0; any && i < objs.len; i++) {
        const struct objref *r = objs.items[i];
        const struct k8s_object *w = r->o;
        if (!k8s_object_is_workload(w) || !w->pod || kind_is(w, "Job") || kind_is(w, "CronJob") ||
            r->u->patch_file)
            continue;
        int covered = 0;
        for (size_t j = 0; !covered && j < select_all.len; j++)
            covered = ns_compatible(((const struct objref *)select_all.items[j])->o->namespace,
                                    w->namespace);
        for (size_t l = 0; !covered && l < w->template_labels.len; l++) {
            const struct vec *cands = label_index_get(&policies, &w->template_labels.items[l]);
            for (size_t j = 0; !covered && cands && j < cands->len; j++) {
                const struct k8s_object *np = ((const struct objref *)cands->items[j])->o;
                covered = ns_compatible(np->namespace, w->namespace) &&
                          k8s_selector_matches(&np->selector, &w->template_labels);
            }
        }
        if (covered)
            continue;
        lint_report_at(ctx, r->u, w->name_loc.line ? w->name_loc.line : w->loc.line,
                       w->name_loc.line ? w->name_loc.col : w->loc.col, NULL,
                       "no NetworkPolicy selects the pods of %s/%s: all traffic to and from "
                       "them is allowed", w->kind, w->name ? w->name : "?");
    }
    label_index_release(&policies);
    vec_release(&select_all);
    objects_free(&objs);
}

/* ---- k8s-plain-secret-committed, k8s-secret-ref-undefined ---- */

static void on_plain_secret(struct lint_ctx *ctx)
{
    const struct unit *u = ctx->unit;
    for (size_t i = 0; i < u->k8s_objects.len; i++) {
        const struct k8s_object *o = u->k8s_objects.items[i];
        if (!kind_is(o, "Secret") || !o->extra || !o->extra->secret_has_data)
            continue;
        struct loc at = o->extra->secret_data_loc.line ? o->extra->secret_data_loc : o->loc;
        lint_report(ctx, at.line, at.col, NULL,
                    "Secret/%s has its values committed (data or stringData); use an "
                    "ExternalSecret or SealedSecret", o->name ? o->name : "?");
    }
    for (size_t i = 0; i < u->kustomizations.len; i++) {
        const struct kustomization *k = u->kustomizations.items[i];
        for (size_t g = 0; g < k->ngenerators; g++) {
            const struct kz_generator *gen = &k->generators[g];
            if (!gen->secret)
                continue;
            if (gen->nliterals)
                lint_report(ctx, gen->literals_loc.line, gen->literals_loc.col, NULL,
                            "secretGenerator '%s' takes literal values written in the "
                            "kustomization", gen->name ? gen->name : "?");
            for (size_t s = 0; s < gen->nsources; s++) {
                int committed = 0;
                for (size_t j = 0; !committed && j < ctx->model->units.len; j++)
                    committed = strcmp(((const struct unit *)ctx->model->units.items[j])
                                           ->file->path, gen->sources[s]) == 0;
                if (committed)
                    lint_report(ctx, gen->source_locs[s].line, gen->source_locs[s].col, NULL,
                                "secretGenerator '%s' reads %s, which is committed to the "
                                "repository", gen->name ? gen->name : "?", gen->sources[s]);
            }
        }
    }
}

static void secret_names(struct strmap *out, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            if (o->name && (kind_is(o, "Secret") || kind_is(o, "SealedSecret") ||
                            kind_is(o, "ExternalSecret")))
                strmap_put(out, o->name, (void *)1);
        }
        for (size_t j = 0; j < u->secret_targets.len; j++)
            /* ExternalSecret spec.target.name may differ from its own name. */
            strmap_put(out, u->secret_targets.items[j], (void *)1);
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *k = u->kustomizations.items[j];
            for (size_t g = 0; g < k->ngenerators; g++)
                if (k->generators[g].secret && k->generators[g].name)
                    strmap_put(out, k->generators[g].name, (void *)1);
        }
    }
}

static void secret_ref(struct lint_ctx *ctx, const struct unit *u, const struct strmap *defined,
                       const char *name, struct loc at, const char *owner)
{
    if (!name || strmap_get(defined, name) || strstr(name, "{{"))
        return;
    lint_report_at(ctx, u, at.line, at.col, NULL,
                   "%s reads Secret '%s', which nothing in the repository defines: it must "
                   "exist in the cluster before the pod can start", owner, name);
}

static void on_secret_ref(struct lint_ctx *ctx)
{
    struct strmap defined = STRMAP_INIT;
    secret_names(&defined, ctx->model);
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        for (size_t j = 0; u->kind == FK_K8S && j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            if (!o->pod)
                continue;
            char owner[256];
            snprintf(owner, sizeof(owner), "%s/%s", o->kind, o->name ? o->name : "?");
            for (size_t c = 0; c < o->pod->ncontainers + o->pod->ninit; c++) {
                const struct k8s_container *ct =
                    c < o->pod->ncontainers ? o->pod->containers[c]
                                            : o->pod->init_containers[c - o->pod->ncontainers];
                for (size_t e = 0; e < ct->nenv; e++)
                    secret_ref(ctx, u, &defined, ct->env[e].secret_name, ct->env[e].loc, owner);
                for (size_t e = 0; ct->env_from_secrets && ct->env_from_secrets[e]; e++)
                    secret_ref(ctx, u, &defined, ct->env_from_secrets[e], ct->loc, owner);
            }
            for (size_t v = 0; v < o->pod->nvolumes; v++)
                secret_ref(ctx, u, &defined, o->pod->volumes[v].secret_name,
                           o->pod->volumes[v].loc, owner);
        }
    }
    strmap_release(&defined);
}

/* ---- kustomize-resource-missing ---- */

static void on_kustomize_missing(struct lint_ctx *ctx)
{
    const struct unit *u = ctx->unit;
    for (size_t i = 0; i < u->kustomizations.len; i++) {
        const struct kustomization *k = u->kustomizations.items[i];
        for (size_t r = 0; r < k->nresources; r++) {
            const struct kz_entry *e = &k->resources[r];
            if (e->remote || e->file || e->kust)
                continue;
            lint_report(ctx, e->loc.line, e->loc.col, NULL,
                        "'%s' is neither a file nor a folder with a kustomization (looked for "
                        "%s)", e->value, e->path);
        }
        for (size_t p = 0; p < k->npatches; p++) {
            const struct kz_patch *pt = &k->patches[p];
            if (pt->path && pt->missing)
                lint_report(ctx, pt->loc.line, pt->loc.col, NULL,
                            "patch file %s does not exist", pt->path);
        }
    }
}

/* ---- Argo CD ---- */

static void app_entity(char *buf, size_t n, const struct argo_app *a)
{
    snprintf(buf, n, "%s/%s", a->kind, a->name ? a->name : "?");
}

static void on_argocd_path(struct lint_ctx *ctx)
{
    char ent[256];
    for (size_t i = 0; i < ctx->unit->argo_apps.len; i++) {
        const struct argo_app *a = ctx->unit->argo_apps.items[i];
        if (a->git_dir_pattern || !a->local || a->path_exists || !a->path)
            continue;
        app_entity(ent, sizeof(ent), a);
        lint_report(ctx, a->path_loc.line, a->path_loc.col, ent,
                    "%s deploys path '%s', which does not exist in this repository",
                    ent, a->path);
    }
}

static void on_argocd_auto_sync(struct lint_ctx *ctx)
{
    char ent[256];
    for (size_t i = 0; i < ctx->unit->argo_apps.len; i++) {
        const struct argo_app *a = ctx->unit->argo_apps.items[i];
        if (a->git_dir_pattern || !a->automated || !is_production(ctx, a->env))
            continue;
        app_entity(ent, sizeof(ent), a);
        lint_report(ctx, a->automated_loc.line, a->automated_loc.col, ent,
                    "%s syncs production (%s) automatically: changes go live without approval",
                    ent, a->env);
    }
}

static void on_argocd_floating(struct lint_ctx *ctx)
{
    char ent[256];
    for (size_t i = 0; i < ctx->unit->argo_apps.len; i++) {
        const struct argo_app *a = ctx->unit->argo_apps.items[i];
        if (a->git_dir_pattern || !is_production(ctx, a->env) ||
            !argocd_revision_floating(a->target_revision))
            continue;
        app_entity(ent, sizeof(ent), a);
        lint_report(ctx, a->revision_loc.line, a->revision_loc.col, ent,
                    "%s deploys production from '%s', which moves; pin a tag or commit", ent,
                    a->target_revision && *a->target_revision ? a->target_revision : "HEAD");
    }
}

static void on_argocd_default_project(struct lint_ctx *ctx)
{
    char ent[256];
    for (size_t i = 0; i < ctx->unit->argo_apps.len; i++) {
        const struct argo_app *a = ctx->unit->argo_apps.items[i];
        if (a->git_dir_pattern || (a->project && strcmp(a->project, "default") != 0 &&
                                   *a->project))
            continue;
        app_entity(ent, sizeof(ent), a);
        struct loc at = a->project_loc.line ? a->project_loc : a->loc;
        lint_report(ctx, at.line, at.col, ent, "%s is in the default AppProject, which allows "
                    "any source, destination and kind", ent);
    }
}

/* ---- delivery gates ---- */

static const char *const test_words[] = {
    "go test", "npm test", "npm run test", "yarn test", "pnpm test", "pytest", "make test",
    "mvn test", "mvn verify", "gradle test", "./gradlew test", "cargo test", "tox", "rspec",
    "jest", "bats ",
};

static int job_runs_tests(const struct gha_job *j)
{
    if (strstr(j->id, "test") || (j->name && str_icasestr(j->name, strlen(j->name), "test")))
        return 1;
    for (size_t s = 0; s < j->nsteps; s++) {
        const struct gha_step *st = j->steps[s];
        for (size_t w = 0; st->run && w < ARRAY_LEN(test_words); w++)
            if (strstr(st->run, test_words[w]))
                return 1;
    }
    return 0;
}

static const struct gha_job *job_find(const struct gha_workflow *wf, const char *id)
{
    for (size_t i = 0; id && i < wf->njobs; i++)
        if (wf->jobs[i]->id && strcmp(wf->jobs[i]->id, id) == 0)
            return wf->jobs[i];
    return NULL;
}

/* 1 when job `id` is, or transitively needs, a job that runs tests. */
static int gated(const struct gha_workflow *wf, const char *id, int depth)
{
    const struct gha_job *j = job_find(wf, id);
    if (!j || depth > 64)
        return 0;
    if (depth > 0 && job_runs_tests(j))
        return 1;
    for (size_t n = 0; n < j->nneeds; n++)
        if (gated(wf, j->needs[n], depth + 1))
            return 1;
    return 0;
}

static int workflow_run_gated(const struct gha_workflow *wf, const struct gha_job *j)
{
    size_t t = 0;
    while (t < wf->ntriggers && strcmp(wf->triggers[t].event, "workflow_run") != 0)
        t++;
    if (t == wf->ntriggers)
        return 0;
    const char *conds[] = {j->if_cond, wf->jobs[0]->if_cond};
    for (size_t i = 0; i < 2; i++)
        if (conds[i] && strstr(conds[i], "workflow_run.conclusion") && strstr(conds[i], "success"))
            return 1;
    return 0;
}

static void on_prod_not_gated(struct lint_ctx *ctx)
{
    for (size_t w = 0; w < ctx->unit->workflows.len; w++) {
        const struct gha_workflow *wf = ctx->unit->workflows.items[w];
        if (wf->is_action)
            continue;
        for (size_t i = 0; i < wf->njobs; i++) {
            const struct gha_job *j = wf->jobs[i];
            if (!is_production(ctx, j->environment) || gated(wf, j->id, 0) ||
                workflow_run_gated(wf, j))
                continue;
            lint_report(ctx, j->loc.line, j->loc.col, j->id,
                        "job '%s' deploys to %s without depending on a job that runs the "
                        "tests", j->id, j->environment);
        }
    }
}

/* Reviewers count when Terraform manages the environment (model/environment.c). */
static void on_approval_unverified(struct lint_ctx *ctx)
{
    for (size_t w = 0; w < ctx->unit->workflows.len; w++) {
        const struct gha_workflow *wf = ctx->unit->workflows.items[w];
        for (size_t i = 0; i < wf->njobs; i++) {
            const struct gha_job *j = wf->jobs[i];
            const struct environment *e = linked_env_find(ctx->model->linked, j->environment);
            if (!is_production(ctx, j->environment) || (e && e->reviewers))
                continue;
            lint_report(ctx, j->environment_loc.line, j->environment_loc.col, j->id,
                        "the reviewers of GitHub environment '%s' are not defined in this "
                        "repository: check its protection rules by hand", j->environment);
        }
    }
}

/* Tags that name a branch or move by design. */
static int tag_mutable(const struct rule *r, const struct k8s_image *im)
{
    if (im->digest)
        return 0;
    if (!im->tag || strcmp(im->tag, "latest") == 0)
        return 1;
    if (lint_param(r, "branch-tags"))
        return lint_param_list_has(r, "branch-tags", im->tag);
    return 0;
}

static void on_prod_mutable_tag(struct lint_ctx *ctx)
{
    const struct linked_model *lm = ctx->model->linked;
    for (size_t i = 0; lm && i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        if (!is_production(ctx, k->env))
            continue;
        for (size_t j = 0; j < k->objects.len; j++) {
            const struct kz_object *o = k->objects.items[j];
            const struct k8s_podspec *pod = o->obj ? o->obj->pod : NULL;
            for (size_t c = 0; pod && c < pod->ncontainers + pod->ninit; c++) {
                const struct k8s_container *ct = c < pod->ncontainers
                                                     ? pod->containers[c]
                                                     : pod->init_containers[c - pod->ncontainers];
                if (!ct->image_raw || !tag_mutable(ctx->rule, &ct->image))
                    continue;
                char ent[256];
                snprintf(ent, sizeof(ent), "%s/%s container %s", o->kind, o->name ? o->name : "?",
                         ct->name ? ct->name : "?");
                if (ct->image.tag)
                    lint_report_rendered(ctx, o, ct->image_loc.line, ct->image_loc.col, ent,
                                         "production runs %s: tag '%s' moves, so what runs "
                                         "can change without a deploy", ct->image_raw,
                                         ct->image.tag);
                else
                    lint_report_rendered(ctx, o, ct->image_loc.line, ct->image_loc.col, ent,
                                         "production runs %s without a tag: it pulls "
                                         "whatever 'latest' is", ct->image_raw);
            }
        }
    }
}

const struct check_def lint_checks_linked[] = {
    {.name = "k8s-plain-secret-committed", .kinds = K8S | KIND(FK_KUSTOMIZATION),
     .on_unit = on_plain_secret},
    {.name = "k8s-service-selects-nothing", .on_model = on_service_selects},
    {.name = "k8s-hpa-target-missing", .on_model = on_hpa_target},
    {.name = "k8s-pdb-selects-nothing", .on_model = on_pdb_selects},
    {.name = "k8s-no-network-policy", .on_model = on_no_netpol},
    {.name = "k8s-secret-ref-undefined", .on_model = on_secret_ref},
    {.name = "kustomize-resource-missing", .kinds = KIND(FK_KUSTOMIZATION),
     .on_unit = on_kustomize_missing},
    {.name = "argocd-path-missing", .kinds = K8S, .on_unit = on_argocd_path},
    {.name = "argocd-prod-auto-sync", .kinds = K8S, .on_unit = on_argocd_auto_sync},
    {.name = "argocd-prod-floating-revision", .kinds = K8S, .on_unit = on_argocd_floating},
    {.name = "argocd-default-project", .kinds = K8S, .on_unit = on_argocd_default_project},
    {.name = "delivery-prod-deploy-not-gated-by-tests", .kinds = KIND(FK_WORKFLOW),
     .on_unit = on_prod_not_gated},
    {.name = "delivery-prod-mutable-image-tag", .on_model = on_prod_mutable_tag},
    {.name = "delivery-prod-approval-unverified", .kinds = KIND(FK_WORKFLOW),
     .on_unit = on_approval_unverified},
    {0},
};
