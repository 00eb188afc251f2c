/* HCL loader: runs the tree-sitter HCL grammar over a file and converts its concrete syntax
 * tree into arena data (blocks, attributes, typed literal values, source text of the rest),
 * then frees the tree. Syntax errors become parse-error findings and the walk goes on
 * through the ERROR nodes, so the blocks around a mistake are still modelled. */
#include "hcl.h"

#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_hcl(void);

#define HCL_MAX_DEPTH 200 /* nesting bound: deeper expressions stay unknown */
#define HCL_MAX_ERRORS 20 /* parse-error findings per file */

struct hst {
    struct arena *a;   /* the caller's arena: the result */
    struct arena *tmp; /* child arrays, freed at the end */
    const char *src;
    size_t len;
    const char *path;
    struct findings *diags;
    int errors;
};

static int node_is(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

/* The node's children (named only when `named`), in a scratch array. */
static size_t node_kids(struct hst *st, TSNode n, int named, TSNode **out)
{
    uint32_t cnt = ts_node_child_count(n);
    TSNode *k = arena_alloc(st->tmp, (cnt ? cnt : 1) * sizeof(*k));
    size_t m = 0;
    if (cnt) {
        TSTreeCursor c = ts_tree_cursor_new(n);
        if (ts_tree_cursor_goto_first_child(&c)) {
            do {
                TSNode ch = ts_tree_cursor_current_node(&c);
                if (!named || ts_node_is_named(ch))
                    k[m++] = ch;
            } while (ts_tree_cursor_goto_next_sibling(&c));
        }
        ts_tree_cursor_delete(&c);
    }
    *out = k;
    return m;
}

static const char *node_text(struct hst *st, TSNode n)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > st->len)
        e = (uint32_t)st->len;
    if (s > e)
        s = e;
    return arena_strndup(st->a, st->src + s, e - s);
}

static void node_pos(TSNode n, int *line, int *col)
{
    TSPoint p = ts_node_start_point(n);
    *line = (int)p.row + 1;
    *col = (int)p.column + 1;
}

