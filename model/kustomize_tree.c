/* Tree operations behind Kustomize rendering: copying positioned YAML trees with an origin
 * stamped into their lines, strategic-merge patches with Kubernetes' merge keys for the
 * common lists, and JSON 6902 add/replace/remove. Nodes live in the caller's arena. */
#include "kustomize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ynode *kz_tree_copy(struct arena *a, const struct ynode *n, int origin)
{
    if (!n)
        return NULL;
    struct ynode *c = arena_alloc(a, sizeof(*c));
    *c = *n;
    if (origin >= 0) {
        c->line = (origin << KZ_LINE_SHIFT) | (n->line & KZ_LINE_MASK);
        c->end_line = (origin << KZ_LINE_SHIFT) | (n->end_line & KZ_LINE_MASK);
    }
    if (n->kind == YN_SCALAR || n->kind == YN_NULL) {
        c->s = arena_strndup(a, n->s ? n->s : "", n->s ? n->len : 0);
    } else if (n->kind == YN_MAP) {
        c->pairs = arena_alloc(a, (n->len + 1) * sizeof(*c->pairs));
        for (size_t i = 0; i < n->len; i++) {
            c->pairs[i].key = kz_tree_copy(a, n->pairs[i].key, origin);
            c->pairs[i].val = kz_tree_copy(a, n->pairs[i].val, origin);
        }
    } else if (n->kind == YN_SEQ) {
        c->items = arena_alloc(a, (n->len + 1) * sizeof(*c->items));
        for (size_t i = 0; i < n->len; i++)
            c->items[i] = kz_tree_copy(a, n->items[i], origin);
    }
    return c;
}

struct ynode *kz_scalar_new(struct arena *a, const char *s, int line, int col)
{
    struct ynode *n = arena_alloc(a, sizeof(*n));
    n->kind = YN_SCALAR;
    n->line = n->end_line = line;
    n->col = col;
    n->quoted = 1;
    n->s = arena_strdup(a, s);
    n->len = strlen(s);
    return n;
}

static struct ynode *map_new(struct arena *a, int line, int col)
{
    struct ynode *n = arena_alloc(a, sizeof(*n));
    n->kind = YN_MAP;
    n->line = n->end_line = line;
    n->col = col;
    return n;
}

struct ynode *kz_map_set(struct arena *a, struct ynode *map, const char *key, struct ynode *val)
{
    for (size_t i = 0; i < map->len; i++) {
        const char *k = yml_str(map->pairs[i].key);
        if (k && strcmp(k, key) == 0) {
            map->pairs[i].val = val;
            return val;
        }
    }
    struct ypair *p = arena_alloc(a, (map->len + 2) * sizeof(*p));
    if (map->len)
        memcpy(p, map->pairs, map->len * sizeof(*p));
    p[map->len].key = kz_scalar_new(a, key, val ? val->line : map->line, val ? val->col : map->col);
    p[map->len].val = val;
    map->pairs = p;
    map->len++;
    map->kind = YN_MAP;
    return val;
}

int kz_map_del(struct ynode *map, const char *key)
{
    if (!yml_is_map(map))
        return 0;
    for (size_t i = 0; i < map->len; i++) {
        const char *k = yml_str(map->pairs[i].key);
        if (k && strcmp(k, key) == 0) {
            memmove(&map->pairs[i], &map->pairs[i + 1], (map->len - i - 1) * sizeof(*map->pairs));
            map->len--;
            return 1;
        }
    }
    return 0;
}

static void seq_push(struct arena *a, struct ynode *seq, struct ynode *item)
{
    struct ynode **items = arena_alloc(a, (seq->len + 2) * sizeof(*items));
    if (seq->len)
        memcpy(items, seq->items, seq->len * sizeof(*items));
    items[seq->len++] = item;
    seq->items = items;
}

static void seq_del(struct ynode *seq, size_t i)
{
    memmove(&seq->items[i], &seq->items[i + 1], (seq->len - i - 1) * sizeof(*seq->items));
    seq->len--;
}

/* The merge key of a list field, from Kubernetes' patch strategies; NULL: replace. */
static const char *merge_key_of(const char *field)
{
    static const char *const table[][2] = {
        {"containers", "name"},     {"initContainers", "name"}, {"ephemeralContainers", "name"},
        {"env", "name"},            {"volumes", "name"},        {"volumeMounts", "mountPath"},
        {"ports", "containerPort"}, {"imagePullSecrets", "name"}, {"hostAliases", "ip"},
        {"tolerations", "key"},
    };
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        if (strcmp(table[i][0], field) == 0)
            return table[i][1];
    return NULL;
}

