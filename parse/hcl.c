/* HCL loader: runs the tree-sitter HCL grammar over a file and converts its concrete syntax
 * tree into arena data (blocks, attributes, typed literal values, source text of the rest),
 * then frees the tree. Syntax errors become parse-error findings and the walk goes on
 * through the ERROR nodes, so the blocks around a mistake are still modelled. */
#include "hcl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_hcl(void);

#define HCL_MAX_DEPTH 200 /* nesting bound: deeper expressions stay unknown */
#define HCL_MAX_ERRORS 20 /* parse-error findings per file */
#define HCL_TMP_KEEP (256 * 1024) /* scratch bytes kept across top-level statements */

/* The node types the walk tells apart, by grammar symbol (see sym_code). */
enum code {
    C_OTHER = 0, C_ERROR, C_EXPRESSION, C_COMMENT, C_VARIABLE_EXPR, C_LITERAL_VALUE,
    C_STRING_LIT, C_COLLECTION_VALUE, C_TEMPLATE_EXPR, C_QUOTED_TEMPLATE, C_HEREDOC_TEMPLATE,
    C_TUPLE, C_OBJECT, C_FUNCTION_CALL, C_OPERATION, C_NUMERIC_LIT, C_BOOL_LIT, C_NULL_LIT,
    C_UNARY_OPERATION, C_TEMPLATE_INTERPOLATION, C_TEMPLATE_LITERAL, C_TEMPLATE_DIRECTIVE,
    C_HEREDOC_START, C_OBJECT_ELEM, C_IDENTIFIER, C_FUNCTION_ARGUMENTS, C_ATTRIBUTE, C_BLOCK,
    C_BODY,
};

static const char *const code_names[] = {
    [C_ERROR] = "ERROR", [C_EXPRESSION] = "expression", [C_COMMENT] = "comment",
    [C_VARIABLE_EXPR] = "variable_expr", [C_LITERAL_VALUE] = "literal_value",
    [C_STRING_LIT] = "string_lit", [C_COLLECTION_VALUE] = "collection_value",
    [C_TEMPLATE_EXPR] = "template_expr", [C_QUOTED_TEMPLATE] = "quoted_template",
    [C_HEREDOC_TEMPLATE] = "heredoc_template", [C_TUPLE] = "tuple", [C_OBJECT] = "object",
    [C_FUNCTION_CALL] = "function_call", [C_OPERATION] = "operation",
    [C_NUMERIC_LIT] = "numeric_lit", [C_BOOL_LIT] = "bool_lit", [C_NULL_LIT] = "null_lit",
    [C_UNARY_OPERATION] = "unary_operation",
    [C_TEMPLATE_INTERPOLATION] = "template_interpolation",
    [C_TEMPLATE_LITERAL] = "template_literal", [C_TEMPLATE_DIRECTIVE] = "template_directive",
    [C_HEREDOC_START] = "heredoc_start", [C_OBJECT_ELEM] = "object_elem",
    [C_IDENTIFIER] = "identifier", [C_FUNCTION_ARGUMENTS] = "function_arguments",
    [C_ATTRIBUTE] = "attribute", [C_BLOCK] = "block", [C_BODY] = "body",
};

/* Built once: the code of every grammar symbol (by its name, as ts_node_type gives it), and
 * the key under which each thread keeps its parser. */
static unsigned char *sym_code;
static uint32_t sym_count;
static TSFieldId field_key, field_val;
static pthread_key_t parser_key;
static pthread_once_t hcl_once = PTHREAD_ONCE_INIT;

static void parser_free(void *p)
{
    ts_parser_delete(p);
}

