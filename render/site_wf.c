/* Pipeline pages: one per workflow file, with its triggers and permissions, the job graph as
 * an inline SVG (layers from `needs:`, jobs with an environment marked, production ones
 * highlighted), and every job's steps with the actions they use (pinned or not) and the
 * secrets they read. Also the pipelines index and their search entries. */
#include "site_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/gha.h"
#include "model/linked.h"

#define NODE_W 188
#define NODE_H 44
#define GAP_X 56
#define GAP_Y 14
#define PAD 16
#define LABEL_MAX 24

/* 1 when the linked model (or, for names it does not know, the default list) calls the
 * environment production. */
static int env_is_prod(const struct site *site, const char *env)
{
    const struct linked_model *lm = site->scan->model.linked;
    const struct environment *e = lm && env ? linked_env_find(lm, env) : NULL;
    return e ? e->production : env && linked_env_is_production(&site->scan->model, env);
}

/* The anchor of job j of workflow w: "job-<slug>", unique within the page. */
static char *job_anchor(const struct gha_workflow *wf, size_t w, size_t j)
{
    struct strbuf slug = STRBUF_INIT, other = STRBUF_INIT;
    site_slug(&slug, wf->jobs[j]->id ? wf->jobs[j]->id : "job");
    int dup = 0;
    for (size_t k = 0; k < j && !dup; k++) {
        site_slug(&other, wf->jobs[k]->id ? wf->jobs[k]->id : "job");
        dup = strcmp(sb_str(&slug), sb_str(&other)) == 0;
    }
    char *res;
    if (w == 0 && !dup)
        res = xasprintf("job-%s", sb_str(&slug));
    else
        res = xasprintf("job-%s-%zu-%zu", sb_str(&slug), w, j);
    sb_release(&slug);
    sb_release(&other);
    return res;
}

char *site_job_anchor_find(const struct site *site, const char *path, const char *job_id)
{
    const struct unit *u = strmap_get(&site->docs.units, path);
    for (size_t w = 0; u && w < u->workflows.len; w++) {
        const struct gha_workflow *wf = u->workflows.items[w];
        for (size_t j = 0; j < wf->njobs; j++)
            if (wf->jobs[j]->id && strcmp(wf->jobs[j]->id, job_id) == 0)
                return job_anchor(wf, w, j);
    }
    return NULL;
}

static const char *ref_kind_label(enum gha_ref_kind k)
{
    static const char *const names[] = {
        [GHA_REF_NONE] = "no ref",       [GHA_REF_SHA] = "pinned",
        [GHA_REF_SHORT_SHA] = "short SHA", [GHA_REF_TAG] = "tag",
        [GHA_REF_BRANCH] = "branch",     [GHA_REF_DOCKER] = "docker",
        [GHA_REF_LOCAL] = "local",       [GHA_REF_EXPR] = "expression",
    };
    return (size_t)k < ARRAY_LEN(names) && names[k] ? names[k] : "unknown";
}

/* Adds to `out` every `secrets.NAME` referenced in s (names only, no duplicates). */
static void secrets_in(struct vec *out, struct arena *a, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; (p = strstr(p, "secrets.")) != NULL;) {
        p += 8;
        const char *e = p;
        while ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') ||
               *e == '_' || *e == '-')
            e++;
        if (e == p)
            continue;
        int seen = 0;
        for (size_t i = 0; i < out->len && !seen; i++)
            seen = strlen(out->items[i]) == (size_t)(e - p) &&
                   strncmp(out->items[i], p, (size_t)(e - p)) == 0;
        if (!seen)
            vec_push(out, arena_strndup(a, p, (size_t)(e - p)));
        p = e;
    }
}

