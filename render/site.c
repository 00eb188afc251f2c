/* The site writer: plans every page (one per rule, workflow file, Markdown doc and scanned
 * file, plus the index pages), gives each a stable path, then writes the pages in parallel
 * with pool_run, the shared assets embedded in the binary, and the search index. Everything
 * is sorted before it is written, so two runs over the same input are byte-identical. */
#include "site_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/embedded.h"
#include "model/gha.h"
#include "model/linked.h"
#include "render.h"

static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

void site_slug(struct strbuf *out, const char *s)
{
    sb_reset(out);
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
            (c == '.' && out->len)) {
            if (dash && out->len)
                sb_addc(out, '-');
            dash = 0;
            sb_addc(out, (char)c);
        } else {
            dash = 1;
        }
    }
    if (!out->len)
        sb_adds(out, "page");
    if (out->len > 120) {
        out->len = 120;
        out->buf[120] = '\0';
    }
}

/* A page path "dir/slug.html" not handed out before ("-2", "-3" … on collisions). */
const char *site_page_path_new(struct site *site, const char *dir, const char *key)
{
    struct strbuf slug = STRBUF_INIT, path = STRBUF_INIT;
    site_slug(&slug, key);
    sb_addf(&path, "%s/%s.html", dir, sb_str(&slug));
    for (int n = 2; strmap_get(&site->used_paths, sb_str(&path)); n++) {
        sb_reset(&path);
        sb_addf(&path, "%s/%s-%d.html", dir, sb_str(&slug), n);
    }
    char *res = arena_strdup(site->arena, sb_str(&path));
    strmap_put(&site->used_paths, res, res);
    sb_release(&slug);
    sb_release(&path);
    return res;
}

struct site_page *site_page_add(struct site *site, enum page_kind kind, const char *path,
                                  const char *title)
{
    struct site_page *pg = arena_alloc(site->arena, sizeof(*pg));
    pg->kind = kind;
    pg->path = path;
    pg->title = title;
    vec_push(&site->pages, pg);
    return pg;
}

int site_str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int unit_cmp(const void *a, const void *b)
{
    const struct unit *x = *(const struct unit *const *)a, *y = *(const struct unit *const *)b;
    return strcmp(x->file->path, y->file->path);
}

static int page_cmp(const void *a, const void *b)
{
    const struct site_page *x = *(const struct site_page *const *)a;
    const struct site_page *y = *(const struct site_page *const *)b;
    return strcmp(x->path, y->path);
}

