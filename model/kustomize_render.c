/* Kustomize rendering at link time: every kustomization's resources are resolved (files and
 * folders, recursively, a cycle reported once), then patches, images, replicas, namespace,
 * name prefix/suffix and labels are applied in Kustomize's order. Rendered objects get a
 * typed view from the Kubernetes loader so checks can judge them like manifests; a view
 * shares what an earlier view of the same document has of the same text. Each transformer
 * acts on one object at a time, so a render streams: the objects of one resource entry are
 * built (files parsed, an included folder rendered or its kept trees copied), carried
 * through every transformer (kustomize_transform.c), typed (kustomize_view.c), handed to the
 * including render and freed. */
#include "kustomize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct render_ctx {
    struct strmap units;          /* path -> struct unit* */
    struct strmap kusts;          /* folder -> struct kustomization* */
    int once;                     /* no cycle: every kustomization renders exactly once */
};

/* One document of a patch, applied to every object of the render that it matches. */
struct patch_doc {
    const struct kz_patch *p;
    const char *origin;           /* the file the patch's lines are in */
    const struct ynode *doc;
    int offset;                   /* line offset of an inline patch */
    int matched;
};

/* One render of a kustomization: the first one records (objects, diagnostics, typed views);
 * later ones (only in a graph with a cycle) rebuild the trees for another overlay that
 * includes it. */
struct pass {
    struct kustomization *k;
    int record;
    int keep;                     /* copy the rendered trees into k's memo for later includers */
    struct arena *scratch;        /* the patches' documents, for the whole pass */
    struct vec patches;           /* struct patch_doc* */
    struct arena *batch;          /* objects and trees of the resource entry at hand */
    struct vec objs;              /* struct kz_object* of that entry */
    struct vec from;              /* struct view_src* (or NULL) of each of objs */
};

/* A kept object of a memo and the views of its document. */
struct memo_obj {
    struct kz_object o;
    struct view_src *views;
};

static void diag(struct kustomization *k, struct loc at, const char *fmt, const char *a1,
                 const char *a2)
{
    if (k->state != 1 || k->component)
        return;   /* only the recording render reports; a Component is never built alone */
    findings_add(&k->unit->diags, finding_new("kustomize-render-incomplete", SEV_WARNING,
                                              k->path, at.line, at.col, fmt, a1, a2));
}

/* Stamps origin into every line and shifts lines by `offset` (inline patches). */
static void stamp(struct ynode *n, int origin, int offset)
{
    if (!n)
        return;
    n->line = (origin << KZ_LINE_SHIFT) | ((n->line & KZ_LINE_MASK) + offset);
    n->end_line = (origin << KZ_LINE_SHIFT) | ((n->end_line & KZ_LINE_MASK) + offset);
    if (n->kind == YN_MAP) {
        for (size_t i = 0; i < n->len; i++) {
            stamp(n->pairs[i].key, origin, offset);
            stamp(n->pairs[i].val, origin, offset);
        }
    } else if (n->kind == YN_SEQ) {
        for (size_t i = 0; i < n->len; i++)
            stamp(n->items[i], origin, offset);
    }
}

/* Appends recorded key moves (pairs of encoded lines) to the object's table. */
static void moves_add(struct arena *a, struct kz_object *o, struct vec *moves)
{
    size_t n = moves->len / 2;
    if (n) {
        int *from = arena_alloc(a, (o->nmoved + n) * sizeof(*from));
        int *to = arena_alloc(a, (o->nmoved + n) * sizeof(*to));
        if (o->nmoved) {
            memcpy(from, o->moved_from, o->nmoved * sizeof(*from));
            memcpy(to, o->moved_to, o->nmoved * sizeof(*to));
        }
        for (size_t i = 0; i < n; i++) {
            from[o->nmoved + i] = (int)(intptr_t)moves->items[2 * i];
            to[o->nmoved + i] = (int)(intptr_t)moves->items[2 * i + 1];
        }
        o->moved_from = from;
        o->moved_to = to;
        o->nmoved += n;
    }
    vec_release(moves);
}

