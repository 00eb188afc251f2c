/* Markdown pages into the model: cmark-gfm parses the file, and the tree is reduced to what
 * the rest of opsbook needs (title, headings with anchors, links with positions) in the
 * unit's arena before it is freed. Link resolution against the scanned files is here too, so
 * the docs checks and the site agree on what a link points at. */
#include "doc.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DOC_MAX_HEADINGS 4096
#define DOC_MAX_LINKS 16384

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;

static void ext_register(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

/* A heading's or link's text is a label: the first this many nodes of it and bytes are
 * enough, and the bound keeps nested links and images (each of which takes the text of all
 * it holds) linear instead of quadratic in their depth. */
enum { DOC_TEXT_MAX_NODES = 256, DOC_TEXT_MAX_BYTES = 1024 };

/* Plain text of a node's descendants (text, code, soft breaks as spaces), bounded. */
static void node_text(struct strbuf *out, cmark_node *n)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    size_t nodes = 0, start = out->len;
    while (out->len - start < DOC_TEXT_MAX_BYTES && nodes++ < DOC_TEXT_MAX_NODES &&
           (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            for (const char *p = cmark_node_get_literal(c); p && *p; p++)
                sb_addc(out, (unsigned char)*p < 0x20 ? ' ' : *p);
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            sb_addc(out, ' ');
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* 1 when code point `c` (not ASCII) is punctuation, a symbol or a format character, which
 * github-slugger drops; letters, marks (U+FE0F, the emoji presentation selector, is one) and
 * numbers stay. Latin-1 is as its table has it; beyond, the blocks of punctuation, symbols,
 * arrows, shapes, dingbats and emoji. */
static int slug_drops(uint32_t c)
{
    if (c < 0x100)
        return (c >= 0x80 && c <= 0xa9) || (c >= 0xab && c <= 0xb4) ||
               (c >= 0xb6 && c <= 0xb9) || (c >= 0xbb && c <= 0xbf) || c == 0xd7 || c == 0xf7;
    static const uint32_t ranges[][2] = {
        {0x2000, 0x206f}, {0x20a0, 0x20cf}, {0x2100, 0x214f}, {0x2190, 0x2bff},
        {0x2e00, 0x2e7f}, {0x3000, 0x303f}, {0xfe10, 0xfe1f}, {0xfe30, 0xfe4f},
        {0xfe50, 0xfe6f}, {0xff01, 0xff0f}, {0xff1a, 0xff20}, {0xff3b, 0xff40},
        {0xff5b, 0xff65}, {0xfeff, 0xfeff}, {0x1f000, 0x1faff},
    };
    for (size_t i = 0; i < ARRAY_LEN(ranges); i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return 1;
    return 0;
}

void doc_anchor_slug(struct strbuf *out, const char *text)
{
    sb_reset(out);
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                sb_addc(out, (char)(c - 'A' + 'a'));
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
                sb_addc(out, (char)c);
            else if (c == ' ')
                sb_addc(out, '-');
            i++;
            continue;
        }
        size_t len = utf8_seq_len(text + i, n - i);
        if (!len) {
            i++;
            continue;
        }
        uint32_t cp = len == 2 ? (uint32_t)(c & 0x1f) << 6 | (text[i + 1] & 0x3f)
                    : len == 3 ? (uint32_t)(c & 0x0f) << 12 | (uint32_t)(text[i + 1] & 0x3f) << 6 |
                                     (text[i + 2] & 0x3f)
                               : (uint32_t)(c & 0x07) << 18 | (uint32_t)(text[i + 1] & 0x3f) << 12 |
                                     (uint32_t)(text[i + 2] & 0x3f) << 6 | (text[i + 3] & 0x3f);
        if (!slug_drops(cp)) {
            if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7) { /* Latin-1 capitals */
                cp += 0x20;
                char lc[2] = {(char)(0xc0 | cp >> 6), (char)(0x80 | (cp & 0x3f))};
                sb_add(out, lc, 2);
            } else {
                sb_add(out, text + i, len);
            }
        }
        i += len;
    }
}

/* The ids an HTML fragment declares (`id="…"`, `name='…'`, any element), kept in `out`
 * (struct vec of arena strings). */
static void html_ids(struct arena *a, struct vec *out, const char *html)
{
    for (const char *p = html; p && *p; p++) {
        size_t k = 0;
        if ((p[0] | 0x20) == 'i' && (p[1] | 0x20) == 'd')
            k = 2;
        else if (!strncasecmp(p, "name", 4))
            k = 4;
        if (!k || p == html || !strchr(" \t\n", p[-1]))
            continue;
        const char *q = p + k;
        while (*q == ' ')
            q++;
        if (*q++ != '=')
            continue;
        while (*q == ' ')
            q++;
        char quote = *q == '"' || *q == '\'' ? *q++ : 0;
        const char *e = q;
        while (*e && (quote ? *e != quote : !strchr(" \t\n>", *e)))
            e++;
        if (e > q && e - q < 256)
            vec_push(out, arena_strndup(a, q, (size_t)(e - q)));
        p = e > p ? e - 1 : p;
    }
}

/* A heading's MkDocs attribute list, `Title { #id .class }`: the id, cut from `text` (its
 * slug is then made of the rest). NULL when there is none. */
static char *attr_list_id(struct arena *a, char *text)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    if (!n || text[n - 1] != '}')
        return NULL;
    char *open = memrchr(text, '{', n);
    if (!open)
        return NULL;
    const char *hash = memchr(open, '#', (size_t)(text + n - open));
    if (!hash)
        return NULL;
    const char *e = hash + 1;
    while (e < text + n && !strchr(" }", *e))
        e++;
    char *id = e > hash + 1 ? arena_strndup(a, hash + 1, (size_t)(e - hash - 1)) : NULL;
    if (id) {
        while (open > text && open[-1] == ' ')
            open--;
        *open = '\0';
    }
    return id;
}

