/* lint: the policy engine. The catalogue (the YAML files of policies/, embedded at build time,
 * plus a user's policy folders) says which rules exist; built-in checks are C functions
 * registered by name in a table; the scan runs discovery, loading and checks, files in
 * parallel. */
#ifndef OPSBOOK_LINT_H
#define OPSBOOK_LINT_H

#include "core/core.h"
#include "core/finding.h"
#include "model/model.h"
#include "parse/yml.h"

struct rule {
    const char *id, *title, *category, *applies_to;
    const char *description, *remediation, *severity_rationale;
    const char *example_bad, *example_good;
    const char *check;            /* name of the built-in check, or NULL */
    const struct ynode *params;   /* check parameters (a map), may be NULL */
    const struct ynode *condition;/* declarative condition, may be NULL */
    struct vec references;        /* const char* */
    enum severity severity;       /* default from the catalogue, after config overrides */
    const char *source;           /* policies/<file>.yaml the rule came from */
    int line;                     /* its line there */
    unsigned enabled : 1;
    struct check_group *group;    /* set when the catalogue is bound to checks */
};

struct catalogue {
    struct arena *arena;
    struct vec rules;             /* struct rule*, sorted by id */
    struct strmap by_id;
    struct vec groups;            /* struct check_group*: enabled rules per built-in check */
};

struct lint_ctx;

/* An `opsbook:ignore RULE-ID reason` comment, or one entry of a Kubernetes object's
 * `opsbook.io/ignore` annotation. It covers findings of its rule on lines first..last. */
struct inline_ignore {
    const char *rule_id;          /* "" when the comment names no rule */
    const char *reason;           /* NULL when none was given */
    const char *text;             /* the comment's line, for the finding's excerpt */
    int line, col;                /* where it is written */
    int first, last;              /* the lines it covers */
    int used;                     /* it suppressed at least one finding */
    int foreign;                  /* another tool's marker: gitleaks:allow and the like
                                     (rule_id "secret-*": every secret rule on its line), or
                                     zizmor: ignore[audit] (the rule of ours for the audit) */
};

/* A built-in check. Every hook is optional:
 * - prepare: once per scan with every enabled rule that names this check (compile patterns,
 *   validate params); returns 0 or -1 with err set (a bad policy file is a usage error);
 * - on_text: once per file of a matching kind, with its raw bytes, for the whole group;
 * - on_unit: once per rule and file of a matching kind, after its entities are modelled;
 * - on_model: once per rule, after every file is loaded.
 * The check reports through lint_report(). */
struct check_def {
    const char *name;
    unsigned kinds;               /* bitmask of (1u << FK_*); 0 means every text kind */
    int (*prepare)(struct check_group *g, struct errbuf *err);
    void (*on_text)(struct lint_ctx *ctx, const char *data, size_t len);
    void (*on_unit)(struct lint_ctx *ctx);
    void (*on_model)(struct lint_ctx *ctx);
    void (*release)(struct check_group *g);
};

struct check_group {
    const struct check_def *def;
    struct vec rules;             /* struct rule* using this check */
    void *state;                  /* prepare's compiled state */
};

struct lint_ctx {
    const struct rule *rule;      /* on_unit/on_model: the rule being checked */
    const struct check_group *group;
    struct unit *unit;            /* on_text/on_unit: the file */
    const struct model *model;
    struct findings *out;
    const struct catalogue *cat;  /* on_unit: the whole catalogue (declarative conditions) */
};

#define KIND(k) (1u << (k))

/* Reports a finding for ctx->rule (or `rule` in the _rule variant) in the current unit.
 * `entity` may be NULL. The returned finding may be adjusted (mask span, end line). */
struct finding *lint_report(struct lint_ctx *ctx, int line, int col, const char *entity,
                            const char *fmt, ...) PRINTF_LIKE(5, 6);
struct finding *lint_report_rule(struct lint_ctx *ctx, const struct rule *rule, int line,
                                 int col, const char *entity, const char *fmt, ...)
    PRINTF_LIKE(6, 7);
/* Reports at a unit other than the current one (model-wide checks). */
struct finding *lint_report_at(struct lint_ctx *ctx, const struct unit *u, int line, int col,
                               const char *entity, const char *fmt, ...) PRINTF_LIKE(6, 7);

/* Raises a reported finding one severity level (at most error): the critical case of a
 * milder rule, e.g. a hostPath of "/" among hostPath mounts. A check lowers a finding by
 * setting f->severity directly. */
void lint_finding_escalate(struct finding *f);

/* Reports a finding on a field of an object rendered from a Kustomize overlay: `enc_line` is
 * the field's encoded line (see model/kustomize.h), reported at the file and line it came
 * from, with the overlay's environment in f->overlays. Findings that differ only in their
 * overlays are merged after the scan (lint_findings_merge_overlays). */
struct kz_object;
struct finding *lint_report_rendered(struct lint_ctx *ctx, const struct kz_object *o,
                                     int enc_line, int col, const char *entity,
                                     const char *fmt, ...) PRINTF_LIKE(6, 7);
/* Runs the per-file Kubernetes checks again on every environment's rendered objects and
 * reconciles their findings with the files' own (lint/overlays.c). */
