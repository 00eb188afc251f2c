/* Built-in Kubernetes checks across files, run once on the whole model: PodDisruptionBudgets
 * (a replicated workload without one, one that blocks every eviction, HPAs counted) and
 * ServiceAccounts (token automounting). Each indexes the objects it joins once, so a
 * repository of tens of thousands of workloads is checked in linear time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "model/k8s.h"

/* Same namespace, or one side leaves it to the deploy (Kustomize, Argo CD, `-n`). */
static int namespaces_compatible(const struct k8s_object *a, const struct k8s_object *b)
{
    return !a->namespace || !b->namespace || strcmp(a->namespace, b->namespace) == 0;
}

/* Every object of the model for which `want` says yes, in model order. */
static void objects_collect(struct vec *out, const struct model *m,
                            int (*want)(const struct k8s_object *o))
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++)
            if (want(u->k8s_objects.items[j]))
                vec_push(out, u->k8s_objects.items[j]);
    }
}

static int is_pdb(const struct k8s_object *o)
{
    return k8s_kind_is(o, "PodDisruptionBudget") && o->extra;
}

/* A Deployment or StatefulSet written out in full (not a patch) with a replica count. */
static int is_replicated(const struct k8s_object *o)
{
    return (k8s_kind_is(o, "Deployment") || k8s_kind_is(o, "StatefulSet")) && !o->fragment &&
           o->replicas >= 1 && o->template_labels.len;
}

static int is_hpa(const struct k8s_object *o)
{
    return k8s_kind_is(o, "HorizontalPodAutoscaler") && o->extra && o->extra->scale_name;
}

/* Objects by a string key (an HPA by the name it scales, a PDB by its selector's first
 * "key=value"), so each workload meets only the few that can concern it: linear in the size
 * of the repository, not quadratic. Keys live in `keys`. */
struct obj_index {
    struct strmap map;  /* key -> struct vec* of const struct k8s_object* */
    struct vec owned;   /* the vectors */
    struct arena *keys;
};

static void obj_index_add(struct obj_index *ix, const char *key, const struct k8s_object *o)
{
    struct vec *v = strmap_get(&ix->map, key);
    if (!v) {
        v = xcalloc(1, sizeof(*v));
        vec_push(&ix->owned, v);
        strmap_put(&ix->map, arena_strdup(ix->keys, key), v);
    }
    vec_push(v, (void *)o);
}

static void obj_index_release(struct obj_index *ix)
{
    for (size_t i = 0; i < ix->owned.len; i++) {
        vec_release(ix->owned.items[i]);
        free(ix->owned.items[i]);
    }
    vec_release(&ix->owned);
    strmap_release(&ix->map);
    arena_free(ix->keys);
}

static void label_key(char *buf, size_t n, const struct k8s_kv *kv)
{
    snprintf(buf, n, "%s=%s", kv->key ? kv->key : "", kv->value ? kv->value : "");
}

/* The fewest replicas a workload runs: its replicas, or the minReplicas of an HPA that
 * scales it (an HPA-managed Deployment often leaves replicas out). */
static long long replicas_floor(const struct k8s_object *w, const struct obj_index *hpas)
{
    long long n = w->replicas;
    const struct vec *named = w->name ? strmap_get(&hpas->map, w->name) : NULL;
    for (size_t i = 0; named && i < named->len; i++) {
        const struct k8s_object *h = named->items[i];
        if (h->extra->scale_kind && strcmp(h->extra->scale_kind, w->kind) == 0 &&
            namespaces_compatible(h, w) && h->extra->min_replicas > n)
            n = h->extra->min_replicas;
    }
    return n;
}

static int pdb_covers(const struct obj_index *pdbs, const struct k8s_object *w)
{
    char key[512];
    for (size_t l = 0; l < w->template_labels.len; l++) {
        label_key(key, sizeof(key), &w->template_labels.items[l]);
        const struct vec *cands = strmap_get(&pdbs->map, key);
        for (size_t k = 0; cands && k < cands->len; k++) {
            const struct k8s_object *p = cands->items[k];
            if (namespaces_compatible(p, w) &&
                k8s_selector_matches(&p->selector, &w->template_labels))
                return 1;
        }
    }
    return 0;
}

static void missing_pdb(struct lint_ctx *ctx)
{
    struct vec pdb_list = VEC_INIT, hpa_list = VEC_INIT;
    struct obj_index pdbs = {STRMAP_INIT, VEC_INIT, arena_new()};
    struct obj_index hpas = {STRMAP_INIT, VEC_INIT, arena_new()};
    objects_collect(&pdb_list, ctx->model, is_pdb);
    objects_collect(&hpa_list, ctx->model, is_hpa);
    char key[512], entity[512];
    for (size_t i = 0; i < pdb_list.len; i++) {
        const struct k8s_object *p = pdb_list.items[i];
        if (!p->selector.len)
            continue; /* an empty selector selects nothing (k8s_selector_matches) */
        label_key(key, sizeof(key), &p->selector.items[0]);
        obj_index_add(&pdbs, key, p);
    }
    for (size_t i = 0; i < hpa_list.len; i++) {
        const struct k8s_object *h = hpa_list.items[i];
        obj_index_add(&hpas, h->extra->scale_name, h);
    }
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *w = u->k8s_objects.items[j];
            if (!(k8s_kind_is(w, "Deployment") || k8s_kind_is(w, "StatefulSet")) || w->fragment ||
                !w->template_labels.len)
                continue;
            long long n = replicas_floor(w, &hpas);
            if (n < 2 || pdb_covers(&pdbs, w))
                continue;
            k8s_object_entity(entity, sizeof(entity), w);
            struct loc l = w->replicas >= 0 ? w->replicas_loc : w->kind_loc;
            lint_report_at(ctx, u, l.line, l.col, entity,
                           "%s runs %lld or more replicas and no PodDisruptionBudget selects "
                           "its pods",
                           entity, n);
        }
    }
    obj_index_release(&pdbs);
    obj_index_release(&hpas);
    vec_release(&pdb_list);
    vec_release(&hpa_list);
}

