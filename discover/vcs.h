/* vcs: what Git knows about the scanned tree, through libgit2. The lines changed between a
 * revision and the working tree (the PR-check mode, --diff) and every blob added anywhere in
 * the history (the audit mode, --history). Paths are relative to the directory asked about. */
#ifndef OPSBOOK_VCS_H
#define OPSBOOK_VCS_H

#include "core/core.h"

/* The lines of one file that are new in the working tree. */
struct vcs_file_change {
    char *path; /* relative to the scanned directory, '/' separators */
    int whole;  /* the file is new (added or untracked): every line counts */
    int *lines; /* sorted new-side line numbers that were added or changed */
    size_t nlines, cap;
};

struct vcs_changes {
    struct vec files; /* struct vcs_file_change* */
    struct strmap by_path;
};

/* Collects the lines added or changed between `ref`'s tree and the working tree (staged or
 * not, untracked files included, renames detected so a moved file is not "all new") for the
 * repository holding `dir`. Paths outside `dir` are left out. Returns 0, or -1 with err set
 * (not a repository, an unknown revision). Release with vcs_changes_release(). */
int vcs_changes_load(struct vcs_changes *out, const char *dir, const char *ref, struct errbuf *err);
/* 1 when `line` of `path` is new; line 0 (a finding about the whole file) is new only when
 * the whole file is. */
int vcs_changes_has(const struct vcs_changes *c, const char *path, int line);
void vcs_changes_release(struct vcs_changes *c);

/* One blob first introduced by a commit, handed to a history callback. */
struct vcs_blob {
    const char *commit; /* 40-hex id */
    const char *author; /* "Name <email>" */
    const char *date;   /* author date, ISO 8601 UTC */
    const char *path;   /* relative to the scanned directory */
    const char *data;
    size_t len;
    const int *added; /* sorted line numbers this commit added (vs every parent) */
    size_t nadded;
    int too_big;      /* over max_size: data is NULL, len is its size; not read */
};

/* Returns 0 to go on, non-zero to stop the walk. */
typedef int (*vcs_blob_fn)(void *ctx, const struct vcs_blob *b);

struct vcs_history_stats {
    size_t commits, blobs, bytes;
    int shallow;      /* a shallow clone: commits before its boundary are not there */
};

/* Walks every commit reachable from any ref and HEAD (only those not reachable from `since`
 * when it is not NULL), oldest first, diffs each against its parents and calls `fn` once
 * per blob never seen before, with the lines that commit added. Binary blobs are skipped;
 * a blob larger than `max_size` is handed over unread (too_big). Progress goes to stderr when
 * it is a terminal. Returns 0, or -1 with err set when the repository cannot be read whole
 * (a missing or corrupt object). */
int vcs_history_walk(const char *dir, const char *since, uint64_t max_size, vcs_blob_fn fn,
                     void *ctx, struct vcs_history_stats *stats, struct errbuf *err);

#endif
