/* Built-in checks for Dockerfiles and docker-compose files, over the model of model/docker.h
 * and model/compose.h. A value opsbook cannot know (an image or user from a build argument
 * without a default, a compose variable without a default) never produces a finding. Secret
 * values are masked in excerpts and never put in messages. */
#include "checks.h"
#include "secrets_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/compose.h"
#include "model/docker.h"

/* ---- helpers ---- */

/* 1 when `s` contains one of the strings of list parameter `key` (case-insensitive). */
static int param_list_contains(const struct rule *r, const char *key, const char *s)
{
    const struct ynode *l = lint_param(r, key);
    for (size_t i = 0; yml_is_seq(l) && i < l->len; i++) {
        const char *k = yml_str(l->items[i]);
        if (k && str_icasestr(s, strlen(s), k))
            return 1;
    }
    return 0;
}

/* 1 when `s` ends with one of the strings of list parameter `key` (case-insensitive). */
static int param_list_suffix(const struct rule *r, const char *key, const char *s)
{
    const struct ynode *l = lint_param(r, key);
    size_t n = strlen(s);
    for (size_t i = 0; yml_is_seq(l) && i < l->len; i++) {
        const char *k = yml_str(l->items[i]);
        size_t kn = k ? strlen(k) : 0;
        if (kn && kn <= n && str_ieq(s + n - kn, k))
            return 1;
    }
    return 0;
}

/* A name that holds a secret, given a literal value: the rule's name keywords, minus names
 * that hold a reference to one (DB_PASSWORD_FILE) and values that cannot be one. */
static int secret_literal(const struct rule *r, const char *name, const char *value)
{
    if (!name || !value || !*value || strchr(value, '$'))
        return 0;
    if (!param_list_contains(r, "name-keywords", name) ||
        param_list_suffix(r, "exempt-suffixes", name))
        return 0;
    if (lint_param_list_has(r, "exempt-values", value))
        return 0;
    return secrets_value_plausible(value);
}

/* The entity of a stage: "stage runtime" or "stage 2" (in the caller's buffer). */
static const char *stage_entity(char *buf, size_t n, const struct docker_stage *st)
{
    if (st->alias)
        snprintf(buf, n, "stage %s", st->alias);
    else
        snprintf(buf, n, "stage %zu", (size_t)st->index + 1);
    return buf;
}

static int image_floating(const struct docker_image *im)
{
    return im->repository && !im->digest && (!im->tag || strcmp(im->tag, "latest") == 0);
}

/* The USER in effect at the end of a stage: its own last USER, else its parent stage's. */
static const struct docker_user *effective_user(const struct dockerfile *df,
                                                const struct docker_stage *st)
{
    for (size_t hops = 0; st && hops <= df->nstages; hops++) {
        if (st->nusers)
            return &st->users[st->nusers - 1];
        st = st->parent >= 0 ? &df->stages[st->parent] : NULL;
    }
    return NULL;
}

static const struct docker_healthcheck *effective_healthcheck(const struct dockerfile *df,
                                                              const struct docker_stage *st)
{
    for (size_t hops = 0; st && hops <= df->nstages; hops++) {
        if (st->healthcheck)
            return st->healthcheck;
        st = st->parent >= 0 ? &df->stages[st->parent] : NULL;
    }
    return NULL;
}

/* ---- Dockerfile ---- */

static void check_runs_as_root(struct lint_ctx *ctx)
{
    char ent[96];
    for (size_t i = 0; i < ctx->unit->dockerfiles.len; i++) {
        const struct dockerfile *df = ctx->unit->dockerfiles.items[i];
        const struct docker_stage *st = docker_final_stage(df);
        if (!st)
            continue;
        const struct docker_user *us = effective_user(df, st);
        if (us) {
            if (us->name && (strcmp(us->name, "root") == 0 || strcmp(us->name, "0") == 0))
                lint_report(ctx, us->loc.line, us->loc.col, stage_entity(ent, sizeof(ent), st),
                            "the final stage runs as root (USER %s)", us->name);
            continue;
        }
        /* Images built to run unprivileged (distroless :nonroot) need no USER. */
        if (st->image.tag && strstr(st->image.tag, "nonroot"))
            continue;
        lint_report(ctx, st->loc.line, st->loc.col, stage_entity(ent, sizeof(ent), st),
                    "the final stage has no USER, so the container runs as root");
    }
}

