/* Typed views of rendered Kustomize objects: the Kubernetes loader run on a rendered
 * document so checks can judge it like a manifest. A view shares what an earlier view of the
 * same document (the file's own model, another overlay's view) has of the same text at the
 * same positions: the overlays of a base mostly change metadata. */
#include "kustomize.h"

#include <stdlib.h>
#include <string.h>

/* 1 for a document k8s_load models as its items, not as one object. */
static int doc_is_list(const struct ynode *root)
{
    const char *kind = yml_str(yml_get(root, "kind"));
    return kind &&
           (strcmp(kind, "List") == 0 || (str_endswith(kind, "List") && yml_get(root, "items")));
}

struct view_src *kz_file_views(struct arena *a, const struct unit *file, int doc,
                               const struct ynode *root)
{
    const struct k8s_object *found = NULL;
    for (size_t i = 0; i < file->k8s_objects.len; i++) {
        const struct k8s_object *o = file->k8s_objects.items[i];
        if (o->doc != doc)
            continue;
        if (found)
            return NULL;
        found = o;
    }
    if (!found || doc_is_list(root) || root->end_line > KZ_LINE_MASK)
        return NULL;
    struct view_src *v = arena_alloc(a, sizeof(*v));
    const char **origins = arena_alloc(a, sizeof(*origins));
    origins[0] = file->file->path;
    v->refs[0] = (struct view_ref){kz_tree_copy(a, root, 0), found, origins, 1};
    v->n = 1;
    return v;
}

void kz_shadow_init(struct unit *sh, const struct kz_object *o)
{
    memset(sh, 0, sizeof(*sh));
    sh->file = o->k->unit->file;
    sh->kind = FK_K8S;
    sh->arena = o->k->unit->arena;
    sh->loaded = 1;
    if (o->obj)
        vec_push(&sh->k8s_objects, o->obj);
}

void kz_shadow_release(struct unit *sh)
{
    findings_release(&sh->diags);
    findings_release(&sh->found);
    vec_release(&sh->k8s_objects);
}

/* How a document's encoded lines resolve. */
struct side {
    const char *const *origins;
    size_t n;
};

/* Two encoded lines that a view would store alike and that resolve to the same place. */
static int line_same(int x, const struct side *sx, int y, const struct side *sy)
{
    if (x != y)
        return 0;
    size_t i = (size_t)(x >> KZ_LINE_SHIFT);
    const char *px = i < sx->n ? sx->origins[i] : sx->origins[0];
    const char *py = i < sy->n ? sy->origins[i] : sy->origins[0];
    return px == py || strcmp(px, py) == 0;
}

/* 1 when the loader would model `a` and `b` alike: same text at the same positions. */
static int node_same(const struct ynode *a, const struct side *sa, const struct ynode *b,
                     const struct side *sb)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->col != b->col || a->quoted != b->quoted || a->block != b->block ||
        a->len != b->len || !line_same(a->line, sa, b->line, sb) ||
        !line_same(a->end_line, sa, b->end_line, sb))
        return 0;
    if (a->kind == YN_SCALAR)
        return memcmp(a->s ? a->s : "", b->s ? b->s : "", a->len) == 0;
    for (size_t i = 0; a->kind == YN_MAP && i < a->len; i++)
        if (!node_same(a->pairs[i].key, sa, b->pairs[i].key, sb) ||
            !node_same(a->pairs[i].val, sa, b->pairs[i].val, sb))
            return 0;
    for (size_t i = 0; a->kind == YN_SEQ && i < a->len; i++)
        if (!node_same(a->items[i], sa, b->items[i], sb))
            return 0;
    return 1;
}