static void hcl_setup(void)
{
    /* Before the first parser: every block tree-sitter (and the grammar's scanner, see
     * tools/hcl_scanner.c) allocates from here on comes from the slab allocator. */
    ts_set_allocator(slab_malloc, slab_calloc, slab_realloc, slab_free);
    const TSLanguage *lang = tree_sitter_hcl();
    sym_count = ts_language_symbol_count(lang);
    sym_code = xcalloc(sym_count ? sym_count : 1, 1);
    for (uint32_t s = 0; s < sym_count; s++) {
        const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
        for (size_t c = 1; name && c < ARRAY_LEN(code_names); c++)
            if (strcmp(name, code_names[c]) == 0)
                sym_code[s] = (unsigned char)c;
    }
    field_key = ts_language_field_id_for_name(lang, "key", 3);
    field_val = ts_language_field_id_for_name(lang, "val", 3);
    pthread_key_create(&parser_key, parser_free);
}

/* The calling thread's parser, made on first use and deleted when the thread exits. */
static TSParser *parser_get(void)
{
    pthread_once(&hcl_once, hcl_setup);
    TSParser *p = pthread_getspecific(parser_key);
    if (!p) {
        p = ts_parser_new();
        if (!ts_parser_set_language(p, tree_sitter_hcl())) {
            ts_parser_delete(p);
            return NULL;
        }
        pthread_setspecific(parser_key, p);
    }
    return p;
}

struct hst {
    struct arena *a;   /* the caller's arena: the result */
    struct arena *tmp; /* child arrays and throw-away values, freed at the end */
    const char *src;
    size_t len;
    const char *path;
    struct findings *diags;
    int errors;
    int scratch;        /* > 0: values are made in tmp (an object key, a negated number) */
    TSTreeCursor cur;   /* reused by node_kids */
    int has_cur;
    struct interned *strs; /* the file's distinct strings, open addressing */
    size_t nstrs, cap;
    uint64_t spent_from;   /* slab_thread_bytes() when the parse began */
    uint64_t budget;       /* what the parses of this file may ask of the slab in all */
    int over;              /* a parse was stopped: the budget is spent */
};

/* A string kept in the result: each distinct one is stored once per file. */
struct interned {
    const char *s;
    uint32_t len, hash;
};

/* A value made while st->scratch: it remembers its node's source span. */
struct scratch_value {
    struct hcl_value v;
    uint32_t s, e;
};

static enum code node_code(TSNode n)
{
    TSSymbol s = ts_node_symbol(n);
    if (s == (TSSymbol)-1)
        return C_ERROR;
    return s < sym_count ? (enum code)sym_code[s] : C_OTHER;
}

static int node_is(TSNode n, enum code c)
{
    return node_code(n) == c;
}

/* Where values and their strings go: the result, or scratch while st->scratch. */
static struct arena *out_arena(struct hst *st)
{
    return st->scratch ? st->tmp : st->a;
}

/* The node's children (named only when `named`), in a scratch array. */
static size_t node_kids(struct hst *st, TSNode n, int named, TSNode **out)
{
    uint32_t cnt = ts_node_child_count(n);
    TSNode *k = arena_alloc(st->tmp, (cnt ? cnt : 1) * sizeof(*k));
    size_t m = 0;
    if (cnt) {
        if (st->has_cur) {
            ts_tree_cursor_reset(&st->cur, n);
        } else {
            st->cur = ts_tree_cursor_new(n);
            st->has_cur = 1;
        }
        if (ts_tree_cursor_goto_first_child(&st->cur)) {
            do {
                TSNode ch = ts_tree_cursor_current_node(&st->cur);
                if (!named || ts_node_is_named(ch))
                    k[m++] = ch;
            } while (ts_tree_cursor_goto_next_sibling(&st->cur));
        }
    }
    *out = k;
    return m;
}

/* The node's source span, clamped to the text. */
static void node_span(const struct hst *st, TSNode n, uint32_t *s, uint32_t *e)
{
    *s = ts_node_start_byte(n);
    *e = ts_node_end_byte(n);
    if (*e > st->len)
        *e = (uint32_t)st->len;
    if (*s > *e)
        *s = *e;
}