static void check_image_latest(struct lint_ctx *ctx)
{
    char ent[96];
    for (size_t i = 0; i < ctx->unit->dockerfiles.len; i++) {
        const struct dockerfile *df = ctx->unit->dockerfiles.items[i];
        for (size_t s = 0; s < df->nstages; s++) {
            const struct docker_stage *st = &df->stages[s];
            if (st->parent >= 0 || st->scratch || !image_floating(&st->image))
                continue;
            lint_report(ctx, st->image_loc.line, st->image_loc.col,
                        stage_entity(ent, sizeof(ent), st),
                        st->image.tag ? "base image '%s' uses the floating tag 'latest'"
                                      : "base image '%s' has no tag, so it means 'latest'",
                        st->image.repository);
        }
    }
}

static int remote_source(const char *s)
{
    return str_startswith(s, "http://") || str_startswith(s, "https://") ||
           str_startswith(s, "git@") || str_startswith(s, "git://");
}

static void check_add_remote_url(struct lint_ctx *ctx)
{
    char ent[96];
    for (size_t i = 0; i < ctx->unit->dockerfiles.len; i++) {
        const struct dockerfile *df = ctx->unit->dockerfiles.items[i];
        for (size_t s = 0; s < df->nstages; s++) {
            const struct docker_stage *st = &df->stages[s];
            for (size_t c = 0; c < st->ncopies; c++) {
                const struct docker_copy *cp = &st->copies[c];
                if (!cp->is_add || cp->checksum)
                    continue;
                for (size_t k = 0; k < cp->nsources; k++)
                    if (remote_source(cp->sources[k]))
                        lint_report(ctx, cp->source_locs[k].line, cp->source_locs[k].col,
                                    stage_entity(ent, sizeof(ent), st),
                                    "ADD downloads %s at build time without a checksum",
                                    cp->sources[k]);
            }
        }
    }
}

static const char *const shells[] = {"sh", "bash", "zsh", "ash", "dash", "ksh"};

/* 1 when the command word at s (up to a blank) is a shell, possibly by path or via sudo/env. */
static int shell_word(const char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        size_t n = strcspn(s, " \t;&|)\n");
        const char *base = s;
        for (size_t k = 0; k < n; k++)
            if (s[k] == '/')
                base = s + k + 1;
        size_t bn = n - (size_t)(base - s);
        if ((bn == 4 && memcmp(base, "sudo", 4) == 0) || (bn == 3 && memcmp(base, "env", 3) == 0) ||
            (bn == 2 && memcmp(base, "-E", 2) == 0)) {
            s += n;
            continue;
        }
        for (size_t k = 0; k < ARRAY_LEN(shells); k++)
            if (strlen(shells[k]) == bn && memcmp(base, shells[k], bn) == 0)
                return 1;
        return 0;
    }
}

static int word_start(const char *script, const char *p)
{
    return p == script || strchr(" \t\n;&|(`", p[-1]) != NULL;
}

/* Offset of a download piped into a shell (`curl … | sh`, `sh -c "$(curl …)"`,
 * `bash <(wget …)`), or -1. */
static long curl_pipe_find(const char *script)
{
    static const char *const fetchers[] = {"curl", "wget"};
    const char *scanned = script;
    for (const char *p = script; *p; p++) {
        size_t fn = 0;
        for (size_t k = 0; k < ARRAY_LEN(fetchers); k++)
            if (str_startswith(p, fetchers[k]))
                fn = strlen(fetchers[k]);
        if (!fn || !word_start(script, p) || (p[fn] != ' ' && p[fn] != '\t'))
            continue;
        /* Piped: the first '|' of this command, before a separator. A fetcher inside a
         * command already scanned has the same answer: not piped into a shell. */
        const char *q = p + fn;
        for (q = q < scanned ? scanned : q; *q && *q != ';' && *q != '\n' && *q != ')'; q++) {
            if (q[0] == '&' && q[1] == '&')
                break;
            if (q[0] == '|') {
                if (q[1] != '|' && shell_word(q + 1))
                    return p - script;
                break;
            }
        }
        scanned = q;
        /* Substituted into a shell's arguments: the command starts with a shell (looked for
         * within a bounded distance, so a pathological script stays linear). */
        if (p - script >= 2 && (p[-1] == '(' && (p[-2] == '$' || p[-2] == '<'))) {
            const char *c = p - 2;
            while (c > script && p - c < 512 && !strchr(";&|\n", c[-1]))
                c--;
            if (shell_word(c))
                return p - script;
        }
    }
    return -1;
}