/* The map documents of a loaded manifest or plain YAML file (what a resource contributes),
 * and with `lists` its list documents too (a patch file's JSON 6902 operations), parsed
 * into `a`: from the bytes kept for a deferred file, which gets its model from this parse
 * the first time (only the render of the one kustomization that names it comes here), else
 * again from disk. Parse problems are reported once, with the file's model; a file that
 * cannot be read again contributes nothing. Returns 1 when the text has no anchor, so no
 * node is shared by aliases and the trees may be changed in place. */
static int docs_parse(struct unit *u, struct arena *a, int lists, struct vec *out,
                      struct vec *index)
{
    if (!u->loaded || (u->kind != FK_K8S && u->kind != FK_YAML))
        return 0;
    struct filemap fm = {u->text, u->text_len, FILEMAP_NONE};
    struct errbuf err = {{0}, 0};
    if (!u->text && filemap_open(&fm, u->file->abspath, (size_t)-1, &err) != 0)
        return 0;
    int own = memchr(fm.data, '&', fm.len) == NULL;
    struct findings diags = {VEC_INIT};
    struct yfile yf;
    yml_parse(&yf, a, u->file->path, fm.data, fm.len, u->defer ? &u->diags : &diags, NULL);
    if (u->defer) {
        model_unit_load_parsed(u, &yf, fm.data, fm.len);
        u->defer = 0;
    }
    for (size_t i = 0; i < yf.ndocs; i++)
        if (yml_is_map(yf.docs[i].root) || (lists && yml_is_seq(yf.docs[i].root))) {
            vec_push(out, yf.docs[i].root);
            if (index)
                vec_push(index, (void *)(intptr_t)i);
        }
    findings_release(&diags);
    if (!u->text)
        filemap_close(&fm);
    return own;
}

/* Makes a parsed tree what kz_tree_copy(a, n, 0) would have made of it, in place. */
static void tree_adopt(struct ynode *n)
{
    if (!n)
        return;
    n->line &= KZ_LINE_MASK;
    n->end_line &= KZ_LINE_MASK;
    if (n->kind == YN_NULL)
        n->s = "";
    for (size_t i = 0; n->kind == YN_MAP && i < n->len; i++) {
        tree_adopt(n->pairs[i].key);
        tree_adopt(n->pairs[i].val);
    }
    for (size_t i = 0; n->kind == YN_SEQ && i < n->len; i++)
        tree_adopt(n->items[i]);
}

/* Arena of the objects a pass builds: the unit's when they are kept. */
static struct arena *objects_arena(const struct pass *ps)
{
    return ps->record ? ps->k->unit->arena : ps->batch;
}

/* 1 when a kustomization changes no object it includes (only resources: an environment's
 * list of services' overlays): its objects are its resources' as rendered there. */
static int transforms_none(const struct kustomization *k)
{
    return !k->npatches && !k->nimages && !k->nreplicas && !k->namespace && !k->name_prefix &&
           !k->name_suffix && !k->common_labels.len && !k->labels.len;
}

/* A folder nothing includes that only lists others: it takes their recorded objects. */
static int lists_only(const struct kustomization *k)
{
    return transforms_none(k) && !k->included;
}

/* The including pass's object for `src`, which an included pass built in the including
 * pass's batch and is done with: the tree is taken over, not copied. The arrays are shared
 * (origin_add and moves_add never change one in place), and so is the typed view when the
 * includer changes nothing (only origins are appended: every encoded line still resolves). */
static struct kz_object *object_take(struct pass *ps, struct kz_object *src)
{
    struct kz_object *o = arena_alloc(objects_arena(ps), sizeof(*o));
    o->k = ps->k;
    o->root = src->root;
    src->root = NULL;
    o->origins = src->origins;
    o->norigins = src->norigins;
    o->base_name = src->base_name;
    o->moved_from = src->moved_from;
    o->moved_to = src->moved_to;
    o->nmoved = src->nmoved;
    if (transforms_none(ps->k))
        o->obj = src->obj;
    kz_object_names(o);
    return o;
}