/* A budget that allows no voluntary eviction: maxUnavailable 0 or minAvailable 100%, or
 * minAvailable at least the replica count of a workload it selects. */
static void pdb_blocks_one(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o,
                           const struct obj_index *by_label)
{
    const struct k8s_kind_extra *x = o->extra;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    const char *mu = x->max_unavailable, *ma = x->min_available;
    if ((mu && (strcmp(mu, "0") == 0 || strcmp(mu, "0%") == 0)) ||
        (ma && strcmp(ma, "100%") == 0)) {
        lint_report_at(ctx, u, x->pdb_budget_loc.line, x->pdb_budget_loc.col, entity,
                       "%s allows no pod to be evicted (%s: %s): node drains hang", entity,
                       mu ? "maxUnavailable" : "minAvailable", mu ? mu : ma);
        return;
    }
    char *end = NULL;
    long long min = ma ? strtoll(ma, &end, 10) : -1;
    if (!ma || !end || *end || min <= 0 || !o->selector.len)
        return;
    /* The workloads it may select carry its selector's first label. */
    char key[512];
    label_key(key, sizeof(key), &o->selector.items[0]);
    const struct vec *workloads = strmap_get(&by_label->map, key);
    for (size_t i = 0; workloads && i < workloads->len; i++) {
        const struct k8s_object *w = workloads->items[i];
        if (min < w->replicas || !namespaces_compatible(o, w) ||
            !k8s_selector_matches(&o->selector, &w->template_labels))
            continue;
        lint_report_at(ctx, u, x->pdb_budget_loc.line, x->pdb_budget_loc.col, entity,
                       "%s requires %lld pods available but %s/%s has %lld replicas: no pod "
                       "can be evicted",
                       entity, min, w->kind, w->name ? w->name : "?", w->replicas);
        return;
    }
}

static void pdb_blocks(struct lint_ctx *ctx)
{
    struct vec workloads = VEC_INIT;
    struct obj_index by_label = {STRMAP_INIT, VEC_INIT, arena_new()};
    objects_collect(&workloads, ctx->model, is_replicated);
    char key[512];
    for (size_t i = 0; i < workloads.len; i++) {
        const struct k8s_object *w = workloads.items[i];
        for (size_t l = 0; l < w->template_labels.len; l++) {
            label_key(key, sizeof(key), &w->template_labels.items[l]);
            obj_index_add(&by_label, key, w);
        }
    }
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++)
            if (is_pdb(u->k8s_objects.items[j]))
                pdb_blocks_one(ctx, u, u->k8s_objects.items[j], &by_label);
    }
    obj_index_release(&by_label);
    vec_release(&workloads);
}

/* Names of ServiceAccounts whose automountServiceAccountToken is false, keyed "ns/name"
 * (an empty namespace when the manifest leaves it to the deploy). */
static void sa_collect(struct strmap *out, struct arena *a, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            if (k8s_kind_is(o, "ServiceAccount") && o->name && o->automount_token == 0)
                strmap_put(out,
                           arena_sprintf(a, "%s/%s", o->namespace ? o->namespace : "", o->name),
                           (void *)1);
        }
    }
}

static void automount_check(struct lint_ctx *ctx)
{
    struct strmap off = STRMAP_INIT;
    struct arena *a = arena_new();
    sa_collect(&off, a, ctx->model);
    char entity[512];
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            /* An explicit true is a decision (the app calls the API); only silence is. */
            if (!o->pod || o->fragment || o->pod->automount_token != -1)
                continue;
            const char *sa = o->pod->service_account ? o->pod->service_account : "default";
            const char *ns = o->namespace ? o->namespace : "";
            char key[512];
            snprintf(key, sizeof(key), "%s/%s", ns, sa);
            if (strmap_get(&off, key))
                continue;
            snprintf(key, sizeof(key), "/%s", sa);
            if (*ns && strmap_get(&off, key))
                continue;
            k8s_object_entity(entity, sizeof(entity), o);
            struct loc l = o->pod->service_account ? o->pod->service_account_loc : o->pod->loc;
            lint_report_at(ctx, u, l.line, l.col, entity,
                           "%s gets a service account token mounted: neither the pod nor "
                           "ServiceAccount '%s' sets automountServiceAccountToken: false",
                           entity, sa);
        }
    }
    strmap_release(&off);
    arena_free(a);
}

#define K8S KIND(FK_K8S)

const struct check_def lint_checks_k8s_model[] = {
    {.name = "k8s-service-account-token-automount", .kinds = K8S, .on_model = automount_check},
    {.name = "k8s-missing-pdb", .kinds = K8S, .on_model = missing_pdb},
    {.name = "k8s-pdb-blocks-eviction", .kinds = K8S, .on_model = pdb_blocks},
    {0},
};
