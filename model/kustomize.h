/* Kustomize: kustomization.yaml files modelled (resources, patches, images, generators …) and
 * rendered in C at link time. Each kustomization yields the objects of its folder after its
 * bases, patches and transformers; a rendered field keeps the file and line it came from
 * through its object's origin table (see kz_loc_resolve). What cannot be rendered (a remote
 * base, an unknown transformer, a cycle) is a diagnostic and the rest still renders. */
#ifndef OPSBOOK_KUSTOMIZE_H
#define OPSBOOK_KUSTOMIZE_H

#include "k8s.h"
#include "model.h"

/* Rendered nodes carry their origin in the high bits of ynode.line: origin index << SHIFT. */
#define KZ_LINE_SHIFT 22
#define KZ_LINE_MASK ((1 << KZ_LINE_SHIFT) - 1)
#define KZ_MAX_ORIGINS 500

struct kustomization;

/* One entry of resources/bases/components, resolved at link time. */
struct kz_entry {
    const char *value;            /* as written */
    const char *path;             /* resolved path relative to the scan root */
    struct loc loc;
    int remote;                   /* a URL or git reference: not rendered */
    struct unit *file;            /* the manifest file, when it is one */
    struct kustomization *kust;   /* the folder's kustomization, when it is one */
    int cycle;                    /* set by rendering: not followed, it includes this again */
};

struct kz_patch {
    const char *path;             /* patch file (resolved), NULL when inline */
    const char *text;             /* inline patch text, NULL for a file */
    int text_line;                /* line of the inline text's first line */
    int json6902;                 /* from patchesJson6902 (else decided by the document) */
    const char *target_kind, *target_name, *target_namespace, *target_labels;
    struct loc loc;
    int missing;                  /* set by rendering: the patch file does not exist */
};

struct kz_image {
    const char *name, *new_name, *new_tag, *digest;
    struct loc loc, tag_loc;      /* the item and its newTag/digest line */
};

struct kz_replica {
    const char *name;
    long long count;
    struct loc loc;
};

struct kz_generator {
    const char *name;
    int secret;                   /* secretGenerator, else configMapGenerator */
    const char **sources;         /* files/envs entries resolved to repository paths */
    struct loc *source_locs;
    size_t nsources;
    int nliterals;
    struct loc loc, literals_loc;
};

/* One rendered object of a kustomization. */
struct kz_object {
    struct kustomization *k;      /* the kustomization that rendered it */
    struct ynode *root;           /* the rendered document (lines encoded) while it renders;
                                     NULL afterwards: `obj` is the lasting view */
    int line;                     /* the document's encoded first line */
    int norigins;
    const char **origins;         /* file paths; a node's origin is line >> KZ_LINE_SHIFT */
    const char *kind, *name, *namespace;
    const char *base_name;        /* the name in the file that defined it */
    struct k8s_object *obj;       /* typed view of root (locs encoded like root's); NULL
                                     for a folder without environment whose objects no
                                     environment's folder takes unchanged (nothing reads it) */
    int *moved_from, *moved_to;   /* encoded lines: keys a patch removed something under now */
    size_t nmoved;                /*   stand at the patch (moved_to), were at moved_from */
};

struct kustomization {
    struct unit *unit;
    const char *path, *dir;       /* the file and its folder ("" at the root) */
    const char *env;              /* environment of an overlay (from its folder), else NULL */
    struct loc loc;
    const char *namespace, *name_prefix, *name_suffix;
    struct loc namespace_loc, prefix_loc, suffix_loc;
    struct k8s_kvs common_labels, labels;   /* labels: metadata only unless include_selectors */
    int labels_include_selectors;
    struct loc labels_loc;
    struct kz_entry *resources;
    size_t nresources;
    struct kz_patch *patches;
    size_t npatches;
    struct kz_image *images;
    size_t nimages;
    struct kz_replica *replicas;
    size_t nreplicas;
    struct kz_generator *generators;
    size_t ngenerators;
    int component;                /* kind: Component: only ever applied by the kustomizations
                                     that list it under components:, never built alone */
    /* Set by kustomize_render(). */
    struct vec objects;           /* struct kz_object* */
    int included;                 /* another kustomization lists this folder */
    int state;                    /* 0 not rendered, 1 rendering, 2 rendered */
    /* While rendering a graph without cycles: includers still to take this folder's rendered
     * trees, and a copy of them (made by its one render) for those after the first. */
    int uses;
    int typed;                    /* its objects get typed views: someone reads them */
    int group;                    /* renders with the folders it includes or is included by */
    struct arena *memo;
    struct vec memo_objs;         /* kept objects and their views, in memo (private) */
};

/* Models a kustomization.yaml into u->kustomizations (unknown transformers and remote bases
 * are kept for the renderer to report). */
void kustomize_load(struct unit *u, const struct yfile *yf);
/* Once the kustomizations are loaded and before the other files are: sets `defer` on each
 * file that exactly one kustomization names (a resource or a patch file), so that its loader
 * keeps its bytes and the render of that kustomization parses it, once, for both the file's
 * own model and the render (a file named twice may be parsed by two threads at once, so it
 * loads as usual). The loader clears `defer` for a file that is no manifest or plain YAML.
 * Also sets `patch_file` on each file a kustomization names as a patch. Both look within
 * each scan root (model_for_each_root). */
