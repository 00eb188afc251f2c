/* The site's frame (head, header with search, sidebar, footer), the shared pieces every page
 * uses (links, badges, the findings table) and the index pages: overview, findings, rules and
 * one page per rule, source files, search. */
#include "site_int.h"

#include <string.h>

#include "model/gha.h"
#include "model/linked.h"
#include "render.h"

/* Where each kind of page sits in the sidebar. */
static const struct {
    enum page_kind section;
    const char *path, *label;
} nav[] = {
    {PG_OVERVIEW, "index.html", "Overview"},
    {PG_SERVICES, "services.html", "Services"},
    {PG_ENVS, "environments.html", "Environments"},
    {PG_WORKFLOWS, "workflows.html", "Pipelines"},
    {PG_INFRA, "infrastructure.html", "Infrastructure"},
    {PG_DOCS, "docs.html", "Docs"},
    {PG_FINDINGS, "findings.html", "Findings"},
    {PG_RULES, "rules.html", "Rules"},
    {PG_SOURCES, "sources.html", "Source files"},
    {PG_SEARCH, "search.html", "Search"},
};

static enum page_kind section_of(enum page_kind k)
{
    static const enum page_kind sec[PG__COUNT] = {
        [PG_OVERVIEW] = PG_OVERVIEW, [PG_FINDINGS] = PG_FINDINGS, [PG_RULES] = PG_RULES,
        [PG_RULE] = PG_RULES,         [PG_WORKFLOWS] = PG_WORKFLOWS, [PG_WORKFLOW] = PG_WORKFLOWS,
        [PG_DOCS] = PG_DOCS,          [PG_DOC] = PG_DOCS,           [PG_SOURCES] = PG_SOURCES,
        [PG_SOURCE] = PG_SOURCES,     [PG_SEARCH] = PG_SEARCH,       [PG_SERVICES] = PG_SERVICES,
        [PG_SERVICE] = PG_SERVICES,   [PG_ENVS] = PG_ENVS,           [PG_ENV] = PG_ENVS,
        [PG_INFRA] = PG_INFRA,        [PG_TF] = PG_INFRA,
    };
    return sec[k];
}

void site_link(struct page_out *po, const char *path, const char *frag, const char *text)
{
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<a href=\"");
    sb_adds(sb, po->root);
    html_url(sb, path);
    if (frag) {
        sb_addc(sb, '#');
        html_url(sb, frag);
    }
    sb_adds(sb, "\">");
    html_esc(sb, text);
    sb_adds(sb, "</a>");
}

void site_link_unit(struct page_out *po, const char *unit_path, int line, const char *text)
{
    const char *main = strmap_get(&po->site->main_page, unit_path);
    const char *src = strmap_get(&po->site->src_page, unit_path);
    if (line > 0 && src && *src) {
        char frag[32];
        snprintf(frag, sizeof(frag), "L%d", line);
        site_link(po, src, frag, text);
    } else if (main) {
        site_link(po, main, NULL, text);
    } else if (src && *src) {
        site_link(po, src, NULL, text);
    } else {
        sb_adds(po->sb, "<span class=\"nolink\">");
        html_esc(po->sb, text);
        sb_adds(po->sb, "</span>");
    }
}

void site_link_rule(struct page_out *po, const char *rule_id)
{
    const char *p = strmap_get(&po->site->rule_page, rule_id);
    sb_adds(po->sb, "<code class=\"rule\">");
    if (p) {
        site_link(po, p, NULL, rule_id);
    } else {
        html_esc(po->sb, rule_id);
    }
    sb_adds(po->sb, "</code>");
}

void site_sev_badge(struct strbuf *sb, enum severity s)
{
    const char *n = severity_name(s);
    sb_addf(sb, "<span class=\"sev sev-%s\">%s</span>", n, n);
}

