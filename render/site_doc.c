/* Doc pages: each Markdown file rendered with cmark-gfm (tables, autolinks, strikethrough,
 * task lists), raw HTML left out, headings given anchors, and every link rewritten: to the
 * page of the doc or file it names, to the outside world for http(s)/mailto, and to nothing
 * (a marked span) when it is broken or uses a scheme we refuse. Also backlinks and the docs
 * index. */
#include "site_int.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* Moves n's children under `to`. */
static void children_move(cmark_node *n, cmark_node *to)
{
    cmark_node *c;
    while ((c = cmark_node_first_child(n)) != NULL) {
        cmark_node_unlink(c);
        cmark_node_append_child(to, c);
    }
}

/* Replaces link n with a span (its text kept): for broken and refused links. */
static void link_to_span(cmark_node *n, const char *cls, const char *why)
{
    struct strbuf open = STRBUF_INIT;
    sb_addf(&open, "<span class=\"%s\"", cls);
    if (why) {
        sb_adds(&open, " title=\"");
        html_esc(&open, why);
        sb_adds(&open, "\"");
    }
    sb_adds(&open, ">");
    cmark_node *span = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(span, sb_str(&open));
    cmark_node_set_on_exit(span, "</span>");
    children_move(n, span);
    cmark_node_insert_before(n, span);
    cmark_node_unlink(n);
    cmark_node_free(n);
    sb_release(&open);
}

/* An image becomes a link to it: pages never load anything from elsewhere. */
static cmark_node *image_to_link(cmark_node *img)
{
    cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
    const char *url = cmark_node_get_url(img);
    cmark_node_set_url(link, url ? url : "");
    children_move(img, link);
    if (!cmark_node_first_child(link)) {
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, "image");
        cmark_node_append_child(link, t);
    }
    cmark_node_insert_before(img, link);
    cmark_node_unlink(img);
    cmark_node_free(img);
    return link;
}