/* `s` in `a`, stored once per distinct string of `strs`. */
static const char *str_keep(struct arena *a, struct strmap *strs, const char *s)
{
    const char *k = strmap_get(strs, s);
    if (!k) {
        k = arena_strdup(a, s);
        strmap_put(strs, k, (void *)k);
    }
    return k;
}

/* The slug of `text` with suffix -n (none when n is 0) into `out`. */
static void anchor_build(struct strbuf *out, const char *text, int n)
{
    doc_anchor_slug(out, text);
    if (n)
        sb_addf(out, "-%d", n);
}

/* A page-unique anchor: GitHub appends -1, -2 … to repeated slugs. Returns the suffix;
 * `seen` holds the page's anchors so far (copies in `a`). */
static int anchor_unique(struct arena *a, struct strmap *seen, const char *text)
{
    struct strbuf try = STRBUF_INIT;
    int n = 0;
    for (anchor_build(&try, text, n); strmap_get(seen, sb_str(&try)); anchor_build(&try, text, n))
        n++;
    char *res = arena_strdup(a, sb_str(&try));
    strmap_put(seen, res, res);
    sb_release(&try);
    return n;
}

const char *doc_heading_anchor(struct strbuf *out, const struct doc_heading *h)
{
    anchor_build(out, h->text, h->anchor_n);
    return sb_str(out);
}

/* The line (1-based) of the first line with more than `max` cells' worth of '|', or 0. */
static int wide_row(const char *data, size_t len, size_t max)
{
    int line = 1;
    size_t pipes = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n') {
            line++;
            pipes = 0;
        } else if (data[i] == '|' && ++pipes > max) {
            return line;
        }
    }
    return 0;
}

void doc_md_parse(struct doc_md *out, const char *data, size_t len)
{
    pthread_once(&ext_once, ext_register);
    out->wide_line = wide_row(data, len, DOC_MAX_TABLE_COLUMNS);
    out->wide_table = out->wide_line > 0;
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    static const char *const exts[] = {"table", "autolink", "strikethrough", "tasklist"};
    for (size_t i = out->wide_table ? 1 : 0; i < ARRAY_LEN(exts); i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, data, len);
    out->root = cmark_parser_finish(p);
    out->parser = p;
}

