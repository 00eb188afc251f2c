/* The runbook site: a static, cross-linked HTML site of a scan (overview, workflows, docs,
 * findings, rules, source views, search) written into a folder. Output is deterministic and
 * every piece of repository text goes through the escaping helpers below. */
#ifndef OPSBOOK_SITE_H
#define OPSBOOK_SITE_H

#include "lint/lint.h"

struct site_opts {
    const char *outdir;       /* created when missing */
    const char *title;        /* shown in the header; NULL: the scanned folder's name */
    const char *repository;   /* http(s) URL of the repository for "view in repository"
                                 links on source pages (…/blob/HEAD/PATH#Ln); may be NULL */
    int threads;              /* 0: one per core */
};

struct site_stats {
    size_t pages;             /* HTML pages written */
    size_t files;             /* every file written, assets included */
    double seconds;
};

/* Writes the site of scan `s` into o->outdir. Returns 0, or -1 with err set when the folder
 * or a file in it cannot be written. `st` may be NULL. */
int site_write(const struct scan *s, const struct site_opts *o, struct site_stats *st,
               struct errbuf *err);

/* ---- HTML helpers (render/html.c) ---- */

/* Appends text escaped for HTML text and quoted attribute values (& < > " '). Invalid UTF-8
 * bytes and control characters other than tab and newline become U+FFFD. */
void html_esc(struct strbuf *sb, const char *s);
void html_escn(struct strbuf *sb, const char *s, size_t n);
/* Appends a URL for an href: percent-encodes what is not URL-safe, then escapes it. */
void html_url(struct strbuf *sb, const char *url);
/* 1 when an address from the repository may become a link (http, https, mailto, relative,
 * #anchor); javascript:, data:, vbscript: and the rest are refused. */
int html_url_allowed(const char *url);
/* Appends `s` as a JavaScript string literal, safe inside a .js file (no "</script", no
 * U+2028/2029 breaking the line). */
void html_js_str(struct strbuf *sb, const char *s);

#endif