static int is_delete_directive(const struct ynode *n)
{
    const char *d = yml_str(yml_get(n, "$patch"));
    return d && strcmp(d, "delete") == 0;
}

static int is_replace_directive(const struct ynode *n)
{
    const char *d = yml_str(yml_get(n, "$patch"));
    return d && strcmp(d, "replace") == 0;
}

/* Points `dst` key node at `src`'s position: a field the patch removed something from is
 * reported where the patch is (a limit only production drops is a finding at its patch). */
static void restamp(struct ynode *dst, const struct ynode *src, struct vec *moves)
{
    if (!dst || !src)
        return;
    if (moves) {
        vec_push(moves, (void *)(intptr_t)dst->line);
        vec_push(moves, (void *)(intptr_t)src->line);
    }
    dst->line = src->line;
    dst->col = src->col;
}

static int merge_list(struct arena *a, struct ynode *dst, const struct ynode *patch,
                      const char *key, struct vec *notes, struct vec *moves)
{
    int removed = 0;
    for (size_t i = 0; i < patch->len; i++) {
        const struct ynode *item = patch->items[i];
        const char *kv = yml_str(yml_get(item, key));
        if (!kv) {
            seq_push(a, dst, (struct ynode *)item);
            continue;
        }
        size_t j = 0;
        while (j < dst->len) {
            const char *dv = yml_str(yml_get(dst->items[j], key));
            if (dv && strcmp(dv, kv) == 0)
                break;
            j++;
        }
        if (j < dst->len) {
            if (is_delete_directive(item)) {
                seq_del(dst, j);
                removed++;
            } else if (kz_merge_strategic(a, dst->items[j], item, notes, moves) > 0) {
                const struct ypair *dk = yml_get_pair(dst->items[j], key);
                const struct ypair *pk = yml_get_pair(item, key);
                restamp(dk ? dk->key : NULL, pk ? pk->key : NULL, moves);
                removed++;
            }
        } else if (!is_delete_directive(item)) {
            /* A container the base does not have is added as written: a sidecar with its
             * image is usual; one without an image is a patch aimed at a container that is
             * not there (a typo in its name), which renders a container with no image. */
            if (notes && strcmp(key, "name") == 0 && !yml_get(item, "image") &&
                yml_get(item, "name"))
                vec_push(notes, xasprintf("patch names container '%s', which the base does not "
                                          "have; it renders as a new container with only the "
                                          "patch's fields and no image",
                                          kv));
            struct ynode *copy = kz_tree_copy(a, item, -1);
            kz_map_del(copy, "$patch");
            seq_push(a, dst, copy);
        }
    }
    return removed;
}

int kz_merge_strategic(struct arena *a, struct ynode *dst, const struct ynode *patch,
                       struct vec *notes, struct vec *moves)
{
    int removed = 0;
    if (!yml_is_map(dst) || !yml_is_map(patch))
        return 0;
    for (size_t i = 0; i < patch->len; i++) {
        const char *key = yml_str(patch->pairs[i].key);
        const struct ynode *pv = patch->pairs[i].val;
        if (!key || key[0] == '$')
            continue;   /* directives: $patch, $setElementOrder/…, $retainKeys, … */
        struct ynode *dv = yml_get(dst, key);
        if ((pv && pv->kind == YN_NULL) || (yml_is_map(pv) && is_delete_directive(pv))) {
            removed += kz_map_del(dst, key);   /* null or $patch: delete removes the field */
            continue;
        }
        int sub = 0;
        const char *mk = merge_key_of(key);
        if (yml_is_map(pv) && yml_is_map(dv) && !is_replace_directive(pv))
            sub = kz_merge_strategic(a, dv, pv, notes, moves);
        else if (mk && yml_is_seq(pv) && yml_is_seq(dv))
            sub = merge_list(a, dv, pv, mk, notes, moves);
        else
            goto replace;
        if (sub > 0) {
            const struct ypair *dp = yml_get_pair(dst, key);
            restamp(dp ? dp->key : NULL, patch->pairs[i].key, moves);
            removed += sub;
        }
        continue;
    replace:;
        struct ynode *copy = kz_tree_copy(a, pv, -1);
        if (yml_is_map(copy))
            kz_map_del(copy, "$patch");
        kz_map_set(a, dst, key, copy);
    }
    return removed;
}