void doc_md_release(struct doc_md *md)
{
    cmark_node_free(md->root);
    cmark_parser_free(md->parser);
    md->root = NULL;
    md->parser = NULL;
}

static void truncated(struct unit *u, int line, const char *what)
{
    findings_add(&u->diags, finding_new("input-truncated", SEV_WARNING, u->file->path, line, 1,
                                        "%s", what));
}

void doc_load(struct unit *u, const char *data, size_t len)
{
    struct doc_page *d = arena_alloc(u->arena, sizeof(*d));
    d->path = u->file->path;
    struct doc_md md;
    doc_md_parse(&md, data, len);
    cmark_node *root = md.root;
    if (md.wide_table)
        truncated(u, md.wide_line,
                  "a table row of more than 256 cells: the document's tables are read as text");
    int depth = 0, cut_line = 0; /* links and images open around the iterator */

    /* Headings and links are gathered on the heap (struct doc_heading / doc_link values in a
     * byte buffer) and copied into the arena once, at their final size. */
    struct strbuf heads = STRBUF_INIT, links = STRBUF_INIT;
    size_t nheads = 0, nlinks = 0;
    struct strmap seen = STRMAP_INIT;
    struct arena *seen_arena = arena_new();
    struct strmap strs = STRMAP_INIT; /* each distinct url and link text stored once */
    struct strbuf sb = STRBUF_INIT;
    const char *first_h1 = NULL;
    struct vec anchors = VEC_INIT;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int is_link = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
        if (is_link && ev == CMARK_EVENT_EXIT)
            depth--;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (is_link && ++depth > DOC_MAX_LINK_DEPTH) {
            if (!cut_line)
                cut_line = cmark_node_get_start_line(n);
            continue; /* the site cuts it too (doc_md_parse's bounds) */
        }
        if ((t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) &&
            anchors.len < DOC_MAX_HEADINGS) {
            html_ids(u->arena, &anchors, cmark_node_get_literal(n));
        } else if (t == CMARK_NODE_HEADING && nheads < DOC_MAX_HEADINGS) {
            struct doc_heading h = {0};
            sb_reset(&sb);
            node_text(&sb, n);
            h.level = cmark_node_get_heading_level(n);
            char *text = arena_strdup(u->arena, sb_str(&sb));
            char *id = attr_list_id(u->arena, text);
            if (id)
                vec_push(&anchors, id);
            h.text = text;
            h.anchor_n = anchor_unique(seen_arena, &seen, h.text);
            h.loc.line = cmark_node_get_start_line(n);
            h.loc.col = cmark_node_get_start_column(n);
            if (h.level == 1 && !first_h1)
                first_h1 = h.text;
            sb_add(&heads, (const char *)&h, sizeof(h));
            nheads++;
        } else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) && nlinks < DOC_MAX_LINKS) {
            struct doc_link l = {0};
            const char *url = cmark_node_get_url(n) ? cmark_node_get_url(n) : "";
            l.url = str_keep(u->arena, &strs, url);
            l.text = "";
            if (doc_url_scheme(url) == 0) {
                sb_reset(&sb);
                node_text(&sb, n);
                l.text = str_keep(u->arena, &strs, sb_str(&sb));
            }
            l.image = t == CMARK_NODE_IMAGE;
            l.loc.line = cmark_node_get_start_line(n);
            l.loc.col = cmark_node_get_start_column(n);
            sb_add(&links, (const char *)&l, sizeof(l));
            nlinks++;
        }
    }
    cmark_iter_free(it);

    d->nheadings = nheads;
    d->headings = arena_alloc(u->arena, sizeof(*d->headings) * (nheads + 1));
    if (nheads)
        memcpy(d->headings, heads.buf, nheads * sizeof(*d->headings));
    d->nlinks = nlinks;
    d->links = arena_alloc(u->arena, sizeof(*d->links) * (nlinks + 1));
    if (nlinks)
        memcpy(d->links, links.buf, nlinks * sizeof(*d->links));
    d->nanchors = anchors.len;
    d->anchors = arena_alloc(u->arena, sizeof(*d->anchors) * (anchors.len + 1));
    for (size_t i = 0; i < anchors.len; i++)
        d->anchors[i] = anchors.items[i];
    vec_release(&anchors);
    if (first_h1 && *first_h1)
        d->title = first_h1;
    else if (d->nheadings && *d->headings[0].text)
        d->title = d->headings[0].text;
    else
        d->title = arena_strdup(u->arena, path_base(d->path));
    vec_push(&u->docs, d);

    sb_release(&heads);
    sb_release(&links);
    strmap_release(&seen);
    arena_free(seen_arena);
    strmap_release(&strs);
    sb_release(&sb);
    doc_md_release(&md);
    if (cut_line)
        truncated(u, cut_line, "links or images nested more than 32 deep: what they hold is "
                               "left out of the model and the site");
}

