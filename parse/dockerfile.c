/* Dockerfile syntax: parser directives at the top, then instructions. A logical instruction
 * spans physical lines joined at the escape character; comment and blank lines inside a
 * continuation are dropped, as BuildKit drops them. RUN, COPY and ADD may be followed by
 * heredoc bodies. Every byte of the joined text can be mapped back to its line and column. */
#include "dockerfile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Instructions BuildKit knows; anything else is a parse error. */
static const char *const known_keywords[] = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR",
};

/* Instructions whose arguments may open heredocs. */
static const char *const heredoc_keywords[] = {"RUN", "COPY", "ADD"};

struct reader {
    const char *data;
    size_t len, pos;
    int line; /* line number of the next physical line */
    const char *path;
    struct findings *diags;
    struct arena *a;
    char escape;
};

/* One physical line: [start, start+len) without the newline or a trailing '\r'. */
struct pline {
    const char *s;
    size_t len;
    int line;
};

static int reader_next(struct reader *r, struct pline *out)
{
    if (r->pos >= r->len)
        return 0;
    const char *s = r->data + r->pos;
    const char *nl = memchr(s, '\n', r->len - r->pos);
    size_t n = nl ? (size_t)(nl - s) : r->len - r->pos;
    r->pos += n + (nl ? 1 : 0);
    out->s = s;
    out->len = n && s[n - 1] == '\r' ? n - 1 : n;
    out->line = r->line++;
    return 1;
}

static void diag(struct reader *r, int line, int col, const char *fmt, const char *arg)
{
    findings_add(r->diags, finding_new("parse-error", SEV_ERROR, r->path, line, col, fmt, arg));
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static int is_blank(const struct pline *pl)
{
    return skip_ws(pl->s, pl->len, 0) == pl->len;
}

static int is_comment(const struct pline *pl)
{
    size_t i = skip_ws(pl->s, pl->len, 0);
    return i < pl->len && pl->s[i] == '#';
}

/* A parser directive `# key=value`: returns 1 and the key/value spans, else 0. */
static int directive_split(const struct pline *pl, const char **k, size_t *kn, const char **v,
                           size_t *vn)
{
    const char *s = pl->s;
    size_t n = pl->len, i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '#')
        return 0;
    i = skip_ws(s, n, i + 1);
    size_t ks = i;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
        i++;
    if (i == ks)
        return 0;
    size_t ke = i;
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != '=')
        return 0;
    i = skip_ws(s, n, i + 1);
    size_t ve = n;
    while (ve > i && (s[ve - 1] == ' ' || s[ve - 1] == '\t'))
        ve--;
    *k = s + ks;
    *kn = ke - ks;
    *v = s + i;
    *vn = ve - i;
    return 1;
}

