/* Git through libgit2: the changed lines behind --diff (a revision's tree against the working
 * tree, renames detected) and the blob walk behind --history (every commit from every ref,
 * diffed against its parents with no context, each new blob handed over once with the lines
 * its commit added). */
#include "vcs.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The repository holding `dir`, and `dir` relative to its working tree ("" at the top). */
static int repo_open(git_repository **out, char **prefix, const char *dir, struct errbuf *err)
{
    char real_dir[PATH_MAX], real_wd[PATH_MAX];
    *out = NULL;
    *prefix = NULL;
    if (git_repository_open_ext(out, dir, 0, NULL) != 0) {
        errbuf_set(err, "%s: not inside a Git repository", dir);
        return -1;
    }
    const char *wd = git_repository_workdir(*out);
    if (!wd || !realpath(dir, real_dir) || !realpath(wd, real_wd)) {
        errbuf_set(err, "%s: the repository has no working tree", dir);
        git_repository_free(*out);
        *out = NULL;
        return -1;
    }
    size_t n = strlen(real_wd);
    const char *rest = real_dir + n;
    *prefix = xstrdup(*rest == '/' ? rest + 1 : rest);
    return 0;
}

/* `path` relative to the scanned directory, or NULL when it lies outside it. */
static const char *strip_prefix(const char *prefix, const char *path)
{
    size_t n = strlen(prefix);
    if (n == 0)
        return path;
    if (strncmp(path, prefix, n) != 0 || path[n] != '/')
        return NULL;
    return path + n + 1;
}

static void lines_add(int **lines, size_t *n, size_t *cap, int line)
{
    if (*n && (*lines)[*n - 1] == line)
        return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *lines = xrealloc(*lines, *cap * sizeof(**lines));
    }
    (*lines)[(*n)++] = line;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int lines_find(const int *lines, size_t n, int line)
{
    return n && bsearch(&line, lines, n, sizeof(*lines), int_cmp) != NULL;
}

/* ---- --diff ---- */

struct diff_walk {
    struct vcs_changes *c;
    const char *prefix;
};

static struct vcs_file_change *change_get(struct vcs_changes *c, const char *path)
{
    struct vcs_file_change *fc = strmap_get(&c->by_path, path);
    if (!fc) {
        fc = xcalloc(1, sizeof(*fc));
        fc->path = xstrdup(path);
        vec_push(&c->files, fc);
        strmap_put(&c->by_path, fc->path, fc);
    }
    return fc;
}

static int diff_file_cb(const git_diff_delta *d, float progress, void *payload)
{
    struct diff_walk *w = payload;
    (void)progress;
    if (d->status == GIT_DELTA_DELETED || !d->new_file.path)
        return 0;
    const char *p = strip_prefix(w->prefix, d->new_file.path);
    if (!p)
        return 0;
    struct vcs_file_change *fc = change_get(w->c, p);
    if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_UNTRACKED)
        fc->whole = 1;
    return 0;
}

static int diff_line_cb(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
                        void *payload)
{
    struct diff_walk *w = payload;
    (void)h;
    if (l->origin != GIT_DIFF_LINE_ADDITION || l->new_lineno <= 0 || !d->new_file.path)
        return 0;
    const char *p = strip_prefix(w->prefix, d->new_file.path);
    if (!p)
        return 0;
    struct vcs_file_change *fc = change_get(w->c, p);
    lines_add(&fc->lines, &fc->nlines, &fc->cap, l->new_lineno);
    return 0;
}