void site_frame_open(struct page_out *po, const char *h1, const char *subtitle)
{
    struct strbuf *sb = po->sb;
    const struct site *site = po->site;
    const char *r = po->root;
    sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"opsbook " OPSBOOK_VERSION "\">\n<title>");
    html_esc(sb, po->page->title);
    sb_adds(sb, " · ");
    html_esc(sb, site->title);
    sb_addf(sb, "</title>\n<link rel=\"stylesheet\" href=\"%sassets/style.css\">\n"
                "<script defer src=\"%sassets/search-index.js\"></script>\n"
                "<script defer src=\"%sassets/app.js\"></script>\n</head>\n",
            r, r, r);
    sb_addf(sb, "<body data-root=\"%s\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                "<header class=\"topbar\">\n<a class=\"brand\" href=\"%sindex.html\">"
                "<span class=\"logo\" aria-hidden=\"true\"></span>",
            r, r);
    html_esc(sb, site->title);
    sb_addf(sb, "</a>\n<form class=\"search\" action=\"%ssearch.html\" method=\"get\" "
                "role=\"search\">\n<input id=\"search-input\" type=\"search\" name=\"q\" "
                "placeholder=\"Search pipelines, jobs, docs, rules, files\" autocomplete=\"off\" "
                "aria-label=\"Search\">\n<ul id=\"search-results\" class=\"search-results\" "
                "hidden></ul>\n</form>\n</header>\n<div class=\"layout\">\n"
                "<nav class=\"sidebar\" aria-label=\"Site\">\n<ul>\n",
            r);
    enum page_kind sec = section_of(po->page->kind);
    for (size_t i = 0; i < ARRAY_LEN(nav); i++) {
        sb_addf(sb, "<li><a href=\"%s%s\"%s>%s", r, nav[i].path,
                nav[i].section == sec ? " aria-current=\"page\"" : "", nav[i].label);
        if (nav[i].section == PG_FINDINGS) {
            size_t n = site->nseverity[SEV_ERROR] + site->nseverity[SEV_WARNING] +
                       site->nseverity[SEV_NOTE];
            sb_addf(sb, " <span class=\"count\">%zu</span>", n);
        }
        sb_adds(sb, "</a></li>\n");
    }
    sb_adds(sb, "</ul>\n</nav>\n<main id=\"main\">\n");
    if (po->page->kind != PG_OVERVIEW) {
        sb_addf(sb, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"%sindex.html\">"
                    "Overview</a>",
                r);
        for (size_t i = 0; i < ARRAY_LEN(nav); i++)
            if (nav[i].section == sec && sec != po->page->kind && sec != PG_OVERVIEW)
                sb_addf(sb, " <span>/</span> <a href=\"%s%s\">%s</a>", r, nav[i].path,
                        nav[i].label);
        sb_adds(sb, "</nav>\n");
    }
    if (h1) {
        sb_adds(sb, "<h1>");
        html_esc(sb, h1);
        sb_adds(sb, "</h1>\n");
    }
    if (subtitle) {
        sb_adds(sb, "<p class=\"subtitle\">");
        html_esc(sb, subtitle);
        sb_adds(sb, "</p>\n");
    }
}