/* Escape letter and what it stands for. */
static const char escapes[][2] = {{'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'"', '"'}, {'\\', '\\'}};

/* Unescapes the inside of a quoted HCL string literal. */
static const char *unescape(struct hst *st, const char *s, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            size_t k = 0;
            while (k < ARRAY_LEN(escapes) && escapes[k][0] != e)
                k++;
            if (k < ARRAY_LEN(escapes)) {
                sb_addc(&sb, escapes[k][1]);
            } else { /* \uNNNN and the unknown stay as written */
                sb_addc(&sb, '\\');
                sb_addc(&sb, e);
            }
        } else if ((c == '$' || c == '%') && i + 2 < n && s[i + 1] == c && s[i + 2] == '{') {
            sb_addc(&sb, c); /* $${ and %%{ are literal ${ and %{ */
            sb_addc(&sb, '{');
            i += 2;
        } else {
            sb_addc(&sb, c);
        }
    }
    const char *r = arena_strndup(st->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static struct hcl_value *value_new(struct hst *st, TSNode n, enum hcl_kind k)
{
    struct hcl_value *v = arena_alloc(st->a, sizeof(*v));
    v->kind = k;
    node_pos(n, &v->line, &v->col);
    v->text = node_text(st, n);
    return v;
}

static struct hcl_value *expr_convert(struct hst *st, TSNode n, int depth);

/* A string_lit: quoted text without interpolation. */
static struct hcl_value *string_convert(struct hst *st, TSNode n)
{
    struct hcl_value *v = value_new(st, n, HV_STRING);
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > st->len)
        e = (uint32_t)st->len;
    if (e - s >= 2 && st->src[s] == '"' && st->src[e - 1] == '"')
        v->str = unescape(st, st->src + s + 1, e - s - 2);
    else
        v->str = unescape(st, st->src + s, e - s);
    return v;
}

/* The body of a heredoc without interpolation: the lines between the opening and closing
 * markers; `<<-` removes the indentation common to every non-blank line. */
static const char *heredoc_body(struct hst *st, TSNode n, int strip)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    const char *nl = memchr(st->src + s, '\n', e - s);
    if (!nl)
        return "";
    const char *b = nl + 1, *end = st->src + e;
    /* Back up to the start of the closing marker's line. */
    while (end > b && end[-1] != '\n')
        end--;
    size_t ind = (size_t)-1;
    if (strip) {
        for (const char *p = b; p < end;) {
            const char *q = memchr(p, '\n', (size_t)(end - p));
            const char *le = q ? q : end;
            size_t i = 0;
            while (p + i < le && (p[i] == ' ' || p[i] == '\t'))
                i++;
            if (p + i < le && i < ind)
                ind = i;
            p = q ? q + 1 : end;
        }
    }
    if (ind == (size_t)-1)
        ind = 0;
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = b; p < end;) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        const char *le = q ? q + 1 : end;
        size_t skip = 0;
        while (skip < ind && p + skip < le && (p[skip] == ' ' || p[skip] == '\t'))
            skip++;
        sb_add(&sb, p + skip, (size_t)(le - p - skip));
        p = le;
    }
    const char *r = arena_strndup(st->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* quoted_template / heredoc_template. */
static struct hcl_value *template_convert(struct hst *st, TSNode n, int depth)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    size_t interp = 0, lits = 0, directives = 0;
    TSNode last_interp = n;
    int heredoc = node_is(n, "heredoc_template"), strip = 0;
    for (size_t i = 0; i < m; i++) {
        const char *t = ts_node_type(k[i]);
        if (strcmp(t, "template_interpolation") == 0) {
            interp++;
            last_interp = k[i];
        } else if (strcmp(t, "template_literal") == 0) {
            lits++;
        } else if (strcmp(t, "template_directive") == 0) {
            directives++;
        } else if (strcmp(t, "heredoc_start") == 0) {
            uint32_t s = ts_node_start_byte(k[i]), e = ts_node_end_byte(k[i]);
            strip = memchr(st->src + s, '-', e - s) != NULL;
        }
    }
    if (!heredoc && interp == 1 && lits == 0 && directives == 0) {
        /* "${expr}" is the expression itself. */
        TSNode *ik;
        size_t im = node_kids(st, last_interp, 1, &ik);
        for (size_t i = 0; i < im; i++)
            if (node_is(ik[i], "expression"))
                return expr_convert(st, ik[i], depth + 1);
    }
    if (interp || directives) {
        struct hcl_value *v = value_new(st, n, HV_TEMPLATE);
        v->str = v->text;
        return v;
    }
    struct hcl_value *v = value_new(st, n, HV_STRING);
    if (heredoc) {
        v->str = heredoc_body(st, n, strip);
    } else {
        uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
        v->str = e - s >= 2 ? unescape(st, st->src + s + 1, e - s - 2) : "";
    }
    return v;
}

static struct hcl_value *tuple_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_value *v = value_new(st, n, HV_LIST);
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    v->items = arena_alloc(st->a, (m ? m : 1) * sizeof(*v->items));
    for (size_t i = 0; i < m; i++)
        if (node_is(k[i], "expression"))
            v->items[v->n++] = expr_convert(st, k[i], depth + 1);
    return v;
}

/* An object key: a bare identifier or a string is its name; anything else its text. */
static const char *key_text(struct hst *st, TSNode key, int depth)
{
    struct hcl_value *kv = expr_convert(st, key, depth + 1);
    if (kv->kind == HV_STRING)
        return kv->str;
    return kv->text;
}

static struct hcl_value *object_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_value *v = value_new(st, n, HV_MAP);
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    v->items = arena_alloc(st->a, (m ? m : 1) * sizeof(*v->items));
    v->keys = arena_alloc(st->a, (m ? m : 1) * sizeof(*v->keys));
    for (size_t i = 0; i < m; i++) {
        if (!node_is(k[i], "object_elem"))
            continue;
        TSNode key = ts_node_child_by_field_name(k[i], "key", 3);
        TSNode val = ts_node_child_by_field_name(k[i], "val", 3);
        if (ts_node_is_null(key) || ts_node_is_null(val))
            continue;
        v->keys[v->n] = key_text(st, key, depth);
        v->items[v->n++] = expr_convert(st, val, depth + 1);
    }
    return v;
}