/* ---- JSON 6902 ---- */

/* Decodes one JSON pointer token (~1 is '/', ~0 is '~') into a heap string. */
static char *pointer_token(const char *s, size_t n)
{
    char *t = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
            t[o++] = s[i + 1] == '1' ? '/' : '~';
            i++;
        } else {
            t[o++] = s[i];
        }
    }
    t[o] = '\0';
    return t;
}

static int seq_index(const struct ynode *seq, const char *tok, size_t *out)
{
    char *end = NULL;
    if (!*tok || (tok[0] == '0' && tok[1]))
        return -1;
    unsigned long v = strtoul(tok, &end, 10);
    if (*end || v > seq->len)
        return -1;
    *out = v;
    return 0;
}

static struct ynode *child(struct ynode *n, const char *tok)
{
    if (yml_is_map(n))
        return yml_get(n, tok);
    size_t i;
    if (yml_is_seq(n) && seq_index(n, tok, &i) == 0 && i < n->len)
        return n->items[i];
    return NULL;
}

static int apply_op(struct arena *a, struct ynode *dst, const char *op, const char *path,
                    const struct ynode *value)
{
    if (path[0] != '/')
        return -1;
    struct ynode *parent = dst;
    const char *p = path + 1;
    char *tok = NULL;
    int rc = -1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        free(tok);
        tok = pointer_token(p, n);
        if (!slash)
            break;
        struct ynode *next = child(parent, tok);
        /* An add under a mapping that is not there yet creates it, as kustomize does
         * (`add /metadata/annotations/x` on an object without annotations). */
        if (!next && strcmp(op, "add") == 0 && yml_is_map(parent)) {
            next = map_new(a, value ? value->line : parent->line, value ? value->col : 1);
            kz_map_set(a, parent, tok, next);
        }
        parent = next;
        if (!parent)
            goto out;
        p = slash + 1;
    }
    int is_add = strcmp(op, "add") == 0, is_replace = strcmp(op, "replace") == 0;
    if (strcmp(op, "remove") == 0) {
        size_t i;
        if (yml_is_map(parent))
            rc = kz_map_del(parent, tok) ? 0 : -1;
        else if (yml_is_seq(parent) && seq_index(parent, tok, &i) == 0 && i < parent->len) {
            seq_del(parent, i);
            rc = 0;
        }
        goto out;
    }
    if ((!is_add && !is_replace) || !value)
        goto out;
    struct ynode *copy = kz_tree_copy(a, value, -1);
    if (yml_is_map(parent)) {
        if (is_replace && !yml_get(parent, tok))
            goto out;
        kz_map_set(a, parent, tok, copy);
        rc = 0;
    } else if (yml_is_seq(parent)) {
        size_t i;
        if (is_add && strcmp(tok, "-") == 0) {
            seq_push(a, parent, copy);
            rc = 0;
        } else if (seq_index(parent, tok, &i) == 0) {
            if (is_replace && i < parent->len) {
                parent->items[i] = copy;
                rc = 0;
            } else if (is_add) {
                seq_push(a, parent, copy);
                memmove(&parent->items[i + 1], &parent->items[i],
                        (parent->len - 1 - i) * sizeof(*parent->items));
                parent->items[i] = copy;
                rc = 0;
            }
        }
    }
out:
    free(tok);
    return rc;
}

int kz_apply_json6902(struct arena *a, struct ynode *dst, const struct ynode *ops, char **why)
{
    int rc = 0;
    *why = NULL;
    if (!yml_is_seq(ops)) {
        *why = xstrdup("a JSON 6902 patch must be a list of operations");
        return -1;
    }
    for (size_t i = 0; i < ops->len; i++) {
        const char *op = yml_str(yml_get(ops->items[i], "op"));
        const char *path = yml_str(yml_get(ops->items[i], "path"));
        if (!op || !path || apply_op(a, dst, op, path, yml_get(ops->items[i], "value")) != 0) {
            if (!*why)
                *why = xasprintf("cannot apply '%s %s': the path does not exist in the target "
                                 "or the operation is not add, replace or remove",
                                 op ? op : "?", path ? path : "?");
            rc = -1;
        }
    }
    return rc;
}

struct ynode *kz_map_new(struct arena *a, int line, int col)
{
    return map_new(a, line, col);
}