int vcs_changes_load(struct vcs_changes *out, const char *dir, const char *ref, struct errbuf *err)
{
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_tree *tree = NULL;
    git_diff *diff = NULL;
    char *prefix = NULL;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    git_libgit2_init();
    if (repo_open(&repo, &prefix, dir, err) != 0)
        goto out;
    if (git_revparse_single(&obj, repo, ref) != 0 ||
        git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) != 0) {
        errbuf_set(err, "--diff: unknown revision '%s'", ref);
        goto out;
    }
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                 GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    if (git_diff_tree_to_workdir_with_index(&diff, repo, tree, &opts) != 0) {
        errbuf_set(err, "--diff: cannot compare %s with the working tree: %s", ref,
                   git_error_last() ? git_error_last()->message : "unknown error");
        goto out;
    }
    git_diff_find_options fopts;
    git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopts.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
    if (git_diff_find_similar(diff, &fopts) != 0) {
        errbuf_set(err, "--diff: rename detection failed");
        goto out;
    }
    struct diff_walk w = {out, prefix};
    if (git_diff_foreach(diff, diff_file_cb, NULL, NULL, diff_line_cb, &w) != 0) {
        errbuf_set(err, "--diff: cannot read the changes against %s", ref);
        goto out;
    }
    rc = 0;
out:
    git_diff_free(diff);
    git_tree_free(tree);
    git_object_free(obj);
    git_repository_free(repo);
    free(prefix);
    git_libgit2_shutdown();
    return rc;
}

int vcs_changes_has(const struct vcs_changes *c, const char *path, int line)
{
    const struct vcs_file_change *fc = strmap_get(&c->by_path, path);
    if (!fc)
        return 0;
    if (fc->whole)
        return 1;
    return line > 0 && lines_find(fc->lines, fc->nlines, line);
}

void vcs_changes_release(struct vcs_changes *c)
{
    for (size_t i = 0; i < c->files.len; i++) {
        struct vcs_file_change *fc = c->files.items[i];
        free(fc->path);
        free(fc->lines);
        free(fc);
    }
    vec_release(&c->files);
    strmap_release(&c->by_path);
}

/* ---- --history ---- */

/* A blob a commit introduces at a path, with the lines it added against each parent so far. */
struct new_blob {
    char *path;
    git_oid id;
    int *lines;
    size_t nlines, cap;
    int parents; /* how many parent diffs showed this path as new */
    int touched; /* seen in the current parent's diff */
    int *cur;    /* lines against the current parent */
    size_t ncur, curcap;
};

struct hist_walk {
    const char *prefix;
    struct strmap seen; /* blob id hex -> non-NULL: already handed over */
    struct arena *ids;  /* the keys of `seen` */
    struct vec blobs;   /* struct new_blob* of the current commit */
    struct strmap by_path;
    int parent; /* index of the parent being diffed */
    uint64_t max_size;
    git_odb *odb; /* a shallow clone's objects, to tell a missing parent; else NULL */
};

static struct new_blob *hist_blob(struct hist_walk *w, const git_diff_delta *d)
{
    if (d->status == GIT_DELTA_DELETED || !d->new_file.path || (d->flags & GIT_DIFF_FLAG_BINARY))
        return NULL;
    const char *p = strip_prefix(w->prefix, d->new_file.path);
    if (!p)
        return NULL;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), &d->new_file.id);
    if (strmap_get(&w->seen, hex))
        return NULL;
    struct new_blob *b = strmap_get(&w->by_path, p);
    if (!b) {
        if (w->parent > 0)
            return NULL; /* unchanged against an earlier parent: nothing new */
        b = xcalloc(1, sizeof(*b));
        b->path = xstrdup(p);
        b->id = d->new_file.id;
        vec_push(&w->blobs, b);
        strmap_put(&w->by_path, b->path, b);
    }
    return b;
}

static int hist_file_cb(const git_diff_delta *d, float progress, void *payload)
{
    (void)progress;
    struct new_blob *b = hist_blob(payload, d);
    if (b && !b->touched) {
        b->touched = 1;
        b->parents++;
        b->ncur = 0;
    }
    return 0;
}

static int hist_line_cb(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
                        void *payload)
{
    (void)h;
    if (l->origin != GIT_DIFF_LINE_ADDITION || l->new_lineno <= 0)
        return 0;
    struct new_blob *b = hist_blob(payload, d);
    if (b)
        lines_add(&b->cur, &b->ncur, &b->curcap, l->new_lineno);
    return 0;
}

/* After one parent's diff: the first parent's lines are taken as they are, later parents'
 * are intersected (a line a merge took from one side is not new against that side). */