static struct hcl_value *call_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_value *v = value_new(st, n, HV_CALL);
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    v->str = "";
    for (size_t i = 0; i < m; i++) {
        if (node_is(k[i], "identifier")) {
            v->str = node_text(st, k[i]);
        } else if (node_is(k[i], "function_arguments")) {
            TSNode *ak;
            size_t am = node_kids(st, k[i], 1, &ak);
            v->items = arena_alloc(st->a, (am ? am : 1) * sizeof(*v->items));
            for (size_t j = 0; j < am; j++)
                if (node_is(ak[j], "expression"))
                    v->items[v->n++] = expr_convert(st, ak[j], depth + 1);
        }
    }
    return v;
}

static struct hcl_value *literal_convert(struct hst *st, TSNode n)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m == 0)
        return value_new(st, n, HV_UNKNOWN);
    TSNode c = k[0];
    if (node_is(c, "string_lit"))
        return string_convert(st, c);
    if (node_is(c, "numeric_lit")) {
        struct hcl_value *v = value_new(st, n, HV_NUMBER);
        v->num = strtod(v->text, NULL);
        return v;
    }
    if (node_is(c, "bool_lit")) {
        struct hcl_value *v = value_new(st, n, HV_BOOL);
        v->b = strcmp(v->text, "true") == 0;
        return v;
    }
    if (node_is(c, "null_lit"))
        return value_new(st, n, HV_NULL);
    return value_new(st, n, HV_UNKNOWN);
}

/* `-5` is a number; other operations are unknown. */
static struct hcl_value *operation_convert(struct hst *st, TSNode n, int depth)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m == 1 && node_is(k[0], "unary_operation")) {
        TSNode *u;
        size_t um = node_kids(st, k[0], 1, &u);
        TSNode first = ts_node_child(k[0], 0);
        if (um == 1 && !ts_node_is_null(first) && strcmp(ts_node_type(first), "-") == 0) {
            struct hcl_value *inner = expr_convert(st, u[0], depth + 1);
            if (inner->kind == HV_NUMBER) {
                struct hcl_value *v = value_new(st, n, HV_NUMBER);
                v->num = -inner->num;
                return v;
            }
        }
    }
    return value_new(st, n, HV_UNKNOWN);
}

static struct hcl_value *expr_convert(struct hst *st, TSNode n, int depth)
{
    if (depth > HCL_MAX_DEPTH)
        return value_new(st, n, HV_UNKNOWN);
    const char *t = ts_node_type(n);
    if (strcmp(t, "expression") == 0) {
        TSNode *k;
        size_t m = node_kids(st, n, 1, &k);
        size_t real = 0;
        TSNode first = n;
        for (size_t i = 0; i < m; i++) {
            if (node_is(k[i], "comment"))
                continue;
            if (real++ == 0)
                first = k[i];
        }
        if (real == 0)
            return value_new(st, n, HV_UNKNOWN);
        if (node_is(first, "variable_expr")) {
            struct hcl_value *v = value_new(st, n, HV_REF);
            v->str = v->text;
            return v;
        }
        if (real == 1)
            return expr_convert(st, first, depth + 1);
        return value_new(st, n, HV_UNKNOWN); /* a call or collection followed by .attr or [i] */
    }
    if (strcmp(t, "literal_value") == 0)
        return literal_convert(st, n);
    if (strcmp(t, "string_lit") == 0)
        return string_convert(st, n);
    if (strcmp(t, "collection_value") == 0 || strcmp(t, "template_expr") == 0) {
        TSNode *k;
        size_t m = node_kids(st, n, 1, &k);
        if (m >= 1)
            return expr_convert(st, k[0], depth + 1);
        return value_new(st, n, HV_UNKNOWN);
    }
    if (strcmp(t, "quoted_template") == 0 || strcmp(t, "heredoc_template") == 0)
        return template_convert(st, n, depth);
    if (strcmp(t, "tuple") == 0)
        return tuple_convert(st, n, depth);
    if (strcmp(t, "object") == 0)
        return object_convert(st, n, depth);
    if (strcmp(t, "function_call") == 0)
        return call_convert(st, n, depth);
    if (strcmp(t, "variable_expr") == 0) {
        struct hcl_value *v = value_new(st, n, HV_REF);
        v->str = v->text;
        return v;
    }
    if (strcmp(t, "operation") == 0)
        return operation_convert(st, n, depth);
    return value_new(st, n, HV_UNKNOWN);
}