/* The plan: which pages exist and where each entity's page is. */
static void site_plan(struct site *site)
{
    const struct scan *s = site->scan;
    static const struct {
        enum page_kind kind;
        const char *path, *title;
    } fixed[] = {
        {PG_OVERVIEW, "index.html", "Overview"},   {PG_FINDINGS, "findings.html", "Findings"},
        {PG_RULES, "rules.html", "Rules"},         {PG_WORKFLOWS, "workflows.html", "Pipelines"},
        {PG_DOCS, "docs.html", "Docs"},            {PG_SOURCES, "sources.html", "Source files"},
        {PG_SEARCH, "search.html", "Search"},      {PG_SERVICES, "services.html", "Services"},
        {PG_ENVS, "environments.html", "Environments"},
        {PG_INFRA, "infrastructure.html", "Infrastructure"},
    };
    for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
        site_page_add(site, fixed[i].kind, fixed[i].path, fixed[i].title);

    for (size_t i = 0; i < s->cat.rules.len; i++) {
        const struct rule *r = s->cat.rules.items[i];
        const char *path = site_page_path_new(site, "rule", r->id);
        strmap_put(&site->rule_page, r->id, (void *)path);
        struct site_page *pg = site_page_add(site, PG_RULE, path, r->id);
        pg->obj = r;
    }

    const struct linked_model *lm = s->model.linked;
    for (size_t i = 0; lm && i < lm->services.len; i++) {
        const struct service *sv = lm->services.items[i];
        if (strmap_get(&site->svc_page, sv->name))
            continue;
        const char *path = site_page_path_new(site, "svc", sv->name);
        strmap_put(&site->svc_page, sv->name, (void *)path);
        site_page_add(site, PG_SERVICE, path, sv->name)->obj = sv;
    }
    for (size_t i = 0; lm && i < lm->environments.len; i++) {
        const struct environment *e = lm->environments.items[i];
        if (strmap_get(&site->env_page, e->name))
            continue;
        const char *path = site_page_path_new(site, "env", e->name);
        strmap_put(&site->env_page, e->name, (void *)path);
        site_page_add(site, PG_ENV, path, e->name)->obj = e;
    }

    struct vec units = VEC_INIT;
    for (size_t i = 0; i < s->model.units.len; i++) {
        const struct unit *u = s->model.units.items[i];
        if (strmap_get(&site->src_page, u->file->path))
            continue; /* the same path under a second root: the first one has the page */
        if (!u->loaded || u->kind == FK_BINARY)
            continue;
        strmap_put(&site->src_page, u->file->path, (void *)"");
        vec_push(&units, (void *)u);
    }
    vec_sort(&units, unit_cmp);
    for (size_t i = 0; i < units.len; i++) {
        const struct unit *u = units.items[i];
        const char *path = site_page_path_new(site, "src", u->file->path);
        strmap_put(&site->src_page, u->file->path, (void *)path);
        struct site_page *pg = site_page_add(site, PG_SOURCE, path, u->file->path);
        pg->unit = u;
        vec_push(&site->source_units, (void *)u);
        if (u->workflows.len) {
            const char *wp = site_page_path_new(site, "wf", u->file->path);
            strmap_put(&site->main_page, u->file->path, (void *)wp);
            const struct gha_workflow *wf = u->workflows.items[0];
            const char *title = wf->name && *wf->name ? wf->name : u->file->path;
            pg = site_page_add(site, PG_WORKFLOW, wp, title);
            pg->unit = u;
            vec_push(&site->workflow_units, (void *)u);
        } else if (u->docs.len) {
            const char *dp = site_page_path_new(site, "doc", u->file->path);
            strmap_put(&site->main_page, u->file->path, (void *)dp);
            const struct doc_page *d = u->docs.items[0];
            pg = site_page_add(site, PG_DOC, dp, d->title);
            pg->unit = u;
            vec_push(&site->doc_units, (void *)u);
        }
    }
    vec_release(&units);
    site_plan_tf(site);
    vec_sort(&site->pages, page_cmp);
}

/* Findings grouped by file (they arrive sorted by path and line), severity counts. */
static void site_index_findings(struct site *site)
{
    const struct findings *fs = &site->scan->findings;
    for (size_t i = 0; i < fs->v.len; i++) {
        const struct finding *f = fs->v.items[i];
        struct site_file_findings *ff = strmap_get(&site->by_file, f->path);
        if (!ff) {
            ff = arena_alloc(site->arena, sizeof(*ff));
            strmap_put(&site->by_file, f->path, ff);
            vec_push(&site->owned, &ff->v);
        }
        vec_push(&ff->v, (void *)f);
        if (!f->suppressed && f->severity >= SEV_NOTE && f->severity <= SEV_ERROR)
            site->nseverity[f->severity]++;
    }
}

/* Which docs link to which: backlinks shown on each doc page. */
static void site_index_backlinks(struct site *site)
{
    for (size_t i = 0; i < site->doc_units.len; i++) {
        const struct unit *u = site->doc_units.items[i];
        const struct doc_page *d = u->docs.items[0];
        for (size_t l = 0; l < d->nlinks; l++) {
            struct doc_target t;
            doc_link_resolve(&t, &site->docs, u->file->path, d->links[l].url);
            if (t.kind != DOC_TARGET_DOC || t.unit == u)
                continue;
            struct vec *from = strmap_get(&site->backlinks, t.unit->file->path);
            if (!from) {
                from = arena_alloc(site->arena, sizeof(*from));
                strmap_put(&site->backlinks, t.unit->file->path, from);
                vec_push(&site->owned, from);
            }
            if (!from->len || from->items[from->len - 1] != u)
                vec_push(from, (void *)u);
        }
    }
}

