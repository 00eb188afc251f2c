/* Infrastructure pages: one per Terraform folder (an environment root or a module) with its
 * backend and providers, resources grouped by type, the modules it calls (source, version or
 * ref, and a link when the module is in this repository), variables and outputs, the folders
 * that use it, and its findings. Also the infrastructure index. */
#include "site_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/tf.h"

/* Each (unit, block) of one folder, in path and line order. */
struct tf_item {
    const struct unit *u;
    const struct tf_block *b;
};

static void folder_items(const struct site *site, const char *dir, struct vec *out)
{
    for (size_t i = 0; i < site->source_units.len; i++) {
        const struct unit *u = site->source_units.items[i];
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *b = u->tf_blocks.items[j];
            if (strcmp(b->dir ? b->dir : "", dir) != 0)
                break;
            struct tf_item *it = xcalloc(1, sizeof(*it));
            it->u = u;
            it->b = b;
            vec_push(out, it);
        }
    }
}

static void items_free(struct vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        free(v->items[i]);
    vec_release(v);
}

static int line_of(const struct tf_block *b)
{
    return b->hcl ? b->hcl->line : 0;
}

/* The folder a local module source points at, relative to the root (heap), or NULL. */
static char *local_target(const char *dir, const struct tf_block *b)
{
    if (b->kind != TF_MODULE || b->source->kind != TF_SRC_LOCAL || !b->source->address)
        return NULL;
    char *joined = *dir ? xasprintf("%s/%s", dir, b->source->address) : xstrdup(b->source->address);
    char *norm = path_normalize(joined);
    free(joined);
    while (*norm && norm[strlen(norm) - 1] == '/')
        norm[strlen(norm) - 1] = '\0';
    return norm;
}

static void block_link(struct page_out *po, const struct tf_item *it, const char *text)
{
    site_link_unit(po, it->u->file->path, line_of(it->b), text);
}