/* Keeps a copy of a recorded object's rendered tree for the includers after the first; the
 * rest of the object (origins, moves, names, typed view) already lasts in the unit's arena. */
static struct view_src *memo_add(struct kustomization *k, const struct kz_object *o,
                                 const struct view_src *views)
{
    if (!k->memo)
        k->memo = arena_new();
    struct memo_obj *m = arena_alloc(k->memo, sizeof(*m));
    m->o = *o;
    m->o.root = kz_tree_copy(k->memo, o->root, -1);
    if (views) {
        m->views = arena_alloc(k->memo, sizeof(*m->views));
        *m->views = *views;
        m->views->a = k->memo;
        for (size_t i = 0; i < views->n; i++) {
            struct view_ref *r = &m->views->refs[i];
            const char **origins = arena_alloc(k->memo, r->norigins * sizeof(*origins));
            memcpy(origins, r->origins, r->norigins * sizeof(*origins));
            r->origins = origins;
            r->tree = kz_tree_copy(k->memo, r->tree, -1);
        }
    }
    vec_push(&k->memo_objs, m);
    return m->views;
}

/* What rendering `k` again would hand to the including pass: copies of its kept trees. */
static void memo_take(struct pass *ps, const struct kustomization *k)
{
    for (size_t i = 0; i < k->memo_objs.len; i++) {
        const struct memo_obj *m = k->memo_objs.items[i];
        struct kz_object src = m->o;
        src.root = kz_tree_copy(ps->batch, src.root, -1);
        vec_push(&ps->objs, object_take(ps, &src));
        vec_push(&ps->from, m->views);
    }
}

/* One includer fewer still to take `k`'s trees: the last frees them. */
static void memo_use(struct kustomization *k)
{
    if (--k->uses > 0)
        return;
    arena_free(k->memo);
    k->memo = NULL;
    vec_release(&k->memo_objs);
}

/* A folder that only lists `k` gets `k`'s recorded objects as they are: nothing of them
 * changes, so the typed view, origins and moves are shared and no tree is built. */
static void recorded_take(struct pass *ps, const struct kustomization *k)
{
    for (size_t i = 0; i < k->objects.len; i++) {
        struct kz_object *o = arena_alloc(ps->k->unit->arena, sizeof(*o));
        *o = *(const struct kz_object *)k->objects.items[i];
        o->k = ps->k;
        vec_push(&ps->k->objects, o);
    }
}

static void file_objects(struct pass *ps, struct unit *file)
{
    struct vec docs = VEC_INIT, index = VEC_INIT;
    int own = docs_parse(file, ps->batch, 0, &docs, &index);
    for (size_t d = 0; d < docs.len; d++) {
        struct ynode *doc = docs.items[d];
        if (!yml_str(yml_get(doc, "kind")))
            continue;
        vec_push(&ps->from, kz_file_views(ps->batch, file, (int)(intptr_t)index.items[d], doc));
        struct kz_object *o = arena_alloc(objects_arena(ps), sizeof(*o));
        o->k = ps->k;
        o->origins = arena_alloc(ps->batch, sizeof(*o->origins));
        o->origins[0] = file->file->path;
        o->norigins = 1;
        if (own)
            tree_adopt(doc);
        o->root = own ? doc : kz_tree_copy(ps->batch, doc, 0);
        kz_object_names(o);
        o->base_name = o->name;
        vec_push(&ps->objs, o);
    }
    vec_release(&docs);
    vec_release(&index);
}