static void hist_parent_done(struct hist_walk *w)
{
    for (size_t i = 0; i < w->blobs.len; i++) {
        struct new_blob *b = w->blobs.items[i];
        if (!b->touched)
            continue;
        b->touched = 0;
        if (w->parent == 0) {
            int *t = b->lines;
            size_t tc = b->cap;
            b->lines = b->cur;
            b->nlines = b->ncur;
            b->cap = b->curcap;
            b->cur = t;
            b->curcap = tc;
            b->ncur = 0;
            continue;
        }
        size_t k = 0;
        for (size_t j = 0; j < b->nlines; j++)
            if (lines_find(b->cur, b->ncur, b->lines[j]))
                b->lines[k++] = b->lines[j];
        b->nlines = k;
    }
}

static void hist_blobs_clear(struct hist_walk *w)
{
    for (size_t i = 0; i < w->blobs.len; i++) {
        struct new_blob *b = w->blobs.items[i];
        free(b->path);
        free(b->lines);
        free(b->cur);
        free(b);
    }
    w->blobs.len = 0;
    strmap_release(&w->by_path);
}

static void iso_date(char *out, size_t n, git_time_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Diffs one commit against each parent (or the empty tree) and hands its new blobs over. */
static int hist_commit(git_repository *repo, git_commit *c, struct hist_walk *w, vcs_blob_fn fn,
                       void *ctx, struct vcs_history_stats *st, struct errbuf *err)
{
    git_tree *tree = NULL;
    int rc = -1;
    unsigned np = git_commit_parentcount(c);
    /* At a shallow clone's boundary the parents are not there: the commit is a root. */
    for (unsigned p = 0; w->odb && p < np; p++)
        if (!git_odb_exists(w->odb, git_commit_parent_id(c, p)))
            np = 0;
    if (git_commit_tree(&tree, c) != 0) {
        errbuf_set(err, "--history: cannot read a commit's tree");
        goto out;
    }
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    git_diff_find_options fopts;
    git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopts.flags = GIT_DIFF_FIND_RENAMES;
    for (unsigned p = 0; p < (np ? np : 1); p++) {
        git_commit *parent = NULL;
        git_tree *ptree = NULL;
        git_diff *diff = NULL;
        int bad = (np && (git_commit_parent(&parent, c, p) != 0 ||
                          git_commit_tree(&ptree, parent) != 0)) ||
                  git_diff_tree_to_tree(&diff, repo, ptree, tree, &opts) != 0 ||
                  git_diff_find_similar(diff, &fopts) != 0;
        w->parent = (int)p;
        if (!bad && git_diff_foreach(diff, hist_file_cb, NULL, NULL, hist_line_cb, w) != 0)
            bad = 1;
        git_diff_free(diff);
        git_tree_free(ptree);
        git_commit_free(parent);
        if (bad) {
            errbuf_set(err, "--history: cannot diff commit against its parent");
            goto out;
        }
        hist_parent_done(w);
    }

    char id[GIT_OID_HEXSZ + 1], date[32];
    git_oid_tostr(id, sizeof(id), git_commit_id(c));
    const git_signature *sig = git_commit_author(c);
    char *author = xasprintf("%s <%s>", sig->name ? sig->name : "", sig->email ? sig->email : "");
    iso_date(date, sizeof(date), sig->when.time);
    rc = 0;
    for (size_t i = 0; i < w->blobs.len && rc == 0; i++) {
        struct new_blob *b = w->blobs.items[i];
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof(hex), &b->id);
        if (b->parents < (int)(np ? np : 1) || strmap_get(&w->seen, hex))
            continue;
        strmap_put(&w->seen, arena_strdup(w->ids, hex), w);
        git_blob *blob = NULL;
        if (git_blob_lookup(&blob, repo, &b->id) != 0) {
            const git_error *e = git_error_last();
            errbuf_set(err, "--history: cannot read %s in commit %.12s: %s (a corrupt or "
                       "partial clone?)", b->path, id, e && e->message ? e->message : "missing");
            rc = -1;
            break;
        }
        if ((uint64_t)git_blob_rawsize(blob) > w->max_size) {
            struct vcs_blob vb = {id, author, date, b->path, NULL,
                                  (size_t)git_blob_rawsize(blob), NULL, 0, 1};
            if (fn(ctx, &vb) != 0)
                rc = 1;
        } else if (!git_blob_is_binary(blob)) {
            struct vcs_blob vb = {id,
                                  author,
                                  date,
                                  b->path,
                                  git_blob_rawcontent(blob),
                                  (size_t)git_blob_rawsize(blob),
                                  b->lines,
                                  b->nlines,
                                  0};
            st->blobs++;
            st->bytes += vb.len;
            if (fn(ctx, &vb) != 0)
                rc = 1;
        }
        git_blob_free(blob);
    }
    free(author);
out:
    hist_blobs_clear(w);
    git_tree_free(tree);
    return rc;
}