/* Source position of offset `off` of a run's script (shell text, then heredoc bodies). */
static struct loc run_pos(const struct docker_run *run, size_t off)
{
    const struct dockerfile_instr *in = run->instr;
    struct loc l = run->loc;
    size_t alen = run->exec_form ? 0 : strlen(in->args);
    if (!run->exec_form && off < alen) {
        dockerfile_pos(in, off, &l.line, &l.col);
        return l;
    }
    size_t base = run->exec_form ? strcspn(run->script, "\n") : alen;
    for (size_t h = 0; h < in->nheredocs; h++) {
        size_t start = base + 1, blen = strlen(in->heredocs[h].body);
        if (off >= start && off < start + blen) {
            l.line = in->heredocs[h].line;
            size_t ls = start;
            for (size_t k = start; k < off; k++)
                if (run->script[k] == '\n') {
                    l.line++;
                    ls = k + 1;
                }
            l.col = (int)(off - ls) + 1;
            return l;
        }
        base = start + blen;
    }
    return l;
}

static void check_curl_pipe_shell(struct lint_ctx *ctx)
{
    char ent[96];
    for (size_t i = 0; i < ctx->unit->dockerfiles.len; i++) {
        const struct dockerfile *df = ctx->unit->dockerfiles.items[i];
        for (size_t s = 0; s < df->nstages; s++) {
            const struct docker_stage *st = &df->stages[s];
            for (size_t r = 0; r < st->nruns; r++) {
                long off = curl_pipe_find(st->runs[r].script);
                if (off < 0)
                    continue;
                struct loc l = run_pos(&st->runs[r], (size_t)off);
                lint_report(ctx, l.line, l.col, stage_entity(ent, sizeof(ent), st),
                            "a downloaded script is piped into a shell without verification");
            }
        }
    }
}

static void secret_vars_check(struct lint_ctx *ctx, const struct docker_var *vars, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const struct docker_var *v = &vars[k];
        if (!secret_literal(ctx->rule, v->name, v->value))
            continue;
        struct finding *f = lint_report(ctx, v->value_loc.line, v->value_loc.col, v->name,
                                        "%s %s is given a literal value: it is stored in the "
                                        "image for anyone who can pull it",
                                        v->is_arg ? "ARG" : "ENV", v->name);
        f->mask_col = v->value_loc.col;
        f->mask_len = v->value_len;
    }
}

static void check_secret_in_env(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->dockerfiles.len; i++) {
        const struct dockerfile *df = ctx->unit->dockerfiles.items[i];
        secret_vars_check(ctx, df->global_args, df->nglobal_args);
        for (size_t s = 0; s < df->nstages; s++)
            secret_vars_check(ctx, df->stages[s].vars, df->stages[s].nvars);
    }
}

/* ---- Dockerfile: model-wide ---- */

/* Collects the paths (normalised, relative to the root) of every Dockerfile a compose file of
 * the model builds; the heap strings go to `owned`. */
static void compose_built_collect(struct strmap *out, struct vec *owned, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (!u->compose.len)
            continue;
        char *dir = path_dirname(u->file->path);
        for (size_t c = 0; c < u->compose.len; c++) {
            const struct compose_file *cf = u->compose.items[c];
            for (size_t s = 0; s < cf->nservices; s++) {
                const struct compose_service *sv = &cf->services[s];
                if (!sv->has_build || !sv->build_context)
                    continue;
                char *ctxdir = path_join(dir, sv->build_context);
                char *df =
                    path_join(ctxdir, sv->build_dockerfile ? sv->build_dockerfile : "Dockerfile");
                char *norm = path_normalize(df);
                vec_push(owned, norm);
                strmap_put(out, norm, norm);
                free(df);
                free(ctxdir);
            }
        }
        free(dir);
    }
}

static int has_kubernetes(const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        enum file_kind k = ((const struct unit *)m->units.items[i])->kind;
        if (k == FK_K8S || k == FK_KUSTOMIZATION || k == FK_HELM_CHART)
            return 1;
    }
    return 0;
}

static void check_no_healthcheck(struct lint_ctx *ctx)
{
    char ent[96];
    struct strmap built = STRMAP_INIT;
    struct vec owned = VEC_INIT;
    int k8s = lint_param_int(ctx->rule, "skip-when-kubernetes", 1) && has_kubernetes(ctx->model);
    if (k8s)
        compose_built_collect(&built, &owned, ctx->model);
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        for (size_t d = 0; d < u->dockerfiles.len; d++) {
            const struct dockerfile *df = u->dockerfiles.items[d];
            const struct docker_stage *st = docker_final_stage(df);
            if (!st || st->scratch || effective_healthcheck(df, st))
                continue;
            /* Kubernetes ignores HEALTHCHECK: only images compose runs are noted there. */
            if (k8s && !strmap_get(&built, u->file->path))
                continue;
            lint_report_at(ctx, u, st->loc.line, st->loc.col, stage_entity(ent, sizeof(ent), st),
                           "the final stage has no HEALTHCHECK");
        }
    }
    strmap_release(&built);
    for (size_t i = 0; i < owned.len; i++)
        free(owned.items[i]);
    vec_release(&owned);
}

