/* Argo CD loader and linker: Application and ApplicationSet documents into struct argo_app
 * (ApplicationSet list elements substituted into the template), then, once every file is
 * loaded, git directory generators expanded against the scanned folders and each app tied to
 * its manifests and environment. */
#include "argocd.h"
#include "k8s.h"

#include <stdlib.h>
#include <string.h>

static struct loc loc_of(const struct ynode *n)
{
    struct loc l = {n ? n->line : 0, n ? n->col : 0};
    return l;
}

/* Replaces every {{key}} and {{ key }} of `s` by the element's values. */
static const char *subst(struct arena *a, const char *s, const struct ynode *elem)
{
    if (!s || !strstr(s, "{{"))
        return s;
    struct strbuf sb = STRBUF_INIT;
    while (*s) {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open, "}}") : NULL;
        if (!open || !close) {
            sb_adds(&sb, s);
            break;
        }
        sb_add(&sb, s, (size_t)(open - s));
        const char *k = open + 2;
        while (*k == ' ' || *k == '.')
            k++;
        size_t n = (size_t)(close - k);
        while (n && k[n - 1] == ' ')
            n--;
        char *key = xstrndup(k, n);
        const char *v = yml_str(yml_get(elem, key));
        if (!v && str_startswith(key, "path.basename"))
            v = yml_str(yml_get(elem, "path.basename"));
        if (v)
            sb_adds(&sb, v);
        else
            sb_add(&sb, open, (size_t)(close + 2 - open));
        free(key);
        s = close + 2;
    }
    const char *r = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return r;
}

/* The text at `dotted`, the element's values substituted; text every app of a repository
 * repeats (its URL, the cluster, the project) is pooled. */
static const char *str_at(struct unit *u, const struct ynode *n, const char *dotted,
                          const struct ynode *elem)
{
    const char *s = yml_str(yml_path(n, dotted));
    return s && strstr(s, "{{") ? subst(u->arena, s, elem) : k8s_str_pooled(s);
}

/* Fills an app from an Application body (or an ApplicationSet template). */
static void app_fill(struct unit *u, struct argo_app *app, const struct ynode *body,
                     const struct ynode *elem)
{
    const struct ynode *spec = yml_get(body, "spec");
    app->name = str_at(u, body, "metadata.name", elem);
    app->project = str_at(u, spec, "project", elem);
    app->project_loc = loc_of(yml_get(spec, "project"));
    const struct ynode *src = yml_get(spec, "source");
    const struct ynode *srcs = yml_get(spec, "sources");
    if (!src && yml_is_seq(srcs) && srcs->len)
        src = srcs->items[0];
    app->repo_url = str_at(u, src, "repoURL", elem);
    app->repo_loc = loc_of(yml_get(src, "repoURL"));
    app->path = str_at(u, src, "path", elem);
    app->path_loc = loc_of(yml_get(src, "path"));
    app->target_revision = str_at(u, src, "targetRevision", elem);
    app->revision_loc = loc_of(yml_get(src, "targetRevision"));
    if (!app->revision_loc.line)
        app->revision_loc = loc_of(src);
    app->chart = str_at(u, src, "chart", elem);
    app->source_kind = yml_get(src, "helm") || app->chart ? "helm"
                       : yml_get(src, "kustomize")       ? "kustomize"
                       : yml_get(src, "plugin")          ? "plugin"
                                                         : "directory";
    const struct ynode *dest = yml_get(spec, "destination");
    app->dest_server = str_at(u, dest, "server", elem);
    app->dest_name = str_at(u, dest, "name", elem);
    app->dest_namespace = str_at(u, dest, "namespace", elem);
    app->dest_loc = loc_of(dest);
    const struct ynode *sync = yml_get(spec, "syncPolicy");
    const struct ynode *autom = yml_get(sync, "automated");
    app->sync_loc = loc_of(sync);
    app->automated = autom != NULL && autom->kind != YN_NULL ? 1 : autom != NULL;
    if (autom && yml_is_map(autom) && yml_bool(yml_get(autom, "enabled")) == 0)
        app->automated = 0;
    app->automated_loc = autom ? loc_of(yml_get_pair(sync, "automated")->key) : app->sync_loc;
    app->prune = yml_bool(yml_get(autom, "prune"));
    app->self_heal = yml_bool(yml_get(autom, "selfHeal"));
    const struct ynode *opts = yml_get(sync, "syncOptions");
    size_t n = yml_is_seq(opts) ? opts->len : 0;
    app->sync_options = arena_alloc(u->arena, (n + 1) * sizeof(*app->sync_options));
    for (size_t i = 0, j = 0; i < n; i++)
        if (yml_str(opts->items[i]))
            app->sync_options[j++] = k8s_str_pooled(yml_str(opts->items[i]));
}

