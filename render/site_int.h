/* What the site's writers share (render-internal): the page list, the maps from entities to
 * their pages, and the helpers every page uses for its frame, links and badges. */
#ifndef OPSBOOK_SITE_INT_H
#define OPSBOOK_SITE_INT_H

#include "model/doc.h"
#include "model/linked.h"
#include "site.h"

enum page_kind {
    PG_OVERVIEW,
    PG_FINDINGS,
    PG_RULES,
    PG_RULE,
    PG_WORKFLOWS,
    PG_WORKFLOW,
    PG_DOCS,
    PG_DOC,
    PG_SOURCES,
    PG_SOURCE,
    PG_SEARCH,
    PG_SERVICES,
    PG_SERVICE,
    PG_ENVS,
    PG_ENV,
    PG_INFRA,
    PG_TF,
    PG__COUNT
};

struct site_page {
    enum page_kind kind;
    const char *path;             /* relative to the output folder, e.g. "rule/x.html" */
    const char *title;            /* plain text; escaped when written */
    const void *obj;              /* the rule, service, environment or Terraform folder */
    const struct unit *unit;      /* workflows, docs, sources */
};

/* Findings of one file, in line order. */
struct site_file_findings {
    struct vec v;                 /* const struct finding* */
};

struct site {
    const struct scan *scan;
    const struct site_opts *opts;
    const char *title;
    struct arena *arena;
    struct vec pages;             /* struct site_page*, sorted by path */
    struct strmap src_page;       /* unit path -> source page path */
    struct strmap main_page;      /* unit path -> its own page (workflow or doc) */
    struct strmap rule_page;      /* rule id -> page path */
    struct strmap svc_page;       /* service name -> page path */
    struct strmap env_page;       /* environment name -> page path */
    struct strmap tf_page;        /* Terraform folder -> page path */
    struct strmap tf_users;       /* Terraform folder -> struct vec* of folders calling it */
    struct vec tf_dirs;           /* const char*: Terraform folders, sorted */
    struct strmap used_paths;     /* page paths handed out */
    struct strmap by_file;        /* unit path -> struct site_file_findings* */
    struct strmap backlinks;      /* doc unit path -> struct vec* of const struct unit* */
    struct strmap file_services;  /* unit path -> struct vec* of const struct service* */
    struct strmap svc_docs;       /* service name -> struct vec* of doc units about it */
    struct doc_index docs;
    struct vec workflow_units;    /* const struct unit* with workflows, by path */
    struct vec doc_units;         /* const struct unit* with docs, by path */
    struct vec source_units;      /* const struct unit* with a source view, by path */
    struct vec entries;           /* struct site_entry*, sorted by kind and name */
    struct vec owned;             /* struct vec* in the arena whose arrays are heap */
    size_t nseverity[3];
    int failed;                   /* a write failed (set by workers; read after pool_run) */
    char failed_msg[512];
};

/* The page being written: its buffer, and how far below the site's root it sits. */
struct page_out {
    const struct site *site;
    const struct site_page *page;
    struct strbuf *sb;
    const char *root;             /* "" or "../": prefix of links to other pages */
};

/* Frame: <head>, header with search, sidebar; then the page's <main> with an <h1> (none when
 * h1 is NULL: the page writes its own); then the footer. */
void site_frame_open(struct page_out *po, const char *h1, const char *subtitle);
void site_frame_close(struct page_out *po);

/* <a href="ROOT+path[#frag]">text</a>, text escaped. frag may be NULL. */
void site_link(struct page_out *po, const char *path, const char *frag, const char *text);
/* A link to where a unit is best read: its workflow or doc page, else its source view; plain
 * text when the file has no page. line > 0 adds #L<line> on the source view. */
void site_link_unit(struct page_out *po, const char *unit_path, int line, const char *text);
/* A link to a rule's page. */
void site_link_rule(struct page_out *po, const char *rule_id);
/* <span class="sev sev-error">error</span>. */
void site_sev_badge(struct strbuf *sb, enum severity s);
/* An HTML table of findings with filter data attributes. `with_path` adds the file column. */
void site_findings_table(struct page_out *po, const struct vec *findings, int with_path,
                         int filters);