void site_frame_close(struct page_out *po)
{
    sb_addf(po->sb, "</main>\n</div>\n<footer class=\"footer\">Generated by opsbook "
                    OPSBOOK_VERSION " · <a href=\"%sindex.html\">Overview</a> · "
                    "<a href=\"%sfindings.html\">Findings</a> · <a href=\"%srules.html\">Rules</a>"
                    "</footer>\n</body>\n</html>\n",
            po->root, po->root, po->root);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A <select> of the distinct values of one finding attribute, sorted. */
static void filter_select(struct page_out *po, const struct vec *findings, const char *name,
                          const char *label, const char *(*get)(const struct site *,
                                                                 const struct finding *))
{
    struct strmap seen = STRMAP_INIT;
    struct vec vals = VEC_INIT;
    for (size_t i = 0; i < findings->len; i++) {
        const char *v = get(po->site, findings->items[i]);
        if (!strmap_get(&seen, v)) {
            strmap_put(&seen, v, (void *)v);
            vec_push(&vals, (void *)v);
        }
    }
    vec_sort(&vals, str_cmp);
    sb_addf(po->sb, "<label>%s <select data-filter=\"%s\"><option value=\"\">all</option>", label,
            name);
    for (size_t i = 0; i < vals.len; i++) {
        sb_adds(po->sb, "<option value=\"");
        html_esc(po->sb, vals.items[i]);
        sb_adds(po->sb, "\">");
        html_esc(po->sb, vals.items[i]);
        sb_adds(po->sb, "</option>");
    }
    sb_adds(po->sb, "</select></label>\n");
    vec_release(&vals);
    strmap_release(&seen);
}

static const char *get_sev(const struct site *site, const struct finding *f)
{
    (void)site;
    return severity_name(f->severity);
}

static const char *get_rule(const struct site *site, const struct finding *f)
{
    (void)site;
    return f->rule_id;
}

void site_findings_table(struct page_out *po, const struct vec *findings, int with_path,
                         int filters)
{
    struct strbuf *sb = po->sb;
    if (!findings || !findings->len) {
        sb_adds(sb, "<p class=\"empty\">No findings.</p>\n");
        return;
    }
    if (filters) {
        sb_adds(sb, "<form class=\"filters\" data-filters hidden>\n");
        filter_select(po, findings, "sev", "Severity", get_sev);
        filter_select(po, findings, "cat", "Category", site_finding_category);
        filter_select(po, findings, "rule", "Rule", get_rule);
        sb_adds(sb, "<label>Path <input type=\"search\" data-filter=\"path\" "
                    "placeholder=\"e.g. k8s/\"></label>\n<output data-count></output>\n</form>\n");
    }
    sb_addf(sb, "<table class=\"findings\"%s>\n<thead><tr><th>Severity</th><th>Rule</th>"
                "<th>Finding</th>%s</tr></thead>\n<tbody>\n",
            filters ? " data-filterable" : "", with_path ? "<th>Where</th>" : "");
    for (size_t i = 0; i < findings->len; i++) {
        const struct finding *f = findings->items[i];
        sb_addf(sb, "<tr data-sev=\"%s\" data-cat=\"", severity_name(f->severity));
        html_esc(sb, site_finding_category(po->site, f));
        sb_adds(sb, "\" data-rule=\"");
        html_esc(sb, f->rule_id);
        sb_adds(sb, "\" data-path=\"");
        html_esc(sb, f->path);
        sb_adds(sb, "\"");
        if (f->suppressed)
            sb_adds(sb, " class=\"suppressed\"");
        sb_adds(sb, "><td>");
        site_sev_badge(sb, f->severity);
        sb_adds(sb, "</td><td>");
        site_link_rule(po, f->rule_id);
        sb_adds(sb, "</td><td>");
        html_esc(sb, f->message);
        if (f->entity) {
            sb_adds(sb, " <span class=\"entity\">");
            html_esc(sb, f->entity);
            sb_adds(sb, "</span>");
        }
        if (f->suppressed) {
            sb_adds(sb, " <span class=\"tag\">suppressed: ");
            html_esc(sb, f->suppressed);
            sb_adds(sb, "</span>");
        }
        if (f->excerpt && *f->excerpt) {
            sb_adds(sb, "<pre class=\"excerpt\">");
            html_esc(sb, f->excerpt);
            sb_adds(sb, "</pre>");
        }
        sb_adds(sb, "</td>");
        if (with_path) {
            struct strbuf where = STRBUF_INIT;
            sb_adds(&where, f->path);
            if (f->line > 0)
                sb_addf(&where, ":%d", f->line);
            sb_adds(sb, "<td class=\"where\">");
            site_link_unit(po, f->path, f->line > 0 ? f->line : 0, sb_str(&where));
            sb_adds(sb, "</td>");
            sb_release(&where);
        }
        sb_adds(sb, "</tr>\n");
    }
    sb_adds(sb, "</tbody>\n</table>\n");
}

/* ---- overview ---- */

static void stat_card(struct strbuf *sb, const char *root, const char *href, size_t n,
                      const char *label, const char *cls)
{
    sb_addf(sb, "<a class=\"card %s\" href=\"%s%s\"><span class=\"num\">%zu</span>"
                "<span class=\"label\">%s</span></a>\n",
            cls, root, href, n, label);
}

static void overview_pipelines(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<section>\n<h2 id=\"pipelines\">Pipelines</h2>\n");
    if (!site->workflow_units.len) {
        sb_adds(sb, "<p class=\"empty\">No GitHub Actions workflows.</p>\n</section>\n");
        return;
    }
    sb_adds(sb, "<table>\n<thead><tr><th>Pipeline</th><th>Triggers</th><th>Jobs</th>"
                "<th>Environments</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < site->workflow_units.len; i++) {
        const struct unit *u = site->workflow_units.items[i];
        for (size_t w = 0; w < u->workflows.len; w++) {
            const struct gha_workflow *wf = u->workflows.items[w];
            sb_adds(sb, "<tr><td>");
            site_link(po, strmap_get(&site->main_page, u->file->path), NULL,
                      wf->name && *wf->name ? wf->name : u->file->path);
            sb_adds(sb, "<div class=\"path\">");
            html_esc(sb, u->file->path);
            sb_adds(sb, "</div></td><td>");
            for (size_t t = 0; t < wf->ntriggers; t++) {
                sb_adds(sb, "<span class=\"tag\">");
                html_esc(sb, wf->triggers[t].event);
                sb_adds(sb, "</span> ");
            }
            sb_addf(sb, "</td><td>%zu</td><td>", wf->njobs);
            for (size_t j = 0; j < wf->njobs; j++) {
                const struct gha_job *job = wf->jobs[j];
                if (!job->environment)
                    continue;
                site_link_env(po, job->environment);
                sb_adds(sb, " ");
            }
            sb_adds(sb, "</td></tr>\n");
        }
    }
    sb_adds(sb, "</tbody>\n</table>\n</section>\n");
}