static void appset_load(struct unit *u, const struct ynode *doc)
{
    const struct ynode *spec = yml_get(doc, "spec");
    const struct ynode *tmpl = yml_get(spec, "template");
    const struct ynode *gens = yml_get(spec, "generators");
    const char *set_name = arena_strdup(u->arena, yml_str(yml_path(doc, "metadata.name")));
    for (size_t g = 0; yml_is_seq(gens) && g < gens->len; g++) {
        const struct ynode *list = yml_path(gens->items[g], "list.elements");
        const struct ynode *git = yml_get(gens->items[g], "git");
        for (size_t e = 0; yml_is_seq(list) && e < list->len; e++) {
            struct argo_app *app = arena_alloc(u->arena, sizeof(*app));
            app->unit = u;
            app->kind = "ApplicationSet";
            app->set_name = set_name;
            app->loc = loc_of(list->items[e]);
            app->generator_loc = loc_of(list->items[e]);
            app_fill(u, app, tmpl, list->items[e]);
            vec_push(&u->argo_apps, app);
        }
        const struct ynode *dirs = yml_get(git, "directories");
        for (size_t d = 0; yml_is_seq(dirs) && d < dirs->len; d++) {
            const char *pat = yml_str(yml_get(dirs->items[d], "path"));
            if (!pat || yml_bool(yml_get(dirs->items[d], "exclude")) == 1)
                continue;
            struct argo_app *app = arena_alloc(u->arena, sizeof(*app));
            app->unit = u;
            app->kind = "ApplicationSet";
            app->set_name = set_name;
            app->loc = loc_of(dirs->items[d]);
            app->generator_loc = app->loc;
            app_fill(u, app, tmpl, NULL);
            app->repo_url = arena_strdup(u->arena, yml_str(yml_get(git, "repoURL")));
            app->target_revision = arena_strdup(u->arena, yml_str(yml_get(git, "revision")));
            app->revision_loc = loc_of(yml_get(git, "revision"));
            if (!app->revision_loc.line)
                app->revision_loc = loc_of(git);
            app->git_dir_pattern = arena_strdup(u->arena, pat);
            vec_push(&u->argo_apps, app);
        }
    }
}

void argocd_load(struct unit *u, const struct yfile *yf)
{
    for (size_t i = 0; i < yf->ndocs; i++) {
        const struct ynode *doc = yf->docs[i].root;
        const char *api = yml_str(yml_get(doc, "apiVersion"));
        const char *kind = yml_str(yml_get(doc, "kind"));
        if (!api || !kind || !str_startswith(api, "argoproj.io/"))
            continue;
        if (strcmp(kind, "ApplicationSet") == 0) {
            appset_load(u, doc);
        } else if (strcmp(kind, "Application") == 0) {
            struct argo_app *app = arena_alloc(u->arena, sizeof(*app));
            app->unit = u;
            app->kind = "Application";
            app->loc = loc_of(doc);
            app_fill(u, app, doc, NULL);
            vec_push(&u->argo_apps, app);
        }
    }
}

int argocd_revision_floating(const char *rev)
{
    if (!rev || !*rev || strcmp(rev, "HEAD") == 0 || strchr(rev, '*'))
        return 1;
    size_t n = strlen(rev);
    if (n == 40 && str_is_hex(rev, n))
        return 0;
    const char *p = rev[0] == 'v' ? rev + 1 : rev;
    return !(p[0] >= '0' && p[0] <= '9' && strchr(p, '.'));
}

/* Glob of '*' within one folder name, as Argo CD's directory generator matches. */
static int glob_match(const char *pat, const char *s)
{
    if (!*pat)
        return !*s;
    if (*pat == '*') {
        for (const char *t = s;; t++) {
            if (glob_match(pat + 1, t))
                return 1;
            if (!*t || *t == '/')
                return 0;
        }
    }
    return *pat == *s && glob_match(pat + 1, s + 1);
}

static const char *repo_base(struct arena *a, const char *url)
{
    if (!url)
        return NULL;
    size_t n = strlen(url);
    while (n && url[n - 1] == '/')
        n--;
    if (n > 4 && memcmp(url + n - 4, ".git", 4) == 0)
        n -= 4;
    size_t s = n;
    while (s && url[s - 1] != '/' && url[s - 1] != ':')
        s--;
    return arena_strndup(a, url + s, n - s);
}

/* One scan root's files and folders (each unit path and every folder above it, the folders
 * also in `folders`, in order) and its kustomizations by folder. */
struct root_index {
    const char *root;
    struct strmap paths, kusts;
    struct vec folders;   /* char* (heap) */
};

static void root_index_add(struct model *m, void *arg)
{
    struct root_index *ri = xcalloc(1, sizeof(*ri));
    ri->root = ((const struct unit *)m->units.items[0])->file->root;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        strmap_put(&ri->paths, u->file->path, (void *)u);
        char *d = path_dirname(u->file->path);
        while (*d && !strmap_get(&ri->paths, d)) {
            strmap_put(&ri->paths, d, (void *)u);
            vec_push(&ri->folders, d);
            d = path_dirname(d);
        }
        free(d);
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            struct kustomization *k = u->kustomizations.items[j];
            strmap_put(&ri->kusts, k->dir, k);
        }
    }
    vec_push(arg, ri);
}