/* Handles the directive block at the top. Returns 1 when `pl` was a directive. */
static int directive_take(struct reader *r, struct dockerfile_ast *out, const struct pline *pl,
                          int *seen_escape)
{
    const char *k, *v;
    size_t kn, vn;
    if (!directive_split(pl, &k, &kn, &v, &vn))
        return 0;
    char *key = arena_strndup(r->a, k, kn);
    for (char *p = key; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    int col = (int)(k - pl->s) + 1;
    if (strcmp(key, "escape") == 0) {
        if (*seen_escape)
            diag(r, pl->line, col, "%s", "only one escape parser directive may be given");
        else if (vn == 1 && (v[0] == '\\' || v[0] == '`'))
            out->escape = r->escape = v[0];
        else
            diag(r, pl->line, (int)(v - pl->s) + 1,
                 "invalid escape character '%s': "
                 "it must be a backslash or a backtick",
                 arena_strndup(r->a, v, vn));
        *seen_escape = 1;
        return 1;
    }
    if (strcmp(key, "syntax") == 0) {
        if (out->syntax)
            diag(r, pl->line, col, "%s", "only one syntax parser directive may be given");
        else {
            out->syntax = arena_strndup(r->a, v, vn);
            out->syntax_line = pl->line;
        }
        return 1;
    }
    /* `check` is known; unknown keys are comments and end the directive block. */
    return strcmp(key, "check") == 0;
}

/* When the line continues (its last non-blank byte is the escape character), returns the
 * length to keep; else returns (size_t)-1. */
static size_t continued_len(const struct pline *pl, char escape)
{
    size_t n = pl->len;
    while (n && (pl->s[n - 1] == ' ' || pl->s[n - 1] == '\t'))
        n--;
    if (n && pl->s[n - 1] == escape)
        return n - 1;
    return (size_t)-1;
}

/* A growable array of segments, on the heap while an instruction is read. */
struct segs {
    struct dockerfile_seg *v;
    size_t n, cap;
};

static void seg_push(struct segs *segs, size_t off, int line, int col)
{
    if (segs->n == segs->cap) {
        segs->cap = segs->cap ? 2 * segs->cap : 8;
        segs->v = xrealloc(segs->v, segs->cap * sizeof(*segs->v));
    }
    segs->v[segs->n++] = (struct dockerfile_seg){off, line, col};
}

size_t dockerfile_words_split(struct dockerfile_word **out, struct arena *a, const char *s,
                              char escape)
{
    struct dockerfile_word *words = NULL;
    size_t count = 0, cap = 0;
    struct strbuf sb = STRBUF_INIT;
    size_t i = 0, n = strlen(s);
    for (;;) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        size_t start = i;
        char quote = 0;
        sb_reset(&sb);
        while (i < n && (quote || !isspace((unsigned char)s[i]))) {
            char c = s[i];
            if (c == escape && i + 1 < n && quote != '\'') {
                sb_addc(&sb, s[i + 1]);
                i += 2;
                continue;
            }
            if (quote && c == quote)
                quote = 0;
            else if (!quote && (c == '"' || c == '\''))
                quote = c;
            else
                sb_addc(&sb, c);
            i++;
        }
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            words = xrealloc(words, cap * sizeof(*words));
        }
        struct dockerfile_word *w = &words[count++];
        w->text = arena_strndup(a, sb_str(&sb), sb.len);
        w->raw = s + start;
        w->raw_len = i - start;
        w->off = start;
    }
    sb_release(&sb);
    struct dockerfile_word *arr = arena_alloc(a, (count ? count : 1) * sizeof(*arr));
    if (count)
        memcpy(arr, words, count * sizeof(*arr));
    free(words);
    *out = arr;
    return count;
}

/* A JSON string literal at s[*i] (which is '"'): appends the decoded text to sb. */
static int json_string(struct strbuf *sb, const char *s, size_t *i)
{
    size_t k = *i + 1;
    for (;;) {
        unsigned char c = (unsigned char)s[k];
        if (c == '\0' || c < 0x20)
            return -1;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = s[k + 1];
            const char *esc = strchr("\"\\/bfnrt", e);
            if (e == 'u') {
                for (int h = 2; h < 6; h++)
                    if (!isxdigit((unsigned char)s[k + h]))
                        return -1;
                sb_add(sb, s + k, 6); /* kept as written: only ASCII matters to rules */
                k += 6;
                continue;
            }
            if (!e || !esc)
                return -1;
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            sb_addc(sb, decoded[esc - "\"\\/bfnrt"]);
            k += 2;
            continue;
        }
        sb_addc(sb, (char)c);
        k++;
    }
    *i = k + 1;
    return 0;
}

long dockerfile_json_array(const char ***out, struct arena *a, const char *s)
{
    struct vec items = VEC_INIT;
    struct strbuf sb = STRBUF_INIT;
    long result = -1;
    size_t i = 0;
    while (isspace((unsigned char)s[i]))
        i++;
    if (s[i++] != '[')
        goto out;
    while (isspace((unsigned char)s[i]))
        i++;
    if (s[i] == ']') {
        i++;
    } else {
        for (;;) {
            while (isspace((unsigned char)s[i]))
                i++;
            if (s[i] != '"')
                goto out;
            sb_reset(&sb);
            if (json_string(&sb, s, &i) != 0)
                goto out;
            vec_push(&items, arena_strndup(a, sb_str(&sb), sb.len));
            while (isspace((unsigned char)s[i]))
                i++;
            if (s[i] == ',') {
                i++;
                continue;
            }
            if (s[i] != ']')
                goto out;
            i++;
            break;
        }
    }
    while (isspace((unsigned char)s[i]))
        i++;
    if (s[i] != '\0')
        goto out;
    const char **arr = arena_alloc(a, (items.len + 1) * sizeof(*arr));
    for (size_t k = 0; k < items.len; k++)
        arr[k] = items.items[k];
    *out = arr;
    result = (long)items.len;
out:
    vec_release(&items);
    sb_release(&sb);
    return result;
}

