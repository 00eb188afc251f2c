/* --history: the audit mode. Every blob Git history ever added goes through the text checks
 * (the secrets scanner) once; findings on the lines its commit added are kept with the
 * commit id, author and date, so a secret deleted since is still reported. An
 * `opsbook:ignore` comment in the blob applies (unless --no-ignores), a baseline too. */
#include "lint_int.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover/vcs.h"

struct history_run {
    struct scan *s;
    const struct scan_opts *opts;
    struct findings *out;
};

static int group_wants_kind(const struct check_group *g, enum file_kind k)
{
    return k != FK_BINARY && (g->def->kinds == 0 || (g->def->kinds & KIND(k)));
}

static int added_has(const struct vcs_blob *b, int line)
{
    size_t lo = 0, hi = b->nadded;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->added[mid] == line)
            return 1;
        if (b->added[mid] < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int history_blob(void *ctxp, const struct vcs_blob *b)
{
    struct history_run *run = ctxp;
    struct scan *s = run->s;
    if (!config_path_selected(run->opts->config, b->path))
        return 0;
    if (b->too_big) {
        struct finding *f = finding_new("file-skipped", SEV_WARNING, b->path, 0, 0,
                                        "blob not scanned: %zu bytes, over the %llu-byte limit",
                                        b->len, (unsigned long long)run->opts->max_file_size);
        f->commit = xstrdup(b->commit);
        f->author = xstrdup(b->author);
        f->date = xstrdup(b->date);
        f->display = finding_intern(b->path);
        findings_add(run->out, f);
        return 0;
    }
    struct srcfile file = {.path = (char *)b->path,
                           .display = (char *)b->path,
                           .abspath = (char *)b->path,
                           .root = (char *)"."};
    file.kind = discover_classify_path(b->path);
    file.kind = discover_classify_content(file.kind, b->path, 0, b->data, b->len);
    if (file.kind == FK_BINARY)
        return 0;
    struct unit u = {.file = &file, .kind = file.kind, .arena = arena_new()};
    struct lint_ctx ctx = {.unit = &u, .model = &s->model, .out = &u.found};
    for (size_t g = 0; g < s->cat.groups.len; g++) {
        const struct check_group *grp = s->cat.groups.items[g];
        if (!grp->def->on_text || !group_wants_kind(grp, u.kind))
            continue;
        ctx.group = grp;
        grp->def->on_text(&ctx, b->data, b->len);
    }
    if (u.found.v.len) {
        /* An ignore comment in the blob itself still applies, as it did in that commit. */
        lint_ignores_collect(&u, b->data, b->len);
        lint_ignores_match(&u, &u.found, run->opts->no_ignores);
        vec_release(&u.ignores);
    }
    size_t kept = 0;
    for (size_t i = 0; i < u.found.v.len; i++) {
        struct finding *f = u.found.v.items[i];
        if (added_has(b, f->line))
            u.found.v.items[kept++] = f;
        else
            finding_free(f);
    }
    u.found.v.len = (uint32_t)kept;
    lint_excerpts_fill((struct finding **)u.found.v.items, kept, b->data, b->len,
                       s->model.secrets);
    for (size_t i = 0; i < u.found.v.len; i++) {
        struct finding *f = u.found.v.items[i];
        f->commit = xstrdup(b->commit);
        f->author = xstrdup(b->author);
        f->date = xstrdup(b->date);
        if (!f->display)
            f->display = finding_intern(b->path);
        findings_add(run->out, f);
    }
    vec_release(&u.found.v);
    arena_free(u.arena);
    return 0;
}

int lint_history_scan(struct scan *s, const struct scan_opts *o, struct findings *out,
                      struct errbuf *err)
{
    struct history_run run = {s, o, out};
    struct vcs_history_stats st;
    const char *dir = o->npaths ? o->paths[0] : ".";
    int rc = vcs_history_walk(dir, o->since, o->max_file_size, history_blob, &run, &st, err);
    s->stats.commits = st.commits;
    s->stats.blobs = st.blobs;
    s->stats.bytes += st.bytes;
    if (rc == 0 && st.shallow) {
        /* What the clone does not hold was not read: say so where a gate and a person see
         * it, never report a clean history that was not all there. */
        findings_add(out, finding_new("history-incomplete", SEV_WARNING, ".git", 0, 0,
                                      "a shallow clone: commits before its boundary were not "
                                      "scanned (fetch them with 'git fetch --unshallow')"));
        fprintf(stderr, "opsbook: warning: %s is a shallow clone; --history saw only the "
                        "commits it holds\n", dir);
    }
    return rc;
}
