/* Kustomize's transformers on rendered objects (images, replicas, namespace, name prefix and
 * suffix, commonLabels and labels) and the origin table that lets each field they set name
 * the kustomization line it came from: a rendered node's line is its origin's index in the
 * high bits and the line in that file in the low ones (KZ_LINE_SHIFT). */
#include "kustomize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kz_origin_add(struct arena *a, struct kz_object *o, const char *path)
{
    for (int i = 0; i < o->norigins; i++)
        if (strcmp(o->origins[i], path) == 0)
            return i;
    if (o->norigins >= KZ_MAX_ORIGINS)
        return 0;
    const char **n = arena_alloc(a, (size_t)(o->norigins + 1) * sizeof(*n));
    if (o->norigins)
        memcpy(n, o->origins, (size_t)o->norigins * sizeof(*n));
    n[o->norigins] = path;
    o->origins = n;
    return o->norigins++;
}

static int enc(int origin, struct loc l)
{
    return (origin << KZ_LINE_SHIFT) | (l.line & KZ_LINE_MASK);
}

void kz_loc_resolve(const struct kz_object *o, int enc_line, const char **path, int *line)
{
    size_t origin = (size_t)(enc_line >> KZ_LINE_SHIFT);
    *path = origin < (size_t)o->norigins ? o->origins[origin] : o->origins[0];
    *line = enc_line & KZ_LINE_MASK;
}

void kz_object_names(struct kz_object *o)
{
    o->kind = yml_str(yml_get(o->root, "kind"));
    o->name = yml_str(yml_path(o->root, "metadata.name"));
    o->namespace = yml_str(yml_path(o->root, "metadata.namespace"));
}

/* The pod spec of a workload document, or NULL. */
static struct ynode *pod_spec(struct ynode *root)
{
    const char *kind = yml_str(yml_get(root, "kind"));
    if (!kind)
        return NULL;
    if (strcmp(kind, "Pod") == 0)
        return yml_get(root, "spec");
    if (strcmp(kind, "CronJob") == 0)
        return yml_path(root, "spec.jobTemplate.spec.template.spec");
    return yml_path(root, "spec.template.spec");
}

static char *image_name(const char *img)
{
    size_t n = strcspn(img, "@");
    const char *slash = memrchr(img, '/', n);
    const char *from = slash ? slash : img;
    const char *colon = memrchr(from, ':', n - (size_t)(from - img));
    if (colon)
        n = (size_t)(colon - img);
    return xstrndup(img, n);
}

static void images_apply(struct kustomization *k, struct arena *a, struct vec *objs)
{
    for (size_t i = 0; i < objs->len; i++) {
        struct kz_object *o = objs->items[i];
        struct ynode *pod = pod_spec(o->root);
        const char *lists[] = {"containers", "initContainers"};
        for (size_t l = 0; pod && l < 2; l++) {
            struct ynode *seq = yml_get(pod, lists[l]);
            for (size_t c = 0; yml_is_seq(seq) && c < seq->len; c++) {
                const struct ynode *img = yml_get(seq->items[c], "image");
                const char *raw = yml_str(img);
                if (!raw)
                    continue;
                char *name = image_name(raw);
                for (size_t m = 0; m < k->nimages; m++) {
                    const struct kz_image *im = &k->images[m];
                    if (strcmp(im->name, name) != 0)
                        continue;
                    const char *tagp = raw + strlen(name);
                    char *tag = *tagp == ':' ? xstrndup(tagp + 1, strcspn(tagp + 1, "@")) : NULL;
                    const char *newtag = im->new_tag ? im->new_tag : tag;
                    /* With a digest, kustomize keeps newTag beside it (name:tag@digest) and
                     * drops the tag the manifest had. */
                    char *v = im->digest ? xasprintf("%s%s%s@%s",
                                                     im->new_name ? im->new_name : name,
                                                     im->new_tag ? ":" : "",
                                                     im->new_tag ? im->new_tag : "", im->digest)
                              : newtag   ? xasprintf("%s:%s", im->new_name ? im->new_name : name,
                                                     newtag)
                                         : xstrdup(im->new_name ? im->new_name : name);
                    int origin = kz_origin_add(a, o, k->path);
                    struct ynode *n = kz_scalar_new(a, v, enc(origin, im->tag_loc),
                                                    im->tag_loc.col);
                    kz_map_set(a, seq->items[c], "image", n);
                    /* The key moves too: the field now comes from the kustomization. */
                    for (size_t p = 0; p < seq->items[c]->len; p++)
                        if (seq->items[c]->pairs[p].val == n) {
                            seq->items[c]->pairs[p].key->line = n->line;
                            seq->items[c]->pairs[p].key->col = n->col;
                        }
                    free(v);
                    free(tag);
                    break;
                }
                free(name);
            }
        }
    }
}