/* Environment roots by name; modules as a count (a monorepo has hundreds). */
static void overview_infra(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<section>\n<h2 id=\"infrastructure\">Infrastructure</h2>\n");
    if (!site->tf_dirs.len) {
        sb_adds(sb, "<p class=\"empty\">No Terraform.</p>\n</section>\n");
        return;
    }
    size_t modules = 0, roots = 0;
    sb_adds(sb, "<p>Environment roots: ");
    for (size_t d = 0; d < site->tf_dirs.len; d++) {
        const char *dir = site->tf_dirs.items[d];
        if (!strstr(dir, "environments/")) {
            modules++;
            continue;
        }
        sb_adds(sb, roots++ ? " \xc2\xb7 " : "");
        site_link(po, strmap_get(&site->tf_page, dir), NULL, dir);
    }
    if (!roots)
        sb_adds(sb, "<span class=\"muted\">none</span>");
    sb_addf(sb, "</p>\n<p><a href=\"%sinfrastructure.html\">%zu module folder%s</a></p>\n"
                "</section>\n",
            po->root, modules, modules == 1 ? "" : "s");
}

static void overview_findings(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    const struct findings *fs = &site->scan->findings;
    sb_adds(sb, "<section>\n<h2 id=\"findings\">Findings</h2>\n<div class=\"split\">\n"
                "<table>\n<thead><tr><th>Severity</th><th class=\"num\">Findings</th></tr>"
                "</thead>\n<tbody>\n");
    for (int s = SEV_ERROR; s >= SEV_NOTE; s--) {
        sb_adds(sb, "<tr><td>");
        site_sev_badge(sb, (enum severity)s);
        sb_addf(sb, "</td><td class=\"num\"><a href=\"%sfindings.html?sev=%s\">%zu</a></td></tr>\n",
                po->root, severity_name((enum severity)s), site->nseverity[s]);
    }
    sb_adds(sb, "</tbody>\n</table>\n<table>\n<thead><tr><th>Category</th><th class=\"num\">"
                "Errors</th><th class=\"num\">Warnings</th><th class=\"num\">Notes</th></tr>"
                "</thead>\n<tbody>\n");
    /* Categories in the catalogue's order of first appearance, sorted by name. */
    struct vec cats = VEC_INIT;
    struct strmap seen = STRMAP_INIT;
    for (size_t i = 0; i < site->scan->cat.rules.len; i++) {
        const struct rule *r = site->scan->cat.rules.items[i];
        if (r->category && !strmap_get(&seen, r->category)) {
            strmap_put(&seen, r->category, (void *)r->category);
            vec_push(&cats, (void *)r->category);
        }
    }
    vec_sort(&cats, str_cmp);
    for (size_t c = 0; c < cats.len; c++) {
        size_t n[3] = {0, 0, 0};
        for (size_t i = 0; i < fs->v.len; i++) {
            const struct finding *f = fs->v.items[i];
            if (!f->suppressed && f->severity >= SEV_NOTE &&
                strcmp(site_finding_category(site, f), cats.items[c]) == 0)
                n[f->severity]++;
        }
        sb_addf(sb, "<tr><td><a href=\"%sfindings.html?cat=", po->root);
        html_url(sb, cats.items[c]);
        sb_adds(sb, "\">");
        html_esc(sb, cats.items[c]);
        sb_addf(sb, "</a></td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                    "<td class=\"num\">%zu</td></tr>\n",
                n[SEV_ERROR], n[SEV_WARNING], n[SEV_NOTE]);
    }
    sb_adds(sb, "</tbody>\n</table>\n</div>\n</section>\n");
    vec_release(&cats);
    strmap_release(&seen);
}