static void root_index_free(struct root_index *ri)
{
    for (size_t i = 0; i < ri->folders.len; i++)
        free(ri->folders.items[i]);
    vec_release(&ri->folders);
    strmap_release(&ri->paths);
    strmap_release(&ri->kusts);
    free(ri);
}

/* The scan root an app's source is in: the root whose folder has the name of the
 * repository its URL names, else the root of the app's own file. */
static const struct root_index *source_root(const struct argo_app *app,
                                            const struct vec *roots, struct arena *a)
{
    const char *rb = repo_base(a, app->repo_url);
    const struct root_index *own = NULL;
    for (size_t i = 0; i < roots->len; i++) {
        const struct root_index *ri = roots->items[i];
        const char *base = path_base(ri->root);
        if (rb && base && strcmp(base, rb) == 0)
            return ri;
        if (strcmp(ri->root, app->unit->file->root) == 0)
            own = ri;
    }
    return own;
}

/* Ties an app to its folder, kustomization and environment (names found through `tmp`,
 * kept pooled). */
static void app_link(struct argo_app *app, const struct root_index *ri, struct arena *tmp)
{
    char *p = app->path ? path_normalize(app->path) : NULL;
    app->path_exists = p && ri && strmap_get(&ri->paths, p) != NULL;
    app->kust = p && ri ? strmap_get(&ri->kusts, p) : NULL;
    if (p && app->kust)
        app->env = app->kust->env;
    if (!app->env && p)
        app->env = k8s_str_pooled(kz_env_from_path(tmp, p));
    if (!app->env)
        app->env = k8s_str_pooled(kz_env_from_path(tmp, app->unit->file->path));
    const char *cands[] = {app->name, app->dest_namespace};
    for (size_t i = 0; !app->env && i < 2; i++) {
        if (!cands[i])
            continue;
        char *t = xstrdup(cands[i]);
        for (char *q = t; *q; q++)
            if (*q == '-' || *q == '_' || *q == '.')
                *q = '/';
        app->env = k8s_str_pooled(kz_env_from_path(tmp, t));
        free(t);
    }
    free(p);
}

void argocd_link(struct model *m)
{
    struct strmap local_repos = STRMAP_INIT;
    struct vec roots = VEC_INIT, apps = VEC_INIT;
    struct arena *tmp = arena_new();
    model_for_each_root(m, root_index_add, &roots);
    /* Git directory generators become one app per matching folder of their source's root. */
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        size_t n = u->argo_apps.len;
        for (size_t j = 0; j < n; j++) {
            struct argo_app *t = u->argo_apps.items[j];
            if (!t->git_dir_pattern)
                continue;
            const struct root_index *ri = source_root(t, &roots, tmp);
            for (size_t d = 0; ri && d < ri->folders.len; d++) {
                const char *dir = ri->folders.items[d];
                if (!glob_match(t->git_dir_pattern, dir))
                    continue;
                struct argo_app *app = arena_alloc(u->arena, sizeof(*app));
                *app = *t;
                app->git_dir_pattern = NULL;
                app->path = arena_strdup(u->arena, dir);
                const char *base = path_base(dir);
                if (app->name && strstr(app->name, "{{"))
                    app->name = arena_sprintf(u->arena, "%s-%s", t->set_name ? t->set_name : "app",
                                              base);
                vec_push(&u->argo_apps, app);
            }
        }
    }
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->argo_apps.len; j++) {
            struct argo_app *app = u->argo_apps.items[j];
            if (app->git_dir_pattern)
                continue;
            app_link(app, source_root(app, &roots, tmp), tmp);
            vec_push(&apps, app);
            if (app->path_exists && app->repo_url)
                strmap_put(&local_repos, app->repo_url, app);
        }
    }
    /* A source is this repository when another app of the same URL finds its path here, or
     * when the URL names a repository whose name is the scanned folder's. */
    for (size_t i = 0; i < apps.len; i++) {
        struct argo_app *app = apps.items[i];
        const char *rb = repo_base(tmp, app->repo_url);
        const char *root = path_base(app->unit->file->root);
        const char *url = app->repo_url;
        int sibling = url && strmap_get(&local_repos, url);
        int relative = url && !strstr(url, "://") && !strchr(url, '@');
        app->local = !app->chart && app->path &&
                     (app->path_exists || sibling || relative ||
                      (rb && root && strcmp(rb, root) == 0));
    }
    for (size_t i = 0; i < roots.len; i++)
        root_index_free(roots.items[i]);
    vec_release(&roots);
    vec_release(&apps);
    arena_free(tmp);
    strmap_release(&local_repos);
}
