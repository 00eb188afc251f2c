/* Source views: each scanned file with its lines numbered (every line an anchor, #L12), the
 * findings shown under the lines they are about, and secret values masked with the same
 * spans the findings carry, so a page never shows a secret. */
#include "site_int.h"

#include <stdlib.h>
#include <string.h>

#define SRC_MAX_BYTES (4u << 20)
#define SRC_MAX_LINES 50000

/* Escapes s[0, n), which sits on `line` from column col0 (1-based), masking every secret
 * span a finding of the file reports on that line. ff's findings are in line order. */
void site_esc_masked(struct strbuf *sb, const struct site_file_findings *ff, int line, int col0,
                     const char *s, size_t n)
{
    size_t pos = 0;
    struct strbuf masked = STRBUF_INIT;
    for (;;) {
        /* The next span starting at or covering pos. */
        size_t best_a = n, best_b = n;
        for (size_t i = 0; ff && i < ff->v.len; i++) {
            const struct finding *f = ff->v.items[i];
            if (f->line != line || f->mask_len <= 0 || f->mask_col <= 0)
                continue;
            long a = (long)f->mask_col - col0, b = a + f->mask_len;
            if (b <= (long)pos || a >= (long)n)
                continue;
            size_t ua = a < (long)pos ? pos : (size_t)a, ub = b > (long)n ? n : (size_t)b;
            if (ua < best_a || (ua == best_a && ub > best_b)) {
                best_a = ua;
                best_b = ub;
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

char *site_mask_bytes(const struct site_file_findings *ff, const char *data, size_t len)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    for (size_t i = 0; ff && i < ff->v.len; i++) {
        const struct finding *f = ff->v.items[i];
        if (f->line <= 0 || f->mask_len <= 0 || f->mask_col <= 0)
            continue;
        /* Find the line's start. */
        const char *p = copy, *end = copy + len;
        for (int l = 1; l < f->line && p < end; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t a = (size_t)f->mask_col - 1;
        for (size_t k = a; k < a + (size_t)f->mask_len && k < linelen; k++)
            copy[(p - copy) + k] = '*';
    }
    return copy;
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
    const char *repo = site->opts->repository;
    if (repo && (str_startswith(repo, "https://") || str_startswith(repo, "http://")) &&
        html_url_allowed(repo)) {
        char *url = xasprintf("%s%sblob/HEAD/%s", repo, str_endswith(repo, "/") ? "" : "/",
                              u->file->path);
        sb_adds(sb, " \xc2\xb7 <a class=\"external\" href=\"");
        html_url(sb, url);
        sb_adds(sb, "\">view in repository</a>");
        free(url);
    }
    if (ff)
        sb_addf(sb, " \xc2\xb7 <a href=\"#findings\">%u finding%s</a>", ff->v.len,
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
            int has =
                ff && fi < ff->v.len && ((const struct finding *)ff->v.items[fi])->line == line;
            sb_addf(sb, "<tr id=\"L%d\"%s><td class=\"ln\"><a href=\"#L%d\">%d</a></td>"
                        "<td class=\"code\">",
                    line, has ? " class=\"hit\"" : "", line, line);
            site_esc_masked(sb, ff, line, 1, p, shown);
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
    sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%u</span></h2>\n",
            ff ? ff->v.len : 0);
    site_findings_table(po, ff ? &ff->v : NULL, 1, 0);
    site_frame_close(po);
}