void lint_overlays_judge(const struct catalogue *cat, struct model *m);
/* Merges adjacent findings (sorted) that differ only in overlays, joining the overlay names. */
void lint_findings_merge_overlays(struct findings *fs);

/* Parameters of the current rule, with defaults. */
const char *lint_param_str(const struct rule *r, const char *key, const char *def);
long long lint_param_int(const struct rule *r, const char *key, long long def);
const struct ynode *lint_param(const struct rule *r, const char *key);
/* 1 when `s` equals one of the strings in list parameter `key`. */
int lint_param_list_has(const struct rule *r, const char *key, const char *s);

/* The table of built-in checks, terminated by a zeroed entry. */
extern const struct check_def *const lint_builtin_tables[];
const struct check_def *lint_check_find(const char *name);

/* `opsbook fields`: the entity types and fields a declarative condition can use. */
int lint_fields_print(FILE *out);

/* Loads the embedded catalogue plus YAML files from `extra_dirs`. Problems in the policy files
 * are tool errors (-1 with err set): the rule set must be right before a scan means anything. */
int lint_catalogue_load(struct catalogue *out, const char *const *extra_dirs, size_t ndirs,
                        struct errbuf *err);
void lint_catalogue_release(struct catalogue *c);
const struct rule *lint_rule_find(const struct catalogue *c, const char *id);
/* Binds enabled rules to their checks and runs every prepare hook. */
int lint_catalogue_bind(struct catalogue *c, struct errbuf *err);

/* ---- the scan ---- */

struct config;

/* f->suppressed of a finding matched by --baseline (other reasons come from ignores). */
#define LINT_BASELINE_REASON "in the baseline"

struct scan_opts {
    const char *const *paths;
    size_t npaths;
    int threads;                  /* 0: one per core */
    enum severity fail_on;        /* default SEV_ERROR */
    struct discover_opts discover;
    uint64_t max_file_size;
    const struct config *config;  /* .opsbook.yml; NULL: defaults */
    const char *const *policy_dirs;   /* --policies folders, besides the config's */
    size_t npolicy_dirs;
    int no_ignores;               /* --no-ignores: inline, annotation and baseline ignored */
    const char *baseline;         /* --baseline FILE: fingerprints of accepted findings */
    const char *diff_ref;         /* --diff REF: only findings on lines changed since REF */
    int history;                  /* --history: blobs added anywhere in Git history */
    const char *since;            /* --history --since REF */
    int test_secrets;             /* --test-secrets: a secret in test data keeps its rule's
                                     severity (default: a note, marked "in test data") */
    const struct catalogue *catalogue; /* NULL, or one lint_catalogue_setup made for these
                                          options, borrowed and reused as it is (a process
                                          that runs many scans compiles it once) */
};

/* The phases of a scan, in order, and their names for `--stats`. */
enum { SCAN_PHASES = 7 };
extern const char *const scan_phase_names[SCAN_PHASES];

struct scan_stats {
    size_t files, files_scanned, bytes, skipped_binary;
    size_t by_kind[FK__COUNT];
    size_t suppressed;
    size_t commits, blobs;        /* --history */
    double seconds;
    double phase[SCAN_PHASES];    /* wall seconds of each phase, see scan_phase_names */
    size_t phase_rss[SCAN_PHASES];   /* resident bytes when each phase ended */
    size_t phase_reads[SCAN_PHASES]; /* files each phase opened (filemap_opened) */
    size_t reads_seen;               /* filemap_opened() when the last phase ended */
    size_t model_bytes[FK__COUNT];   /* arena bytes of each kind's models after linking */
    size_t linked_bytes;             /* arena bytes of the linked model */
    struct {                      /* the slowest whole-model checks */
        const char *rule;
        double seconds;
    } slow[5];
};


struct scan {
    struct catalogue cat;         /* a copy of opts->catalogue when one was given */
    int cat_borrowed;
    struct model model;
    struct findings findings;     /* every finding, sorted, severities final */
    struct scan_stats stats;
};

/* The catalogue a scan with options `o` runs: the embedded policies and the policy folders,
 * the configuration's overrides, bound to checks and prepared. Returns 0, or -1 with err set
 * (a bad policy file). Release with lint_catalogue_release. */
int lint_catalogue_setup(struct catalogue *out, const struct scan_opts *o, struct errbuf *err);

/* Runs discovery, loading and every enabled rule. Returns 0, or -1 with err set for tool
 * errors (a path that does not exist, a bad policy file). Release with lint_scan_release. */
int lint_scan_run(struct scan *out, const struct scan_opts *opts, struct errbuf *err);
/* Prints phase times, the slowest model checks and peak memory (for --stats). */
void lint_scan_stats_print(FILE *out, const struct scan *s);
void lint_scan_release(struct scan *s);
/* 1 when a finding at or above `fail_on` (and not suppressed) exists. */
int lint_scan_failed(const struct scan *s, enum severity fail_on);
/* Writes the fingerprints of the scan's unsuppressed findings to `path` (--write-baseline).
 * Returns 0, or -1 with err set. */
int lint_baseline_write(const struct scan *s, const char *path, struct errbuf *err);

#endif