static void overview_docs(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<section>\n<h2 id=\"docs\">Docs</h2>\n");
    if (!site->doc_units.len) {
        sb_adds(sb, "<p class=\"empty\">No Markdown docs.</p>\n</section>\n");
        return;
    }
    sb_adds(sb, "<ul class=\"doclist\">\n");
    for (size_t i = 0; i < site->doc_units.len && i < 50; i++) {
        const struct unit *u = site->doc_units.items[i];
        const struct doc_page *d = u->docs.items[0];
        sb_adds(sb, "<li>");
        site_link(po, strmap_get(&site->main_page, u->file->path), NULL, d->title);
        sb_adds(sb, " <span class=\"path\">");
        html_esc(sb, u->file->path);
        sb_adds(sb, "</span></li>\n");
    }
    sb_adds(sb, "</ul>\n");
    if (site->doc_units.len > 50)
        sb_addf(sb, "<p><a href=\"%sdocs.html\">All %u docs</a></p>\n", po->root,
                site->doc_units.len);
    sb_adds(sb, "</section>\n");
}

void site_page_overview(struct page_out *po)
{
    const struct site *site = po->site;
    const struct scan *s = site->scan;
    struct strbuf *sb = po->sb;
    site_frame_open(po, site->title, "The delivery system at a glance: services, environments, "
                                     "pipelines, docs and what the policies found.");
    sb_adds(sb, "<div class=\"cards\">\n");
    const struct linked_model *lm = s->model.linked;
    stat_card(sb, po->root, "services.html", lm ? lm->services.len : 0, "services", "");
    stat_card(sb, po->root, "environments.html", lm ? lm->environments.len : 0, "environments",
              "");
    stat_card(sb, po->root, "workflows.html", site->workflow_units.len, "pipeline files", "");
    stat_card(sb, po->root, "docs.html", site->doc_units.len, "docs", "");
    stat_card(sb, po->root, "sources.html", s->stats.files_scanned, "files scanned", "");
    stat_card(sb, po->root, "findings.html?sev=error", site->nseverity[SEV_ERROR], "errors",
              "c-error");
    stat_card(sb, po->root, "findings.html?sev=warning", site->nseverity[SEV_WARNING],
              "warnings", "c-warning");
    stat_card(sb, po->root, "findings.html?sev=note", site->nseverity[SEV_NOTE], "notes",
              "c-note");
    sb_adds(sb, "</div>\n");
    sb_adds(sb, "<section>\n<h2 id=\"environments\">Environments</h2>\n");
    site_env_strip(po, NULL);
    sb_adds(sb, "</section>\n<section>\n<h2 id=\"services\">Services</h2>\n");
    site_services_table(po);
    sb_adds(sb, "</section>\n");
    overview_pipelines(po);
    overview_infra(po);
    overview_findings(po);
    overview_docs(po);
    site_frame_close(po);
}