void dockerfile_pos(const struct dockerfile_instr *in, size_t off, int *line, int *col)
{
    *line = in->line;
    *col = in->col;
    if (!in->nsegs)
        return;
    /* The last segment starting at or before `off` (segments are sorted by offset; of equal
     * offsets the later one holds the byte, the earlier ones being empty). */
    size_t lo = 0, hi = in->nsegs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->segs[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = in->segs[lo].line;
    *col = in->segs[lo].col + (int)(off - in->segs[lo].off);
}

static int keyword_in(const char *kw, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(kw, list[i]) == 0)
            return 1;
    return 0;
}

/* `<<EOF`, `<<-EOF`, `<<"EOF"`: fills marker and strip_tabs; 0 when the word is no heredoc. */
static int heredoc_marker(const struct dockerfile_word *w, struct arena *a,
                          struct dockerfile_heredoc *h)
{
    const char *s = w->raw, *end = w->raw + w->raw_len;
    if (w->raw_len < 3 || s[0] != '<' || s[1] != '<' || s[2] == '<')
        return 0;
    s += 2;
    h->strip_tabs = *s == '-';
    if (h->strip_tabs)
        s++;
    char quote = (s < end && (*s == '"' || *s == '\'')) ? *s : 0;
    if (quote)
        s++;
    const char *m = s;
    while (s < end && (isalnum((unsigned char)*s) || *s == '_'))
        s++;
    if (s == m || isdigit((unsigned char)*m))
        return 0;
    if (quote && (s >= end || *s != quote))
        return 0;
    h->marker = arena_strndup(a, m, (size_t)(s - m));
    return 1;
}

/* Reads the heredoc bodies that follow an instruction. */
static void heredocs_read(struct reader *r, struct dockerfile_instr *in)
{
    struct vec docs = VEC_INIT;
    for (size_t i = 0; i < in->nwords; i++) {
        struct dockerfile_heredoc h = {0};
        if (!heredoc_marker(&in->words[i], r->a, &h))
            continue;
        h.word = i;
        h.line = r->line;
        struct strbuf body = STRBUF_INIT;
        struct pline pl;
        int closed = 0;
        while (reader_next(r, &pl)) {
            size_t k = 0;
            if (h.strip_tabs)
                while (k < pl.len && pl.s[k] == '\t')
                    k++;
            in->end_line = pl.line;
            if (pl.len - k == strlen(h.marker) && memcmp(pl.s + k, h.marker, pl.len - k) == 0) {
                closed = 1;
                break;
            }
            sb_add(&body, pl.s + k, pl.len - k);
            sb_addc(&body, '\n');
        }
        if (!closed) {
            int line, col;
            dockerfile_pos(in, in->words[i].off, &line, &col);
            diag(r, line, col, "heredoc <<%s is never closed: the rest of the file is its body",
                 h.marker);
        }
        struct dockerfile_heredoc *hp = arena_alloc(r->a, sizeof(*hp));
        *hp = h;
        hp->body = arena_strndup(r->a, sb_str(&body), body.len);
        sb_release(&body);
        vec_push(&docs, hp);
    }
    in->nheredocs = docs.len;
    in->heredocs = docs.len ? arena_alloc(r->a, docs.len * sizeof(*in->heredocs)) : NULL;
    for (size_t i = 0; i < docs.len; i++)
        in->heredocs[i] = *(struct dockerfile_heredoc *)docs.items[i];
    vec_release(&docs);
}

/* Reads one instruction starting at physical line `first` into `in`; returns `in`, or NULL
 * when it was malformed (reported). */
