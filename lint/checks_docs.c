/* Checks over the Markdown docs. docs-broken-link resolves every link of every doc against
 * the scanned files, once all of them are known, with the same resolver the site uses, so
 * the site's "broken" marks and the findings always agree. */
#include "checks.h"

#include "model/doc.h"

static void broken_links(struct lint_ctx *ctx)
{
    struct doc_index ix;
    doc_index_init(&ix, ctx->model);
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        if (strmap_get(&ix.units, u->file->path) != u)
            continue; /* the same path under a second root resolves to the first */
        for (size_t d = 0; d < u->docs.len; d++) {
            const struct doc_page *page = u->docs.items[d];
            for (size_t l = 0; l < page->nlinks; l++) {
                const struct doc_link *link = &page->links[l];
                struct doc_target t;
                doc_link_resolve(&t, &ix, u->file->path, link->url);
                if (t.kind != DOC_TARGET_BROKEN)
                    continue;
                lint_report_at(ctx, u, link->loc.line, link->loc.col, NULL,
                               "%s '%.60s' is broken: %s", link->image ? "image" : "link",
                               link->text, t.reason);
            }
        }
    }
    doc_index_release(&ix);
}

const struct check_def lint_checks_docs[] = {
    {.name = "docs-broken-link", .kinds = KIND(FK_MARKDOWN), .on_model = broken_links},
    {0},
};