/* A shallow clone's commits, parents before children: libgit2's revwalk stops with an error
 * at the clone's boundary, where a parent is named but not there. Depth-first from every ref
 * and HEAD, a parent that is not in `odb` left out; `hidden` (--since) and what it reaches
 * are left out too. Returns 0, or -1 with err set. */
static int shallow_order(git_repository *repo, git_odb *odb, const git_oid *hidden,
                         struct vec *out, struct errbuf *err)
{
    struct strmap seen = STRMAP_INIT;
    struct arena *keys = arena_new();
    struct vec stack = VEC_INIT; /* git_oid* (arena); a tagged pointer (low bit) = children done */
    int rc = 0;
    for (int pass = hidden ? 0 : 1; pass < 2 && rc == 0; pass++) {
        git_strarray refs = {0};
        if (pass == 0) {
            git_oid *o = arena_alloc(keys, sizeof(*o));
            *o = *hidden;
            vec_push(&stack, o);
        } else {
            git_reference_list(&refs, repo);
            for (size_t i = 0; i <= refs.count; i++) {
                git_oid *o = arena_alloc(keys, sizeof(*o));
                const char *name = i < refs.count ? refs.strings[i] : "HEAD";
                if (git_reference_name_to_id(o, repo, name) == 0)
                    vec_push(&stack, o);
            }
            git_strarray_dispose(&refs);
        }
        while (stack.len && rc == 0) {
            uintptr_t top = (uintptr_t)stack.items[stack.len - 1];
            git_oid *id = (git_oid *)(top & ~(uintptr_t)1);
            char hex[GIT_OID_HEXSZ + 1];
            git_oid_tostr(hex, sizeof(hex), id);
            if (top & 1) {
                stack.len--;
                if (pass == 1)
                    vec_push(out, id);
                continue;
            }
            if (strmap_get(&seen, hex)) {
                stack.len--;
                continue;
            }
            strmap_put(&seen, arena_strdup(keys, hex), id);
            git_commit *c = NULL;
            if (git_commit_lookup(&c, repo, id) != 0) {
                stack.len--; /* a ref to a tree or blob, or a tag of one */
                continue;
            }
            stack.items[stack.len - 1] = (void *)(top | 1);
            for (unsigned p = git_commit_parentcount(c); p-- > 0;) {
                const git_oid *pid = git_commit_parent_id(c, p);
                if (!git_odb_exists(odb, pid))
                    continue;
                git_oid *o = arena_alloc(keys, sizeof(*o));
                *o = *pid;
                vec_push(&stack, o);
            }
            git_commit_free(c);
        }
    }
    (void)err;
    vec_release(&stack);
    strmap_release(&seen);
    /* The ids live in `keys`: hand them over as copies the caller frees. */
    for (size_t i = 0; i < out->len; i++) {
        git_oid *o = xmalloc(sizeof(*o));
        *o = *(git_oid *)out->items[i];
        out->items[i] = o;
    }
    arena_free(keys);
    return rc;
}