static int target_matches(const struct kz_patch *p, const struct kz_object *o)
{
    if (p->target_kind && (!o->kind || strcmp(p->target_kind, o->kind) != 0))
        return 0;
    if (p->target_name && (!o->name || (strcmp(p->target_name, o->name) != 0 &&
                                        strcmp(p->target_name, ".*") != 0)))
        return 0;
    if (p->target_namespace && (!o->namespace || strcmp(p->target_namespace, o->namespace) != 0))
        return 0;
    if (p->target_labels) {
        /* "key=value" selectors, comma-separated, all must hold. */
        const char *s = p->target_labels;
        while (*s) {
            size_t n = strcspn(s, ",");
            const char *eq = memchr(s, '=', n);
            const struct ynode *labels = yml_path(o->root, "metadata.labels");
            if (!eq)
                return 0;
            char *key = xstrndup(s, (size_t)(eq - s));
            const char *v = yml_str(yml_get(labels, key));
            size_t vn = n - (size_t)(eq - s) - 1;
            int ok = v && strlen(v) == vn && memcmp(v, eq + 1, vn) == 0;
            free(key);
            if (!ok)
                return 0;
            s += n;
            if (*s == ',')
                s++;
        }
    }
    return 1;
}

static void patch_doc_apply(struct pass *ps, struct patch_doc *pd, struct kz_object *o)
{
    struct kustomization *k = ps->k;
    const struct kz_patch *p = pd->p;
    struct arena *a = ps->batch;
    const struct ynode *doc = pd->doc;
    int json = p->json6902 || yml_is_seq(doc);
    const char *kind = yml_str(yml_get(doc, "kind"));
    const char *name = yml_str(yml_path(doc, "metadata.name"));
    /* A patch that names a namespace patches only the object in it, as kustomize matches. */
    const char *ns = yml_str(yml_path(doc, "metadata.namespace"));
    int has_target = p->target_kind || p->target_name || p->target_labels;
    if (has_target ? !target_matches(p, o)
                   : (json || !kind || !name || !o->kind || !o->name ||
                      strcmp(kind, o->kind) != 0 ||
                      (strcmp(name, o->name) != 0 && strcmp(name, o->base_name) != 0) ||
                      (ns && (!o->namespace || strcmp(ns, o->namespace) != 0))))
        return;
    pd->matched++;
    int origin = kz_origin_add(a, o, pd->origin);
    struct ynode *copy = kz_tree_copy(a, doc, -1);
    stamp(copy, origin, pd->offset);
    if (json) {
        char *why = NULL;
        if (kz_apply_json6902(a, o->root, copy, &why) != 0)
            diag(k, p->loc, "JSON 6902 patch on %s: %s", o->name ? o->name : "?", why);
        free(why);
    } else {
        struct vec notes = VEC_INIT, moves = VEC_INIT;
        kz_merge_strategic(a, o->root, copy, &notes, &moves);
        moves_add(a, o, &moves);
        for (size_t n = 0; n < notes.len; n++) {
            diag(k, p->loc, "%s%s", (char *)notes.items[n], "");
            free(notes.items[n]);
        }
        vec_release(&notes);
    }
    kz_object_names(o);
}

static struct patch_doc *patch_doc_add(struct pass *ps, const struct kz_patch *p,
                                       const char *origin, const struct ynode *doc, int offset)
{
    struct patch_doc *pd = arena_alloc(ps->scratch, sizeof(*pd));
    pd->p = p;
    pd->origin = origin;
    pd->doc = doc;
    pd->offset = offset;
    vec_push(&ps->patches, pd);
    return pd;
}