/* 1 when two documents are the same but for metadata's value. */
static int same_but_metadata(const struct ynode *a, const struct side *sa, const struct ynode *b,
                             const struct side *sb)
{
    if (!yml_is_map(a) || !yml_is_map(b) || a->len != b->len || a->col != b->col ||
        !line_same(a->line, sa, b->line, sb))
        return 0;
    for (size_t i = 0; i < a->len; i++) {
        const char *key = yml_str(a->pairs[i].key);
        if (!node_same(a->pairs[i].key, sa, b->pairs[i].key, sb) ||
            ((!key || strcmp(key, "metadata") != 0) &&
             !node_same(a->pairs[i].val, sa, b->pairs[i].val, sb)))
            return 0;
    }
    return 1;
}

/* The pod spec's pair of a workload document, where the loader finds it. */
static const struct ypair *pod_pair(const struct ynode *root, const char *kind)
{
    if (strcmp(kind, "Pod") == 0)
        return yml_get_pair(root, "spec");
    const struct ynode *spec = yml_get(root, "spec");
    if (strcmp(kind, "CronJob") == 0)
        spec = yml_path(spec, "jobTemplate.spec");
    return yml_get_pair(yml_get(spec, "template"), "spec");
}

/* The pod spec's pair of view `r`'s document when it has a pod spec and `kind`. */
static const struct ypair *ref_pod_pair(const struct view_ref *r, const char *kind)
{
    const char *rk = yml_str(yml_get(r->tree, "kind"));
    return r->obj->pod && rk && strcmp(rk, kind) == 0 ? pod_pair(r->tree, kind) : NULL;
}

/* 1 when two container items are the same but for name, image and resources (which the
 * loader reads again, positions included, when it takes the rest). */
static int container_same(const struct ynode *a, const struct side *sa, const struct ynode *b,
                          const struct side *sb)
{
    static const char *const loaded[] = {"name", "image", "resources"};
    if (!yml_is_map(a) || !yml_is_map(b) || a->len != b->len || a->col != b->col ||
        !line_same(a->line, sa, b->line, sb))
        return 0;
    for (size_t i = 0; i < a->len; i++) {
        const char *key = yml_str(a->pairs[i].key), *bkey = yml_str(b->pairs[i].key);
        size_t l = 0;
        while (key && l < ARRAY_LEN(loaded) && strcmp(key, loaded[l]) != 0)
            l++;
        if (l < ARRAY_LEN(loaded) ? !bkey || strcmp(key, bkey) != 0
                                  : !node_same(a->pairs[i].key, sa, b->pairs[i].key, sb) ||
                                        !node_same(a->pairs[i].val, sa, b->pairs[i].val, sb))
            return 0;
    }
    return 1;
}

/* For each item of the pod spec's list `key`, a container of an earlier view to take. */
static const struct k8s_container **containers_shared(const struct ynode *pod,
                                                      const struct side *so,
                                                      const struct view_src *v, const char *kind,
                                                      const char *key, size_t *n)
{
    const struct ynode *seq = yml_get(pod, key);
    *n = 0;
    for (size_t i = 0; yml_is_seq(seq) && i < seq->len; i++)
        if (!yml_is_map(seq->items[i]))
            return NULL;
    if (!yml_is_seq(seq) || !seq->len)
        return NULL;
    const struct k8s_container **out = xcalloc(seq->len, sizeof(*out));
    int init = strcmp(key, "initContainers") == 0;
    for (size_t r = 0; r < v->n; r++) {
        const struct view_ref *ref = &v->refs[r];
        const struct side sr = {ref->origins, ref->norigins};
        const struct ypair *q = ref_pod_pair(ref, kind);
        if (!q)
            continue; /* not a pod of the same kind (or none: a base the overlays fill in) */
        const struct ynode *rseq = yml_get(q->val, key);
        size_t rn = init ? ref->obj->pod->ninit : ref->obj->pod->ncontainers;
        if (!yml_is_seq(rseq) || rseq->len != rn)
            continue; /* an item that is not a map: indexes differ */
        for (size_t i = 0; i < seq->len && i < rn; i++)
            if (!out[i] && container_same(seq->items[i], so, rseq->items[i], &sr))
                out[i] = init ? ref->obj->pod->init_containers[i] : ref->obj->pod->containers[i];
    }
    *n = seq->len;
    return out;
}