static uint32_t str_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static void strs_grow(struct hst *st)
{
    size_t cap = st->cap ? 2 * st->cap : 256;
    struct interned *t = xcalloc(cap, sizeof(*t));
    for (size_t i = 0; i < st->cap; i++) {
        if (!st->strs[i].s)
            continue;
        size_t j = st->strs[i].hash & (cap - 1);
        while (t[j].s)
            j = (j + 1) & (cap - 1);
        t[j] = st->strs[i];
    }
    free(st->strs);
    st->strs = t;
    st->cap = cap;
}

/* `n` bytes at `p` as a string of the result (one copy per distinct string and file), or of
 * scratch memory while st->scratch. */
static const char *str_keep(struct hst *st, const char *p, size_t n)
{
    if (st->scratch || n > UINT32_MAX)
        return arena_strndup(out_arena(st), p, n);
    if (2 * (st->nstrs + 1) > st->cap)
        strs_grow(st);
    uint32_t h = str_hash(p, n);
    size_t j = h & (st->cap - 1);
    for (; st->strs[j].s; j = (j + 1) & (st->cap - 1))
        if (st->strs[j].hash == h && st->strs[j].len == n && memcmp(st->strs[j].s, p, n) == 0)
            return st->strs[j].s;
    st->strs[j] = (struct interned){arena_strndup(st->a, p, n), (uint32_t)n, h};
    st->nstrs++;
    return st->strs[j].s;
}