/* Parses the pass's patches once: files again from disk, inline text from the model. */
static void patches_load(struct render_ctx *rc, struct pass *ps)
{
    struct kustomization *k = ps->k;
    for (size_t i = 0; i < k->npatches; i++) {
        struct kz_patch *p = &k->patches[i];
        if (p->path) {
            struct unit *pu = strmap_get(&rc->units, p->path);
            if (!pu) {
                p->missing = 1;   /* reported by kustomize-resource-missing */
                continue;
            }
            struct vec docs = VEC_INIT;
            docs_parse(pu, ps->scratch, 1, &docs, NULL);
            for (size_t d = 0; d < docs.len; d++)
                patch_doc_add(ps, p, pu->file->path, docs.items[d], 0);
            vec_release(&docs);
            continue;
        }
        struct findings errs = {VEC_INIT};
        struct yfile yf;
        yml_parse(&yf, ps->scratch, k->path, p->text, strlen(p->text), &errs, NULL);
        if (errs.v.len)
            diag(k, p->loc, "inline patch is not valid YAML: %s%s",
                 ((struct finding *)errs.v.items[0])->message, "");
        for (size_t d = 0; d < yf.ndocs; d++)
            if (yf.docs[d].root)
                patch_doc_add(ps, p, k->path, yf.docs[d].root, p->text_line - 1);
        findings_release(&errs);
    }
}

/* After the last entry: a patch document that matched no object is reported. */
static void patches_unmatched(struct pass *ps)
{
    for (size_t i = 0; i < ps->patches.len; i++) {
        const struct patch_doc *pd = ps->patches.items[i];
        const char *name = yml_str(yml_path(pd->doc, "metadata.name"));
        /* kustomize accepts a patch whose target selects nothing (a stub of a generated
         * file, an optional object); only one without a target must match. */
        if (pd->matched || pd->p->target_kind || pd->p->target_name || pd->p->target_labels)
            continue;
        if (yml_is_seq(pd->doc) && !pd->p->target_kind && !pd->p->target_name &&
            !pd->p->target_labels)
            diag(ps->k, pd->p->loc, "JSON 6902 patch has no target: it applies to no object%s%s",
                 "", "");
        else
            diag(ps->k, pd->p->loc, "patch matches no object of this kustomization%s%s",
                 name ? ": no " : "", name ? name : "");
    }
}

/* `s` in the unit's arena: the typed view's copy when it is the same text. */
static const char *str_keep(struct arena *a, const char *s, const char *typed)
{
    if (!s)
        return NULL;
    return typed && strcmp(s, typed) == 0 ? typed : arena_strdup(a, s);
}

/* Moves what a kept object needs off its tree and the batch before both are freed; its
 * strings are those of `t` (a model of the same document) where they are the same. */
static void object_keep(struct kustomization *k, struct kz_object *o, const struct k8s_object *t)
{
    struct arena *a = k->unit->arena;
    o->line = o->root->line;
    o->kind = str_keep(a, o->kind, t ? t->kind : NULL);
    o->name = str_keep(a, o->name, t ? t->name : NULL);
    o->namespace = str_keep(a, o->namespace, t ? t->namespace : NULL);
    o->base_name = o->base_name && o->name && strcmp(o->base_name, o->name) == 0
                       ? o->name
                       : str_keep(a, o->base_name, NULL);
    const char **origins = arena_alloc(a, (size_t)o->norigins * sizeof(*origins));
    memcpy(origins, o->origins, (size_t)o->norigins * sizeof(*origins));
    o->origins = origins;
    if (o->nmoved) {
        int *from = arena_alloc(a, o->nmoved * sizeof(*from));
        int *to = arena_alloc(a, o->nmoved * sizeof(*to));
        memcpy(from, o->moved_from, o->nmoved * sizeof(*from));
        memcpy(to, o->moved_to, o->nmoved * sizeof(*to));
        o->moved_from = from;
        o->moved_to = to;
    }
}

/* Carries the objects of one resource entry through every transformer (each acts on one
 * object at a time, in Kustomize's order), keeps them when recording and hands copies to
 * the including pass. */