/* Which services each file belongs to: source views name their service. */
static void site_index_services(struct site *site)
{
    const struct linked_model *lm = site->scan->model.linked;
    for (size_t i = 0; lm && i < lm->services.len; i++) {
        const struct service *sv = lm->services.items[i];
        struct vec files = VEC_INIT;
        site_service_files(sv, &files);
        for (size_t f = 0; f < files.len; f++) {
            struct vec *of = strmap_get(&site->file_services, files.items[f]);
            if (!of) {
                of = arena_alloc(site->arena, sizeof(*of));
                strmap_put(&site->file_services, files.items[f], of);
                vec_push(&site->owned, of);
            }
            vec_push(of, (void *)sv);
        }
        vec_release(&files);
    }
    /* Docs about a service: named after it, or linking to one of its files. */
    for (size_t i = 0; lm && i < site->doc_units.len; i++) {
        const struct unit *u = site->doc_units.items[i];
        const struct doc_page *d = u->docs.items[0];
        struct vec about = VEC_INIT;
        for (size_t k = 0; k < lm->services.len; k++) {
            const struct service *sv = lm->services.items[k];
            if (strstr(u->file->path, sv->name))
                vec_push(&about, (void *)sv);
        }
        for (size_t l = 0; l < d->nlinks; l++) {
            struct doc_target t;
            doc_link_resolve(&t, &site->docs, u->file->path, d->links[l].url);
            const struct vec *of = t.kind == DOC_TARGET_FILE && t.unit
                                       ? strmap_get(&site->file_services, t.unit->file->path)
                                       : NULL;
            for (size_t k = 0; of && k < of->len; k++)
                vec_push(&about, of->items[k]);
        }
        for (size_t k = 0; k < about.len; k++) {
            const struct service *sv = about.items[k];
            struct vec *docs = strmap_get(&site->svc_docs, sv->name);
            if (!docs) {
                docs = arena_alloc(site->arena, sizeof(*docs));
                strmap_put(&site->svc_docs, sv->name, docs);
                vec_push(&site->owned, docs);
            }
            if (!docs->len || docs->items[docs->len - 1] != u)
                vec_push(docs, (void *)u);
        }
        vec_release(&about);
    }
}

const struct site_file_findings *site_findings_of(const struct site *site, const char *path)
{
    return strmap_get(&site->by_file, path);
}

const char *site_finding_category(const struct site *site, const struct finding *f)
{
    const struct rule *r = lint_rule_find(&site->scan->cat, f->rule_id);
    return r && r->category ? r->category : "";
}