/* ---- findings, rules ---- */

static int finding_sev_cmp(const void *a, const void *b)
{
    const struct finding *x = *(const struct finding *const *)a;
    const struct finding *y = *(const struct finding *const *)b;
    if (x->severity != y->severity)
        return y->severity - x->severity;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line - y->line;
    if (x->col != y->col)
        return x->col - y->col;
    c = strcmp(x->rule_id, y->rule_id);
    return c ? c : strcmp(x->message, y->message);
}

void site_page_findings(struct page_out *po)
{
    const struct site *site = po->site;
    struct vec all = VEC_INIT;
    for (size_t i = 0; i < site->scan->findings.v.len; i++)
        vec_push(&all, site->scan->findings.v.items[i]);
    vec_sort(&all, finding_sev_cmp);
    struct strbuf sub = STRBUF_INIT;
    sb_addf(&sub, "%zu errors, %zu warnings, %zu notes. Each finding links to its source line "
                  "and to its rule.",
            site->nseverity[SEV_ERROR], site->nseverity[SEV_WARNING], site->nseverity[SEV_NOTE]);
    site_frame_open(po, "Findings", sb_str(&sub));
    site_findings_table(po, &all, 1, 1);
    site_frame_close(po);
    sb_release(&sub);
    vec_release(&all);
}

static size_t rule_count(const struct site *site, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < site->scan->findings.v.len; i++)
        n += strcmp(((const struct finding *)site->scan->findings.v.items[i])->rule_id, id) == 0;
    return n;
}