/* ---- docker-compose ---- */

static void check_compose_privileged(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->compose.len; i++) {
        const struct compose_file *cf = ctx->unit->compose.items[i];
        for (size_t s = 0; s < cf->nservices; s++) {
            const struct compose_service *sv = &cf->services[s];
            if (sv->privileged == 1)
                lint_report(ctx, sv->privileged_loc.line, sv->privileged_loc.col, sv->name,
                            "service %s runs privileged: it has every capability and the "
                            "host's devices",
                            sv->name);
        }
    }
}

static void check_compose_image_latest(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->compose.len; i++) {
        const struct compose_file *cf = ctx->unit->compose.items[i];
        for (size_t s = 0; s < cf->nservices; s++) {
            const struct compose_service *sv = &cf->services[s];
            /* With build:, image: names what compose builds, not what it pulls. */
            if (!sv->image_raw || sv->has_build || !image_floating(&sv->image))
                continue;
            lint_report(ctx, sv->image_loc.line, sv->image_loc.col, sv->name,
                        sv->image.tag ? "service %s uses image '%s' with the floating tag "
                                        "'latest'"
                                      : "service %s uses image '%s' without a tag",
                        sv->name, sv->image.repository);
        }
    }
}

static void check_compose_secret_env(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->compose.len; i++) {
        const struct compose_file *cf = ctx->unit->compose.items[i];
        for (size_t s = 0; s < cf->nservices; s++) {
            const struct compose_service *sv = &cf->services[s];
            for (size_t e = 0; e < sv->nenv; e++) {
                const struct compose_env *en = &sv->env[e];
                if (!secret_literal(ctx->rule, en->name, en->value))
                    continue;
                struct finding *f =
                    lint_report(ctx, en->value_loc.line, en->value_loc.col, sv->name,
                                "service %s sets %s to a literal value in the compose file",
                                sv->name, en->name);
                f->mask_col = en->value_loc.col;
                f->mask_len = en->value_len;
            }
        }
    }
}

static int docker_socket(const char *src)
{
    return src && (str_endswith(src, "/docker.sock") || strcmp(src, "docker.sock") == 0);
}

static void check_compose_socket(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->compose.len; i++) {
        const struct compose_file *cf = ctx->unit->compose.items[i];
        for (size_t s = 0; s < cf->nservices; s++) {
            const struct compose_service *sv = &cf->services[s];
            for (size_t v = 0; v < sv->nvolumes; v++) {
                const struct compose_volume *vol = &sv->volumes[v];
                if (strcmp(vol->type, "bind") == 0 && docker_socket(vol->source))
                    lint_report(ctx, vol->loc.line, vol->loc.col, sv->name,
                                "service %s mounts the Docker socket%s: it controls the host's "
                                "Docker daemon",
                                sv->name,
                                vol->read_only ? " (read-only "
                                                 "does not help)"
                                               : "");
            }
        }
    }
}

const struct check_def lint_checks_docker[] = {
    {.name = "dockerfile-runs-as-root",
     .kinds = KIND(FK_DOCKERFILE),
     .on_unit = check_runs_as_root},
    {.name = "dockerfile-image-latest-or-untagged",
     .kinds = KIND(FK_DOCKERFILE),
     .on_unit = check_image_latest},
    {.name = "dockerfile-add-remote-url",
     .kinds = KIND(FK_DOCKERFILE),
     .on_unit = check_add_remote_url},
    {.name = "dockerfile-curl-pipe-shell",
     .kinds = KIND(FK_DOCKERFILE),
     .on_unit = check_curl_pipe_shell},
    {.name = "dockerfile-secret-in-env",
     .kinds = KIND(FK_DOCKERFILE),
     .on_unit = check_secret_in_env},
    {.name = "dockerfile-no-healthcheck",
     .kinds = KIND(FK_DOCKERFILE),
     .on_model = check_no_healthcheck},
    {.name = "compose-privileged", .kinds = KIND(FK_COMPOSE), .on_unit = check_compose_privileged},
    {.name = "compose-image-latest-or-untagged",
     .kinds = KIND(FK_COMPOSE),
     .on_unit = check_compose_image_latest},
    {.name = "compose-secret-in-environment",
     .kinds = KIND(FK_COMPOSE),
     .on_unit = check_compose_secret_env},
    {.name = "compose-docker-socket-mount",
     .kinds = KIND(FK_COMPOSE),
     .on_unit = check_compose_socket},
    {0},
};