/* 1 when s is "L" followed by digits (a line anchor on a source view). */
static int is_line_anchor(const char *s)
{
    if (!s || s[0] != 'L' || !s[1])
        return 0;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static void link_rewrite(struct page_out *po, const struct unit *u, cmark_node *n)
{
    const struct site *site = po->site;
    const char *url = cmark_node_get_url(n);
    struct doc_target t;
    doc_link_resolve(&t, &site->docs, u->file->path, url ? url : "");
    struct strbuf to = STRBUF_INIT;
    const char *page = NULL;
    switch (t.kind) {
    case DOC_TARGET_EXTERNAL:
        goto out;
    case DOC_TARGET_SELF:
        sb_addc(&to, '#');
        if (t.anchor)
            sb_adds(&to, t.anchor);
        break;
    case DOC_TARGET_DOC:
    case DOC_TARGET_FILE:
        page = strmap_get(&site->main_page, t.unit->file->path);
        if (!page || (t.kind == DOC_TARGET_FILE && is_line_anchor(t.anchor)))
            page = strmap_get(&site->src_page, t.unit->file->path);
        if (!page || !*page) {
            link_to_span(n, "file-ref", "a file without a page on this site");
            goto out;
        }
        sb_adds(&to, po->root);
        sb_adds(&to, page);
        if (t.anchor) {
            sb_addc(&to, '#');
            sb_adds(&to, t.anchor);
        }
        break;
    case DOC_TARGET_DIR:
        sb_adds(&to, po->root);
        sb_adds(&to, "sources.html");
        break;
    case DOC_TARGET_UNSAFE:
        link_to_span(n, "refused-link", "link removed: only http, https, mailto and relative "
                                        "links are kept");
        goto out;
    case DOC_TARGET_BROKEN:
        link_to_span(n, "broken-link", t.reason);
        goto out;
    }
    /* cmark escapes and percent-encodes the URL when it renders it. */
    cmark_node_set_url(n, sb_str(&to));
out:
    sb_release(&to);
}

static void heading_anchor(cmark_node *n, const char *anchor)
{
    struct strbuf a = STRBUF_INIT;
    sb_adds(&a, "<a class=\"anchor\" id=\"");
    html_esc(&a, anchor);
    sb_adds(&a, "\" href=\"#");
    html_url(&a, anchor);
    sb_adds(&a, "\" aria-hidden=\"true\">#</a>");
    cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(c, sb_str(&a));
    cmark_node_set_on_exit(c, "");
    cmark_node_prepend_child(n, c);
    sb_release(&a);
}

void site_markdown_render(struct page_out *po, const struct unit *u)
{
    const struct doc_page *d = u->docs.items[0];
    struct filemap fm;
    struct errbuf err = {{0}, 0};
    if (filemap_open(&fm, u->file->abspath, 16u << 20, &err) != 0) {
        sb_adds(po->sb, "<p class=\"empty\">This file could not be read again: ");
        html_esc(po->sb, err.msg);
        sb_adds(po->sb, "</p>\n");
        return;
    }
    /* Secrets reported in the doc are masked before it is parsed: never on a page. */
    char *masked = site_mask_bytes(site_findings_of(po->site, u->file->path), fm.data, fm.len);
    struct doc_md md;
    doc_md_parse(&md, masked, fm.len);
    free(masked);
    cmark_node *root = md.root;
    filemap_close(&fm);

    /* Collect first, then rewrite: the tree changes under the iterator otherwise. A link or
     * image nested past DOC_MAX_LINK_DEPTH is cut whole (the model left it out too). */
    struct vec heads = VEC_INIT, links = VEC_INIT, cuts = VEC_INIT;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    int depth = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int is_link = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
        if (is_link && ev == CMARK_EVENT_EXIT)
            depth--;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (is_link && ++depth == DOC_MAX_LINK_DEPTH + 1)
            vec_push(&cuts, n);
        if (depth > DOC_MAX_LINK_DEPTH)
            continue;
        if (t == CMARK_NODE_HEADING)
            vec_push(&heads, n);
        else if (is_link)
            vec_push(&links, n);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < cuts.len; i++) {
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, "…");
        cmark_node_insert_before(cuts.items[i], t);
        cmark_node_free(cuts.items[i]); /* unlinks it */
    }
    vec_release(&cuts);
    struct strbuf anchor = STRBUF_INIT;
    for (size_t i = 0; i < heads.len && i < d->nheadings; i++)
        heading_anchor(heads.items[i], doc_heading_anchor(&anchor, &d->headings[i]));
    sb_release(&anchor);
    for (size_t i = 0; i < links.len; i++) {
        cmark_node *n = links.items[i];
        if (cmark_node_get_type(n) == CMARK_NODE_IMAGE)
            n = image_to_link(n);
        link_rewrite(po, u, n);
    }
    /* No CMARK_OPT_UNSAFE: raw HTML is replaced by a comment and dangerous URLs by "". */
    char *html = cmark_render_html(root, CMARK_OPT_DEFAULT,
                                   cmark_parser_get_syntax_extensions(md.parser));
    sb_adds(po->sb, html);
    free(html);
    vec_release(&heads);
    vec_release(&links);
    doc_md_release(&md);
}

static void toc(struct page_out *po, const struct doc_page *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nheadings; i++)
        n += d->headings[i].level >= 2 && d->headings[i].level <= 3;
    if (n < 2)
        return;
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<nav class=\"toc\" aria-label=\"On this page\"><h2>On this page</h2><ul>\n");
    struct strbuf anchor = STRBUF_INIT;
    for (size_t i = 0; i < d->nheadings; i++) {
        const struct doc_heading *h = &d->headings[i];
        if (h->level < 2 || h->level > 3)
            continue;
        sb_addf(sb, "<li class=\"l%d\"><a href=\"#", h->level);
        html_url(sb, doc_heading_anchor(&anchor, h));
        sb_adds(sb, "\">");
        html_esc(sb, h->text);
        sb_adds(sb, "</a></li>\n");
    }
    sb_release(&anchor);
    sb_adds(sb, "</ul></nav>\n");
}

