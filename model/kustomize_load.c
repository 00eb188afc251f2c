/* Kustomization loader: kustomization.yaml into struct kustomization (paths resolved against
 * its folder, every entry with its line). The manifests it names are parsed again from disk
 * when it renders (kustomize_render.c). Keys Kustomize knows but opsbook does not render are
 * diagnostics. */
#include "kustomize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct loc loc_of(const struct ynode *n)
{
    struct loc l = {n ? n->line : 0, n ? n->col : 0};
    return l;
}

static const char *dup_str(struct unit *u, const struct ynode *n)
{
    return arena_strdup(u->arena, yml_str(n));
}

static int is_remote(const char *v)
{
    return strstr(v, "://") || str_startswith(v, "github.com/") || str_startswith(v, "git@") ||
           strstr(v, "?ref=") || strstr(v, ".git//");
}

/* dir/rel normalised, in the unit's arena. */
static const char *resolve(struct unit *u, const char *dir, const char *rel)
{
    char *j = *dir ? path_join(dir, rel) : xstrdup(rel);
    char *n = path_normalize(j);
    const char *r = arena_strdup(u->arena, n);
    free(j);
    free(n);
    return r;
}

static void kvs_load(struct unit *u, struct k8s_kvs *out, const struct ynode *map)
{
    if (!yml_is_map(map))
        return;
    out->items = arena_alloc(u->arena, (map->len + 1) * sizeof(*out->items));
    for (size_t i = 0; i < map->len; i++) {
        const char *k = yml_str(map->pairs[i].key), *v = yml_str(map->pairs[i].val);
        if (!k || !v)
            continue;
        struct k8s_kv *kv = &out->items[out->len++];
        kv->key = arena_strdup(u->arena, k);
        kv->value = arena_strdup(u->arena, v);
        kv->loc = loc_of(map->pairs[i].key);
    }
}

static void entries_add(struct unit *u, struct kustomization *k, struct vec *tmp,
                        const struct ynode *seq)
{
    if (!yml_is_seq(seq))
        return;
    for (size_t i = 0; i < seq->len; i++) {
        const char *v = yml_str(seq->items[i]);
        if (!v)
            continue;
        struct kz_entry *e = xcalloc(1, sizeof(*e));   /* copied by vec_to_array */
        e->value = arena_strdup(u->arena, v);
        e->loc = loc_of(seq->items[i]);
        e->remote = is_remote(v);
        e->path = e->remote ? NULL : resolve(u, k->dir, v);
        vec_push(tmp, e);
    }
}

static void target_load(struct unit *u, struct kz_patch *p, const struct ynode *t)
{
    p->target_kind = dup_str(u, yml_get(t, "kind"));
    p->target_name = dup_str(u, yml_get(t, "name"));
    p->target_namespace = dup_str(u, yml_get(t, "namespace"));
    p->target_labels = dup_str(u, yml_get(t, "labelSelector"));
}

static void patch_add(struct unit *u, struct kustomization *k, struct vec *tmp,
                      const struct ynode *item, int json6902)
{
    const char *file = yml_str(item);
    if (!file)
        file = yml_str(yml_get(item, "path"));
    const struct ynode *text = file ? NULL : yml_get(item, "patch");
    if (!file && !yml_str(text))
        return;
    struct kz_patch *p = xcalloc(1, sizeof(*p));   /* copied by vec_to_array */
    p->loc = loc_of(item);
    p->json6902 = json6902;
    if (file) {
        p->path = resolve(u, k->dir, file);
    } else {
        p->text = dup_str(u, text);
        p->text_line = text->block ? text->line + 1 : text->line;
    }
    target_load(u, p, yml_get(item, "target"));
    vec_push(tmp, p);
}

static void images_load(struct unit *u, struct kustomization *k, const struct ynode *seq)
{
    if (!yml_is_seq(seq))
        return;
    k->images = arena_alloc(u->arena, (seq->len + 1) * sizeof(*k->images));
    for (size_t i = 0; i < seq->len; i++) {
        const struct ynode *it = seq->items[i];
        if (!yml_str(yml_get(it, "name")))
            continue;
        struct kz_image *im = &k->images[k->nimages++];
        im->name = dup_str(u, yml_get(it, "name"));
        im->new_name = dup_str(u, yml_get(it, "newName"));
        im->new_tag = dup_str(u, yml_get(it, "newTag"));
        im->digest = dup_str(u, yml_get(it, "digest"));
        im->loc = loc_of(it);
        const struct ynode *at = yml_get(it, "digest");
        if (!at)
            at = yml_get(it, "newTag");
        if (!at)
            at = yml_get(it, "newName");
        im->tag_loc = at ? loc_of(at) : im->loc;
    }
}

static void replicas_load(struct unit *u, struct kustomization *k, const struct ynode *seq)
{
    if (!yml_is_seq(seq))
        return;
    k->replicas = arena_alloc(u->arena, (seq->len + 1) * sizeof(*k->replicas));
    for (size_t i = 0; i < seq->len; i++) {
        long long c;
        const struct ynode *it = seq->items[i];
        if (!yml_str(yml_get(it, "name")) || yml_int(yml_get(it, "count"), &c) != 0)
            continue;
        struct kz_replica *r = &k->replicas[k->nreplicas++];
        r->name = dup_str(u, yml_get(it, "name"));
        r->count = c;
        r->loc = loc_of(yml_get(it, "count"));
    }
}

