/* Dockerfile model: the stages of a build (base image parsed like an image reference, alias,
 * platform) with what each stage does that rules look at — USER, RUN, ADD/COPY, HEALTHCHECK,
 * EXPOSE, ENV, ARG — each with line and column. Built by docker_load() from the parser in
 * parse/dockerfile.h. The parser's instructions are dropped after loading, except a slim copy
 * of each RUN (its positions and heredocs, for carets inside the script). */
#ifndef OPSBOOK_DOCKER_H
#define OPSBOOK_DOCKER_H

#include "model.h"
#include "parse/dockerfile.h"

/* An image reference: [registry/]repository[:tag][@digest]. */
struct docker_image {
    const char *raw;
    const char *registry;   /* "ghcr.io", "registry.example.com:5000", NULL for Docker Hub */
    const char *repository; /* "team/app", "node" */
    const char *tag;        /* NULL when untagged */
    const char *digest;     /* "sha256:…" or NULL */
};

/* Parses an image reference into `out` (strings in `a`). A registry port is not a tag. */
void docker_image_parse(struct docker_image *out, struct arena *a, const char *raw);

/* ENV, ARG and LABEL pairs. value is NULL for `ARG NAME` without a default. */
struct docker_var {
    const char *name, *value;
    struct loc loc;       /* the name */
    struct loc value_loc; /* the value as written (quotes included) */
    int value_len;        /* its length in bytes on value_loc's line */
    unsigned literal : 1; /* the value contains no $ expansion */
    unsigned is_arg : 1;  /* ARG (else ENV) */
};

struct docker_user {
    const char *user; /* as written, e.g. "10001:10001", "${APP_UID}" */
    const char *name; /* the user part after expansion, NULL when unknown */
    struct loc loc;   /* the USER keyword */
};

struct docker_run {
    const char *script; /* shell form text, exec form joined by spaces, plus heredocs */
    int exec_form;
    const struct dockerfile_instr *instr; /* keyword, positions, args, segs and heredocs;
                                           * words and argv are not kept */
    struct loc loc;
};

struct docker_copy {
    const char **sources; /* NULL-terminated, as written (heredoc sources are "<<EOF") */
    struct loc *source_locs;
    const char *dest;
    const char *from;     /* --from=, NULL when absent */
    const char *checksum; /* ADD --checksum=, NULL when absent */
    const char *chown;
    struct loc loc;
    int is_add;
    uint32_t nsources;
};

struct docker_healthcheck {
    int none;        /* HEALTHCHECK NONE */
    const char *cmd; /* the command, NULL for NONE */
    struct loc loc;
};

struct docker_expose {
    const char *port; /* "8080", "8080/tcp", "${PORT}" */
    struct loc loc;
};

struct docker_stage {
    const char *alias;          /* AS name, NULL when none */
    const char *image_text;     /* the FROM image as written */
    const char *image_expanded; /* after ARG substitution, NULL when a variable is unknown */
    struct docker_image image;  /* parsed image_expanded (zeroed when unknown) */
    const char *platform;       /* --platform= or NULL */
    struct docker_user *users;  /* these arrays are NULL when empty */
    struct docker_run *runs;
    struct docker_copy *copies;
    struct docker_var *vars; /* ENV and ARG in order */
    struct docker_expose *exposes;
    struct docker_healthcheck *healthcheck; /* the last one, NULL when none */
    struct loc loc;                         /* the FROM keyword */
    struct loc image_loc;
    uint32_t index;
    int parent;  /* index of the earlier stage it builds on, -1 for an image */
    int scratch; /* FROM scratch */
    uint32_t nusers, nruns, ncopies, nvars, nexposes;
};

struct dockerfile {
    const char *path;
    struct dockerfile_ast ast; /* escape and syntax only: instrs is NULL after loading */
    struct docker_var *global_args; /* ARG before the first FROM; NULL when none */
    struct docker_stage *stages;
    uint32_t nglobal_args, nstages;
};

/* Parses a Dockerfile and appends a struct dockerfile to u->dockerfiles. Malformed
 * instructions become parse-error findings in u->diags; the rest is still modelled. */
void docker_load(struct unit *u, const char *data, size_t len);

/* The stage the image runs: the last one. NULL when the file has no FROM. */
const struct docker_stage *docker_final_stage(const struct dockerfile *df);

#endif