int doc_page_has_anchor(const struct doc_page *page, const char *anchor)
{
    struct strbuf sb = STRBUF_INIT;
    int found = 0;
    for (size_t i = 0; i < page->nheadings && !found; i++)
        found = strcmp(doc_heading_anchor(&sb, &page->headings[i]), anchor) == 0;
    for (size_t i = 0; i < page->nanchors && !found; i++)
        found = strcmp(page->anchors[i], anchor) == 0;
    sb_release(&sb);
    return found;
}

int doc_url_scheme(const char *url)
{
    const unsigned char *p = (const unsigned char *)url;
    for (const unsigned char *q = p; *q; q++)
        if (*q < 0x20 || *q == 0x7f)
            return -1; /* browsers strip tabs and newlines inside schemes: refuse them all */
    while (*p == ' ')
        p++;
    if (p[0] == '/' && p[1] == '/')
        return -1;
    if (p[0] == '\\')
        return -1;
    const unsigned char *s = p;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
           *s == '+' || *s == '-' || *s == '.')
        s++;
    if (*s != ':' || s == p)
        return 0;
    static const char *const keep[] = {"http", "https", "mailto"};
    for (size_t i = 0; i < ARRAY_LEN(keep); i++)
        if ((size_t)(s - p) == strlen(keep[i]) && strncasecmp((const char *)p, keep[i], s - p) == 0)
            return 1;
    return -1;
}

void doc_index_init(struct doc_index *out, const struct model *m)
{
    memset(out, 0, sizeof(*out));
    out->arena = arena_new();
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (strmap_get(&out->units, u->file->path))
            continue;
        strmap_put(&out->units, u->file->path, (void *)u);
        /* Every folder above the file, so a link to a folder resolves. */
        char *dir = arena_strdup(out->arena, u->file->path);
        for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
            *slash = '\0';
            if (strmap_get(&out->dirs, dir))
                break;
            strmap_put(&out->dirs, dir, (void *)u);
            dir = arena_strdup(out->arena, dir);
        }
    }
}

void doc_index_release(struct doc_index *ix)
{
    strmap_release(&ix->units);
    strmap_release(&ix->dirs);
    arena_free(ix->arena);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes [s, s+n) into out. */
static void pct_decode(struct strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            sb_addc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            sb_addc(out, s[i]);
        }
    }
}

static void set_broken(struct doc_target *out, const char *fmt, const char *arg)
{
    out->kind = DOC_TARGET_BROKEN;
    snprintf(out->buf, sizeof(out->buf), fmt, arg);
    out->reason = out->buf;
}

/* A docsify site (a folder with _sidebar.md or _coverpage.md at or above the page) resolves
 * a link from its own folder, whether written relative or from `/`, and reads a link without
 * an extension as its page (`guide` is guide.md, `dir/` is dir/README.md). The unit that
 * `rel` names that way, or NULL. */