static void generators_load(struct unit *u, struct kustomization *k, struct vec *tmp,
                            const struct ynode *seq, int secret)
{
    if (!yml_is_seq(seq))
        return;
    for (size_t i = 0; i < seq->len; i++) {
        const struct ynode *it = seq->items[i];
        struct kz_generator *g = xcalloc(1, sizeof(*g));   /* copied by vec_to_array */
        g->secret = secret;
        g->name = dup_str(u, yml_get(it, "name"));
        g->loc = loc_of(it);
        const struct ynode *lists[] = {yml_get(it, "files"), yml_get(it, "envs")};
        size_t n = 0;
        for (size_t l = 0; l < 2; l++)
            n += yml_is_seq(lists[l]) ? lists[l]->len : 0;
        g->sources = arena_alloc(u->arena, (n + 1) * sizeof(*g->sources));
        g->source_locs = arena_alloc(u->arena, (n + 1) * sizeof(*g->source_locs));
        for (size_t l = 0; l < 2; l++) {
            for (size_t j = 0; yml_is_seq(lists[l]) && j < lists[l]->len; j++) {
                const char *v = yml_str(lists[l]->items[j]);
                if (!v)
                    continue;
                const char *eq = strchr(v, '=');  /* key=path form */
                g->sources[g->nsources] = resolve(u, k->dir, eq ? eq + 1 : v);
                g->source_locs[g->nsources++] = loc_of(lists[l]->items[j]);
            }
        }
        const struct ynode *lit = yml_get(it, "literals");
        if (yml_is_seq(lit)) {
            g->nliterals = (int)lit->len;
            g->literals_loc = loc_of(lit->len ? lit->items[0] : lit);
        }
        vec_push(tmp, g);
    }
}

/* Moves a vector of heap structs of size `sz` into an arena array, NULL when empty (the heap
 * ones are freed). */
static void *vec_to_array(struct unit *u, struct vec *v, size_t sz, size_t *n)
{
    char *arr = v->len ? arena_alloc(u->arena, v->len * sz) : NULL;
    for (size_t i = 0; i < v->len; i++) {
        memcpy(arr + i * sz, v->items[i], sz);
        free(v->items[i]);
    }
    *n = v->len;
    vec_release(v);
    return arr;
}

/* Keys Kustomize accepts that are modelled here, and those it accepts that are not
 * rendered (reported so a reader knows the rendering is partial). */
static const char *const known_keys[] = {
    "apiVersion", "kind", "metadata", "resources", "bases", "components", "namespace",
    "namePrefix", "nameSuffix", "commonLabels", "labels", "commonAnnotations", "images",
    "replicas", "patchesStrategicMerge", "patches", "patchesJson6902", "configMapGenerator",
    "secretGenerator", "generatorOptions", "sortOptions", "buildMetadata", "openapi",
};

static void unknown_keys_report(struct unit *u, const struct ynode *root)
{
    for (size_t i = 0; i < root->len; i++) {
        const char *key = yml_str(root->pairs[i].key);
        size_t j = 0;
        while (key && j < ARRAY_LEN(known_keys) && strcmp(known_keys[j], key) != 0)
            j++;
        if (!key || j < ARRAY_LEN(known_keys))
            continue;
        findings_add(&u->diags,
                     finding_new("kustomize-render-incomplete", SEV_WARNING, u->file->path,
                                 root->pairs[i].key->line, root->pairs[i].key->col,
                                 "'%s' is not rendered by opsbook: the rendered objects of "
                                 "this folder leave it out", key));
    }
}