/* What of earlier views of the same document the loader may take for `o`'s pod spec: the
 * whole of one that is the same text, else the containers that are but for their image and
 * resources. Frees with reuse_release(). */
static void pod_shared(const struct kz_object *o, const struct side *so, const struct view_src *v,
                       struct k8s_reuse *out)
{
    memset(out, 0, sizeof(*out));
    const char *kind = yml_str(yml_get(o->root, "kind"));
    const struct ypair *p = kind ? pod_pair(o->root, kind) : NULL;
    if (!p || !yml_is_map(p->val))
        return;
    for (size_t i = 0; i < v->n; i++) {
        const struct view_ref *r = &v->refs[i];
        const struct side sr = {r->origins, r->norigins};
        const struct ypair *q = ref_pod_pair(r, kind);
        if (q && node_same(p->key, so, q->key, &sr) && node_same(p->val, so, q->val, &sr)) {
            out->pod = r->obj->pod;
            return;
        }
    }
    out->containers = containers_shared(p->val, so, v, kind, "containers", &out->ncontainers);
    out->init_containers = containers_shared(p->val, so, v, kind, "initContainers", &out->ninit);
}

static void reuse_release(struct k8s_reuse *r)
{
    free((void *)r->containers);
    free((void *)r->init_containers);
}

/* A view of the same document that differs at most in metadata: `o`'s view is a copy of it
 * with metadata loaded again (labels and annotations kept when the same: *same is a mask). */
static const struct view_ref *view_rebase_find(const struct kz_object *o, const struct side *so,
                                               const struct view_src *v, int *same)
{
    const struct view_ref *best = NULL;
    *same = -1;
    const struct ynode *md = yml_get(o->root, "metadata");
    for (size_t i = 0; i < v->n && *same != 3; i++) {
        const struct view_ref *r = &v->refs[i];
        const struct side sr = {r->origins, r->norigins};
        if (!same_but_metadata(o->root, so, r->tree, &sr))
            continue;
        const struct ynode *rmd = yml_get(r->tree, "metadata");
        int m = node_same(yml_get(md, "labels"), so, yml_get(rmd, "labels"), &sr) |
                node_same(yml_get(md, "annotations"), so, yml_get(rmd, "annotations"), &sr) << 1;
        if (m > *same) {
            *same = m;
            best = r;
        }
    }
    return best;
}

/* A typed view: the Kubernetes loader run on the rendered document (in the kustomization's
 * arena), so checks can judge it like a manifest and trace findings back. What an earlier
 * view of the same document (the file's own model, another overlay's view) has of the same
 * text at the same positions is shared: the overlays of a base mostly change metadata.
 * Returns 0 when the view is an earlier one's in all but name and namespace (later views
 * gain nothing from it), else 1. */
int kz_typed_view(struct kz_object *o, const struct view_src *views)
{
    struct unit sh;
    kz_shadow_init(&sh, o);
    const struct side so = {o->origins, (size_t)o->norigins};
    struct k8s_reuse reuse = {0};
    if (views && !doc_is_list(o->root)) {
        int same;
        const struct view_ref *r = view_rebase_find(o, &so, views, &same);
        if (r) {
            o->obj = k8s_object_rebase(&sh, r->obj, o->root, 0, same & 1, same & 2);
            kz_shadow_release(&sh);
            return same != 3;
        }
        pod_shared(o, &so, views, &reuse);
    }
    k8s_load_sharing(&sh, o->root, 0, &reuse);
    reuse_release(&reuse);
    if (sh.k8s_objects.len)
        o->obj = sh.k8s_objects.items[0];
    kz_shadow_release(&sh);
    return 1;
}

void kz_view_add(struct view_src *v, const struct kz_object *o)
{
    if (!v || !v->a || !o->obj || v->n >= VIEW_REFS)
        return;
    v->refs[v->n++] =
        (struct view_ref){kz_tree_copy(v->a, o->root, -1), o->obj, o->origins, (size_t)o->norigins};
}