void kustomize_defer_mark(struct model *m);
/* Resolves every kustomization's entries and renders them all; diagnostics go to the
 * kustomization's unit. Rendering streams one resource entry at a time: the files an entry
 * names are parsed (those loaded with `defer` get their own model from this parse, the
 * others are read again) and the trees are freed once the typed views are built,
 * so memory holds a few documents, not the overlays. Without a cycle each kustomization
 * renders once: the overlays of a base render one after another and copy its rendered trees
 * (kept until the last of them is done), a folder that only lists others (an environment's
 * list of overlays) takes their recorded objects, and folders that include nothing of each
 * other's render on up to `threads` threads (0: one per core) with the same result whatever
 * the number. With a cycle a base renders again for each overlay that includes it, on one
 * thread. Called once by model_link(). */
void kustomize_render_all(struct model *m, int threads);
/* Frees what rendering allocated outside the arenas. */
void kustomize_unit_release(struct unit *u);

/* ---- origins and transformers (kustomize_transform.c) ---- */

/* The file and line a rendered location came from. */
void kz_loc_resolve(const struct kz_object *o, int enc_line, const char **path, int *line);
/* The index of `path` in o's origin table, added (in `a`) when new; 0 once the table is full. */
int kz_origin_add(struct arena *a, struct kz_object *o, const char *path);
/* Reads o's kind, name and namespace again from its tree. */
void kz_object_names(struct kz_object *o);
/* Kustomize's transformers after the patches, in its order, on the objects `objs` (struct
 * kz_object*) of one resource entry of `k`, their trees in `a`: images, replicas, namespace
 * and name prefix/suffix (also of an HPA's scaleTargetRef), commonLabels (selectors too) and
 * labels. Each field set takes the kustomization's line as its origin. */
void kz_transform(struct kustomization *k, struct arena *a, struct vec *objs);
/* Environment named by a path's folders ("k8s/overlays/prod/x" -> "prod"), or NULL. */
const char *kz_env_from_path(struct arena *a, const char *path);

/* ---- typed views of rendered objects (kustomize_view.c) ---- */

/* A typed view that later views of the same document may share parts of: the rendered
 * document it was built from, the view, and how the document's lines resolve. */
struct view_ref {
    const struct ynode *tree;
    const struct k8s_object *obj;
    const char *const *origins;
    size_t norigins;
};

enum { VIEW_REFS = 4 };

/* The views made so far of one document a base renders, the file's own model first. Later
 * views are added only while the memo that holds this lasts (arena `a`). */
struct view_src {
    struct view_ref refs[VIEW_REFS];
    size_t n;
    struct arena *a;
};

/* Fills `sh` as a unit holding just `o->obj` (the kustomization's file and arena), so
 * per-file checks can judge one rendered object; kz_shadow_release() frees it. */
void kz_shadow_init(struct unit *sh, const struct kz_object *o);
void kz_shadow_release(struct unit *sh);
/* The file's own model of document `doc` (its one object), as the first view to share, in
 * `a`; NULL when the document is not one object. */
struct view_src *kz_file_views(struct arena *a, const struct unit *file, int doc,
                               const struct ynode *root);
/* Builds `o->obj`, sharing what it can of `views` (may be NULL). Returns 0 when the view is
 * an earlier one's in all but name and namespace (later views gain nothing from it), else 1. */
int kz_typed_view(struct kz_object *o, const struct view_src *views);
/* Offers `o`'s new view to later views of the same document (while a memo holds them). */
void kz_view_add(struct view_src *v, const struct kz_object *o);

/* ---- tree operations (kustomize_tree.c), on nodes allocated in `a` ---- */

/* Deep copy; every line gets `origin` in its high bits unless origin < 0 (kept as is). */
struct ynode *kz_tree_copy(struct arena *a, const struct ynode *n, int origin);
/* A new scalar node. */
struct ynode *kz_scalar_new(struct arena *a, const char *s, int line, int col);
/* A new empty map node. */
struct ynode *kz_map_new(struct arena *a, int line, int col);
/* Sets map[key] = val (replacing or appending); returns val. */
struct ynode *kz_map_set(struct arena *a, struct ynode *map, const char *key, struct ynode *val);
/* Removes map[key]; returns 1 when it was there. */
int kz_map_del(struct ynode *map, const char *key);
/* Strategic merge of `patch` (already copied into `a`) into `dst`. Lists of containers,
 * init containers, env, ports, volumes and mounts merge by their key; other lists are
 * replaced; maps merge; `$patch: delete` removes. Notes (e.g. a container the base lacks)
 * are appended to `notes` as heap strings. A key that had something removed below it takes
 * the patch's position; when `moves` is not NULL each such move is appended to it as two
 * ints cast to pointers (old line, new line). Returns the number of fields and items removed. */
int kz_merge_strategic(struct arena *a, struct ynode *dst, const struct ynode *patch,
                       struct vec *notes, struct vec *moves);
/* Applies JSON 6902 operations (a sequence of {op, path, value}); returns 0 or -1 with a
 * heap message in *why for the first operation that cannot apply (the rest still apply). */
int kz_apply_json6902(struct arena *a, struct ynode *dst, const struct ynode *ops, char **why);

#endif
