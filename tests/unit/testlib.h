/* Helpers shared by the Criterion tests: throwaway directories with files in them, scanning
 * them in process, and asking what was found. */
#ifndef OPSBOOK_TESTLIB_H
#define OPSBOOK_TESTLIB_H

#include "lint/lint.h"

/* A fresh empty directory under $TMPDIR (heap string). */
char *t_tmpdir(void);
/* Writes `content` to dir/rel, creating parent directories. */
void t_write(const char *dir, const char *rel, const char *content);
/* Writes len bytes. */
void t_write_bytes(const char *dir, const char *rel, const char *data, size_t len);
/* Removes a directory tree. */
void t_rmtree(const char *dir);
/* Scans `path` with default options (no git, 2 threads); asserts it ran. */
void t_scan(struct scan *out, const char *path);
/* Scans `path` with its own .opsbook.yml, loaded into `cfg` (release it after the scan). */
struct config;
void t_scan_configured(struct scan *out, struct config *cfg, const char *path);
/* The same for several paths (several scan roots). */
void t_scan_paths(struct scan *out, const char *const *paths, size_t npaths);
/* Writes one file into a fresh directory, scans it, and returns the number of findings of
 * `rule` (NULL: all rules; "a,b*" matches rule a or any rule starting with b); the first
 * one's line goes to *line when line is not NULL. */
int t_scan_one(const char *rel, const char *content, const char *rule, int *line);
/* 1 when rule id `id` matches `pattern` (see t_scan_one). */
int t_rule_matches(const char *pattern, const char *id);
/* Number of findings of `rule` (NULL: any) at `path` (NULL: any) and line (0: any). */
int t_count(const struct scan *s, const char *rule, const char *path, int line);
/* Prints every finding to stderr (for debugging a failing test). */
void t_dump(const struct scan *s);
/* The repository's root (OPSBOOK_ROOT, or the working directory). */
const char *t_root(void);
/* The opsbook binary to run: OPSBOOK_BIN, or build/opsbook under the root, as an absolute
 * path so a command may change directory first. */
const char *t_bin(void);
/* Runs a shell command; returns its exit status. Output to `out` (heap) when not NULL. */
int t_run(const char *cmd, char **out);
/* Runs the git commands `script` in `dir` with a fixed identity and no user or system
 * configuration; asserts they succeeded. */
void t_git(const char *dir, const char *script);
/* The whole of a file (heap, NUL-terminated; "" when empty), its length in *len when len is
 * not NULL; NULL when it cannot be read. */
char *t_read(const char *path, size_t *len);

#endif