void site_page_doc(struct page_out *po)
{
    const struct site *site = po->site;
    const struct unit *u = po->page->unit;
    const struct doc_page *d = u->docs.items[0];
    struct strbuf *sb = po->sb;
    int own_h1 = d->nheadings && d->headings[0].level == 1 && d->headings[0].loc.line <= 3;
    site_frame_open(po, own_h1 ? NULL : d->title, NULL);
    sb_adds(sb, "<div class=\"docmeta\">Source: ");
    site_link(po, strmap_get(&site->src_page, u->file->path), NULL, u->file->path);
    sb_adds(sb, "</div>\n<div class=\"docgrid\">\n<article class=\"markdown\">\n");
    site_markdown_render(po, u);
    sb_adds(sb, "</article>\n<aside class=\"docside\">\n");
    toc(po, d);
    const struct vec *from = strmap_get(&site->backlinks, u->file->path);
    sb_adds(sb, "<section class=\"backlinks\"><h2>Linked from</h2>\n");
    if (from && from->len) {
        sb_adds(sb, "<ul>\n");
        for (size_t i = 0; i < from->len; i++) {
            const struct unit *o = from->items[i];
            sb_adds(sb, "<li>");
            site_link(po, strmap_get(&site->main_page, o->file->path), NULL,
                      ((const struct doc_page *)o->docs.items[0])->title);
            sb_adds(sb, "</li>\n");
        }
        sb_adds(sb, "</ul>\n");
    } else {
        sb_adds(sb, "<p class=\"empty\">No other doc links here.</p>\n");
    }
    sb_adds(sb, "</section>\n");
    /* Broken links, with the line to fix. */
    int nbroken = 0;
    for (size_t i = 0; i < d->nlinks; i++) {
        struct doc_target t;
        doc_link_resolve(&t, &site->docs, u->file->path, d->links[i].url);
        if (t.kind != DOC_TARGET_BROKEN)
            continue;
        if (!nbroken++)
            sb_adds(sb, "<section class=\"brokenlinks\"><h2>Broken links</h2><ul>\n");
        sb_adds(sb, "<li>");
        char where[32];
        snprintf(where, sizeof(where), "line %d", d->links[i].loc.line);
        site_link_unit(po, u->file->path, d->links[i].loc.line, where);
        sb_adds(sb, ": ");
        html_esc(sb, t.reason);
        sb_adds(sb, "</li>\n");
    }
    if (nbroken)
        sb_adds(sb, "</ul></section>\n");
    sb_adds(sb, "</aside>\n</div>\n");
    const struct site_file_findings *ff = site_findings_of(site, u->file->path);
    if (ff && ff->v.len) {
        sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%u</span></h2>\n",
                ff->v.len);
        site_findings_table(po, &ff->v, 1, 0);
    }
    site_frame_close(po);
}

void site_page_docs(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Docs", "Runbooks and guides from the repository's Markdown files.");
    if (!site->doc_units.len) {
        sb_adds(sb, "<p class=\"empty\">No Markdown docs were found.</p>\n");
        site_frame_close(po);
        return;
    }
    sb_adds(sb, "<table>\n<thead><tr><th>Doc</th><th>File</th><th class=\"num\">Sections</th>"
                "<th class=\"num\">Linked from</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < site->doc_units.len; i++) {
        const struct unit *u = site->doc_units.items[i];
        const struct doc_page *d = u->docs.items[0];
        const struct vec *from = strmap_get(&site->backlinks, u->file->path);
        sb_adds(sb, "<tr><td>");
        site_link(po, strmap_get(&site->main_page, u->file->path), NULL, d->title);
        sb_adds(sb, "</td><td>");
        site_link(po, strmap_get(&site->src_page, u->file->path), NULL, u->file->path);
        sb_addf(sb, "</td><td class=\"num\">%zu</td><td class=\"num\">%u</td></tr>\n",
                d->nheadings, from ? from->len : 0);
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}

void site_entries_doc(struct site *site, const struct unit *u)
{
    const char *page = strmap_get(&site->main_page, u->file->path);
    const struct doc_page *d = u->docs.items[0];
    site_entry_add(site, "doc", d->title, page, NULL, u->file->path);
    struct strbuf anchor = STRBUF_INIT;
    for (size_t i = 0; i < d->nheadings; i++) {
        const struct doc_heading *h = &d->headings[i];
        if (h->level < 2)
            continue;
        char *label = xasprintf("%s \xe2\x80\xba %s", d->title, h->text);
        site_entry_add(site, "heading", label, page, doc_heading_anchor(&anchor, h), u->file->path);
        free(label);
    }
    sb_release(&anchor);
}