static void error_report(struct hst *st, TSNode n)
{
    if (st->errors++ >= HCL_MAX_ERRORS)
        return;
    int line, col;
    node_pos(n, &line, &col);
    if (ts_node_is_missing(n))
        findings_add(st->diags, finding_new("parse-error", SEV_ERROR, st->path, line, col,
                                            "HCL syntax error: missing '%s'", ts_node_type(n)));
    else
        findings_add(st->diags, finding_new("parse-error", SEV_ERROR, st->path, line, col,
                                            "HCL syntax error: unexpected input"));
}

/* Reports every ERROR and MISSING node below `n` (outermost only for ERROR). */
static void errors_find(struct hst *st, TSNode n, int depth)
{
    if (ts_node_is_missing(n) || ts_node_is_error(n)) {
        error_report(st, n);
        if (ts_node_is_error(n))
            return;
    }
    if (!ts_node_has_error(n) || depth > HCL_MAX_DEPTH)
        return;
    TSNode *k;
    size_t m = node_kids(st, n, 0, &k);
    for (size_t i = 0; i < m; i++)
        errors_find(st, k[i], depth + 1);
}

struct body_acc {
    struct vec attrs, blocks;
};

static struct hcl_block *block_convert(struct hst *st, TSNode n, int depth);

static void attr_add(struct hst *st, struct body_acc *acc, TSNode n, int depth)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m < 2 || !node_is(k[0], "identifier"))
        return;
    struct hcl_attr *at = arena_alloc(st->a, sizeof(*at));
    at->name = node_text(st, k[0]);
    node_pos(n, &at->line, &at->col);
    at->value = expr_convert(st, k[m - 1], depth + 1);
    vec_push(&acc->attrs, at);
}

/* Collects attributes and blocks of a body; inside an ERROR node, whatever whole
 * attributes and blocks tree-sitter recovered are kept. */
static void body_walk(struct hst *st, struct body_acc *acc, TSNode n, int depth)
{
    if (depth > HCL_MAX_DEPTH)
        return;
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    for (size_t i = 0; i < m; i++) {
        const char *t = ts_node_type(k[i]);
        if (strcmp(t, "attribute") == 0)
            attr_add(st, acc, k[i], depth);
        else if (strcmp(t, "block") == 0)
            vec_push(&acc->blocks, block_convert(st, k[i], depth + 1));
        else if (strcmp(t, "body") == 0 || strcmp(t, "ERROR") == 0)
            body_walk(st, acc, k[i], depth + 1);
    }
}

static void body_store(struct hst *st, struct hcl_block *b, struct body_acc *acc)
{
    b->nattrs = acc->attrs.len;
    b->attrs = arena_alloc(st->a, (b->nattrs ? b->nattrs : 1) * sizeof(*b->attrs));
    if (b->nattrs)
        memcpy(b->attrs, acc->attrs.items, b->nattrs * sizeof(*b->attrs));
    b->nblocks = acc->blocks.len;
    b->blocks = arena_alloc(st->a, (b->nblocks ? b->nblocks : 1) * sizeof(*b->blocks));
    if (b->nblocks)
        memcpy(b->blocks, acc->blocks.items, b->nblocks * sizeof(*b->blocks));
    vec_release(&acc->attrs);
    vec_release(&acc->blocks);
}

static struct hcl_block *block_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_block *b = arena_alloc(st->a, sizeof(*b));
    struct body_acc acc = {VEC_INIT, VEC_INIT};
    struct vec labels = VEC_INIT;
    node_pos(n, &b->line, &b->col);
    b->end_line = (int)ts_node_end_point(n).row + 1;
    b->type = "";
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    for (size_t i = 0; i < m; i++) {
        const char *t = ts_node_type(k[i]);
        if (strcmp(t, "identifier") == 0) {
            if (i == 0)
                b->type = node_text(st, k[i]);
            else
                vec_push(&labels, (void *)node_text(st, k[i]));
        } else if (strcmp(t, "string_lit") == 0) {
            vec_push(&labels, (void *)string_convert(st, k[i])->str);
        } else if (strcmp(t, "body") == 0 || strcmp(t, "ERROR") == 0) {
            body_walk(st, &acc, k[i], depth + 1);
        }
    }
    b->nlabels = labels.len;
    b->labels = arena_alloc(st->a, (labels.len ? labels.len : 1) * sizeof(*b->labels));
    for (size_t i = 0; i < labels.len; i++)
        b->labels[i] = labels.items[i];
    vec_release(&labels);
    body_store(st, b, &acc);
    return b;
}