static const char *node_text(struct hst *st, TSNode n)
{
    uint32_t s, e;
    node_span(st, n, &s, &e);
    return str_keep(st, st->src + s, e - s);
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
    size_t i = 0;
    while (i < n && s[i] != '\\' && !((s[i] == '$' || s[i] == '%') && i + 2 < n &&
                                      s[i + 1] == s[i] && s[i + 2] == '{'))
        i++;
    if (i == n) /* nothing to unescape: the common case */
        return str_keep(st, s, n);
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, s, i);
    for (; i < n; i++) {
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
    const char *r = str_keep(st, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static struct hcl_value *value_new(struct hst *st, TSNode n, enum hcl_kind k)
{
    struct hcl_value *v;
    if (st->scratch) {
        struct scratch_value *sv = arena_alloc(st->tmp, sizeof(*sv));
        node_span(st, n, &sv->s, &sv->e);
        v = &sv->v;
    } else {
        v = arena_alloc(st->a, sizeof(*v));
    }
    v->kind = k;
    node_pos(n, &v->line, &v->col);
    return v;
}

/* A value whose str is its node's source text (references, templates, the unknown). */
static struct hcl_value *value_text_new(struct hst *st, TSNode n, enum hcl_kind k)
{
    struct hcl_value *v = value_new(st, n, k);
    v->str = node_text(st, n);
    return v;
}

/* An HV_STRING value for node `n`: what its source text looks like, for a caret under it. */
static struct hcl_value *string_new(struct hst *st, TSNode n)
{
    struct hcl_value *v = value_new(st, n, HV_STRING);
    uint32_t s, e;
    node_span(st, n, &s, &e);
    size_t tl = strnlen(st->src + s, e - s);
    v->len = (uint32_t)tl;
    v->quoted = tl > 0 && st->src[s] == '"';
    v->multiline = memchr(st->src + s, '\n', tl) != NULL;
    return v;
}

static struct hcl_value *expr_convert(struct hst *st, TSNode n, int depth);

/* A string_lit: quoted text without interpolation. */
static struct hcl_value *string_convert(struct hst *st, TSNode n)
{
    struct hcl_value *v = string_new(st, n);
    uint32_t s, e;
    node_span(st, n, &s, &e);
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
    if (ind == 0) /* nothing to strip: the body as written */
        return arena_strndup(out_arena(st), b, (size_t)(end - b));
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
    const char *r = arena_strndup(out_arena(st), sb_str(&sb), sb.len);
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
    int heredoc = node_is(n, C_HEREDOC_TEMPLATE), strip = 0;
    for (size_t i = 0; i < m; i++) {
        switch (node_code(k[i])) {
        case C_TEMPLATE_INTERPOLATION:
            interp++;
            last_interp = k[i];
            break;
        case C_TEMPLATE_LITERAL:
            lits++;
            break;
        case C_TEMPLATE_DIRECTIVE:
            directives++;
            break;
        case C_HEREDOC_START: {
            uint32_t s = ts_node_start_byte(k[i]), e = ts_node_end_byte(k[i]);
            strip = memchr(st->src + s, '-', e - s) != NULL;
            break;
        }
        default:
            break;
        }
    }
    if (!heredoc && interp == 1 && lits == 0 && directives == 0) {
        /* "${expr}" is the expression itself. */
        TSNode *ik;
        size_t im = node_kids(st, last_interp, 1, &ik);
        for (size_t i = 0; i < im; i++)
            if (node_is(ik[i], C_EXPRESSION))
                return expr_convert(st, ik[i], depth + 1);
    }
    if (interp || directives)
        return value_text_new(st, n, HV_TEMPLATE);
    struct hcl_value *v = string_new(st, n);
    if (heredoc) {
        v->str = heredoc_body(st, n, strip);
    } else {
        uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
        v->str = e - s >= 2 ? unescape(st, st->src + s + 1, e - s - 2) : "";
    }
    return v;
}

/* Converts the expressions among `k` into `v`'s items. */
static void items_convert(struct hst *st, struct hcl_value *v, const TSNode *k, size_t m,
                          int depth)
{
    size_t cnt = 0;
    for (size_t i = 0; i < m; i++)
        cnt += node_is(k[i], C_EXPRESSION);
    if (!cnt || v->items)
        return;
    v->items = arena_alloc(out_arena(st), cnt * sizeof(*v->items));
    for (size_t i = 0; i < m; i++)
        if (node_is(k[i], C_EXPRESSION))
            v->items[v->n++] = expr_convert(st, k[i], depth + 1);
}

static struct hcl_value *tuple_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_value *v = value_new(st, n, HV_LIST);
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    items_convert(st, v, k, m, depth);
    return v;
}

/* An object key: a bare identifier or a string is its name; anything else its text. The key
 * is converted in scratch memory, and only the name is kept. */
static const char *key_text(struct hst *st, TSNode key, int depth)
{
    st->scratch++;
    struct hcl_value *kv = expr_convert(st, key, depth + 1);
    st->scratch--;
    if (kv->kind == HV_STRING)
        return str_keep(st, kv->str, strlen(kv->str));
    const struct scratch_value *sv = (const struct scratch_value *)kv;
    return str_keep(st, st->src + sv->s, sv->e - sv->s);
}

static struct hcl_value *object_convert(struct hst *st, TSNode n, int depth)
{
    struct hcl_value *v = value_new(st, n, HV_MAP);
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    size_t cnt = 0;
    for (size_t i = 0; i < m; i++)
        cnt += node_is(k[i], C_OBJECT_ELEM);
    if (!cnt)
        return v;
    v->items = arena_alloc(out_arena(st), cnt * sizeof(*v->items));
    v->keys = arena_alloc(out_arena(st), cnt * sizeof(*v->keys));
    for (size_t i = 0; i < m; i++) {
        if (!node_is(k[i], C_OBJECT_ELEM))
            continue;
        TSNode key = ts_node_child_by_field_id(k[i], field_key);
        TSNode val = ts_node_child_by_field_id(k[i], field_val);
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
        enum code c = node_code(k[i]);
        if (c == C_IDENTIFIER) {
            v->str = node_text(st, k[i]);
        } else if (c == C_FUNCTION_ARGUMENTS) {
            TSNode *ak;
            size_t am = node_kids(st, k[i], 1, &ak);
            items_convert(st, v, ak, am, depth);
        }
    }
    return v;
}

static struct hcl_value *literal_convert(struct hst *st, TSNode n)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m == 0)
        return value_text_new(st, n, HV_UNKNOWN);
    TSNode c = k[0];
    enum code cc = node_code(c);
    if (cc == C_STRING_LIT)
        return string_convert(st, c);
    if (cc == C_NUMERIC_LIT || cc == C_BOOL_LIT) {
        uint32_t s, e;
        node_span(st, n, &s, &e);
        char *t = arena_strndup(st->tmp, st->src + s, e - s);
        struct hcl_value *v = value_new(st, n, cc == C_NUMERIC_LIT ? HV_NUMBER : HV_BOOL);
        if (cc == C_NUMERIC_LIT)
            v->num = strtod(t, NULL);
        else
            v->b = strcmp(t, "true") == 0;
        return v;
    }
    if (cc == C_NULL_LIT)
        return value_new(st, n, HV_NULL);
    return value_text_new(st, n, HV_UNKNOWN);
}

