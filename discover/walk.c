/* Walking the scanned paths. Inside a Git work tree the ignore rules come from libgit2; `.git`
 * itself is never entered. Symlinks are followed only when their target stays inside the
 * root, and directories are entered once each (by device and inode), so loops end. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct walk {
    const struct discover_opts *opts;
    struct findings *diags;
    struct vec *out;
    const char *root_display;     /* the argument as given */
    char *root_real;              /* realpath of the root */
    git_repository *repo;
    char *repo_prefix;            /* root's path inside the work tree, "" or "dir/" */
    struct vec seen_dirs;         /* "dev:ino" strings of entered directories */
    struct strmap seen_map;
};

static void diag(struct walk *w, const char *rule, enum severity sev, const char *rel,
                 const char *fmt, const char *detail)
{
    struct finding *f = finding_new(rule, sev, rel, 0, 0, fmt, detail);
    char *display = path_join(w->root_display, rel);
    f->display = finding_intern(display);
    free(display);
    findings_add(w->diags, f);
}

static int ignored(struct walk *w, const char *rel, int is_dir)
{
    if (!w->repo)
        return 0;
    char *p = xasprintf("%s%s%s", w->repo_prefix, rel, is_dir ? "/" : "");
    int ign = 0;
    if (git_ignore_path_is_ignored(&ign, w->repo, p) != 0)
        ign = 0;
    free(p);
    return ign;
}

static int enter_once(struct walk *w, const struct stat *st)
{
    char key[64];
    snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev,
             (unsigned long long)st->st_ino);
    if (strmap_get(&w->seen_map, key))
        return 0;
    char *k = xstrdup(key);
    vec_push(&w->seen_dirs, k);
    strmap_put(&w->seen_map, k, k);
    return 1;
}

/* One record per file: the struct and its strings in one allocation (a large tree has tens
 * of thousands). The path to open shares the display path's bytes when they are equal, and
 * the relative path is the display path's tail when it ends with it (it does, but for a
 * root given with "./" or "..": they are normalised away in the display). */
static struct srcfile *srcfile_new(const char *abspath, const char *rel, const char *display,
                                   const char *root)
{
    size_t nr = strlen(rel) + 1, nd = strlen(display) + 1, no = strlen(root) + 1;
    int same = strcmp(abspath, display) == 0;
    int tail = nd >= nr && memcmp(display + nd - nr, rel, nr) == 0 &&
               (nd == nr || display[nd - nr - 1] == '/');
    size_t na = same ? 0 : strlen(abspath) + 1, nrel = tail ? 0 : nr;
    struct srcfile *f = xcalloc(1, sizeof(*f) + nd + nrel + no + na);
    char *p = (char *)(f + 1);
    f->display = memcpy(p, display, nd);
    f->path = tail ? f->display + nd - nr : memcpy(p + nd, rel, nr);
    f->root = memcpy(p += nd + nrel, root, no);
    f->abspath = same ? f->display : memcpy(p + no, abspath, na);
    f->kind = discover_classify_path(rel);
    return f;
}

static void add_file(struct walk *w, const char *abspath, const char *rel)
{
    char *display = path_join(w->root_display, rel);
    vec_push(w->out, srcfile_new(abspath, rel, display, w->root_display));
    free(display);
}

/* The target of a symlink when it stays inside the root; NULL (and a finding) otherwise. */
static char *link_target_inside(struct walk *w, const char *abspath, const char *rel)
{
    char *real = realpath(abspath, NULL);
    if (!real) {
        diag(w, "symlink-skipped", SEV_WARNING, rel,
             "symlink not followed: %s", errno == ELOOP ? "it loops" : "its target does not exist");
        return NULL;
    }
    if (!path_has_prefix(real, w->root_real)) {
        diag(w, "symlink-skipped", SEV_WARNING, rel,
             "symlink not followed: it points outside the scanned root%s", "");
        free(real);
        return NULL;
    }
    return real;
}

struct entry {
    char *name;
    struct stat st;
    int have_st;
};