/* Resources (or data sources) grouped by type. */
static void by_type(struct page_out *po, const struct vec *items, enum tf_block_kind kind,
                    const char *title)
{
    struct strbuf *sb = po->sb;
    struct vec types = VEC_INIT;
    for (size_t i = 0; i < items->len; i++) {
        const struct tf_item *it = items->items[i];
        if (it->b->kind != kind)
            continue;
        size_t t = 0;
        while (t < types.len && strcmp(types.items[t], it->b->type) != 0)
            t++;
        if (t == types.len)
            vec_push(&types, (void *)it->b->type);
    }
    if (!types.len)
        return;
    sb_addf(sb, "<h2>%s</h2>\n<table>\n<thead><tr><th>Type</th><th>Names</th></tr></thead>\n"
                "<tbody>\n", title);
    for (size_t t = 0; t < types.len; t++) {
        sb_adds(sb, "<tr><td><code>");
        html_esc(sb, types.items[t]);
        sb_adds(sb, "</code></td><td>");
        int n = 0;
        for (size_t i = 0; i < items->len; i++) {
            const struct tf_item *it = items->items[i];
            if (it->b->kind != kind || strcmp(it->b->type, types.items[t]) != 0)
                continue;
            sb_adds(sb, n++ ? ", " : "");
            block_link(po, it, it->b->name);
        }
        sb_adds(sb, "</td></tr>\n");
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    vec_release(&types);
}

static void names_of(struct page_out *po, const struct vec *items, enum tf_block_kind kind,
                     const char *title)
{
    struct strbuf *sb = po->sb;
    int n = 0;
    for (size_t i = 0; i < items->len; i++) {
        const struct tf_item *it = items->items[i];
        if (it->b->kind != kind)
            continue;
        const char *label = kind == TF_PROVIDER ? it->b->type : it->b->name;
        if (!label || !*label)
            continue;
        sb_addf(sb, n++ ? ", " : "<dt>%s</dt><dd>", title);
        block_link(po, it, label);
    }
    if (n)
        sb_adds(sb, "</dd>\n");
}

static const char *source_kind_name(enum tf_source_kind k)
{
    static const char *const names[] = {
        [TF_SRC_NONE] = "none",       [TF_SRC_UNKNOWN] = "expression", [TF_SRC_LOCAL] = "local",
        [TF_SRC_REGISTRY] = "registry", [TF_SRC_GIT] = "git",          [TF_SRC_OTHER] = "archive",
    };
    return (size_t)k < ARRAY_LEN(names) && names[k] ? names[k] : "unknown";
}

void site_page_tf(struct page_out *po)
{
    const struct site *site = po->site;
    const char *dir = po->page->obj;
    struct strbuf *sb = po->sb;
    struct vec items = VEC_INIT;
    folder_items(site, dir, &items);
    int env_root = strstr(dir, "environments/") != NULL;
    site_frame_open(po, *dir ? dir : "(repository root)",
                    env_root ? "Terraform environment root" : "Terraform module");
    sb_adds(sb, "<dl class=\"facts\">\n");
    for (size_t i = 0; i < items.len; i++) {
        const struct tf_item *it = items.items[i];
        if (it->b->kind == TF_TERRAFORM && it->b->backend) {
            sb_adds(sb, "<dt>Backend</dt><dd>");
            block_link(po, it, it->b->type && *it->b->type ? it->b->type
                                                           : (it->b->backend->nlabels
                                                                  ? it->b->backend->labels[0]
                                                                  : "backend"));
            sb_adds(sb, "</dd>\n");
        }
    }
    if (env_root && site->scan->model.linked) {
        const char *p = strstr(dir, "environments/") + strlen("environments/");
        size_t n = strcspn(p, "/");
        char *env = xstrndup(p, n);
        if (linked_env_find(site->scan->model.linked, env)) {
            sb_adds(sb, "<dt>Environment</dt><dd>");
            site_link_env(po, env);
            sb_adds(sb, "</dd>\n");
        }
        free(env);
    }
    names_of(po, &items, TF_PROVIDER, "Providers");
    names_of(po, &items, TF_VARIABLE, "Variables");
    names_of(po, &items, TF_OUTPUT, "Outputs");
    sb_adds(sb, "<dt>Files</dt><dd>");
    const struct unit *last = NULL;
    for (size_t i = 0; i < items.len; i++) {
        const struct tf_item *it = items.items[i];
        if (it->u == last)
            continue;
        sb_adds(sb, last ? ", " : "");
        last = it->u;
        site_link_unit(po, it->u->file->path, 0, path_base(it->u->file->path));
    }
    sb_adds(sb, "</dd>\n</dl>\n");

    int nmod = 0;
    for (size_t i = 0; i < items.len; i++) {
        const struct tf_item *it = items.items[i];
        if (it->b->kind != TF_MODULE)
            continue;
        if (!nmod++)
            sb_adds(sb, "<h2>Modules it calls</h2>\n<table>\n<thead><tr><th>Module</th>"
                        "<th>Source</th><th>Version</th></tr></thead>\n<tbody>\n");
        sb_adds(sb, "<tr><td>");
        block_link(po, it, it->b->name);
        sb_adds(sb, "</td><td>");
        char *target = local_target(dir, it->b);
        const char *page = target ? strmap_get(&site->tf_page, target) : NULL;
        if (page) {
            site_link(po, page, NULL, it->b->source->address);
        } else {
            sb_adds(sb, "<code>");
            html_esc(sb, it->b->source->address ? it->b->source->address : "");
            sb_adds(sb, "</code>");
        }
        sb_addf(sb, " <span class=\"tag\">%s</span></td><td>",
                source_kind_name(it->b->source->kind));
        const char *ver = it->b->source->version ? it->b->source->version : it->b->source->ref;
        if (ver) {
            sb_adds(sb, "<code>");
            html_esc(sb, ver);
            sb_adds(sb, "</code>");
        } else if (it->b->source->kind == TF_SRC_REGISTRY || it->b->source->kind == TF_SRC_GIT) {
            sb_adds(sb, "<span class=\"pin no\">not pinned</span>");
        }
        sb_adds(sb, "</td></tr>\n");
        free(target);
    }
    if (nmod)
        sb_adds(sb, "</tbody>\n</table>\n");
    by_type(po, &items, TF_RESOURCE, "Resources");
    by_type(po, &items, TF_DATA, "Data sources");

    /* Folders that call this one as a local module. */
    const struct vec *users = strmap_get(&site->tf_users, dir);
    if (users && users->len) {
        sb_adds(sb, "<h2>Used by</h2>\n<ul>\n");
        for (size_t i = 0; i < users->len; i++) {
            sb_adds(sb, "<li>");
            site_link(po, strmap_get(&site->tf_page, users->items[i]), NULL, users->items[i]);
            sb_adds(sb, "</li>\n");
        }
        sb_adds(sb, "</ul>\n");
    }
    struct vec found = VEC_INIT;
    last = NULL;
    for (size_t i = 0; i < items.len; i++) {
        const struct tf_item *it = items.items[i];
        if (it->u == last)
            continue;
        last = it->u;
        const struct site_file_findings *ff = site_findings_of(site, it->u->file->path);
        for (size_t k = 0; ff && k < ff->v.len; k++)
            vec_push(&found, ff->v.items[k]);
    }
    sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%u</span></h2>\n", found.len);
    site_findings_table(po, &found, 1, 0);
    vec_release(&found);
    items_free(&items);
    site_frame_close(po);
}

void site_page_infra(struct page_out *po)
{
    const struct site *site = po->site;
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Infrastructure", "Terraform environment roots and modules.");
    if (!site->tf_dirs.len) {
        sb_adds(sb, "<p class=\"empty\">No Terraform was found.</p>\n");
        site_frame_close(po);
        return;
    }
    sb_adds(sb, "<table>\n<thead><tr><th>Folder</th><th>Kind</th><th class=\"num\">Resources"
                "</th><th class=\"num\">Modules</th><th>Backend</th></tr></thead>\n<tbody>\n");
    for (size_t d = 0; d < site->tf_dirs.len; d++) {
        const char *dir = site->tf_dirs.items[d];
        struct vec items = VEC_INIT;
        folder_items(site, dir, &items);
        size_t nres = 0, nmod = 0;
        const char *backend = NULL;
        for (size_t i = 0; i < items.len; i++) {
            const struct tf_item *it = items.items[i];
            nres += it->b->kind == TF_RESOURCE;
            nmod += it->b->kind == TF_MODULE;
            if (it->b->kind == TF_TERRAFORM && it->b->backend)
                backend = it->b->type;
        }
        sb_adds(sb, "<tr><td>");
        site_link(po, strmap_get(&site->tf_page, dir), NULL, *dir ? dir : "(root)");
        sb_addf(sb, "</td><td>%s</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td>",
                strstr(dir, "environments/") ? "environment root" : "module", nres, nmod);
        if (backend) {
            sb_adds(sb, "<code>");
            html_esc(sb, backend);
            sb_adds(sb, "</code>");
        }
        sb_adds(sb, "</td></tr>\n");
        items_free(&items);
    }
    sb_adds(sb, "</tbody>\n</table>\n");
    site_frame_close(po);
}

/* Plans the folder pages and who uses which local module; entries for search. */
void site_plan_tf(struct site *site)
{
    for (size_t i = 0; i < site->source_units.len; i++) {
        const struct unit *u = site->source_units.items[i];
        if (!u->tf_blocks.len)
            continue;
        const struct tf_block *b = u->tf_blocks.items[0];
        const char *dir = b->dir ? b->dir : "";
        if (strmap_get(&site->tf_page, dir))
            continue;
        char *key = arena_sprintf(site->arena, "%s", dir);
        vec_push(&site->tf_dirs, key);
        strmap_put(&site->tf_page, key, (void *)"");
    }
    vec_sort(&site->tf_dirs, site_str_cmp);
    for (size_t d = 0; d < site->tf_dirs.len; d++) {
        const char *dir = site->tf_dirs.items[d];
        const char *path = site_page_path_new(site, "tf", *dir ? dir : "root");
        strmap_put(&site->tf_page, dir, (void *)path);
        struct site_page *pg = site_page_add(site, PG_TF, path, *dir ? dir : "(root)");
        pg->obj = dir;
    }
    for (size_t i = 0; i < site->source_units.len; i++) {
        const struct unit *u = site->source_units.items[i];
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *b = u->tf_blocks.items[j];
            char *target = local_target(b->dir ? b->dir : "", b);
            const char *key = NULL;
            for (size_t d = 0; target && d < site->tf_dirs.len && !key; d++)
                if (strcmp(site->tf_dirs.items[d], target) == 0)
                    key = site->tf_dirs.items[d];
            free(target);
            if (!key)
                continue;
            struct vec *users = strmap_get(&site->tf_users, key);
            if (!users) {
                users = arena_alloc(site->arena, sizeof(*users));
                strmap_put(&site->tf_users, key, users);
                vec_push(&site->owned, users);
            }
            const char *from = b->dir ? b->dir : "";
            int seen = 0;
            for (size_t k = 0; k < users->len && !seen; k++)
                seen = strcmp(users->items[k], from) == 0;
            if (!seen && strmap_get(&site->tf_page, from))
                vec_push(users, (void *)from);
        }
    }
}

void site_entries_tf(struct site *site)
{
    for (size_t d = 0; d < site->tf_dirs.len; d++) {
        const char *dir = site->tf_dirs.items[d];
        site_entry_add(site, "terraform", *dir ? dir : "(root)", strmap_get(&site->tf_page, dir),
                       NULL, strstr(dir, "environments/") ? "environment root" : "module");
    }
}