void site_page_rules(struct page_out *po)
{
    const struct site *site = po->site;
    const struct catalogue *cat = &site->scan->cat;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Rules", "The policy catalogue: every rule opsbook checks.");
    sb_adds(sb, "<table>\n<thead><tr><th>Rule</th><th>Severity</th><th>Category</th>"
                "<th>Title</th><th class=\"num\">Findings</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < cat->rules.len; i++) {
        const struct rule *r = cat->rules.items[i];
        sb_adds(sb, "<tr><td>");
        site_link_rule(po, r->id);
        sb_adds(sb, "</td><td>");
        site_sev_badge(sb, r->severity);
        sb_adds(sb, "</td><td>");
        html_esc(sb, r->category);
        sb_adds(sb, "</td><td>");
        html_esc(sb, r->title);
        sb_addf(sb, "</td><td class=\"num\">%zu</td></tr>\n", rule_count(site, r->id));
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}

static void prose(struct strbuf *sb, const char *h, const char *text)
{
    if (!text || !*text)
        return;
    sb_addf(sb, "<h2>%s</h2>\n<div class=\"prose\">", h);
    /* Blank lines separate paragraphs. */
    sb_adds(sb, "<p>");
    for (const char *p = text; *p; p++) {
        if (p[0] == '\n' && p[1] == '\n') {
            sb_adds(sb, "</p>\n<p>");
            while (p[1] == '\n')
                p++;
        } else {
            html_escn(sb, p, 1);
        }
    }
    sb_adds(sb, "</p></div>\n");
}

void site_page_rule(struct page_out *po)
{
    const struct site *site = po->site;
    const struct rule *r = po->page->obj;
    struct strbuf *sb = po->sb;
    site_frame_open(po, r->id, r->title);
    sb_adds(sb, "<dl class=\"facts\">\n<dt>Severity</dt><dd>");
    site_sev_badge(sb, r->severity);
    sb_adds(sb, "</dd>\n<dt>Category</dt><dd>");
    html_esc(sb, r->category);
    sb_adds(sb, "</dd>\n<dt>Applies to</dt><dd>");
    html_esc(sb, r->applies_to);
    sb_adds(sb, "</dd>\n<dt>Defined in</dt><dd><code>");
    html_esc(sb, r->source);
    sb_addf(sb, ":%d</code></dd>\n</dl>\n", r->line);
    prose(sb, "Why it matters", r->description);
    prose(sb, "Why this severity", r->severity_rationale);
    prose(sb, "How to fix it", r->remediation);
    if (r->example_bad || r->example_good) {
        sb_adds(sb, "<h2>Example</h2>\n<div class=\"examples\">\n");
        if (r->example_bad) {
            sb_adds(sb, "<figure class=\"bad\"><figcaption>Flagged</figcaption><pre><code>");
            html_esc(sb, r->example_bad);
            sb_adds(sb, "</code></pre></figure>\n");
        }
        if (r->example_good) {
            sb_adds(sb, "<figure class=\"good\"><figcaption>Fixed</figcaption><pre><code>");
            html_esc(sb, r->example_good);
            sb_adds(sb, "</code></pre></figure>\n");
        }
        sb_adds(sb, "</div>\n");
    }
    if (r->references.len) {
        sb_adds(sb, "<h2>References</h2>\n<ul>\n");
        for (size_t i = 0; i < r->references.len; i++) {
            const char *u = r->references.items[i];
            sb_adds(sb, "<li>");
            if (doc_url_scheme(u) > 0) {
                sb_adds(sb, "<a href=\"");
                html_url(sb, u);
                sb_adds(sb, "\" rel=\"noreferrer\">");
                html_esc(sb, u);
                sb_adds(sb, "</a>");
            } else {
                html_esc(sb, u);
            }
            sb_adds(sb, "</li>\n");
        }
        sb_adds(sb, "</ul>\n");
    }
    struct vec mine = VEC_INIT;
    for (size_t i = 0; i < site->scan->findings.v.len; i++) {
        const struct finding *f = site->scan->findings.v.items[i];
        if (strcmp(f->rule_id, r->id) == 0)
            vec_push(&mine, (void *)f);
    }
    sb_addf(sb, "<h2 id=\"findings\">Findings in this repository <span class=\"count\">%u"
                "</span></h2>\n",
            mine.len);
    site_findings_table(po, &mine, 1, 0);
    vec_release(&mine);
    site_frame_close(po);
}

/* ---- source files, search ---- */

void site_page_sources(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Source files", "Every scanned file, with line numbers and its findings.");
    sb_adds(sb, "<table class=\"filelist\">\n<thead><tr><th>File</th><th>Kind</th>"
                "<th class=\"num\">Findings</th><th>Page</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < site->source_units.len; i++) {
        const struct unit *u = site->source_units.items[i];
        const struct site_file_findings *ff = site_findings_of(site, u->file->path);
        sb_adds(sb, "<tr><td>");
        site_link(po, strmap_get(&site->src_page, u->file->path), NULL, u->file->path);
        sb_addf(sb, "</td><td>%s</td><td class=\"num\">%u</td><td>", file_kind_name(u->kind),
                ff ? ff->v.len : 0);
        const char *main = strmap_get(&site->main_page, u->file->path);
        if (main)
            site_link(po, main, NULL, u->workflows.len ? "pipeline" : "doc");
        sb_adds(sb, "</td></tr>\n");
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}

void site_page_search(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Search", "Everything on this site by name. Type in the box above to "
                                  "narrow the list.");
    sb_adds(sb, "<table class=\"searchlist\" data-searchlist>\n<thead><tr><th>Kind</th>"
                "<th>Name</th><th>Detail</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < site->entries.len; i++) {
        const struct site_entry *e = site->entries.items[i];
        sb_addf(sb, "<tr><td><span class=\"kind kind-%s\">%s</span></td><td>", e->kind, e->kind);
        site_link(po, e->path, e->frag, e->name);
        sb_adds(sb, "</td><td>");
        html_esc(sb, e->detail);
        sb_adds(sb, "</td></tr>\n");
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}