/* Drops every entry read from a directory that is not to be walked. */
static void entries_drop(struct entry *ents, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(ents[i].name);
    *n = 0;
}

static void walk_dir(struct walk *w, const char *abspath, const char *rel, int depth)
{
    if (depth > 256) {
        diag(w, "file-skipped", SEV_WARNING, rel, "directory nesting deeper than 256%s", "");
        return;
    }
    DIR *d = opendir(abspath);
    if (!d) {
        diag(w, "file-skipped", SEV_WARNING, rel[0] ? rel : ".", "cannot read directory: %s",
             strerror(errno));
        return;
    }
    /* The entry type from readdir spares a stat per file; directories and anything else
     * (links, unknown types) are looked at relative to the open directory. */
    struct entry *ents = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int site = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            strcmp(de->d_name, ".git") == 0)
            continue;
        site |= depth > 0 && strcmp(de->d_name, OPSBOOK_SITE_MARKER) == 0;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            ents = xrealloc(ents, cap * sizeof(*ents));
        }
        struct entry *e = &ents[n];
        e->have_st = de->d_type != DT_REG;
        if (e->have_st && fstatat(dirfd(d), de->d_name, &e->st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (!e->have_st)
            e->st.st_mode = S_IFREG;
        e->name = xstrdup(de->d_name);
        n++;
    }
    closedir(d);
    if (site) /* a site opsbook wrote (inside the scanned tree): its output, not its input */
        entries_drop(ents, &n);

    for (size_t i = 0; i < n; i++) {
        const char *name = ents[i].name;
        struct stat st = ents[i].st;
        char *child_abs = path_join(abspath, name);
        char *child_rel = rel[0] ? path_join(rel, name) : xstrdup(name);
        if (S_ISLNK(st.st_mode)) {
            /* Read the target through its real path: files are opened with O_NOFOLLOW. */
            char *real = link_target_inside(w, child_abs, child_rel);
            if (!real || stat(real, &st) != 0) {
                free(real);
                goto next;
            }
            free(child_abs);
            child_abs = real;
        }
        if (S_ISDIR(st.st_mode)) {
            if (ignored(w, child_rel, 1))
                goto next;
            if (!enter_once(w, &st)) {
                diag(w, "symlink-skipped", SEV_WARNING, child_rel,
                     "directory already scanned through another path (a symlink loop?)%s", "");
                goto next;
            }
            walk_dir(w, child_abs, child_rel, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            if (!ignored(w, child_rel, 0))
                add_file(w, child_abs, child_rel);
        } else if (!ignored(w, child_rel, 0)) {
            /* Never opened (a FIFO would block the scan), never silently passed over. */
            diag(w, "file-skipped", SEV_WARNING, child_rel,
                 "file not scanned: %s is not a regular file",
                 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
        }
    next:
        free(child_abs);
        free(child_rel);
    }
    for (size_t i = 0; i < n; i++)
        free(ents[i].name);
    free(ents);
}

/* 1 when `dir` or a parent holds a .git entry. Checked before starting libgit2, whose
 * start-up (TLS and certificates) costs more than walking a small tree. */
static int inside_git(const char *dir)
{
    char *p = xstrdup(dir);
    int found = 0;
    for (;;) {
        char *g = path_join(p, ".git");
        struct stat st;
        found = stat(g, &st) == 0;
        free(g);
        char *slash = strrchr(p, '/');
        if (found || !slash || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
    return found;
}

static void open_repo(struct walk *w, const char *dir, int *git_started)
{
    if ((w->opts && w->opts->no_git) || !inside_git(dir))
        return;
    if (!*git_started) {
        git_libgit2_init();
        *git_started = 1;
    }
    if (git_repository_open_ext(&w->repo, dir, 0, NULL) != 0) {
        w->repo = NULL;
        return;
    }
    const char *wd = git_repository_workdir(w->repo);
    char *wd_real = wd ? realpath(wd, NULL) : NULL;
    if (!wd_real || !path_has_prefix(w->root_real, wd_real)) {
        free(wd_real);
        git_repository_free(w->repo);
        w->repo = NULL;
        return;
    }
    const char *sub = w->root_real + strlen(wd_real);
    while (*sub == '/')
        sub++;
    w->repo_prefix = *sub ? xasprintf("%s/", sub) : xstrdup("");
    free(wd_real);
    /* A root the repository ignores (a generated tree under build/, say) was named on
     * purpose: walk it plainly rather than ignore everything in it. */
    int ign = 0;
    if (*sub && git_ignore_path_is_ignored(&ign, w->repo, w->repo_prefix) == 0 && ign) {
        git_repository_free(w->repo);
        w->repo = NULL;
        free(w->repo_prefix);
        w->repo_prefix = NULL;
    }
}

static int srcfile_cmp(const void *pa, const void *pb)
{
    const struct srcfile *a = *(struct srcfile *const *)pa;
    const struct srcfile *b = *(struct srcfile *const *)pb;
    int c = strcmp(a->root, b->root);
    return c ? c : strcmp(a->path, b->path);
}

/* Files under a Helm chart's templates/ are Go templates; values files are chart values. */
static void mark_helm(struct vec *files)
{
    struct vec charts = VEC_INIT;
    for (size_t i = 0; i < files->len; i++) {
        struct srcfile *f = files->items[i];
        if (f->kind == FK_HELM_CHART)
            vec_push(&charts, f);
    }
    for (size_t c = 0; c < charts.len; c++) {
        struct srcfile *chart = charts.items[c];
        char *dir = path_dirname(chart->display);
        char *tdir = path_join(dir, "templates");
        for (size_t i = 0; i < files->len; i++) {
            struct srcfile *f = files->items[i];
            if (path_has_prefix(f->display, tdir) && f->kind != FK_MARKDOWN)
                f->kind = FK_HELM_TEMPLATE;
            else if (str_startswith(path_base(f->display), "values") &&
                     (str_endswith(f->display, ".yaml") || str_endswith(f->display, ".yml"))) {
                char *fdir = path_dirname(f->display);
                if (strcmp(fdir, dir) == 0)
                    f->kind = FK_HELM_VALUES;
                free(fdir);
            }
        }
        free(dir);
        free(tdir);
    }
    vec_release(&charts);
}

int discover_walk(struct vec *out, const char *const *paths, size_t npaths,
                  const struct discover_opts *opts, struct findings *diags, struct errbuf *err)
{
    static const char *const dot[] = {"."};
    if (npaths == 0) {
        paths = dot;
        npaths = 1;
    }
    int rc = 0, git_started = 0;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            errbuf_set(err, "%s: %s", paths[i], strerror(errno));
            rc = -1;
            break;
        }
        char *norm = path_normalize(paths[i]);
        struct walk w = {.opts = opts, .diags = diags, .out = out};
        if (S_ISDIR(st.st_mode)) {
            w.root_display = norm;
            w.root_real = realpath(paths[i], NULL);
            if (!w.root_real) {
                errbuf_set(err, "%s: %s", paths[i], strerror(errno));
                free(norm);
                rc = -1;
                break;
            }
            open_repo(&w, w.root_real, &git_started);
            enter_once(&w, &st);
            walk_dir(&w, paths[i], "", 0);
        } else {
            char *dir = path_dirname(norm);
            struct srcfile *f = srcfile_new(paths[i], norm, norm, dir);
            f->named = 1;
            vec_push(out, f);
            free(dir);
        }
        if (w.repo)
            git_repository_free(w.repo);
        free(w.repo_prefix);
        free(w.root_real);
        for (size_t j = 0; j < w.seen_dirs.len; j++)
            free(w.seen_dirs.items[j]);
        vec_release(&w.seen_dirs);
        strmap_release(&w.seen_map);
        free(norm);
    }
    if (git_started)
        git_libgit2_shutdown();
    vec_sort(out, srcfile_cmp);
    mark_helm(out);
    return rc;
}

void discover_files_free(struct vec *files)
{
    for (size_t i = 0; i < files->len; i++) {
        free(files->items[i]);
    }
    vec_release(files);
}
