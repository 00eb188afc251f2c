/* Markdown documents: each .md file becomes a doc page with its title, its headings (with
 * the anchors a reader links to) and its links. Links are resolved against the scanned
 * files once every file is known: to another page (and heading), to a file, to a heading
 * of the same page, to an outside address, or broken. Strings live in the unit's arena (a page's
 * path is its unit's). */
#ifndef OPSBOOK_DOC_H
#define OPSBOOK_DOC_H

#include "model.h"

struct doc_heading {
    int level;                /* 1–6 */
    int anchor_n;             /* the -N GitHub appends to a repeated slug, 0 for none */
    const char *text;         /* plain text of the heading */
    struct loc loc;
};
/* The heading's anchor: the GitHub-style slug of its text, unique within the page, written
 * into `out` (reset first). Returns sb_str(out). */
const char *doc_heading_anchor(struct strbuf *out, const struct doc_heading *h);

struct doc_link {
    const char *url;          /* as written */
    const char *text;         /* plain text of a relative link (the only kind that can be
                               * broken), may be ""; "" for an outside or dropped address */
    int image;                /* ![alt](url) */
    struct loc loc;
};

struct doc_page {
    const char *path;         /* the unit's path */
    const char *title;        /* first level-1 heading, else the first heading, else the file
                                 name */
    struct doc_heading *headings;
    size_t nheadings;
    struct doc_link *links;
    size_t nlinks;
    const char **anchors;     /* ids the page declares besides its headings' slugs: HTML
                                 `id=` and `name=` attributes, MkDocs `{ #id }` on headings */
    size_t nanchors;
};

/* Models a Markdown file (u->kind == FK_MARKDOWN) into u->docs. A document past a bound
 * below gets an `input-truncated` finding saying what was cut. */
void doc_load(struct unit *u, const char *data, size_t len);

/* Bounds that keep Markdown linear on hostile input: cmark-gfm's table extension costs the
 * square of a table's columns, and rewriting a link costs its depth among links and images.
 * A row with more cells parses the document without the table extension (tables stay
 * text); a link or image nested deeper is cut with all it holds. */
enum { DOC_MAX_TABLE_COLUMNS = 256, DOC_MAX_LINK_DEPTH = 32 };

/* A Markdown document parsed as GitHub does (tables, autolinks, strikethrough, task lists)
 * within the bounds above. Release with doc_md_release. */
struct cmark_parser;
struct cmark_node;
struct doc_md {
    struct cmark_parser *parser;  /* its extensions are what cmark_render_html needs */
    struct cmark_node *root;
    int wide_table;               /* a row was too wide: parsed without tables */
    int wide_line;                /* the first such row's line */
};
void doc_md_parse(struct doc_md *out, const char *data, size_t len);
void doc_md_release(struct doc_md *md);

/* The anchor GitHub gives a heading's text, written into `out` (reset first): as
 * github-slugger does it, lower case; every character that is not a letter, a mark, a
 * number, '_', '-' or a space dropped (punctuation, symbols, emoji); each space to '-'. */
void doc_anchor_slug(struct strbuf *out, const char *text);

/* Which scanned file each path is, for resolving links. Built once per model. */
struct doc_index {
    struct strmap units;      /* path -> const struct unit* (first scan root wins) */
    struct strmap dirs;       /* every folder above a scanned file */
    struct arena *arena;
};
void doc_index_init(struct doc_index *out, const struct model *m);
void doc_index_release(struct doc_index *ix);

enum doc_target_kind {
    DOC_TARGET_EXTERNAL,      /* http, https, mailto */
    DOC_TARGET_SELF,          /* #anchor on the same page */
    DOC_TARGET_DOC,           /* another Markdown page (anchor may be set) */
    DOC_TARGET_FILE,          /* another scanned file (anchor may be a line: L12) */
    DOC_TARGET_DIR,           /* a folder that holds scanned files */
    DOC_TARGET_UNSAFE,        /* javascript:, data:, vbscript:, any other scheme: dropped */
    DOC_TARGET_BROKEN,        /* a relative path or anchor that does not exist */
};

struct doc_target {
    enum doc_target_kind kind;
    const struct unit *unit;  /* DOC and FILE */
    const char *anchor;       /* points into the url, NULL when none */
    const char *reason;       /* BROKEN: why, e.g. "no file docs/x.md" (in buf) */
    char buf[512];            /* DIR: the folder's path */
};

/* What a URL's scheme allows: 0 relative (a path or #anchor, no scheme, not "//host"),
 * 1 an outside address we keep (http, https, mailto), -1 anything else (javascript:, data:,
 * vbscript:, file:, "//host", control characters): such a URL is dropped. */
int doc_url_scheme(const char *url);

/* Resolves `url` written in the page at `from` (a path relative to the scanned root). */
void doc_link_resolve(struct doc_target *out, const struct doc_index *ix, const char *from,
                      const char *url);

/* 1 when `page` has `anchor`: a heading's GitHub slug, or an id it declares. */
int doc_page_has_anchor(const struct doc_page *page, const char *anchor);

#endif