/* Findings of one file, or NULL. */
const struct site_file_findings *site_findings_of(const struct site *site, const char *path);
/* Category of a finding's rule ("" when the rule is unknown). */
const char *site_finding_category(const struct site *site, const struct finding *f);

/* Page writers, one per kind (site_pages.c, site_wf.c, site_doc.c, site_src.c). */
void site_page_overview(struct page_out *po);
void site_page_findings(struct page_out *po);
void site_page_rules(struct page_out *po);
void site_page_rule(struct page_out *po);
void site_page_workflows(struct page_out *po);
void site_page_workflow(struct page_out *po);
void site_page_docs(struct page_out *po);
void site_page_doc(struct page_out *po);
void site_page_sources(struct page_out *po);
void site_page_source(struct page_out *po);
void site_page_search(struct page_out *po);
void site_page_services(struct page_out *po);
void site_page_service(struct page_out *po);
void site_page_envs(struct page_out *po);
void site_page_env(struct page_out *po);
void site_page_infra(struct page_out *po);
void site_page_tf(struct page_out *po);
/* Terraform folders' pages and search entries (site_tf.c). */
void site_plan_tf(struct site *site);
void site_entries_tf(struct site *site);

/* Planning helpers (site.c): a fresh page path under dir for key, a page, strcmp for vec_sort. */
const char *site_page_path_new(struct site *site, const char *dir, const char *key);
struct site_page *site_page_add(struct site *site, enum page_kind kind, const char *path,
                                const char *title);
int site_str_cmp(const void *a, const void *b);

/* Linked-model pieces (site_svc.c): links to a service, an environment (as a tag, production
 * highlighted) and an entity id ("job:path#id", "argocd:path#app", "overlay:path" …); the
 * services table and the promotion path (the current environment marked). */
void site_link_service(struct page_out *po, const char *name);
void site_link_env(struct page_out *po, const char *name);
void site_link_entity(struct page_out *po, const char *id);
void site_services_table(struct page_out *po);
void site_env_strip(struct page_out *po, const char *current);
void site_entries_linked(struct site *site);
/* The files that make up a service (workload, Services, routes, HPA, PDB, network policies,
 * Dockerfiles, overlays), sorted; `out` holds borrowed strings. */
void site_service_files(const struct service *s, struct vec *out);
/* The anchor of job `job_id` on the pipeline page of `path` (heap), or NULL. */
char *site_job_anchor_find(const struct site *site, const char *path, const char *job_id);

/* One entry of the search index and the search page. */
struct site_entry {
    const char *kind, *name, *path, *frag, *detail;
};
/* Adds an entry (strings copied into the site's arena; frag and detail may be NULL). */
void site_entry_add(struct site *site, const char *kind, const char *name, const char *path,
                    const char *frag, const char *detail);
/* Entries for a workflow unit's workflows and jobs, a doc's title and headings. */
void site_entries_workflow(struct site *site, const struct unit *u);
void site_entries_doc(struct site *site, const struct unit *u);

/* Secrets on pages (site_src.c): escapes s[0, n) found on `line` from column col0, masking
 * the spans findings report there; a heap copy of a file's bytes with every reported span
 * overwritten by '*' (for text that is parsed before it is shown, such as Markdown). */
void site_esc_masked(struct strbuf *sb, const struct site_file_findings *ff, int line, int col0,
                     const char *s, size_t n);
char *site_mask_bytes(const struct site_file_findings *ff, const char *data, size_t len);

/* Renders a doc unit's Markdown as HTML into po (links rewritten, raw HTML dropped). */
void site_markdown_render(struct page_out *po, const struct unit *u);

/* "a-b_c.d": a file-system- and URL-safe form of s (lower-cased ASCII, '-' elsewhere). */
void site_slug(struct strbuf *out, const char *s);

#endif
