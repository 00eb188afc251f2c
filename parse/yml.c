/* YAML loading: libyaml's event stream turned into arena-allocated positioned nodes.
 * Aliases share the anchored node (no copies); each node's size after expansion is tracked
 * and what aliases add is bounded, so that an alias bomb stops instead of exhausting memory
 * or time in the walkers that later visit the tree. */
#include "yml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct yframe {
    struct ynode *node;
    struct vec kids;     /* map: key, value, key, value…; seq: items */
    size_t weight;       /* nodes below this one after alias expansion */
};

struct yload {
    struct arena *a;
    const char *path;
    struct findings *diags;
    struct yml_limits lim;
    struct yframe *stack;
    int depth, cap;
    int used;                   /* frames whose kids vector has been initialised */
    struct strmap anchors;      /* name -> struct ynode* (names live in the arena) */
    size_t expanded;            /* nodes that aliases added, over the whole file */
    int bomb_reported;
    int failed;
};

/* The expanded size of a node, kept in a side table keyed by the node pointer's address is
 * more than we need: store it in the arena just before the node instead. */
struct yweighted {
    size_t weight;
    struct ynode node;
};

static size_t node_weight(const struct ynode *n)
{
    const struct yweighted *w =
        (const struct yweighted *)((const char *)n - offsetof(struct yweighted, node));
    return w->weight;
}

static struct ynode *node_new(struct yload *ld, enum ynode_kind kind, const yaml_mark_t *m)
{
    struct yweighted *w = arena_alloc(ld->a, sizeof(*w));
    w->weight = 1;
    w->node.kind = kind;
    w->node.line = (int)m->line + 1;
    w->node.col = (int)m->column + 1;
    w->node.end_line = w->node.line;
    w->node.s = "";
    return &w->node;
}

static void diag(struct yload *ld, const char *rule, enum severity sev, size_t line, size_t col,
                 const char *msg)
{
    findings_add(ld->diags, finding_new(rule, sev, ld->path, (int)line, (int)col, "%s", msg));
}

static int is_null_plain(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static void anchor_set(struct yload *ld, const yaml_char_t *anchor, struct ynode *n)
{
    if (anchor)
        strmap_put(&ld->anchors, arena_strdup(ld->a, (const char *)anchor), n);
}

/* Adds a finished node to the innermost open container (or makes it the document root). */
static void attach(struct yload *ld, struct ydoc *doc, struct ynode *n, size_t weight,
                   const yaml_mark_t *m)
{
    if (ld->depth == 0) {
        if (!doc->root)
            doc->root = n;
        return;
    }
    struct yframe *f = &ld->stack[ld->depth - 1];
    (void)m;
    f->weight += weight;
    vec_push(&f->kids, n);
}

static int push(struct yload *ld, struct ynode *n, const yaml_mark_t *m)
{
    if (ld->depth >= ld->lim.max_depth) {
        char msg[96];
        snprintf(msg, sizeof(msg), "YAML nesting deeper than %d levels", ld->lim.max_depth);
        diag(ld, "parse-error", SEV_ERROR, m->line + 1, m->column + 1, msg);
        return -1;
    }
    if (ld->depth == ld->cap) {
        ld->cap = ld->cap ? ld->cap * 2 : 16;
        ld->stack = xrealloc(ld->stack, (size_t)ld->cap * sizeof(*ld->stack));
    }
    if (ld->depth == ld->used) {
        ld->stack[ld->depth].kids = (struct vec)VEC_INIT;
        ld->used++;
    }
    /* Each depth keeps its vector between containers: fewer allocations per node. */
    struct yframe *f = &ld->stack[ld->depth++];
    f->node = n;
    f->kids.len = 0;
    f->weight = 1;
    return 0;
}

static int key_eq(const struct ynode *a, const struct ynode *b)
{
    return a->kind == YN_SCALAR && b->kind == YN_SCALAR && a->len == b->len &&
           memcmp(a->s, b->s, a->len) == 0;
}

static int map_has(const struct ypair *pairs, size_t n, const struct ynode *key)
{
    for (size_t i = 0; i < n; i++)
        if (key_eq(pairs[i].key, key))
            return 1;
    return 0;
}

static int is_merge_key(const struct ynode *k)
{
    return k->kind == YN_SCALAR && !k->quoted && k->len == 2 && memcmp(k->s, "<<", 2) == 0;
}

static void report_duplicate(struct yload *ld, const struct ynode *k)
{
    char msg[200];
    snprintf(msg, sizeof(msg), "duplicate key '%.120s': YAML tools disagree on which value wins",
             k->s);
    diag(ld, "yaml-duplicate-key", SEV_WARNING, (size_t)k->line, (size_t)k->col, msg);
}

/* Reports each key written twice in a mapping and keeps only its last pair: the value the
 * Kubernetes API server decodes (its JSON decoder keeps the last), so every rule judges what
 * would run, never an earlier decoy (`privileged: false` above `privileged: true`). */
static void drop_duplicates(struct yload *ld, struct ypair *pairs, size_t *np)
{
    size_t n = *np, dropped = 0;
    unsigned char *drop = NULL;
    struct strmap seen = STRMAP_INIT;
    for (size_t i = 1; i < n; i++) {
        const struct ynode *k = pairs[i].key;
        if (k->kind != YN_SCALAR || is_merge_key(k))
            continue;
        size_t j = i;
        if (n <= 16) {
            /* Most mappings are small: comparing pairs costs less than building a map. */
            for (j = i; j-- > 0;)
                if ((!drop || !drop[j]) && key_eq(pairs[j].key, k))
                    break;
            if (j == (size_t)-1)
                j = i;
        } else {
            if (!seen.cap)
                for (size_t a = 0; a < i; a++)
                    if (pairs[a].key->kind == YN_SCALAR && !is_merge_key(pairs[a].key))
                        strmap_put(&seen, pairs[a].key->s, (void *)(a + 1));
            size_t at = (size_t)strmap_getn(&seen, k->s, k->len);
            strmap_put(&seen, k->s, (void *)(i + 1));
            if (at)
                j = at - 1;
        }
        if (j == i)
            continue;
        report_duplicate(ld, k);
        if (!drop)
            drop = xcalloc(n, 1);
        drop[j] = 1;
        dropped++;
    }
    strmap_release(&seen);
    if (!dropped)
        return;
    size_t out = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i])
            pairs[out++] = pairs[i];
    *np = out;
    free(drop);
}

