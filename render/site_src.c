/* Source views: each scanned file with its lines numbered (every line an anchor, #L12), the
 * findings shown under the lines they are about, and secret values masked with the same
 * spans the findings carry, so a page never shows a secret. */
#include "site_int.h"

#include <string.h>

#define SRC_MAX_BYTES (4u << 20)
#define SRC_MAX_LINES 50000

/* Writes one line, masking every secret span reported on it. */
static void line_masked(struct strbuf *sb, const char *s, size_t n,
                        const struct site_file_findings *ff, size_t first, int line)
{
    size_t pos = 0;
    struct strbuf masked = STRBUF_INIT;
    /* Spans come from findings on this line; apply them left to right. */
    for (;;) {
        size_t best_a = n, best_b = n;
        for (size_t i = first; ff && i < ff->v.len; i++) {
            const struct finding *f = ff->v.items[i];
            if (f->line != line)
                break;
            if (f->mask_len <= 0 || f->mask_col <= 0)
                continue;
            size_t a = (size_t)f->mask_col - 1, b = a + (size_t)f->mask_len;
            if (b > n)
                b = n;
            if (a >= pos && a < best_a) {
                best_a = a;
                best_b = b;
            } else if (a < pos && b > pos && pos < best_a) {
                best_a = pos; /* overlaps a span already written: mask the rest of it */
                best_b = b;
            }
        }
        if (best_a >= n)
            break;
        html_escn(sb, s + pos, best_a - pos);
        sb_reset(&masked);
        secret_mask(&masked, s + best_a, best_b - best_a);
        sb_adds(sb, "<span class=\"masked\" title=\"secret value masked\">");
        html_escn(sb, masked.buf ? masked.buf : "", masked.len);
        sb_adds(sb, "</span>");
        pos = best_b;
    }
    if (pos < n)
        html_escn(sb, s + pos, n - pos);
    sb_release(&masked);
}

static void finding_row(struct page_out *po, const struct finding *f)
{
    struct strbuf *sb = po->sb;
    sb_addf(sb, "<tr class=\"fnd sev-%s\"><td></td><td>", severity_name(f->severity));
    site_sev_badge(sb, f->severity);
    sb_adds(sb, " ");
    html_esc(sb, f->message);
    sb_adds(sb, " ");
    site_link_rule(po, f->rule_id);
    if (f->suppressed) {
        sb_adds(sb, " <span class=\"tag\">suppressed: ");
        html_esc(sb, f->suppressed);
        sb_adds(sb, "</span>");
    }
    sb_adds(sb, "</td></tr>\n");
}

void site_page_source(struct page_out *po)
{
    const struct site *site = po->site;
    const struct unit *u = po->page->unit;
    struct strbuf *sb = po->sb;
    const struct site_file_findings *ff = site_findings_of(site, u->file->path);
    site_frame_open(po, u->file->path, NULL);
    sb_addf(sb, "<p class=\"subtitle\">%s \xc2\xb7 %llu bytes", file_kind_name(u->kind),
            (unsigned long long)u->bytes);
    const char *main = strmap_get(&site->main_page, u->file->path);
    if (main) {
        sb_adds(sb, " \xc2\xb7 ");
        site_link(po, main, NULL, u->workflows.len ? "pipeline page" : "rendered doc");
    }
    const struct vec *svcs = strmap_get(&site->file_services, u->file->path);
    for (size_t i = 0; svcs && i < svcs->len; i++) {
        sb_adds(sb, i ? ", " : " \xc2\xb7 service ");
        site_link_service(po, ((const struct service *)svcs->items[i])->name);
    }
    if (ff)
        sb_addf(sb, " \xc2\xb7 <a href=\"#findings\">%zu finding%s</a>", ff->v.len,
                ff->v.len == 1 ? "" : "s");
    sb_adds(sb, "</p>\n");

    /* Findings about the whole file (line 0) first. */
    size_t fi = 0;
    struct filemap fm;
    struct errbuf err = {{0}, 0};
    if (filemap_open(&fm, u->file->abspath, SRC_MAX_BYTES, &err) != 0) {
        sb_adds(sb, "<p class=\"empty\">Not shown: ");
        html_esc(sb, err.msg);
        sb_adds(sb, "</p>\n");
    } else {
        sb_adds(sb, "<div class=\"srcwrap\"><table class=\"src\">\n<tbody>\n");
        const char *p = fm.data, *end = fm.data + fm.len;
        int line = 1;
        while (ff && fi < ff->v.len && ((const struct finding *)ff->v.items[fi])->line <= 0)
            finding_row(po, ff->v.items[fi++]);
        while (p < end && line <= SRC_MAX_LINES) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            size_t shown = n && p[n - 1] == '\r' ? n - 1 : n;
            int has = ff && fi < ff->v.len && ((const struct finding *)ff->v.items[fi])->line == line;
            sb_addf(sb, "<tr id=\"L%d\"%s><td class=\"ln\"><a href=\"#L%d\">%d</a></td>"
                        "<td class=\"code\">",
                    line, has ? " class=\"hit\"" : "", line, line);
            line_masked(sb, p, shown, ff, fi, line);
            sb_adds(sb, "</td></tr>\n");
            while (ff && fi < ff->v.len && ((const struct finding *)ff->v.items[fi])->line == line)
                finding_row(po, ff->v.items[fi++]);
            line++;
            if (!nl)
                break;
            p = nl + 1;
        }
        sb_adds(sb, "</tbody>\n</table></div>\n");
        if (p < end && line > SRC_MAX_LINES)
            sb_addf(sb, "<p class=\"empty\">Only the first %d lines are shown.</p>\n",
                    SRC_MAX_LINES);
        filemap_close(&fm);
    }
    sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%zu</span></h2>\n",
            ff ? ff->v.len : 0);
    site_findings_table(po, ff ? &ff->v : NULL, 1, 0);
    site_frame_close(po);
}