/* `-5` is a number; other operations are unknown. */
static struct hcl_value *operation_convert(struct hst *st, TSNode n, int depth)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m == 1 && node_is(k[0], C_UNARY_OPERATION)) {
        TSNode *u;
        size_t um = node_kids(st, k[0], 1, &u);
        TSNode first = ts_node_child(k[0], 0);
        if (um == 1 && !ts_node_is_null(first) && strcmp(ts_node_type(first), "-") == 0) {
            st->scratch++;
            struct hcl_value *inner = expr_convert(st, u[0], depth + 1);
            st->scratch--;
            if (inner->kind == HV_NUMBER) {
                struct hcl_value *v = value_new(st, n, HV_NUMBER);
                v->num = -inner->num;
                return v;
            }
        }
    }
    return value_text_new(st, n, HV_UNKNOWN);
}

static struct hcl_value *expr_convert(struct hst *st, TSNode n, int depth)
{
    if (depth > HCL_MAX_DEPTH)
        return value_text_new(st, n, HV_UNKNOWN);
    TSNode *k;
    size_t m;
    switch (node_code(n)) {
    case C_EXPRESSION: {
        m = node_kids(st, n, 1, &k);
        size_t real = 0;
        TSNode first = n;
        for (size_t i = 0; i < m; i++) {
            if (node_is(k[i], C_COMMENT))
                continue;
            if (real++ == 0)
                first = k[i];
        }
        if (real == 0)
            return value_text_new(st, n, HV_UNKNOWN);
        if (node_is(first, C_VARIABLE_EXPR))
            return value_text_new(st, n, HV_REF);
        if (real == 1)
            return expr_convert(st, first, depth + 1);
        /* a call or collection followed by .attr or [i] */
        return value_text_new(st, n, HV_UNKNOWN);
    }
    case C_LITERAL_VALUE:
        return literal_convert(st, n);
    case C_STRING_LIT:
        return string_convert(st, n);
    case C_COLLECTION_VALUE:
    case C_TEMPLATE_EXPR:
        m = node_kids(st, n, 1, &k);
        if (m >= 1)
            return expr_convert(st, k[0], depth + 1);
        return value_text_new(st, n, HV_UNKNOWN);
    case C_QUOTED_TEMPLATE:
    case C_HEREDOC_TEMPLATE:
        return template_convert(st, n, depth);
    case C_TUPLE:
        return tuple_convert(st, n, depth);
    case C_OBJECT:
        return object_convert(st, n, depth);
    case C_FUNCTION_CALL:
        return call_convert(st, n, depth);
    case C_VARIABLE_EXPR:
        return value_text_new(st, n, HV_REF);
    case C_OPERATION:
        return operation_convert(st, n, depth);
    default:
        return value_text_new(st, n, HV_UNKNOWN);
    }
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

/* What a body collects before it is stored: its attributes and blocks, by value. */
struct body_acc {
    struct hcl_attr *attrs;
    size_t nattrs, cap;
    struct hcl_block *blocks;
    size_t nblocks, bcap;
};

static void block_convert(struct hst *st, TSNode n, int depth, struct hcl_block *b);

static void block_add(struct hst *st, struct body_acc *acc, TSNode n, int depth)
{
    struct hcl_block b = {0};
    block_convert(st, n, depth, &b);
    if (acc->nblocks == acc->bcap) {
        acc->bcap = acc->bcap ? 2 * acc->bcap : 4;
        acc->blocks = xrealloc(acc->blocks, acc->bcap * sizeof(*acc->blocks));
    }
    acc->blocks[acc->nblocks++] = b;
}

static void attr_add(struct hst *st, struct body_acc *acc, TSNode n, int depth)
{
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    if (m < 2 || !node_is(k[0], C_IDENTIFIER))
        return;
    if (acc->nattrs == acc->cap) {
        acc->cap = acc->cap ? 2 * acc->cap : 8;
        acc->attrs = xrealloc(acc->attrs, acc->cap * sizeof(*acc->attrs));
    }
    struct hcl_attr *at = &acc->attrs[acc->nattrs];
    at->name = node_text(st, k[0]);
    node_pos(n, &at->line, &at->col);
    at->value = expr_convert(st, k[m - 1], depth + 1);
    acc->nattrs++;
}

/* Collects attributes and blocks of a body; inside an ERROR node, whatever whole
 * attributes and blocks tree-sitter recovered are kept. At the top level (depth 0 and 1),
 * the scratch memory of each finished statement is given back. */
static void body_walk(struct hst *st, struct body_acc *acc, TSNode n, int depth)
{
    if (depth > HCL_MAX_DEPTH)
        return;
    TSTreeCursor c = ts_tree_cursor_new(n);
    if (!ts_tree_cursor_goto_first_child(&c))
        goto out;
    do {
        TSNode ch = ts_tree_cursor_current_node(&c);
        if (!ts_node_is_named(ch))
            continue;
        switch (node_code(ch)) {
        case C_ATTRIBUTE:
            attr_add(st, acc, ch, depth);
            break;
        case C_BLOCK:
            block_add(st, acc, ch, depth + 1);
            break;
        case C_BODY:
        case C_ERROR:
            body_walk(st, acc, ch, depth + 1);
            break;
        default:
            break;
        }
        if (depth <= 1 && arena_used(st->tmp) > HCL_TMP_KEEP) {
            arena_free(st->tmp);
            st->tmp = arena_new();
        }
    } while (ts_tree_cursor_goto_next_sibling(&c));
out:
    ts_tree_cursor_delete(&c);
}

/* An arena copy of a vector's items, or NULL when it is empty; releases the vector. */
static void *items_store(struct hst *st, struct vec *v, uint32_t *n)
{
    void **arr = NULL;
    *n = (uint32_t)v->len;
    if (v->len) {
        arr = arena_alloc(st->a, v->len * sizeof(*arr));
        memcpy(arr, v->items, v->len * sizeof(*arr));
    }
    vec_release(v);
    return arr;
}

/* Stores a body's attributes in one piece of the arena (the pointers, then the attributes),
 * and its blocks in another; releases the accumulator. */
static void body_store(struct hst *st, struct hcl_block *b, struct body_acc *acc)
{
    b->nattrs = (uint32_t)acc->nattrs;
    if (acc->nattrs) {
        char *mem = arena_alloc(st->a, acc->nattrs * (sizeof(*b->attrs) + sizeof(**b->attrs)));
        struct hcl_attr *ats = (struct hcl_attr *)(mem + acc->nattrs * sizeof(*b->attrs));
        b->attrs = (struct hcl_attr **)mem;
        memcpy(ats, acc->attrs, acc->nattrs * sizeof(*ats));
        for (size_t i = 0; i < acc->nattrs; i++)
            b->attrs[i] = &ats[i];
    }
    free(acc->attrs);
    b->nblocks = (uint32_t)acc->nblocks;
    if (acc->nblocks) {
        char *mem =
            arena_alloc(st->a, acc->nblocks * (sizeof(*b->blocks) + sizeof(**b->blocks)));
        struct hcl_block *bs = (struct hcl_block *)(mem + acc->nblocks * sizeof(*b->blocks));
        b->blocks = (struct hcl_block **)mem;
        memcpy(bs, acc->blocks, acc->nblocks * sizeof(*bs));
        for (size_t i = 0; i < acc->nblocks; i++)
            b->blocks[i] = &bs[i];
    }
    free(acc->blocks);
}

/* Converts a block into `b` (zeroed by the caller). */
static void block_convert(struct hst *st, TSNode n, int depth, struct hcl_block *b)
{
    struct body_acc acc = {0};
    struct vec labels = VEC_INIT;
    node_pos(n, &b->line, &b->col);
    b->end_line = (int)ts_node_end_point(n).row + 1;
    b->type = "";
    TSNode *k;
    size_t m = node_kids(st, n, 1, &k);
    for (size_t i = 0; i < m; i++) {
        switch (node_code(k[i])) {
        case C_IDENTIFIER:
            if (i == 0)
                b->type = node_text(st, k[i]);
            else
                vec_push(&labels, (void *)node_text(st, k[i]));
            break;
        case C_STRING_LIT: {
            st->scratch++;
            const char *label = string_convert(st, k[i])->str;
            st->scratch--;
            vec_push(&labels, (void *)str_keep(st, label, strlen(label)));
            break;
        }
        case C_BODY:
        case C_ERROR:
            body_walk(st, &acc, k[i], depth + 1);
            break;
        default:
            break;
        }
    }
    b->labels = items_store(st, &labels, &b->nlabels);
    body_store(st, b, &acc);
}

/* A line that starts a top-level statement: Terraform puts those in column 0, and nested
 * content is indented, so after a syntax error each such line starts a fresh parse. */
static int line_starts_statement(const char *p, const char *end)
{
    return p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '}' &&
           *p != ']' && *p != ')';
}

/* A parse's work is measured by what it asks of the slab allocator (core/slab.c): valid
 * HCL asks 100 to 250 bytes for each byte of input, while random syntax sends tree-sitter's
 * error recovery to about 1,800, at 4.6 us and 800 bytes of memory a byte (a 16 MB file of
 * it would take over a minute and 12 GB). Past HCL_WORK_PER_BYTE the parse stops. */
enum { HCL_WORK_PER_BYTE = 512, HCL_WORK_BASE = 16u << 20 };

static bool budget_spent(TSParseState *state)
{
    const struct hst *st = state->payload;
    return slab_thread_bytes() - st->spent_from > st->budget;
}

static const char *text_read(void *payload, uint32_t byte, TSPoint pos, uint32_t *n)
{
    const struct hst *st = payload;
    (void)pos;
    size_t at = byte < st->len ? byte : st->len;
    *n = (uint32_t)(st->len - at);
    return st->src + at;
}

/* ts_parser_parse_string within the file's budget; NULL (and st->over set) when it ran
 * out, with the parser reset so that its next parse starts afresh. */
static TSTree *parse_budgeted(struct hst *st, TSParser *p)
{
    TSInput in = {st, text_read, TSInputEncodingUTF8, NULL};
    TSParseOptions po = {st, budget_spent};
    TSTree *t = ts_parser_parse_with_options(p, NULL, in, po);
    if (!t && budget_spent(&(TSParseState){st, 0, 0})) {
        ts_parser_reset(p);
        st->over = 1;
    }
    return t;
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
            if (next > start && !st->over && ts_parser_set_included_ranges(p, &r, 1)) {
                TSTree *t = parse_budgeted(st, p);
                if (t) {
                    TSNode root = ts_tree_root_node(t);
                    if (ts_node_has_error(root) || ts_node_is_error(root))
                        errors_find(st, root, 0);
                    body_walk(st, acc, root, 0);
                    if (st->has_cur) { /* the cursor may point into this tree */
                        ts_tree_cursor_delete(&st->cur);
                        st->has_cur = 0;
                    }
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

/* The budget for tree-sitter, which takes about a hundred bytes of memory for each byte of
 * HCL and twice that in long strings (a 60 MB literal took 12.9 GB): a file larger than
 * HCL_MAX_BYTES, or whose long lines (over 4 KiB: embedded scripts, policies, base64) add up
 * to more than HCL_MAX_LONG_LINES, is not parsed but reported as file-skipped; its text is
 * still searched for secrets. */
enum { HCL_MAX_BYTES = 16u << 20, HCL_LONG_LINE = 4096, HCL_MAX_LONG_LINES = 1u << 20 };

/* 0 when `data` is within the budget, else the line that goes past it (-1: the size). */
static long over_budget(const char *data, size_t len)
{
    if (len > HCL_MAX_BYTES)
        return -1;
    long line = 1;
    size_t long_bytes = 0;
    for (const char *p = data, *end = data + len; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > HCL_LONG_LINE && (long_bytes += n) > HCL_MAX_LONG_LINES)
            return line;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

void hcl_parse(struct hcl_file *out, struct arena *a, const char *path, const char *data,
               size_t len, struct findings *diags)
{
    struct hst st = {.a = a, .tmp = arena_new(), .src = data, .len = len, .path = path,
                     .diags = diags};
    TSParser *p = parser_get();
    TSTree *tree = NULL;
    struct body_acc acc = {0};

    memset(out, 0, sizeof(*out));
    out->root = arena_alloc(a, sizeof(*out->root));
    out->root->type = "";
    out->root->line = out->root->col = 1;
    long over = over_budget(data, len);
    if (over) {
        struct finding *f =
            over < 0 ? finding_new("file-skipped", SEV_WARNING, path, 0, 0,
                                   "Terraform file not parsed: %zu bytes, over the %u-byte "
                                   "budget (its text is still searched for secrets)",
                                   len, (unsigned)HCL_MAX_BYTES)
                     : finding_new("file-skipped", SEV_WARNING, path, (int)over, 1,
                                   "Terraform file not parsed: its lines of over %u bytes add "
                                   "up to more than the %u-byte budget at line %ld (its text "
                                   "is still searched for secrets)",
                                   (unsigned)HCL_LONG_LINE, (unsigned)HCL_MAX_LONG_LINES, over);
        findings_add(diags, f);
        goto out;
    }
    if (!p)
        goto out;
    st.spent_from = slab_thread_bytes();
    st.budget = (uint64_t)HCL_WORK_PER_BYTE * len + HCL_WORK_BASE;
    tree = parse_budgeted(&st, p);
    if (tree) {
        TSNode root = ts_tree_root_node(tree);
        out->root->end_line = (int)ts_node_end_point(root).row + 1;
        if (ts_node_has_error(root) || ts_node_is_error(root))
            chunks_parse(&st, p, &acc);
        else
            body_walk(&st, &acc, root, 0);
    }
    if (st.over) /* broken syntax: an error, so a file cannot slip past the gate this way */
        findings_add(diags, finding_new("parse-error", SEV_ERROR, path, 1, 1,
                                        "Terraform file not parsed whole: its syntax is so "
                                        "broken that recovering from it costs more than the "
                                        "budget (%u bytes of work a byte)",
                                        (unsigned)HCL_WORK_PER_BYTE));
out:
    body_store(&st, out->root, &acc);
    out->errors = st.errors;
    if (st.has_cur)
        ts_tree_cursor_delete(&st.cur);
    free(st.strs);
    if (tree)
        ts_tree_delete(tree);
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