/* Builds the pair array of a finished mapping, applying `<<` merge keys. */
static void map_finish(struct yload *ld, struct yframe *f)
{
    size_t npairs = f->kids.len / 2, extra = 0;
    for (size_t i = 0; i < npairs; i++) {
        struct ynode *k = f->kids.items[2 * i], *v = f->kids.items[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        if (v->kind == YN_MAP)
            extra += v->len;
        else if (v->kind == YN_SEQ)
            for (size_t j = 0; j < v->len; j++)
                if (v->items[j]->kind == YN_MAP)
                    extra += v->items[j]->len;
    }
    struct ypair *pairs = arena_alloc(ld->a, (npairs + extra) * sizeof(*pairs) + 1);
    size_t n = 0;
    for (size_t i = 0; i < npairs; i++) {
        struct ynode *k = f->kids.items[2 * i];
        if (is_merge_key(k) && extra)
            continue;
        pairs[n].key = k;
        pairs[n].val = f->kids.items[2 * i + 1];
        n++;
    }
    drop_duplicates(ld, pairs, &n);
    /* Merged maps: explicit keys win, then earlier merge sources over later ones. */
    for (size_t i = 0; extra && i < npairs; i++) {
        struct ynode *k = f->kids.items[2 * i], *v = f->kids.items[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        size_t nsrc = v->kind == YN_SEQ ? v->len : 1;
        for (size_t s = 0; s < nsrc; s++) {
            struct ynode *src = v->kind == YN_SEQ ? v->items[s] : v;
            if (src->kind != YN_MAP)
                continue;
            for (size_t j = 0; j < src->len; j++)
                if (!map_has(pairs, n, src->pairs[j].key))
                    pairs[n++] = src->pairs[j];
        }
    }
    f->node->pairs = pairs;
    f->node->len = n;
}

static void pop(struct yload *ld, struct ydoc *doc, const yaml_mark_t *end)
{
    struct yframe *f = &ld->stack[--ld->depth];
    struct ynode *n = f->node;
    n->end_line = (int)end->line + 1;
    if (n->kind == YN_MAP) {
        if (f->kids.len % 2)   /* cannot happen with a well-formed event stream */
            f->kids.len--;
        map_finish(ld, f);
    } else {
        n->items = arena_alloc(ld->a, f->kids.len * sizeof(*n->items) + 1);
        if (f->kids.len)
            memcpy(n->items, f->kids.items, f->kids.len * sizeof(*n->items));
        n->len = f->kids.len;
    }
    struct yweighted *w =
        (struct yweighted *)((char *)n - offsetof(struct yweighted, node));
    w->weight = f->weight;
    attach(ld, doc, n, f->weight, end);
}

static void syntax_error(struct yload *ld, const yaml_parser_t *p, const char *data, size_t len)
{
    char msg[300];
    yaml_mark_t reader_mark = {0, 0, 0};
    const yaml_mark_t *m = &p->problem_mark;
    if (p->error == YAML_READER_ERROR) {
        /* Encoding errors carry a byte offset only: count lines up to it. */
        size_t off = p->problem_offset < len ? p->problem_offset : len;
        for (size_t i = 0; i < off; i++) {
            if (data[i] == '\n') {
                reader_mark.line++;
                reader_mark.column = 0;
            } else {
                reader_mark.column++;
            }
        }
        m = &reader_mark;
    }
    if (p->context)
        snprintf(msg, sizeof(msg), "invalid YAML: %s %s", p->problem ? p->problem : "error",
                 p->context);
    else
        snprintf(msg, sizeof(msg), "invalid YAML: %s", p->problem ? p->problem : "error");
    if (p->error == YAML_MEMORY_ERROR)
        snprintf(msg, sizeof(msg), "invalid YAML: the parser ran out of memory");
    diag(ld, "parse-error", SEV_ERROR, m->line + 1, m->column + 1, msg);
}

static int handle_event(struct yload *ld, struct vec *docs, yaml_event_t *ev)
{
    struct ydoc *doc = docs->len ? docs->items[docs->len - 1] : NULL;
    struct ynode *n;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        doc = arena_alloc(ld->a, sizeof(*doc));
        doc->line = (int)ev->start_mark.line + 1;
        vec_push(docs, doc);
        return 0;
    case YAML_SCALAR_EVENT: {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n = node_new(ld, plain && is_null_plain(v, len) ? YN_NULL : YN_SCALAR, &ev->start_mark);
        n->s = arena_strndup(ld->a, v, len);
        n->len = n->kind == YN_NULL ? 0 : len;
        n->quoted = !plain;
        n->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                   ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        n->end_line = (int)ev->end_mark.line + 1;
        anchor_set(ld, ev->data.scalar.anchor, n);
        attach(ld, doc, n, 1, &ev->start_mark);
        return 0;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        struct ynode *target = strmap_get(&ld->anchors, name);
        const char *problem = target ? NULL : "undefined YAML alias '*%.120s'";
        /* Inside the node it names: sharing it would make a tree that contains itself. */
        for (int i = 0; target && i < ld->depth; i++)
            if (ld->stack[i].node == target)
                problem = "YAML alias '*%.120s' is inside the node it names, which would "
                          "contain itself; it stands for null";
        if (problem) {
            char msg[240];
            snprintf(msg, sizeof(msg), problem, name);
            diag(ld, "parse-error", SEV_ERROR, ev->start_mark.line + 1,
                 ev->start_mark.column + 1, msg);
            target = node_new(ld, YN_NULL, &ev->start_mark);
        }
        /* The bound is on what aliases add, not on the nodes written out: a mapping of a
         * million plain entries is large, not a bomb. */
        size_t weight = node_weight(target);
        if (ld->expanded + weight > ld->lim.max_nodes) {
            if (!ld->bomb_reported) {
                char msg[160];
                snprintf(msg, sizeof(msg),
                         "YAML alias expansion exceeds %zu nodes (an alias bomb?); the rest of "
                         "its aliases stand for null",
                         ld->lim.max_nodes);
                diag(ld, "parse-error", SEV_ERROR, ev->start_mark.line + 1,
                     ev->start_mark.column + 1, msg);
                ld->bomb_reported = 1;
            }
            target = node_new(ld, YN_NULL, &ev->start_mark);
            weight = 1;
        }
        ld->expanded += weight;
        attach(ld, doc, target, weight, &ev->start_mark);
        return 0;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        n = node_new(ld, is_map ? YN_MAP : YN_SEQ, &ev->start_mark);
        anchor_set(ld, is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor,
                   n);
        return push(ld, n, &ev->start_mark);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (ld->depth > 0)
            pop(ld, doc, &ev->end_mark);
        return 0;
    default:
        return 0;
    }
}

int yml_parse(struct yfile *out, struct arena *a, const char *path, const char *data,
              size_t len, struct findings *diags, const struct yml_limits *lim)
{
    struct yload ld = {.a = a, .path = path, .diags = diags};
    ld.lim.max_depth = lim && lim->max_depth ? lim->max_depth : 200;
    ld.lim.max_nodes = lim && lim->max_nodes ? lim->max_nodes : 2000000;
    struct vec docs = VEC_INIT;
    yaml_parser_t parser;
    int rc = 0;

    out->docs = NULL;
    out->ndocs = 0;
    if (!yaml_parser_initialize(&parser)) {
        diag(&ld, "parse-error", SEV_ERROR, 1, 1, "invalid YAML: cannot start the parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&ld, &parser, data, len);
            rc = -1;
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        int bad = handle_event(&ld, &docs, &ev);
        yaml_event_delete(&ev);
        if (bad) {
            rc = -1;
            break;
        }
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    /* After an error, close what is open so the partial document is still usable. */
    while (ld.depth > 0) {
        yaml_mark_t m = {0, 0, 0};
        struct ydoc *doc = docs.len ? docs.items[docs.len - 1] : NULL;
        if (!doc)
            break;
        m.line = (size_t)ld.stack[ld.depth - 1].node->line - 1;
        pop(&ld, doc, &m);
    }
    for (int i = 0; i < ld.used; i++)
        vec_release(&ld.stack[i].kids);
    free(ld.stack);
    strmap_release(&ld.anchors);

    out->docs = arena_alloc(a, docs.len * sizeof(*out->docs) + 1);
    for (size_t i = 0; i < docs.len; i++) {
        out->docs[i] = *(struct ydoc *)docs.items[i];
        if (out->docs[i].root && out->docs[i].root->kind == YN_NULL)
            out->docs[i].root = NULL; /* an empty document */
    }
    out->ndocs = docs.len;
    vec_release(&docs);
    return rc;
}

struct ynode *yml_get(const struct ynode *map, const char *key)
{
    const struct ypair *p = yml_get_pair(map, key);
    return p ? p->val : NULL;
}

const struct ypair *yml_get_pair(const struct ynode *map, const char *key)
{
    if (!map || map->kind != YN_MAP)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < map->len; i++) {
        const struct ynode *k = map->pairs[i].key;
        if (k->kind == YN_SCALAR && k->len == n && memcmp(k->s, key, n) == 0)
            return &map->pairs[i];
    }
    return NULL;
}

struct ynode *yml_path(const struct ynode *node, const char *dotted)
{
    char part[128];
    const struct ynode *cur = node;
    while (cur && *dotted) {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        if (n >= sizeof(part))
            return NULL;
        memcpy(part, dotted, n);
        part[n] = '\0';
        cur = yml_get(cur, part);
        dotted += n + (dot ? 1 : 0);
    }
    return (struct ynode *)cur;
}

const char *yml_str(const struct ynode *n)
{
    return n && n->kind == YN_SCALAR ? n->s : NULL;
}

int yml_bool(const struct ynode *n)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No",
                                     "NO",    "off",   "Off",   "OFF"};
    if (!n || n->kind != YN_SCALAR || n->quoted)
        return -1;
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        if (strcmp(n->s, yes[i]) == 0)
            return 1;
        if (strcmp(n->s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int yml_int(const struct ynode *n, long long *out)
{
    if (!n || n->kind != YN_SCALAR || n->quoted || !n->len)
        return -1;
    char *end = NULL;
    long long v = strtoll(n->s, &end, 10);
    if (!end || *end)
        return -1;
    *out = v;
    return 0;
}

int yml_is_map(const struct ynode *n)
{
    return n && n->kind == YN_MAP;
}

int yml_is_seq(const struct ynode *n)
{
    return n && n->kind == YN_SEQ;
}
