/* GitHub Actions model: workflows (and composite actions) with triggers, permissions, jobs
 * (needs, environment, runner, container), and steps with `uses` parsed into
 * owner/repo/path@ref and its kind. Everything is copied into the unit's arena, each distinct
 * string once per file (strings may be shared: never write through them). */
#ifndef OPSBOOK_GHA_H
#define OPSBOOK_GHA_H

#include "model.h"

enum gha_ref_kind {
    GHA_REF_NONE,       /* no @ref at all */
    GHA_REF_SHA,        /* full 40-hex commit */
    GHA_REF_SHORT_SHA,  /* 7–39 hex digits: looks pinned, is not */
    GHA_REF_TAG,        /* v4, v1.2.3 */
    GHA_REF_BRANCH,     /* main, master, anything else */
    GHA_REF_DOCKER,     /* docker://image */
    GHA_REF_LOCAL,      /* ./path */
    GHA_REF_EXPR,       /* contains ${{ }} */
};
const char *gha_ref_kind_name(enum gha_ref_kind k);

struct gha_uses {
    const char *raw;
    const char *owner, *repo, *path, *ref;  /* path may be NULL; docker/local: owner NULL */
    enum gha_ref_kind kind;
    int reusable;       /* job-level uses of a reusable workflow (.yml/.yaml path) */
};

/* Parses a `uses:` value into `out` (strings in `a`). */
void gha_uses_parse(struct gha_uses *out, struct arena *a, const char *raw);

/* A key/value pair of env:, with:, secrets:, outputs:. value NULL when not a scalar. */
struct gha_kv {
    const char *key, *value;
    struct loc loc;       /* of the key */
    struct loc vloc;      /* of the value */
    const char *raw;      /* the value's source text, starting at vloc (NULL when not a
                           * scalar): positions inside a multi-line value are found by
                           * counting lines in raw from vloc */
};

struct gha_kvs {
    struct gha_kv *items;
    size_t len;
};
const struct gha_kv *gha_kvs_get(const struct gha_kvs *kvs, const char *key);

struct gha_perms {
    int present;          /* a permissions: key exists */
    const char *all;      /* "read-all", "write-all", "{}" … when given as a scalar */
    struct gha_kvs scopes;/* contents: read, id-token: write … */
    struct loc loc;
};

struct gha_step {
    const char *id, *name, *if_cond, *shell;
    struct gha_uses uses;           /* uses.raw NULL for run steps */
    const char *run;                /* the script, NULL for uses steps */
    int run_line;                   /* first script line (a block: the line after run:) */
    int run_col;                    /* column of the first script character on run_line */
    const char *run_raw;            /* the script's source text from (run_line, run_col) when
                                     * it is not the script indented again (then NULL): read
                                     * it with gha_step_run_source */
    struct loc if_loc;              /* the if: value, when there is one */
    struct gha_kvs with, env;
    struct loc loc;                 /* the "- " item */
    struct loc uses_loc;            /* the uses: key */
};

/* What few jobs have, kept apart so the others do not carry it: a job's containers, and the
 * reusable-workflow call. A job without them points at one shared empty (never NULL). */
struct gha_containers {
    const char *container_image;    /* container: image or scalar */
    struct loc container_loc;
    const char *container_password; /* literal credentials.password, NULL for expressions */
    struct loc container_password_loc;
    const char **service_images;    /* NULL-terminated, services: x: image */
    struct loc *service_locs;
    const char **service_passwords; /* literal credentials.password per service, or NULL */
    struct loc *service_password_locs;
    size_t nservices;
};

struct gha_call {
    struct gha_uses uses;           /* reusable workflow call; uses.raw NULL otherwise */
    struct loc uses_loc;
    struct loc secrets_loc;
    struct gha_kvs with;
    struct gha_kvs secrets;         /* secrets: passed to a reusable workflow (map form) */
    int secrets_inherit;
};

struct gha_job {
    const char *id, *name;
    struct loc loc;                 /* the job id key */
    const char **needs;             /* NULL-terminated */
    struct loc *needs_loc;
    const char *runs_on;            /* scalar, or labels joined with ',' */
    struct loc runs_on_loc;
    const char *environment;        /* name (expression text kept as written) */
    const char *environment_url;
    struct loc environment_loc;
    struct gha_perms perms;
    const char *if_cond;
    struct loc if_loc;              /* the if: value */
    const char *concurrency;        /* group, or the scalar */
    const struct gha_containers *containers; /* container: and services: */
    const struct gha_call *call;    /* uses:, with:, secrets: */
    struct gha_kvs env, outputs;
    struct gha_step **steps;
    unsigned nneeds, nsteps;        /* 32-bit counts: the small fields pack */
    int has_timeout;
};

struct gha_trigger {
    const char *event;              /* push, pull_request, workflow_dispatch … */
    struct loc loc;
    const char **branches;          /* NULL-terminated: branches/tags filters */
    size_t nbranches;
    const char **crons;             /* schedule: cron strings */
    struct loc *cron_locs;
    size_t ncrons;
    struct gha_kvs inputs;          /* workflow_dispatch/workflow_call inputs: name -> type
                                     * ("string" when no type is given) */
};

/* Something GitHub would reject in the file (an unknown key, a step with both uses and run,
 * an event that does not exist), found while loading. */
struct gha_problem {
    const char *msg;
    struct loc loc;
};

struct gha_workflow {
    const char *path;               /* the unit's path */
    const char *name;
    int is_action;                  /* action.yml rather than a workflow */
    struct loc loc;                 /* document start */
    struct gha_trigger *triggers;
    size_t ntriggers;
    struct gha_perms perms;
    const char *concurrency;
    struct gha_kvs env;
    struct gha_job **jobs;          /* in file order; actions have one pseudo-job "steps" */
    size_t njobs;
    struct gha_problem *problems;   /* every problem, unknown top-level keys included */
    size_t nproblems;
};

/* Models every document of a workflow or action file. `data`/`len` are the file's bytes (the
 * loader reads script positions from them); nothing keeps a pointer into them. */
void gha_load(struct unit *u, const struct yfile *yf, const char *data, size_t len);

const struct gha_job *gha_job_find(const struct gha_workflow *wf, const char *id);
int gha_workflow_has_trigger(const struct gha_workflow *wf, const char *event);
/* The script's source text from (run_line, run_col), NULL for a uses step: later lines keep
 * their indentation, so a position inside it is run_line + newlines before it (see
 * gha_text_loc). Either run_raw or rebuilt from the script into `sb` (reset first). */
const char *gha_step_run_source(const struct gha_step *st, struct strbuf *sb);
/* Position of byte `off` of a value whose source text `raw` starts at `start`. */
struct loc gha_text_loc(struct loc start, const char *raw, size_t off);

#endif