static void batch_finish(struct pass *ps, struct pass *into)
{
    for (size_t i = 0; i < ps->objs.len; i++)
        for (size_t p = 0; p < ps->patches.len; p++)
            patch_doc_apply(ps, ps->patches.items[p], ps->objs.items[i]);
    kz_transform(ps->k, ps->batch, &ps->objs);
    for (size_t i = 0; i < ps->objs.len; i++) {
        struct kz_object *o = ps->objs.items[i];
        struct view_src *views = i < ps->from.len ? ps->from.items[i] : NULL;
        /* Views a memo holds last until this pass's includer has taken them: they go up
         * one level, not two. */
        struct view_src *up = views && views->a ? NULL : views;
        if (ps->record) {
            int fresh = !o->obj && ps->k->typed && kz_typed_view(o, views);
            object_keep(ps->k, o, o->obj ? o->obj : views && views->n ? views->refs[0].obj : NULL);
            vec_push(&ps->k->objects, o);
            if (fresh)
                kz_view_add(views, o);
            if (ps->keep)
                up = memo_add(ps->k, o, views);
        }
        if (into) {
            vec_push(&into->objs, object_take(into, o));
            vec_push(&into->from, up);
        }
        o->root = NULL;
    }
    ps->objs.len = 0;
    ps->from.len = 0;
}

/* Renders `k`: recording when it has not rendered yet, else rebuilding its objects' trees
 * for `into` (an overlay that includes it). A recording render marks the entries it does
 * not follow (cycles) so every later pass builds the same objects. Rendering once, a
 * folder already recorded is not rendered again: its kept trees are copied (or, for a
 * folder that only lists others, its recorded objects taken). */
static void pass_run(struct render_ctx *rc, struct kustomization *k, struct pass *into)
{
    struct pass ps = {k, k->state == 0, 0, arena_new(), VEC_INIT, NULL, VEC_INIT, VEC_INIT};
    /* Rendering once: the includers after the first one (counted in k->uses) copy. */
    int counted = into && !lists_only(into->k);
    ps.keep = rc->once && ps.record && k->uses > counted;
    if (ps.record)
        k->state = 1;
    patches_load(rc, &ps);
    for (size_t i = 0; i < k->nresources; i++) {
        struct kz_entry *e = &k->resources[i];
        if (e->remote) {
            diag(k, e->loc, "remote base '%s' is not rendered%s: objects it defines are not "
                 "checked in this overlay", e->value, "");
            continue;
        }
        if (!e->file && !e->kust)
            continue;
        if (e->kust && (ps.record ? e->kust->state == 1 : e->cycle || e->kust->state != 2)) {
            if (ps.record) {
                diag(k, e->loc, "'%s' includes a folder that includes this one again%s: the "
                     "cycle is not followed", e->value, "");
                e->cycle = 1;
            }
            continue;
        }
        if (rc->once && e->kust && e->kust->state == 2 && ps.record && !into &&
            lists_only(k)) {
            recorded_take(&ps, e->kust);
            continue;
        }
        /* An included pass builds in the including pass's batch, which takes its trees. */
        ps.batch = into ? into->batch : arena_new();
        if (e->file)
            file_objects(&ps, e->file);
        else if (rc->once && e->kust->memo)
            memo_take(&ps, e->kust);
        else
            pass_run(rc, e->kust, &ps);
        batch_finish(&ps, into);
        if (!into)
            arena_free(ps.batch);
        ps.batch = NULL;
        if (rc->once && ps.record && e->kust && !lists_only(k))
            memo_use(e->kust);   /* the one counted use of this entry */
    }
    patches_unmatched(&ps);
    vec_release(&ps.objs);
    vec_release(&ps.from);
    vec_release(&ps.patches);
    arena_free(ps.scratch);
    if (ps.record)
        k->state = 2;
}

static void entries_resolve(struct render_ctx *rc, struct kustomization *k)
{
    for (size_t i = 0; i < k->nresources; i++) {
        struct kz_entry *e = &k->resources[i];
        if (e->remote || !e->path)
            continue;
        e->file = strmap_get(&rc->units, e->path);
        if (e->file && e->file->kind == FK_KUSTOMIZATION) {
            e->file = NULL;
            char *dir = path_dirname(e->path);
            e->kust = strmap_get(&rc->kusts, dir);
            free(dir);
        } else if (!e->file) {
            e->kust = strmap_get(&rc->kusts, e->path);
        }
        if (e->kust && e->kust != k)
            e->kust->included = 1;
    }
}