static const struct unit *docsify_resolve(const struct doc_index *ix, const char *from,
                                          const char *rel)
{
    char *dir = path_dirname(from);
    const struct unit *found = NULL;
    for (;;) {
        char *side = *dir ? xasprintf("%s/_sidebar.md", dir) : xstrdup("_sidebar.md");
        char *cover = *dir ? xasprintf("%s/_coverpage.md", dir) : xstrdup("_coverpage.md");
        int root = strmap_get(&ix->units, side) || strmap_get(&ix->units, cover);
        free(side);
        free(cover);
        if (root) {
            static const char *const tails[] = {"", ".md", "/README.md", "README.md"};
            while (*rel == '/')
                rel++;
            for (size_t t = 0; !found && t < ARRAY_LEN(tails); t++) {
                char *cand = *dir ? xasprintf("%s/%s%s", dir, rel, tails[t])
                                  : xasprintf("%s%s", rel, tails[t]);
                char *norm = path_normalize(cand);
                found = strmap_get(&ix->units, norm);
                free(norm);
                free(cand);
            }
            break;
        }
        if (!*dir)
            break;
        char *up = path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    return found;
}

void doc_link_resolve(struct doc_target *out, const struct doc_index *ix, const char *from,
                      const char *url)
{
    memset(out, 0, sizeof(*out));
    int scheme = doc_url_scheme(url);
    if (scheme != 0) {
        out->kind = scheme > 0 ? DOC_TARGET_EXTERNAL : DOC_TARGET_UNSAFE;
        return;
    }
    const char *hash = strchr(url, '#');
    const char *q = strchr(url, '?');
    size_t plen = strlen(url);
    if (q && (!hash || q < hash))
        plen = (size_t)(q - url);
    else if (hash)
        plen = (size_t)(hash - url);
    const char *anchor = hash && hash[1] ? hash + 1 : NULL;
    const struct unit *self = strmap_get(&ix->units, from);

    struct strbuf path = STRBUF_INIT, rel = STRBUF_INIT;
    if (plen == 0) {
        out->kind = DOC_TARGET_SELF;
        out->unit = self;
        out->anchor = anchor;
        if (anchor && self && self->docs.len &&
            !doc_page_has_anchor(self->docs.items[0], anchor))
            set_broken(out, "no heading #%s on this page", anchor);
        goto out;
    }
    pct_decode(&rel, url, plen);
    if (rel.buf[0] == '/') {
        sb_adds(&path, rel.buf + 1);
    } else {
        char *dir = path_dirname(from);
        if (*dir) {
            sb_adds(&path, dir);
            sb_addc(&path, '/');
        }
        sb_adds(&path, rel.buf);
        free(dir);
    }
    char *norm = path_normalize(sb_str(&path));
    while (*norm && norm[strlen(norm) - 1] == '/')
        norm[strlen(norm) - 1] = '\0';
    if (strcmp(norm, ".") == 0)
        norm[0] = '\0'; /* the repository's root: `/`, `./`, `docs/..` */
    if (str_startswith(norm, "..") || *norm == '/' || !*norm) {
        if (!*norm) {
            out->kind = DOC_TARGET_DIR;
        } else {
            set_broken(out, "%s points outside the repository", rel.buf);
        }
        free(norm);
        goto out;
    }
    const struct unit *u = strmap_get(&ix->units, norm);
    if (!u && !strmap_get(&ix->dirs, norm))
        u = docsify_resolve(ix, from, rel.buf);
    if (u) {
        out->unit = u;
        out->kind = u->kind == FK_MARKDOWN && u->docs.len ? DOC_TARGET_DOC : DOC_TARGET_FILE;
        out->anchor = anchor;
        if (anchor && out->kind == DOC_TARGET_DOC &&
            !doc_page_has_anchor(u->docs.items[0], anchor)) {
            snprintf(out->buf, sizeof(out->buf), "no heading #%s in %s", anchor, norm);
            out->kind = DOC_TARGET_BROKEN;
            out->reason = out->buf;
        }
    } else if (strmap_get(&ix->dirs, norm)) {
        out->kind = DOC_TARGET_DIR;
        snprintf(out->buf, sizeof(out->buf), "%s", norm);
        out->anchor = NULL;
    } else {
        set_broken(out, "no file %s in the repository", norm);
    }
    free(norm);
out:
    sb_release(&path);
    sb_release(&rel);
}