static struct dockerfile_instr *instr_read(struct dockerfile_instr *instr, struct reader *r,
                                           const struct pline *first)
{
    struct strbuf text = STRBUF_INIT;
    struct segs segs = {NULL, 0, 0};
    struct dockerfile_instr *in = NULL;
    struct pline pl = *first;
    size_t lead = skip_ws(pl.s, pl.len, 0);
    int kw_line = pl.line, kw_col = (int)lead + 1, end_line = pl.line;

    /* Join the physical lines, remembering where each part came from. */
    size_t from = lead;
    for (;;) {
        size_t keep = continued_len(&pl, r->escape);
        size_t n = keep == (size_t)-1 ? pl.len : keep;
        seg_push(&segs, text.len, pl.line, (int)from + 1);
        if (n > from)
            sb_add(&text, pl.s + from, n - from);
        end_line = pl.line;
        if (keep == (size_t)-1)
            break;
        int more = 0;
        while (reader_next(r, &pl)) {
            if (is_blank(&pl) || is_comment(&pl))
                continue;
            more = 1;
            break;
        }
        if (!more)
            break;
        from = 0;
    }

    /* The keyword, then the arguments. */
    const char *t = sb_str(&text);
    size_t k = 0;
    while (t[k] && !isspace((unsigned char)t[k]))
        k++;
    char *kw = arena_strndup(r->a, t, k);
    for (char *p = kw; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (!keyword_in(kw, known_keywords, ARRAY_LEN(known_keywords))) {
        diag(r, kw_line, kw_col, "unknown instruction '%s'", arena_strndup(r->a, t, k));
        goto out;
    }
    size_t astart = k;
    while (t[astart] && isspace((unsigned char)t[astart]))
        astart++;
    size_t aend = text.len;
    while (aend > astart && isspace((unsigned char)t[aend - 1]))
        aend--;

    in = instr;
    memset(in, 0, sizeof(*in));
    in->keyword = kw;
    in->line = kw_line;
    in->col = kw_col;
    in->end_line = end_line;
    in->args = arena_strndup(r->a, t + astart, aend - astart);
    /* Segments are rebased on the arguments' first byte. */
    in->segs = arena_alloc(r->a, segs.n * sizeof(*in->segs));
    for (size_t i = 0; i < segs.n; i++) {
        struct dockerfile_seg sg = segs.v[i];
        if (sg.off < astart) {
            sg.col += (int)(astart - sg.off);
            sg.off = 0;
        } else {
            sg.off -= astart;
        }
        in->segs[in->nsegs++] = sg;
    }
    in->nwords = dockerfile_words_split(&in->words, r->a, in->args, r->escape);
    long argc = in->args[0] == '[' ? dockerfile_json_array(&in->argv, r->a, in->args) : -1;
    if (argc >= 0) {
        in->json = 1;
        in->argc = (size_t)argc;
    }
    if (!in->json && keyword_in(kw, heredoc_keywords, ARRAY_LEN(heredoc_keywords)))
        heredocs_read(r, in);
out:
    sb_release(&text);
    free(segs.v);
    return in;
}

void dockerfile_parse(struct dockerfile_ast *out, struct arena *a, const char *path,
                      const char *data, size_t len, struct findings *diags)
{
    struct reader r = {
        .data = data, .len = len, .line = 1, .path = path, .diags = diags, .a = a, .escape = '\\'};
    struct dockerfile_instr *instrs = NULL;
    size_t n = 0, cap = 0;
    struct pline pl;
    int directives = 1, seen_escape = 0;
    memset(out, 0, sizeof(*out));
    out->escape = '\\';
    /* A byte-order mark is not part of the first line. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    while (reader_next(&r, &pl)) {
        if (directives && directive_take(&r, out, &pl, &seen_escape))
            continue;
        directives = 0;
        if (is_blank(&pl) || is_comment(&pl))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            instrs = xrealloc(instrs, cap * sizeof(*instrs));
        }
        if (instr_read(&instrs[n], &r, &pl))
            n++;
    }
    out->ninstrs = n;
    out->instrs = arena_alloc(a, (n ? n : 1) * sizeof(*out->instrs));
    if (n)
        memcpy(out->instrs, instrs, n * sizeof(*out->instrs));
    free(instrs);
}