/* Depth-first search for a cycle through `k` (colors: path -> 1 on the path, 2 done). */
static int cycle_from(struct strmap *color, const struct kustomization *k)
{
    void *c = strmap_get(color, k->path);
    if (c)
        return c == (void *)1;
    strmap_put(color, k->path, (void *)1);
    for (size_t i = 0; i < k->nresources; i++)
        if (k->resources[i].kust && cycle_from(color, k->resources[i].kust))
            return 1;
    strmap_put(color, k->path, (void *)2);
    return 0;
}

static int cycle_any(const struct vec *all)
{
    struct strmap color = STRMAP_INIT;
    int found = 0;
    for (size_t i = 0; !found && i < all->len; i++)
        found = cycle_from(&color, all->items[i]);
    strmap_release(&color);
    return found;
}

struct top {
    const char *key;              /* the first folder it includes, else its own */
    size_t index;                 /* in all */
    struct kustomization *k;
    int group;
    size_t order;                 /* after sorting by key */
};

static int top_cmp(const void *a, const void *b)
{
    const struct top *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int top_group_cmp(const void *a, const void *b)
{
    const struct top *x = a, *y = b;
    if (x->group != y->group)
        return x->group - y->group;
    return (x->order > y->order) - (x->order < y->order);
}

/* The first of k's group (union-find over all's indexes, halving paths). */
static int group_find(const struct vec *all, int i)
{
    for (;;) {
        struct kustomization *k = all->items[i];
        int up = ((struct kustomization *)all->items[k->group])->group;
        if (k->group == i)
            return i;
        k->group = up;
        i = up;
    }
}

struct group_job {
    struct render_ctx *rc;
    const struct top *tops;
    const size_t *start;          /* group g renders tops[start[g]] .. tops[start[g + 1] - 1] */
};

static void group_render(void *ctx, size_t g)
{
    const struct group_job *job = ctx;
    for (size_t i = job->start[g]; i < job->start[g + 1]; i++)
        if (job->tops[i].k->state == 0)
            pass_run(job->rc, job->tops[i].k, NULL);
}

/* Puts the tops of one group together (groups in order of their first top, each group's
 * tops in their order) and returns the number of groups, their starts in `start`. */
static size_t groups_make(const struct vec *all, struct top *tops, size_t n, size_t *start)
{
    int *gid = xmalloc((all->len + 1) * sizeof(*gid));
    size_t ngroups = 0;
    for (size_t i = 0; i < all->len; i++)
        gid[i] = -1;
    for (size_t i = 0; i < n; i++) {
        int root = group_find(all, (int)tops[i].index);
        if (gid[root] < 0)
            gid[root] = (int)ngroups++;
        tops[i].group = gid[root];
        tops[i].order = i;
    }
    free(gid);
    qsort(tops, n, sizeof(*tops), top_group_cmp);
    size_t g = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || tops[i].group != tops[i - 1].group)
            start[g++] = i;
    start[g] = n;
    return ngroups;
}

/* Renders an acyclic graph so that nothing renders twice and trees are few at a time. Every
 * kustomization's includers are counted, but not the folders that only list others: those
 * render last and take the recorded objects. The rest that nothing else includes render at
 * the top, grouped by the first folder they include, so the overlays of a base follow each
 * other: the base renders inside the first and the others copy its trees, freed after the
 * last. What they include renders inside them. Folders that share nothing included render
 * on the threads in parallel: each kustomization, its unit's arena and diagnostics belong
 * to one group, and a group renders in the same order as alone. */