void kustomize_load(struct unit *u, const struct yfile *yf)
{
    if (!yf->ndocs || !yml_is_map(yf->docs[0].root))
        return;
    const struct ynode *root = yf->docs[0].root;
    struct kustomization *k = arena_alloc(u->arena, sizeof(*k));
    struct vec res = VEC_INIT, patches = VEC_INIT, gens = VEC_INIT;
    char *dir = path_dirname(u->file->path);
    k->unit = u;
    k->path = u->file->path;
    const char *kind = yml_str(yml_get(root, "kind"));
    k->component = kind && strcmp(kind, "Component") == 0;
    k->dir = arena_strdup(u->arena, dir);
    free(dir);
    k->env = kz_env_from_path(u->arena, k->dir);
    k->loc = loc_of(root);
    k->namespace = dup_str(u, yml_get(root, "namespace"));
    k->namespace_loc = loc_of(yml_get(root, "namespace"));
    k->name_prefix = dup_str(u, yml_get(root, "namePrefix"));
    k->prefix_loc = loc_of(yml_get(root, "namePrefix"));
    k->name_suffix = dup_str(u, yml_get(root, "nameSuffix"));
    k->suffix_loc = loc_of(yml_get(root, "nameSuffix"));
    kvs_load(u, &k->common_labels, yml_get(root, "commonLabels"));
    const struct ynode *labels = yml_get(root, "labels");
    for (size_t i = 0; yml_is_seq(labels) && i < labels->len; i++) {
        /* Only the first labels entry is modelled; the common case has one. */
        kvs_load(u, &k->labels, yml_get(labels->items[i], "pairs"));
        k->labels_include_selectors = yml_bool(yml_get(labels->items[i], "includeSelectors")) == 1;
        k->labels_loc = loc_of(labels->items[i]);
        break;
    }
    entries_add(u, k, &res, yml_get(root, "resources"));
    entries_add(u, k, &res, yml_get(root, "bases"));
    entries_add(u, k, &res, yml_get(root, "components"));
    const struct ynode *psm = yml_get(root, "patchesStrategicMerge");
    for (size_t i = 0; yml_is_seq(psm) && i < psm->len; i++) {
        const char *s = yml_str(psm->items[i]);
        if (s && strchr(s, '\n')) {  /* an inline patch written as a block string */
            struct kz_patch *p = xcalloc(1, sizeof(*p));   /* copied by vec_to_array */
            p->text = arena_strdup(u->arena, s);
            p->text_line = psm->items[i]->block ? psm->items[i]->line + 1 : psm->items[i]->line;
            p->loc = loc_of(psm->items[i]);
            vec_push(&patches, p);
        } else {
            patch_add(u, k, &patches, psm->items[i], 0);
        }
    }
    const struct ynode *pl = yml_get(root, "patches");
    for (size_t i = 0; yml_is_seq(pl) && i < pl->len; i++)
        patch_add(u, k, &patches, pl->items[i], 0);
    const struct ynode *pj = yml_get(root, "patchesJson6902");
    for (size_t i = 0; yml_is_seq(pj) && i < pj->len; i++)
        patch_add(u, k, &patches, pj->items[i], 1);
    images_load(u, k, yml_get(root, "images"));
    replicas_load(u, k, yml_get(root, "replicas"));
    generators_load(u, k, &gens, yml_get(root, "configMapGenerator"), 0);
    generators_load(u, k, &gens, yml_get(root, "secretGenerator"), 1);
    k->resources = vec_to_array(u, &res, sizeof(*k->resources), &k->nresources);
    k->patches = vec_to_array(u, &patches, sizeof(*k->patches), &k->npatches);
    k->generators = vec_to_array(u, &gens, sizeof(*k->generators), &k->ngenerators);
    unknown_keys_report(u, root);
    vec_push(&u->kustomizations, k);
}

/* One more naming of `path` (counts are stored as the map's pointer values). */
static void named_once_more(struct strmap *named, const char *path)
{
    strmap_put(named, path, (void *)((uintptr_t)strmap_get(named, path) + 1));
}

static void defer_mark_root(struct model *m, void *arg)
{
    (void)arg;
    struct strmap named = STRMAP_INIT;   /* path -> times named, as an integer */
    struct strmap patches = STRMAP_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *k = u->kustomizations.items[j];
            for (size_t r = 0; r < k->nresources; r++)
                if (!k->resources[r].remote && k->resources[r].path)
                    named_once_more(&named, k->resources[r].path);
            for (size_t p = 0; p < k->npatches; p++)
                if (k->patches[p].path) {
                    named_once_more(&named, k->patches[p].path);
                    strmap_put(&patches, k->patches[p].path, (void *)1);
                }
        }
    }
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        u->defer = !u->loaded && u->file->kind != FK_KUSTOMIZATION &&
                   strmap_get(&named, u->file->path) == (void *)1;
        u->patch_file = strmap_get(&patches, u->file->path) != NULL;
    }
    strmap_release(&named);
    strmap_release(&patches);
}

void kustomize_defer_mark(struct model *m)
{
    model_for_each_root(m, defer_mark_root, NULL);
}

/* Folder names that name an environment by themselves. */
static const char *const env_names[] = {
    "dev", "development", "test", "qa", "uat", "stage", "staging", "preprod", "prod",
    "production", "prd", "live", "sandbox",
};

const char *kz_env_from_path(struct arena *a, const char *path)
{
    const char *p = path;
    while ((p = strstr(p, "overlays/")) != NULL) {
        if (p == path || p[-1] == '/') {
            const char *s = p + strlen("overlays/");
            size_t n = strcspn(s, "/");
            return n ? arena_strndup(a, s, n) : NULL;
        }
        p++;
    }
    /* Otherwise the nearest folder that is an environment's name. */
    const char *best = NULL;
    size_t best_n = 0;
    for (const char *s = path; *s;) {
        size_t n = strcspn(s, "/");
        for (size_t i = 0; i < ARRAY_LEN(env_names); i++)
            if (strlen(env_names[i]) == n && memcmp(env_names[i], s, n) == 0) {
                best = s;
                best_n = n;
            }
        s += n;
        if (*s == '/')
            s++;
    }
    return best ? arena_strndup(a, best, best_n) : NULL;
}