static int mkdirs(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

/* Makes the folders of `rel` inside the output folder. A symbolic link or a file where a
 * folder of the site goes (committed in a repository whose `public/` is the output, say)
 * is removed, never followed: nothing is written outside the output folder. */
static int subdirs_make(const char *outdir, const char *rel)
{
    char *p = path_join(outdir, rel);
    size_t base = strlen(outdir);
    int rc = 0;
    for (char *s = p + base + 1; rc == 0; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(p) != 0)
            rc = -1;
        if (rc == 0 && mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return rc;
}

static void site_fail(struct site *site, const char *path)
{
    pthread_mutex_lock(&fail_lock);
    if (!site->failed)
        snprintf(site->failed_msg, sizeof(site->failed_msg), "cannot write %s: %s", path,
                 strerror(errno));
    site->failed = 1;
    pthread_mutex_unlock(&fail_lock);
}

/* Folders are made before the pages are written (site_dirs_make), not once per file. The
 * file's name and bytes are masked (every secret the scan found, core/redact.h), and a link
 * already at its place is replaced, never written through. */
static void file_write(struct site *site, const char *rel, const char *data, size_t len)
{
    const struct redact *rd = site->scan->model.secrets;
    char *masked = NULL, *name = xstrdup(rel);
    if (redact_count(rd)) {
        redact_str(rd, name);
        masked = xmalloc(len + 1);
        memcpy(masked, data, len);
        redact_buf(rd, masked, len);
        data = masked;
    }
    char *path = path_join(site->opts->outdir, name);
    (void)unlink(path); /* a link or an old page; a folder stays, and open says why */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int failed = !f;
    if (fd >= 0 && !f)
        close(fd);
    if (f) {
        errno = 0;
        failed = fwrite(data, 1, len, f) != len;
        failed |= fclose(f) != 0;
    }
    if (failed) {
        if (errno == 0)
            errno = EIO;
        site_fail(site, path);
    }
    free(path);
    free(name);
    free(masked);
}

typedef void (*page_writer)(struct page_out *po);
static const page_writer writers[PG__COUNT] = {
    [PG_OVERVIEW] = site_page_overview, [PG_FINDINGS] = site_page_findings,
    [PG_RULES] = site_page_rules,       [PG_RULE] = site_page_rule,
    [PG_WORKFLOWS] = site_page_workflows, [PG_WORKFLOW] = site_page_workflow,
    [PG_DOCS] = site_page_docs,         [PG_DOC] = site_page_doc,
    [PG_SOURCES] = site_page_sources,   [PG_SOURCE] = site_page_source,
    [PG_SEARCH] = site_page_search,     [PG_SERVICES] = site_page_services,
    [PG_SERVICE] = site_page_service,   [PG_ENVS] = site_page_envs,
    [PG_ENV] = site_page_env,           [PG_INFRA] = site_page_infra,
    [PG_TF] = site_page_tf,
};

static int site_dirs_make(struct site *site)
{
    struct strmap made = STRMAP_INIT;
    int rc = 0;
    rc |= subdirs_make(site->opts->outdir, "assets");
    for (size_t i = 0; i < site->pages.len; i++) {
        const struct site_page *pg = site->pages.items[i];
        const char *slash = strchr(pg->path, '/');
        if (!slash || strmap_getn(&made, pg->path, (size_t)(slash - pg->path)))
            continue;
        char *dir = arena_strndup(site->arena, pg->path, (size_t)(slash - pg->path));
        rc |= subdirs_make(site->opts->outdir, dir);
        strmap_put(&made, dir, (void *)1);
    }
    strmap_release(&made);
    return rc;
}

static void page_write(void *ctx, size_t i)
{
    struct site *site = ctx;
    const struct site_page *pg = site->pages.items[i];
    struct strbuf sb = STRBUF_INIT;
    struct page_out po = {site, pg, &sb, strchr(pg->path, '/') ? "../" : ""};
    writers[pg->kind](&po);
    file_write(site, pg->path, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
}

void site_entry_add(struct site *site, const char *kind, const char *name, const char *path,
                    const char *frag, const char *detail)
{
    struct site_entry *e = arena_alloc(site->arena, sizeof(*e));
    e->kind = kind;
    e->name = arena_strdup(site->arena, name ? name : "");
    e->path = path;
    e->frag = arena_strdup(site->arena, frag);
    e->detail = arena_strdup(site->arena, detail ? detail : "");
    vec_push(&site->entries, e);
}

static int entry_cmp(const void *a, const void *b)
{
    const struct site_entry *x = *(const struct site_entry *const *)a;
    const struct site_entry *y = *(const struct site_entry *const *)b;
    int c = strcmp(x->kind, y->kind);
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c)
        c = strcmp(x->path, y->path);
    if (!c)
        c = strcmp(x->frag ? x->frag : "", y->frag ? y->frag : "");
    return c;
}

/* Everything searchable, gathered once before the pages are written. */
static void site_entries_collect(struct site *site)
{
    site_entries_linked(site);
    site_entries_tf(site);
    for (size_t i = 0; i < site->workflow_units.len; i++)
        site_entries_workflow(site, site->workflow_units.items[i]);
    for (size_t i = 0; i < site->doc_units.len; i++)
        site_entries_doc(site, site->doc_units.items[i]);
    const struct catalogue *cat = &site->scan->cat;
    for (size_t i = 0; i < cat->rules.len; i++) {
        const struct rule *r = cat->rules.items[i];
        site_entry_add(site, "rule", r->id, strmap_get(&site->rule_page, r->id), NULL, r->title);
    }
    for (size_t i = 0; i < site->source_units.len; i++) {
        const struct unit *u = site->source_units.items[i];
        site_entry_add(site, "file", u->file->path, strmap_get(&site->src_page, u->file->path),
                       NULL, file_kind_name(u->kind));
    }
    vec_sort(&site->entries, entry_cmp);
}

/* assets/search-index.js: one array of [kind, name, url, detail], loaded by a script tag (a
 * file:// page cannot fetch JSON). URLs are relative to the site's root. */
static void site_search_index(struct site *site)
{
    struct strbuf js = STRBUF_INIT;
    sb_adds(&js, "/* opsbook search index: [kind, name, page, detail] */\n"
                 "window.OPSBOOK_INDEX = [\n");
    for (size_t i = 0; i < site->entries.len; i++) {
        const struct site_entry *e = site->entries.items[i];
        struct strbuf url = STRBUF_INIT;
        sb_adds(&url, e->path);
        if (e->frag) {
            sb_addc(&url, '#');
            sb_adds(&url, e->frag);
        }
        sb_addc(&js, '[');
        html_js_str(&js, e->kind);
        sb_addc(&js, ',');
        html_js_str(&js, e->name);
        sb_addc(&js, ',');
        html_js_str(&js, sb_str(&url));
        sb_addc(&js, ',');
        html_js_str(&js, e->detail);
        sb_adds(&js, "],\n");
        sb_release(&url);
    }
    sb_adds(&js, "];\n");
    file_write(site, "assets/search-index.js", js.buf, js.len);
    sb_release(&js);
}

static void site_assets(struct site *site)
{
    for (const struct embedded_file *e = embedded_site; e->path; e++) {
        const char *base = path_base(e->path);
        char *rel = xasprintf("assets/%s", base);
        file_write(site, rel, e->data, e->len);
        free(rel);
    }
}

static void site_release(struct site *site)
{
    strmap_release(&site->src_page);
    strmap_release(&site->main_page);
    strmap_release(&site->rule_page);
    strmap_release(&site->svc_page);
    strmap_release(&site->env_page);
    strmap_release(&site->tf_page);
    strmap_release(&site->tf_users);
    vec_release(&site->tf_dirs);
    strmap_release(&site->used_paths);
    for (size_t i = 0; i < site->owned.len; i++)
        vec_release(site->owned.items[i]);
    vec_release(&site->owned);
    strmap_release(&site->by_file);
    strmap_release(&site->backlinks);
    strmap_release(&site->file_services);
    strmap_release(&site->svc_docs);
    doc_index_release(&site->docs);
    vec_release(&site->pages);
    vec_release(&site->workflow_units);
    vec_release(&site->doc_units);
    vec_release(&site->source_units);
    vec_release(&site->entries);
    arena_free(site->arena);
}

int site_write(const struct scan *s, const struct site_opts *o, struct site_stats *st,
               struct errbuf *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mkdirs(o->outdir) != 0) {
        errbuf_set(err, "cannot create %s: %s", o->outdir, strerror(errno));
        return -1;
    }
    struct site site;
    memset(&site, 0, sizeof(site));
    site.scan = s;
    site.opts = o;
    site.arena = arena_new();
    site.title = o->title && *o->title ? o->title : "opsbook";
    doc_index_init(&site.docs, &s->model);
    site_plan(&site);
    site_index_findings(&site);
    site_index_backlinks(&site);
    site_index_services(&site);
    site_entries_collect(&site);

    if (site_dirs_make(&site) != 0) {
        errbuf_set(err, "cannot create the folders of %s: %s", o->outdir, strerror(errno));
        site_release(&site);
        return -1;
    }
    pool_run(site.pages.len, page_write, &site, o->threads);
    site_assets(&site);
    site_search_index(&site);
    static const char marker[] = "This folder is a site written by opsbook; opsbook scans do "
                                 "not enter it.\n";
    file_write(&site, OPSBOOK_SITE_MARKER, marker, sizeof(marker) - 1);

    int rc = 0;
    if (site.failed) {
        errbuf_set(err, "%s", site.failed_msg);
        rc = -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st) {
        st->pages = site.pages.len;
        st->files = site.pages.len + 2; /* the search index and the marker */
        for (const struct embedded_file *e = embedded_site; e->path; e++)
            st->files++;
        st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    }
    site_release(&site);
    return rc;
}