/* A line that starts a top-level statement: Terraform puts those in column 0, and nested
 * content is indented, so after a syntax error each such line starts a fresh parse. */
static int line_starts_statement(const char *p, const char *end)
{
    return p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '}' &&
           *p != ']' && *p != ')';
}

/* After a syntax error, tree-sitter's recovery may swallow everything that follows: parse
 * each top-level statement on its own (an included range of the whole text, so positions
 * stay those of the file) and keep every statement that parses. */
static void chunks_parse(struct hst *st, TSParser *p, struct body_acc *acc)
{
    const char *data = st->src, *end = st->src + st->len;
    const char *start = data;
    uint32_t start_row = 0, row = 0;
    for (const char *q = data;;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *next = nl ? nl + 1 : end;
        row++;
        if (next >= end || line_starts_statement(next, end)) {
            TSPoint stop = {row, 0};
            if (!nl) /* the last line has no newline: the range ends inside it */
                stop = (TSPoint){row - 1, (uint32_t)(end - q)};
            TSRange r = {{start_row, 0}, stop, (uint32_t)(start - data), (uint32_t)(next - data)};
            if (next > start && ts_parser_set_included_ranges(p, &r, 1)) {
                TSTree *t = ts_parser_parse_string(p, NULL, data, (uint32_t)st->len);
                if (t) {
                    TSNode root = ts_tree_root_node(t);
                    if (ts_node_has_error(root) || ts_node_is_error(root))
                        errors_find(st, root, 0);
                    body_walk(st, acc, root, 0);
                    ts_tree_delete(t);
                }
            }
            start = next;
            start_row = row;
        }
        if (next >= end)
            break;
        q = next;
    }
    ts_parser_set_included_ranges(p, NULL, 0);
}

void hcl_parse(struct hcl_file *out, struct arena *a, const char *path, const char *data,
               size_t len, struct findings *diags)
{
    struct hst st = {a, arena_new(), data, len, path, diags, 0};
    TSParser *p = ts_parser_new();
    TSTree *tree = NULL;
    struct body_acc acc = {VEC_INIT, VEC_INIT};

    memset(out, 0, sizeof(*out));
    out->root = arena_alloc(a, sizeof(*out->root));
    out->root->type = "";
    out->root->line = out->root->col = 1;
    if (len > UINT32_MAX || !ts_parser_set_language(p, tree_sitter_hcl()))
        goto out;
    tree = ts_parser_parse_string(p, NULL, data, (uint32_t)len);
    if (!tree)
        goto out;
    TSNode root = ts_tree_root_node(tree);
    out->root->end_line = (int)ts_node_end_point(root).row + 1;
    if (ts_node_has_error(root) || ts_node_is_error(root))
        chunks_parse(&st, p, &acc);
    else
        body_walk(&st, &acc, root, 0);
out:
    body_store(&st, out->root, &acc);
    out->errors = st.errors;
    if (tree)
        ts_tree_delete(tree);
    ts_parser_delete(p);
    arena_free(st.tmp);
}

const struct hcl_attr *hcl_attr_get(const struct hcl_block *b, const char *name)
{
    if (!b)
        return NULL;
    for (size_t i = b->nattrs; i-- > 0;)
        if (strcmp(b->attrs[i]->name, name) == 0)
            return b->attrs[i];
    return NULL;
}

const struct hcl_value *hcl_value_eval(const struct hcl_value *v)
{
    for (int i = 0; v && v->kind == HV_REF && v->resolved && i < 16; i++)
        v = v->resolved;
    return v;
}

const struct hcl_value *hcl_value_get(const struct hcl_block *b, const char *name)
{
    const struct hcl_attr *at = hcl_attr_get(b, name);
    return at ? hcl_value_eval(at->value) : NULL;
}

const struct hcl_value *hcl_map_get(const struct hcl_value *v, const char *key)
{
    if (!v || v->kind != HV_MAP)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->items[i];
    return NULL;
}

const struct hcl_block *hcl_block_child(const struct hcl_block *b, const char *type)
{
    if (!b)
        return NULL;
    for (size_t i = 0; i < b->nblocks; i++)
        if (strcmp(b->blocks[i]->type, type) == 0)
            return b->blocks[i];
    return NULL;
}