static void secrets_in_kvs(struct vec *out, struct arena *a, const struct gha_kvs *kvs)
{
    for (size_t i = 0; i < kvs->len; i++)
        secrets_in(out, a, kvs->items[i].value);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void secrets_list(struct strbuf *sb, struct vec *names)
{
    vec_sort(names, str_cmp);
    for (size_t i = 0; i < names->len; i++) {
        sb_adds(sb, "<code class=\"secret\">");
        html_esc(sb, names->items[i]);
        sb_adds(sb, "</code> ");
    }
}

/* A label that fits a node: at most LABEL_MAX bytes, cut on a character boundary. */
static void node_label(struct strbuf *sb, const char *s)
{
    size_t n = strlen(s);
    if (n <= LABEL_MAX) {
        html_esc(sb, s);
        return;
    }
    size_t cut = LABEL_MAX - 1;
    while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
        cut--;
    html_escn(sb, s, cut);
    sb_adds(sb, "\xe2\x80\xa6");
}

/* The job graph: each job in the layer after the deepest job it needs. */
static void job_graph(struct page_out *po, const struct gha_workflow *wf, size_t w)
{
    struct strbuf *sb = po->sb;
    size_t n = wf->njobs;
    if (!n)
        return;
    int *layer = xcalloc(n, sizeof(int));
    int *row = xcalloc(n, sizeof(int));
    /* Longest path by relaxation; a cycle stops growing after n rounds. */
    for (size_t round = 0; round < n; round++) {
        int changed = 0;
        for (size_t j = 0; j < n; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t k = 0; k < job->nneeds; k++) {
                for (size_t d = 0; d < n; d++) {
                    if (d == j || !wf->jobs[d]->id || !job->needs[k] ||
                        strcmp(wf->jobs[d]->id, job->needs[k]) != 0)
                        continue;
                    if (layer[d] + 1 > layer[j] && layer[d] + 1 <= (int)n) {
                        layer[j] = layer[d] + 1;
                        changed = 1;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    int nlayers = 0, maxrows = 0;
    for (size_t j = 0; j < n; j++)
        if (layer[j] + 1 > nlayers)
            nlayers = layer[j] + 1;
    int *fill = xcalloc((size_t)nlayers, sizeof(int));
    for (size_t j = 0; j < n; j++) {
        row[j] = fill[layer[j]]++;
        if (fill[layer[j]] > maxrows)
            maxrows = fill[layer[j]];
    }
    int width = PAD * 2 + nlayers * NODE_W + (nlayers - 1) * GAP_X;
    int height = PAD * 2 + maxrows * NODE_H + (maxrows - 1) * GAP_Y;
    sb_addf(sb, "<figure class=\"graph\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                "aria-label=\"Job graph\">\n",
            width, height, width, height);
    sb_adds(sb, "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" "
                "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 "
                "z\" class=\"arrowhead\"/></marker></defs>\n");
    for (size_t j = 0; j < n; j++) {
        const struct gha_job *job = wf->jobs[j];
        for (size_t k = 0; k < job->nneeds; k++)
            for (size_t d = 0; d < n; d++) {
                if (!wf->jobs[d]->id || !job->needs[k] || strcmp(wf->jobs[d]->id, job->needs[k]))
                    continue;
                int x1 = PAD + layer[d] * (NODE_W + GAP_X) + NODE_W;
                int y1 = PAD + row[d] * (NODE_H + GAP_Y) + NODE_H / 2;
                int x2 = PAD + layer[j] * (NODE_W + GAP_X);
                int y2 = PAD + row[j] * (NODE_H + GAP_Y) + NODE_H / 2;
                int mx = (x1 + x2) / 2;
                sb_addf(sb, "<path class=\"edge\" d=\"M%d,%d C%d,%d %d,%d %d,%d\" "
                            "marker-end=\"url(#arrow)\"/>\n",
                        x1, y1, mx, y1, mx, y2, x2 - 1, y2);
            }
    }
    for (size_t j = 0; j < n; j++) {
        const struct gha_job *job = wf->jobs[j];
        int x = PAD + layer[j] * (NODE_W + GAP_X), y = PAD + row[j] * (NODE_H + GAP_Y);
        char *anchor = job_anchor(wf, w, j);
        const char *cls = !job->environment                          ? ""
                          : env_is_prod(po->site, job->environment) ? " prod"
                                                                    : " env";
        sb_addf(sb, "<a href=\"#%s\"><g class=\"node%s\"><title>", anchor, cls);
        html_esc(sb, job->id);
        if (job->environment) {
            sb_adds(sb, " (environment ");
            html_esc(sb, job->environment);
            sb_adds(sb, ")");
        }
        sb_addf(sb, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y,
                NODE_W, NODE_H);
        sb_addf(sb, "<text x=\"%d\" y=\"%d\" class=\"label\">", x + 10,
                y + (job->environment ? 18 : 27));
        node_label(sb, job->id ? job->id : "");
        sb_adds(sb, "</text>");
        if (job->environment) {
            sb_addf(sb, "<text x=\"%d\" y=\"%d\" class=\"envlabel\">", x + 10, y + 34);
            node_label(sb, job->environment);
            sb_adds(sb, "</text>");
        }
        sb_adds(sb, "</g></a>\n");
        free(anchor);
    }
    sb_adds(sb, "</svg><figcaption>Jobs run left to right; an arrow means <code>needs:</code>. "
                "<span class=\"key env\">environment</span> <span class=\"key prod\">"
                "production</span></figcaption></figure>\n");
    free(fill);
    free(layer);
    free(row);
}

static void kv_line(struct strbuf *sb, const char *k, const char *v)
{
    if (!v)
        return;
    sb_addf(sb, "<dt>%s</dt><dd><code>", k);
    html_esc(sb, v);
    sb_adds(sb, "</code></dd>\n");
}

static void perms(struct strbuf *sb, const struct gha_perms *p)
{
    if (!p->present)
        return;
    sb_adds(sb, "<dt>Permissions</dt><dd>");
    if (p->all) {
        sb_adds(sb, "<code>");
        html_esc(sb, p->all);
        sb_adds(sb, "</code>");
    }
    for (size_t i = 0; i < p->scopes.len; i++) {
        const struct gha_kv *kv = &p->scopes.items[i];
        int write = kv->value && strcmp(kv->value, "write") == 0;
        sb_addf(sb, "<span class=\"tag%s\">", write ? " write" : "");
        html_esc(sb, kv->key);
        sb_adds(sb, ": ");
        html_esc(sb, kv->value ? kv->value : "");
        sb_adds(sb, "</span> ");
    }
    sb_adds(sb, "</dd>\n");
}

static void step_row(struct page_out *po, const struct unit *u, const struct gha_step *st,
                     size_t idx, struct arena *tmp)
{
    struct strbuf *sb = po->sb;
    sb_addf(sb, "<tr><td class=\"num\">");
    char label[24];
    snprintf(label, sizeof(label), "%zu", idx + 1);
    site_link_unit(po, u->file->path, st->loc.line, label);
    sb_adds(sb, "</td><td>");
    if (st->name) {
        html_esc(sb, st->name);
    } else if (st->id) {
        html_esc(sb, st->id);
    }
    if (st->run) {
        const char *nl = strchr(st->run, '\n');
        size_t len = nl ? (size_t)(nl - st->run) : strlen(st->run);
        if (len > 90)
            len = 90;
        sb_adds(sb, "<div class=\"run\"><code>");
        /* A block script's first line is the line after run:, at its own column. */
        site_esc_masked(sb, site_findings_of(po->site, u->file->path), st->run_line,
                        st->run_col, st->run, len);
        if (nl || strlen(st->run) > len)
            sb_adds(sb, " \xe2\x80\xa6");
        sb_adds(sb, "</code></div>");
    }
    sb_adds(sb, "</td><td>");
    if (st->uses.raw) {
        sb_adds(sb, "<code>");
        html_esc(sb, st->uses.raw);
        sb_addf(sb, "</code> <span class=\"pin %s\">%s</span>",
                st->uses.kind == GHA_REF_SHA || st->uses.kind == GHA_REF_LOCAL ? "ok" : "no",
                ref_kind_label(st->uses.kind));
    }
    sb_adds(sb, "</td><td>");
    struct vec names = VEC_INIT;
    secrets_in(&names, tmp, st->run);
    secrets_in(&names, tmp, st->if_cond);
    secrets_in_kvs(&names, tmp, &st->with);
    secrets_in_kvs(&names, tmp, &st->env);
    secrets_list(sb, &names);
    vec_release(&names);
    sb_adds(sb, "</td></tr>\n");
}

/* The services this job builds or deploys (from the linked model's job ids). */
static void job_services(struct page_out *po, const struct unit *u, const struct gha_job *job)
{
    const struct linked_model *lm = po->site->scan->model.linked;
    if (!lm || !job->id)
        return;
    char *id = xasprintf("job:%s#%s", u->file->path, job->id);
    static const char *const labels[] = {"Builds", "Deploys"};
    for (int k = 0; k < 2; k++) {
        int n = 0;
        for (size_t i = 0; i < lm->services.len; i++) {
            const struct service *sv = lm->services.items[i];
            const struct vec *v = k ? &sv->deployers : &sv->build_jobs;
            int hit = 0;
            for (size_t j = 0; j < v->len && !hit; j++)
                hit = strcmp(v->items[j], id) == 0;
            if (!hit)
                continue;
            sb_addf(po->sb, n++ ? ", " : "<dt>%s</dt><dd>", labels[k]);
            site_link_service(po, sv->name);
        }
        if (n)
            sb_adds(po->sb, "</dd>\n");
    }
    free(id);
}

static void job_section(struct page_out *po, const struct unit *u, const struct gha_workflow *wf,
                        size_t w, size_t j, struct arena *tmp)
{
    struct strbuf *sb = po->sb;
    const struct gha_job *job = wf->jobs[j];
    char *anchor = job_anchor(wf, w, j);
    sb_addf(sb, "<section class=\"job\" id=\"%s\">\n<h3><a class=\"anchor\" href=\"#%s\">#</a>",
            anchor, anchor);
    html_esc(sb, job->id);
    if (job->name && (!job->id || strcmp(job->name, job->id) != 0)) {
        sb_adds(sb, " <span class=\"muted\">");
        html_esc(sb, job->name);
        sb_adds(sb, "</span>");
    }
    if (job->environment) {
        sb_adds(sb, " ");
        site_link_env(po, job->environment);
    }
    sb_adds(sb, "</h3>\n<dl class=\"facts\">\n<dt>Defined at</dt><dd>");
    char where[32];
    snprintf(where, sizeof(where), "line %d", job->loc.line);
    site_link_unit(po, u->file->path, job->loc.line, where);
    sb_adds(sb, "</dd>\n");
    kv_line(sb, "Runs on", job->runs_on);
    if (job->nneeds) {
        sb_adds(sb, "<dt>Needs</dt><dd>");
        for (size_t k = 0; k < job->nneeds; k++) {
            const char *need = job->needs[k];
            size_t d = 0;
            while (d < wf->njobs && !(wf->jobs[d]->id && need && !strcmp(wf->jobs[d]->id, need)))
                d++;
            if (d < wf->njobs) {
                char *a = job_anchor(wf, w, d);
                sb_addf(sb, "<a href=\"#%s\">", a);
                html_esc(sb, need);
                sb_adds(sb, "</a> ");
                free(a);
            } else {
                sb_adds(sb, "<span class=\"broken\">");
                html_esc(sb, need);
                sb_adds(sb, "</span> ");
            }
        }
        sb_adds(sb, "</dd>\n");
    }
    if (job->environment) {
        sb_adds(sb, "<dt>Environment</dt><dd>");
        site_link_env(po, job->environment);
        if (job->environment_url) {
            sb_adds(sb, " <code>");
            html_esc(sb, job->environment_url);
            sb_adds(sb, "</code>");
        }
        sb_adds(sb, "</dd>\n");
    }
    job_services(po, u, job);
    kv_line(sb, "If", job->if_cond);
    kv_line(sb, "Container", job->containers->container_image);
    perms(sb, &job->perms);
    const struct gha_call *call = job->call;
    if (call->uses.raw) {
        sb_adds(sb, "<dt>Calls</dt><dd><code>");
        html_esc(sb, call->uses.raw);
        sb_addf(sb, "</code> <span class=\"pin %s\">%s</span>%s</dd>\n",
                call->uses.kind == GHA_REF_SHA || call->uses.kind == GHA_REF_LOCAL ? "ok" : "no",
                ref_kind_label(call->uses.kind),
                call->secrets_inherit ? " <span class=\"tag write\">secrets: inherit</span>" : "");
    }
    struct vec names = VEC_INIT;
    secrets_in_kvs(&names, tmp, &job->env);
    secrets_in_kvs(&names, tmp, &job->call->with);
    secrets_in(&names, tmp, job->if_cond);
    if (names.len) {
        sb_adds(sb, "<dt>Secrets (job)</dt><dd>");
        secrets_list(sb, &names);
        sb_adds(sb, "</dd>\n");
    }
    vec_release(&names);
    sb_adds(sb, "</dl>\n");
    if (job->nsteps) {
        sb_adds(sb, "<table class=\"steps\">\n<thead><tr><th class=\"num\">#</th><th>Step</th>"
                    "<th>Action</th><th>Secrets read</th></tr></thead>\n<tbody>\n");
        for (size_t s = 0; s < job->nsteps; s++)
            step_row(po, u, job->steps[s], s, tmp);
        sb_adds(sb, "</tbody>\n</table>\n");
    }
    sb_adds(sb, "</section>\n");
    free(anchor);
}

void site_page_workflow(struct page_out *po)
{
    const struct site *site = po->site;
    const struct unit *u = po->page->unit;
    struct strbuf *sb = po->sb;
    struct arena *tmp = arena_new();
    site_frame_open(po, po->page->title, u->file->path);
    for (size_t w = 0; w < u->workflows.len; w++) {
        const struct gha_workflow *wf = u->workflows.items[w];
        if (w > 0) {
            sb_adds(sb, "<h2>");
            html_esc(sb, wf->name ? wf->name : "workflow");
            sb_adds(sb, "</h2>\n");
        }
        sb_adds(sb, "<dl class=\"facts\">\n<dt>File</dt><dd>");
        site_link(po, strmap_get(&site->src_page, u->file->path), NULL, u->file->path);
        sb_adds(sb, "</dd>\n");
        if (wf->ntriggers) {
            sb_adds(sb, "<dt>Triggers</dt><dd>");
            for (size_t t = 0; t < wf->ntriggers; t++) {
                const struct gha_trigger *tr = &wf->triggers[t];
                sb_adds(sb, "<span class=\"tag\">");
                html_esc(sb, tr->event);
                for (size_t b = 0; b < tr->nbranches; b++) {
                    sb_adds(sb, b ? ", " : ": ");
                    html_esc(sb, tr->branches[b]);
                }
                for (size_t c = 0; c < tr->ncrons; c++) {
                    sb_adds(sb, c ? ", " : ": ");
                    html_esc(sb, tr->crons[c]);
                }
                sb_adds(sb, "</span> ");
            }
            sb_adds(sb, "</dd>\n");
        }
        perms(sb, &wf->perms);
        kv_line(sb, "Concurrency", wf->concurrency);
        sb_adds(sb, "</dl>\n");
        sb_adds(sb, "<h2 id=\"graph\">Job graph</h2>\n");
        job_graph(po, wf, w);
        sb_adds(sb, "<h2 id=\"jobs\">Jobs</h2>\n");
        for (size_t j = 0; j < wf->njobs; j++)
            job_section(po, u, wf, w, j, tmp);
    }
    const struct site_file_findings *ff = site_findings_of(site, u->file->path);
    sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%u</span></h2>\n",
            ff ? ff->v.len : 0);
    site_findings_table(po, ff ? &ff->v : NULL, 1, 0);
    site_frame_close(po);
    arena_free(tmp);
}

void site_page_workflows(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Pipelines", "GitHub Actions workflows and composite actions.");
    if (!site->workflow_units.len)
        sb_adds(sb, "<p class=\"empty\">No workflows were found.</p>\n");
    else
        sb_adds(sb, "<table>\n<thead><tr><th>Pipeline</th><th>File</th><th class=\"num\">Jobs"
                    "</th><th>Environments</th><th class=\"num\">Findings</th></tr></thead>\n"
                    "<tbody>\n");
    for (size_t i = 0; i < site->workflow_units.len; i++) {
        const struct unit *u = site->workflow_units.items[i];
        const struct site_file_findings *ff = site_findings_of(site, u->file->path);
        for (size_t w = 0; w < u->workflows.len; w++) {
            const struct gha_workflow *wf = u->workflows.items[w];
            sb_adds(sb, "<tr><td>");
            site_link(po, strmap_get(&site->main_page, u->file->path), NULL,
                      wf->name && *wf->name ? wf->name : u->file->path);
            if (wf->is_action)
                sb_adds(sb, " <span class=\"tag\">action</span>");
            sb_adds(sb, "</td><td>");
            site_link(po, strmap_get(&site->src_page, u->file->path), NULL, u->file->path);
            sb_addf(sb, "</td><td class=\"num\">%zu</td><td>", wf->njobs);
            for (size_t j = 0; j < wf->njobs; j++) {
                if (!wf->jobs[j]->environment)
                    continue;
                site_link_env(po, wf->jobs[j]->environment);
                sb_adds(sb, " ");
            }
            sb_addf(sb, "</td><td class=\"num\">%u</td></tr>\n", ff ? ff->v.len : 0);
        }
    }
    if (site->workflow_units.len)
        sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}

void site_entries_workflow(struct site *site, const struct unit *u)
{
    const char *page = strmap_get(&site->main_page, u->file->path);
    for (size_t w = 0; w < u->workflows.len; w++) {
        const struct gha_workflow *wf = u->workflows.items[w];
        const char *name = wf->name && *wf->name ? wf->name : u->file->path;
        site_entry_add(site, "pipeline", name, page, NULL, u->file->path);
        for (size_t j = 0; j < wf->njobs; j++) {
            char *anchor = job_anchor(wf, w, j);
            char *label = xasprintf("%s / %s", name, wf->jobs[j]->id ? wf->jobs[j]->id : "");
            site_entry_add(site, "job", label, page, anchor, wf->jobs[j]->environment);
            free(label);
            free(anchor);
        }
    }
}