static void replicas_apply(struct kustomization *k, struct arena *a, struct vec *objs)
{
    for (size_t i = 0; i < k->nreplicas; i++) {
        for (size_t j = 0; j < objs->len; j++) {
            struct kz_object *o = objs->items[j];
            struct ynode *spec = yml_get(o->root, "spec");
            if (!o->name || strcmp(o->name, k->replicas[i].name) != 0 || !yml_is_map(spec) ||
                !pod_spec(o->root))
                continue;
            char num[32];
            snprintf(num, sizeof(num), "%lld", k->replicas[i].count);
            int origin = kz_origin_add(a, o, k->path);
            struct ynode *n = kz_scalar_new(a, num, enc(origin, k->replicas[i].loc),
                                            k->replicas[i].loc.col);
            n->quoted = 0;
            kz_map_set(a, spec, "replicas", n);
        }
    }
}

static int cluster_scoped(const char *kind)
{
    static const char *const kinds[] = {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "PersistentVolume", "StorageClass", "PriorityClass", "ClusterIssuer",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "IngressClass",
    };
    for (size_t i = 0; kind && i < ARRAY_LEN(kinds); i++)
        if (strcmp(kinds[i], kind) == 0)
            return 1;
    return 0;
}

/* metadata (created when missing) of a rendered object. */
static struct ynode *metadata_of(struct arena *a, struct ynode *root)
{
    struct ynode *md = yml_get(root, "metadata");
    if (!yml_is_map(md))
        md = kz_map_set(a, root, "metadata", kz_map_new(a, root->line, root->col));
    return md;
}

static void set_in(struct arena *a, struct ynode *map, const char *key, const char *v, int line,
                   int col)
{
    if (yml_is_map(map))
        kz_map_set(a, map, key, kz_scalar_new(a, v, line, col));
}

static void labels_add(struct kustomization *k, struct arena *a, struct vec *objs,
                       const struct k8s_kvs *kvs, int selectors)
{
    for (size_t j = 0; j < objs->len; j++) {
        struct kz_object *o = objs->items[j];
        int origin = kz_origin_add(a, o, k->path);
        for (size_t i = 0; i < kvs->len; i++) {
            const struct k8s_kv *kv = &kvs->items[i];
            int line = enc(origin, kv->loc);
            struct ynode *md = metadata_of(a, o->root);
            struct ynode *labels = yml_get(md, "labels");
            if (!yml_is_map(labels))
                labels = kz_map_set(a, md, "labels", kz_map_new(a, line, kv->loc.col));
            set_in(a, labels, kv->key, kv->value, line, kv->loc.col);
            if (!selectors)
                continue;
            if (o->kind && strcmp(o->kind, "Service") == 0) {
                struct ynode *spec = yml_get(o->root, "spec");
                struct ynode *sel = yml_get(spec, "selector");
                if (yml_is_map(spec) && !yml_is_map(sel))
                    sel = kz_map_set(a, spec, "selector", kz_map_new(a, line, kv->loc.col));
                set_in(a, sel, kv->key, kv->value, line, kv->loc.col);
                continue;
            }
            set_in(a, yml_path(o->root, "spec.selector.matchLabels"), kv->key, kv->value, line,
                   kv->loc.col);
            set_in(a, yml_path(o->root, "spec.template.metadata.labels"), kv->key, kv->value,
                   line, kv->loc.col);
        }
    }
}

static void names_apply(struct kustomization *k, struct arena *a, struct vec *objs)
{
    for (size_t j = 0; j < objs->len; j++) {
        struct kz_object *o = objs->items[j];
        int origin = kz_origin_add(a, o, k->path);
        if (k->namespace && !cluster_scoped(o->kind))
            set_in(a, metadata_of(a, o->root), "namespace", k->namespace,
                   enc(origin, k->namespace_loc), k->namespace_loc.col);
        if ((k->name_prefix || k->name_suffix) && o->name) {
            struct loc at = k->name_prefix ? k->prefix_loc : k->suffix_loc;
            char *v = xasprintf("%s%s%s", k->name_prefix ? k->name_prefix : "", o->name,
                                k->name_suffix ? k->name_suffix : "");
            set_in(a, metadata_of(a, o->root), "name", v, enc(origin, at), at.col);
            free(v);
            struct ynode *ref = yml_path(o->root, "spec.scaleTargetRef");
            const char *rn = yml_str(yml_get(ref, "name"));
            if (rn) {
                v = xasprintf("%s%s%s", k->name_prefix ? k->name_prefix : "", rn,
                              k->name_suffix ? k->name_suffix : "");
                set_in(a, ref, "name", v, enc(origin, at), at.col);
                free(v);
            }
        }
        kz_object_names(o);
    }
}

void kz_transform(struct kustomization *k, struct arena *a, struct vec *objs)
{
    images_apply(k, a, objs);
    replicas_apply(k, a, objs);
    names_apply(k, a, objs);
    labels_add(k, a, objs, &k->common_labels, 1);
    labels_add(k, a, objs, &k->labels, k->labels_include_selectors);
}