static void render_once(struct render_ctx *rc, struct vec *all, int threads)
{
    /* Typed views are read for the environments' folders only (lint/overlays.c, the
     * linked model), and a folder that changes nothing shares those of what it includes. */
    for (size_t i = 0; i < all->len; i++) {
        struct kustomization *k = all->items[i];
        k->typed = k->env != NULL;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < all->len; i++) {
            struct kustomization *k = all->items[i];
            for (size_t r = 0; k->typed && transforms_none(k) && r < k->nresources; r++) {
                struct kustomization *in = k->resources[r].kust;
                if (in && !in->typed)
                    changed = in->typed = 1;
            }
        }
    }
    for (size_t i = 0; i < all->len; i++)
        ((struct kustomization *)all->items[i])->group = (int)i;
    for (size_t i = 0; i < all->len; i++) {
        struct kustomization *k = all->items[i];
        for (size_t r = 0; !lists_only(k) && r < k->nresources; r++) {
            struct kustomization *in = k->resources[r].kust;
            if (!in)
                continue;
            in->uses++;
            int a = group_find(all, (int)i), b = group_find(all, in->group);
            ((struct kustomization *)all->items[a > b ? a : b])->group = a < b ? a : b;
        }
    }
    struct top *tops = xcalloc(all->len + 1, sizeof(*tops));
    size_t n = 0;
    for (size_t i = 0; i < all->len; i++) {
        struct kustomization *k = all->items[i];
        if (lists_only(k) || k->uses)
            continue;
        tops[n] = (struct top){k->dir, i, k, 0, 0};
        for (size_t r = 0; r < k->nresources; r++)
            if (k->resources[r].kust) {
                tops[n].key = k->resources[r].kust->dir;
                break;
            }
        n++;
    }
    qsort(tops, n, sizeof(*tops), top_cmp);
    size_t *start = xmalloc((n + 1) * sizeof(*start));
    struct group_job job = {rc, tops, start};
    pool_run(groups_make(all, tops, n, start), group_render, &job, threads);
    arena_thread_pack(1);   /* the pool's workers, the calling thread too, end packing */
    free(start);
    free(tops);
    for (size_t i = 0; i < all->len; i++) {
        struct kustomization *k = all->items[i];
        if (lists_only(k) && k->state == 0)
            pass_run(rc, k, NULL);
    }
    for (size_t i = 0; i < all->len; i++) {
        struct kustomization *k = all->items[i];
        arena_free(k->memo);   /* none is left when every includer took its copy */
        k->memo = NULL;
        vec_release(&k->memo_objs);
    }
}

/* The kustomizations of one scan root (arg: the thread count). */
static void render_root(struct model *m, void *arg)
{
    int threads = *(const int *)arg;
    struct render_ctx rc = {STRMAP_INIT, STRMAP_INIT, 0};
    struct vec all = VEC_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        strmap_put(&rc.units, u->file->path, u);
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            struct kustomization *k = u->kustomizations.items[j];
            strmap_put(&rc.kusts, k->dir, k);
            vec_push(&all, k);
        }
    }
    for (size_t i = 0; i < all.len; i++)
        entries_resolve(&rc, all.items[i]);
    /* Without a cycle the order changes nothing but the work: each kustomization renders
     * once (see render_once). With one, the folders render in path order and a base again
     * for each includer: the first in path order decides who reports the cycle. */
    rc.once = !cycle_any(&all);
    for (size_t i = 0; i < all.len; i++)
        ((struct kustomization *)all.items[i])->typed = 1;   /* render_once decides */
    arena_thread_pack(1);   /* the typed views go to the units' packed arenas */
    if (rc.once)
        render_once(&rc, &all, threads);
    for (size_t i = 0; i < all.len; i++) {
        struct kustomization *k = all.items[i];
        if (k->state == 0)
            pass_run(&rc, k, NULL);
    }
    arena_thread_pack(0);
    vec_release(&all);
    strmap_release(&rc.units);
    strmap_release(&rc.kusts);
}

void kustomize_render_all(struct model *m, int threads)
{
    model_for_each_root(m, render_root, &threads);
}

void kustomize_unit_release(struct unit *u)
{
    for (size_t i = 0; i < u->kustomizations.len; i++)
        vec_release(&((struct kustomization *)u->kustomizations.items[i])->objects);
}