static int shallow_walk(git_repository *repo, const char *since, struct hist_walk *w,
                        vcs_blob_fn fn, void *ctx, struct vcs_history_stats *st, int progress,
                        struct errbuf *err)
{
    git_object *hide = NULL;
    struct vec order = VEC_INIT;
    int rc = -1;
    if (git_repository_odb(&w->odb, repo) != 0) {
        errbuf_set(err, "--history: cannot read the object database");
        goto out;
    }
    if (since && git_revparse_single(&hide, repo, since) != 0) {
        errbuf_set(err, "--since: unknown revision '%s'", since);
        goto out;
    }
    if (shallow_order(repo, w->odb, hide ? git_object_id(hide) : NULL, &order, err) != 0)
        goto out;
    int r = 0;
    for (size_t i = 0; i < order.len && r == 0; i++) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, order.items[i]) != 0) {
            errbuf_set(err, "--history: cannot read a commit");
            goto out;
        }
        r = hist_commit(repo, c, w, fn, ctx, st, err);
        git_commit_free(c);
        if (r < 0)
            goto out;
        st->commits++;
        if (progress && st->commits % 25 == 0)
            fprintf(stderr, "\rhistory: %zu commits, %zu blobs", st->commits, st->blobs);
    }
    rc = 0;
out:
    for (size_t i = 0; i < order.len; i++)
        free(order.items[i]);
    vec_release(&order);
    git_object_free(hide);
    return rc;
}

int vcs_history_walk(const char *dir, const char *since, uint64_t max_size, vcs_blob_fn fn,
                     void *ctx, struct vcs_history_stats *stats, struct errbuf *err)
{
    git_repository *repo = NULL;
    git_revwalk *walk = NULL;
    git_object *hide = NULL;
    char *prefix = NULL;
    struct hist_walk w = {0};
    struct vcs_history_stats st = {0, 0, 0, 0};
    int progress = isatty(STDERR_FILENO);
    int rc = -1;

    git_libgit2_init();
    w.ids = arena_new();
    w.max_size = max_size ? max_size : UINT64_MAX;
    if (repo_open(&repo, &prefix, dir, err) != 0)
        goto out;
    w.prefix = prefix;
    st.shallow = git_repository_is_shallow(repo) == 1;
    if (st.shallow) {
        rc = shallow_walk(repo, since, &w, fn, ctx, &st, progress, err);
        goto out;
    }
    if (git_revwalk_new(&walk, repo) != 0) {
        errbuf_set(err, "--history: cannot walk the history of %s", dir);
        goto out;
    }
    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    /* Every ref, and HEAD (which may be detached); an empty repository has neither. */
    git_revwalk_push_glob(walk, "refs/*");
    git_revwalk_push_head(walk);
    if (since) {
        if (git_revparse_single(&hide, repo, since) != 0 ||
            git_revwalk_hide(walk, git_object_id(hide)) != 0) {
            errbuf_set(err, "--since: unknown revision '%s'", since);
            goto out;
        }
    }
    git_oid oid;
    int r = 0, next = 0;
    while (r == 0 && (next = git_revwalk_next(&oid, walk)) == 0) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &oid) != 0) {
            errbuf_set(err, "--history: cannot read a commit");
            goto out;
        }
        r = hist_commit(repo, c, &w, fn, ctx, &st, err);
        git_commit_free(c);
        if (r < 0)
            goto out;
        st.commits++;
        if (progress && st.commits % 25 == 0)
            fprintf(stderr, "\rhistory: %zu commits, %zu blobs", st.commits, st.blobs);
    }
    if (progress && st.commits >= 25)
        fprintf(stderr, "\rhistory: %zu commits, %zu blobs\n", st.commits, st.blobs);
    if (r == 0 && next != GIT_ITEROVER) {
        const git_error *e = git_error_last();
        errbuf_set(err, "--history: cannot walk the history: %s (a corrupt repository?)",
                   e && e->message ? e->message : "unknown error");
        goto out;
    }
    rc = 0;
out:
    if (stats)
        *stats = st;
    git_odb_free(w.odb);
    hist_blobs_clear(&w);
    vec_release(&w.blobs);
    strmap_release(&w.seen);
    arena_free(w.ids);
    git_object_free(hide);
    git_revwalk_free(walk);
    git_repository_free(repo);
    free(prefix);
    git_libgit2_shutdown();
    return rc;
}
