/* The project configuration, `.opsbook.yml`: which paths to scan, rule overrides, which
 * environments are production, extra policy folders and the site's title and repository URL.
 * It is validated against schemas/config.schema.json (embedded); a mistake in it is a usage
 * error that names the file, line and key. */
#ifndef OPSBOOK_CONFIG_H
#define OPSBOOK_CONFIG_H

#include "core/core.h"
#include "core/finding.h"

struct catalogue;

/* A rule override: `rules: {ID: off|on|error|warning|note}` or `{enabled:, severity:}`. */
struct config_rule {
    const char *id;
    int enabled;            /* -1 unchanged, 0 off, 1 on */
    enum severity severity; /* SEV_NONE: unchanged */
    int line, col;          /* of the key, for errors */
};

struct config {
    struct arena *arena;
    const char *path;      /* the file read; NULL when there is none */
    struct vec include;    /* const char* globs; empty means everything */
    struct vec exclude;    /* const char* globs */
    struct vec rules;      /* struct config_rule* */
    struct vec production; /* environment names that count as production */
    struct vec policies;   /* extra policy folders, relative to the file's directory */
    const char *site_title;
    const char *repository; /* URL for "view source" links */
    const struct ynode *pins; /* pins: owner/repo glob -> sha | ref | any (in arena) */
};

/* Reads `path` when given (missing: error), else `root`/.opsbook.yml when it exists, else
 * the defaults. Returns 0, or -1 with err set to "file:line:col: message". */
int config_load(struct config *out, const char *root, const char *path, struct errbuf *err);
void config_release(struct config *c);

/* Applies the rule overrides to a loaded catalogue (before it is bound). An unknown rule id
 * is an error with a suggestion. Returns 0 or -1 with err set. */
int config_rules_apply(const struct config *c, struct catalogue *cat, struct errbuf *err);

/* 1 when `path` (relative to the scanned root) passes include and exclude. */
int config_path_selected(const struct config *c, const char *path);

/* 1 when `env` is one of the production environment names. */
int config_env_is_production(const struct config *c, const char *env);

/* Writes the effective configuration as YAML. Returns 0 or -1 on a write error. */
int config_print(FILE *out, const struct config *c);

/* Glob match over '/'-separated paths: `*` and `?` stay within a segment, `**` spans
 * segments, a pattern without '/' matches the base name anywhere. */
int config_glob_match(const char *pattern, const char *path);

/* The closest of `names` to `s` within a small edit distance, or NULL. */
const char *config_suggest(const char *s, const char *const *names, size_t n);

#endif
