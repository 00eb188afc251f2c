/* Dockerfiles: the parser (directives, escape character, continuations, comments, heredocs,
 * exec form, parse errors), the stage model, and every dockerfile-* rule with true positives
 * and near misses. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/docker.h"
#include "testlib.h"

struct loaded {
    struct srcfile sf;
    struct unit u;
    const struct dockerfile *df;
};

static void load(struct loaded *l, const char *text)
{
    memset(l, 0, sizeof(*l));
    l->sf.path = "Dockerfile";
    l->u.file = &l->sf;
    l->u.kind = FK_DOCKERFILE;
    l->u.arena = arena_new();
    docker_load(&l->u, text, strlen(text));
    cr_assert_eq(l->u.dockerfiles.len, 1);
    l->df = l->u.dockerfiles.items[0];
}

static void unload(struct loaded *l)
{
    findings_release(&l->u.diags);
    vec_release(&l->u.dockerfiles);
    arena_free(l->u.arena);
}

static int diag_at(const struct loaded *l, int line)
{
    int n = 0;
    for (size_t i = 0; i < l->u.diags.v.len; i++) {
        const struct finding *f = l->u.diags.v.items[i];
        if (strcmp(f->rule_id, "parse-error") == 0 && (line == 0 || f->line == line))
            n++;
    }
    return n;
}

Test(dockerfile, continuations_comments_and_positions)
{
    struct loaded l;
    load(&l, "# syntax=docker/dockerfile:1.7\n"
             "FROM alpine:3.19.1\n"
             "RUN apk add --no-cache \\\n"
             "# a comment inside the continuation is dropped\n"
             "\n"
             "    curl \\\n"
             "    git   \n"
             "ENV A=1 \\\n"
             "    TOKEN_NAME=x\n"
             "USER 10001\n");
    cr_assert_eq(diag_at(&l, 0), 0);
    cr_assert_str_eq(l.df->ast.syntax, "docker/dockerfile:1.7");
    cr_assert_eq(l.df->nstages, 1);
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nruns, 1);
    cr_assert(strstr(st->runs[0].script, "--no-cache     curl     git"));
    cr_assert_eq(st->runs[0].instr->end_line, 7);
    cr_assert_eq(st->nvars, 2);
    cr_assert_str_eq(st->vars[1].name, "TOKEN_NAME");
    cr_assert_eq(st->vars[1].loc.line, 9);
    cr_assert_eq(st->vars[1].loc.col, 5);
    cr_assert_eq(st->vars[1].value_loc.col, 16);
    cr_assert_eq(st->nusers, 1);
    cr_assert_eq(st->users[0].loc.line, 10);
    unload(&l);
}

Test(dockerfile, escape_directive_backtick)
{
    struct loaded l;
    load(&l, "# escape=`\n"
             "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
             "RUN dir C:\\ `\n"
             "    && echo done\n"
             "COPY app\\ C:\\app\\\n");
    cr_assert_eq(l.df->ast.escape, '`');
    cr_assert_eq(diag_at(&l, 0), 0);
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nruns, 1);
    cr_assert(strstr(st->runs[0].script, "C:\\     && echo done"), "%s", st->runs[0].script);
    cr_assert_eq(st->ncopies, 1, "a trailing backslash is not a continuation here");
    cr_assert_str_eq(st->copies[0].dest, "C:\\app\\");
    unload(&l);
}

Test(dockerfile, directives_only_at_the_top)
{
    struct loaded l;
    load(&l, "FROM alpine:3.19.1\n# escape=`\nRUN echo a \\\n  b\n");
    cr_assert_eq(l.df->ast.escape, '\\');
    cr_assert_eq(l.df->stages[0].nruns, 1);
    unload(&l);
    load(&l, "# escape=x\nFROM alpine:3.19.1\n");
    cr_assert_eq(diag_at(&l, 1), 1);
    unload(&l);
}

Test(dockerfile, heredocs)
{
    struct loaded l;
    load(&l, "FROM debian:12.5\n"
             "RUN <<EOF\n"
             "set -e\n"
             "apt-get update\n"
             "EOF\n"
             "COPY <<-EOT /etc/app.conf\n"
             "\tlisten 8080\n"
             "\tEOT\n"
             "RUN python3 <<'PY' && echo ok\n"
             "print('<<EOF is not a marker here')\n"
             "PY\n"
             "USER 10001\n");
    cr_assert_eq(diag_at(&l, 0), 0);
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nruns, 2);
    cr_assert(strstr(st->runs[0].script, "apt-get update\n"));
    cr_assert_eq(st->runs[0].instr->nheredocs, 1);
    cr_assert_eq(st->runs[0].instr->heredocs[0].line, 3);
    cr_assert_eq(st->ncopies, 1);
    cr_assert_str_eq(st->copies[0].dest, "/etc/app.conf");
    cr_assert_str_eq(st->runs[0].instr->heredocs[0].marker, "EOF");
    cr_assert_eq(st->nusers, 1, "the USER after the heredocs is an instruction");
    cr_assert_eq(st->users[0].loc.line, 12);
    unload(&l);
}

Test(dockerfile, unterminated_heredoc_is_a_parse_error)
{
    struct loaded l;
    load(&l, "FROM debian:12.5\nRUN <<EOF\necho hi\n");
    cr_assert_eq(diag_at(&l, 2), 1);
    unload(&l);
    load(&l, "FROM debian:12.5\nCOPY <<EOF\nbody\nEOF\nUSER 1\n");
    cr_assert_eq(diag_at(&l, 2), 1, "a heredoc source still needs a destination");
    cr_assert_eq(l.df->stages[0].nusers, 1);
    unload(&l);
}

Test(dockerfile, exec_form_and_broken_json)
{
    struct loaded l;
    load(&l, "FROM alpine:3.19.1\n"
             "RUN [\"sh\", \"-c\", \"echo \\\"hi\\\"\"]\n"
             "RUN [\"not json\n"
             "COPY [\"a b\", \"/dst/\"]\n");
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nruns, 2);
    cr_assert(st->runs[0].exec_form);
    cr_assert_str_eq(st->runs[0].script, "sh -c echo \"hi\"");
    cr_assert(!st->runs[1].exec_form, "invalid JSON is shell form, as in BuildKit");
    cr_assert_str_eq(st->copies[0].sources[0], "a b");
    unload(&l);
}

Test(dockerfile, stages_aliases_platform_and_args)
{
    struct loaded l;
    load(&l, "ARG REGISTRY=registry.internal.example.com:5000\n"
             "ARG GO_VERSION=1.22\n"
             "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build\n"
             "FROM ${REGISTRY}/team/base AS base\n"
             "FROM build AS test\n"
             "FROM ${UNKNOWN}/x:1\n"
             "FROM scratch\n");
    cr_assert_eq(diag_at(&l, 0), 0);
    cr_assert_eq(l.df->nglobal_args, 2);
    cr_assert_eq(l.df->nstages, 5);
    const struct docker_stage *s = l.df->stages;
    cr_assert_str_eq(s[0].platform, "$BUILDPLATFORM");
    cr_assert_str_eq(s[0].image_expanded, "golang:1.22-alpine");
    cr_assert_str_eq(s[0].image.tag, "1.22-alpine");
    cr_assert_str_eq(s[0].alias, "Build");
    cr_assert_str_eq(s[1].image.registry, "registry.internal.example.com:5000");
    cr_assert_str_eq(s[1].image.repository, "team/base");
    cr_assert_null(s[1].image.tag, "a registry port is not a tag");
    cr_assert_eq(s[2].parent, 0, "stage names are case-insensitive");
    cr_assert_null(s[3].image_expanded);
    cr_assert(s[4].scratch);
    unload(&l);
}

Test(dockerfile, image_references)
{
    static const struct {
        const char *raw, *registry, *repository, *tag, *digest;
    } cases[] = {
        {"node", NULL, "node", NULL, NULL},
        {"node:20", NULL, "node", "20", NULL},
        {"ghcr.io/acme/api:1.2@sha256:ab", "ghcr.io", "acme/api", "1.2", "sha256:ab"},
        {"localhost:5000/app", "localhost:5000", "app", NULL, NULL},
        {"localhost/app:dev", "localhost", "app", "dev", NULL},
        {"team/app:latest", NULL, "team/app", "latest", NULL},
        {"gcr.io/distroless/static@sha256:cd", "gcr.io", "distroless/static", NULL, "sha256:cd"},
        {"node:@", NULL, "node", NULL, NULL},
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct docker_image im;
        docker_image_parse(&im, a, cases[i].raw);
        const char *got[] = {im.registry, im.repository, im.tag, im.digest};
        const char *want[] = {cases[i].registry, cases[i].repository, cases[i].tag,
                              cases[i].digest};
        for (size_t k = 0; k < 4; k++) {
            if (want[k])
                cr_assert(got[k] && strcmp(got[k], want[k]) == 0, "%s part %zu: %s", cases[i].raw,
                          k, got[k] ? got[k] : "(null)");
            else
                cr_assert_null(got[k], "%s part %zu: %s", cases[i].raw, k, got[k]);
        }
    }
    arena_free(a);
}

Test(dockerfile, malformed_instructions_are_reported_and_the_rest_modelled)
{
    struct loaded l;
    load(&l, "RUN echo before from\n"
             "FROM\n"
             "FROM alpine:3.19.1 AS\n"
             "FORM alpine\n"
             "ENV LONELY\n"
             "ENV A=1 B\n"
             "USER\n"
             "HEALTHCHECK --interval=5s\n"
             "EXPOSE\n"
             "COPY only-one\n"
             "WORKDIR\n"
             "USER app\n");
    for (int line = 1; line <= 11; line++)
        cr_assert_eq(diag_at(&l, line), 1, "line %d should be one parse error", line);
    cr_assert_eq(diag_at(&l, 12), 0);
    cr_assert_eq(l.df->nstages, 1);
    cr_assert_eq(l.df->stages[0].nusers, 1);
    cr_assert_str_eq(l.df->stages[0].users[0].user, "app");
    unload(&l);
}

Test(dockerfile, user_expansion)
{
    struct loaded l;
    load(&l, "FROM alpine:3.19.1\n"
             "ARG UID=10001\n"
             "USER ${UID}:${UID}\n"
             "ENV RUNAS=root\n"
             "USER $RUNAS\n"
             "USER ${NOPE}\n");
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nusers, 3);
    cr_assert_str_eq(st->users[0].name, "10001");
    cr_assert_str_eq(st->users[1].name, "root");
    cr_assert_null(st->users[2].name);
    unload(&l);
}

/* ---- rules: {content, rule, expected count, expected line of the first} ---- */

struct rule_case {
    const char *what, *content, *rule;
    int count, line;
};

#define GO_BUILD "FROM golang:1.22-alpine AS build\nRUN go build -o /app .\n"

static const struct rule_case cases[] = {
    /* dockerfile-runs-as-root */
    {"no USER", "FROM alpine:3.19.1\nRUN true\n", "dockerfile-runs-as-root", 1, 1},
    {"USER root", "FROM alpine:3.19.1\nUSER root\n", "dockerfile-runs-as-root", 1, 2},
    {"USER 0:0", "FROM alpine:3.19.1\nUSER app\nUSER 0:0\n", "dockerfile-runs-as-root", 1, 3},
    {"USER root:root", "FROM alpine:3.19.1\nUSER root:root\n", "dockerfile-runs-as-root", 1, 2},
    {"final FROM line", GO_BUILD "USER app\n\nFROM alpine:3.19.1\nCOPY --from=build /app /\n",
     "dockerfile-runs-as-root", 1, 5},
    {"build stage as root is fine", GO_BUILD "FROM alpine:3.19.1\nUSER 10001\n",
     "dockerfile-runs-as-root", 0, 0},
    {"root then back", "FROM python:3.12\nUSER root\nRUN apt-get update\nUSER 10001\n",
     "dockerfile-runs-as-root", 0, 0},
    {"inherits USER from a stage", "FROM alpine:3.19.1 AS base\nUSER 10001\nFROM base\n",
     "dockerfile-runs-as-root", 0, 0},
    {"inherits root from a stage", "FROM alpine:3.19.1 AS base\nUSER root\nFROM base\n",
     "dockerfile-runs-as-root", 1, 2},
    {"distroless nonroot", "FROM gcr.io/distroless/static-debian12:nonroot\n",
     "dockerfile-runs-as-root", 0, 0},
    {"unknown USER", "FROM alpine:3.19.1\nUSER ${APP_UID}\n", "dockerfile-runs-as-root", 0, 0},
    {"ONBUILD USER root", "FROM alpine:3.19.1\nUSER 10001\nONBUILD USER root\n",
     "dockerfile-runs-as-root", 0, 0},
    /* dockerfile-image-latest-or-untagged */
    {"untagged", "FROM node\nUSER node\n", "dockerfile-image-latest-or-untagged", 1, 1},
    {"latest", "FROM python:3.12 AS b\nFROM node:latest\n", "dockerfile-image-latest-or-untagged",
     1, 2},
    {"port without tag", "FROM registry.internal.example.com:5000/team/app\n",
     "dockerfile-image-latest-or-untagged", 1, 1},
    {"port with tag", "FROM registry.internal.example.com:5000/team/app:1.2.3\n",
     "dockerfile-image-latest-or-untagged", 0, 0},
    {"digest", "FROM gcr.io/distroless/static-debian12:latest@sha256:0123abcd\n",
     "dockerfile-image-latest-or-untagged", 0, 0},
    {"alias and scratch", GO_BUILD "FROM build AS test\nFROM scratch\n",
     "dockerfile-image-latest-or-untagged", 0, 0},
    {"ARG default untagged", "ARG BASE=node\nFROM ${BASE}\n", "dockerfile-image-latest-or-untagged",
     1, 2},
    {"ARG default tagged", "ARG V=20\nFROM node:${V}\n", "dockerfile-image-latest-or-untagged", 0,
     0},
    {"ARG without default", "ARG BASE\nFROM ${BASE}\n", "dockerfile-image-latest-or-untagged", 0,
     0},
    /* dockerfile-add-remote-url */
    {"ADD https", "FROM alpine:3.19.1\nADD https://example.com/tini /tini\n",
     "dockerfile-add-remote-url", 1, 2},
    {"ADD git", "FROM alpine:3.19.1\nADD \\\n  git@github.com:acme/x.git /src\n",
     "dockerfile-add-remote-url", 1, 3},
    {"ADD with checksum",
     "FROM alpine:3.19.1\nADD --checksum=sha256:24454f830c /tini https://example.com/tini\n",
     "dockerfile-add-remote-url", 0, 0},
    {"ADD local tarball", "FROM alpine:3.19.1\nADD rootfs.tar.gz /\n", "dockerfile-add-remote-url",
     0, 0},
    {"COPY", "FROM alpine:3.19.1\nCOPY http.conf /etc/\n", "dockerfile-add-remote-url", 0, 0},
    /* dockerfile-curl-pipe-shell */
    {"curl | sh", "FROM alpine:3.19.1\nRUN curl -fsSL https://x.sh | sh\n",
     "dockerfile-curl-pipe-shell", 1, 2},
    {"wget | sudo bash on a continuation",
     "FROM alpine:3.19.1\nRUN apk add wget \\\n && wget -qO- https://x.sh | sudo -E bash -s\n",
     "dockerfile-curl-pipe-shell", 1, 3},
    {"sh -c $(curl)", "FROM alpine:3.19.1\nRUN sh -c \"$(curl -fsSL https://x.sh)\"\n",
     "dockerfile-curl-pipe-shell", 1, 2},
    {"heredoc", "FROM alpine:3.19.1\nRUN <<EOF\nset -e\ncurl -sL https://x.sh | /bin/bash\nEOF\n",
     "dockerfile-curl-pipe-shell", 1, 4},
    {"curl | tar", "FROM alpine:3.19.1\nRUN curl -fsSL https://x.tgz | tar xz -C /opt\n",
     "dockerfile-curl-pipe-shell", 0, 0},
    {"download then verify",
     "FROM alpine:3.19.1\nRUN curl -fsSLo /i.sh https://x.sh && sha256sum -c s && sh /i.sh\n",
     "dockerfile-curl-pipe-shell", 0, 0},
    {"healthcheck curl || exit", "FROM alpine:3.19.1\nRUN curl -fsS http://x || exit 1\n",
     "dockerfile-curl-pipe-shell", 0, 0},
    {"libcurl package", "FROM alpine:3.19.1\nRUN apk add curl | tee log\n",
     "dockerfile-curl-pipe-shell", 0, 0},
    /* dockerfile-secret-in-env */
    {"ENV token", "FROM alpine:3.19.1\nENV API_TOKEN=tok-3e9d1c2a7b\n", "dockerfile-secret-in-env",
     1, 2},
    {"ARG default", "ARG NPM_TOKEN=npm_4fK9q2Lx\nFROM node:20\n", "dockerfile-secret-in-env", 1, 1},
    {"legacy ENV form", "FROM alpine:3.19.1\nENV DB_PASSWORD hunter2-dev\n",
     "dockerfile-secret-in-env", 1, 2},
    {"second line of ENV", "FROM alpine:3.19.1\nENV A=1 \\\n    CLIENT_SECRET=\"s3cr3t-Kq81\"\n",
     "dockerfile-secret-in-env", 1, 3},
    {"ARG without default", "FROM node:20\nARG NPM_TOKEN\n", "dockerfile-secret-in-env", 0, 0},
    {"reference", "FROM node:20\nARG NPM_TOKEN\nENV NPM_TOKEN=${NPM_TOKEN}\n",
     "dockerfile-secret-in-env", 0, 0},
    {"file path", "FROM node:20\nENV DB_PASSWORD_FILE=/run/secrets/db\n",
     "dockerfile-secret-in-env", 0, 0},
    {"not a secret", "FROM node:20\nENV TOKEN_TTL=3600 SECRET_ROTATION=true\n",
     "dockerfile-secret-in-env", 0, 0},
    {"empty value", "FROM node:20\nENV API_KEY=\n", "dockerfile-secret-in-env", 0, 0},
    /* dockerfile-no-healthcheck (no Kubernetes manifests here) */
    {"no healthcheck", "FROM nginx:1.27.0\nUSER nginx\n", "dockerfile-no-healthcheck", 1, 1},
    {"healthcheck", "FROM nginx:1.27.0\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
     "dockerfile-no-healthcheck", 0, 0},
    {"healthcheck NONE", "FROM nginx:1.27.0\nHEALTHCHECK NONE\n", "dockerfile-no-healthcheck", 0,
     0},
    {"inherited healthcheck", "FROM nginx:1.27.0 AS b\nHEALTHCHECK CMD true\nFROM b\n",
     "dockerfile-no-healthcheck", 0, 0},
    {"healthcheck only in a build stage",
     "FROM nginx:1.27.0 AS b\nHEALTHCHECK CMD true\nFROM nginx:1.27.0\n",
     "dockerfile-no-healthcheck", 1, 3},
};

Test(dockerfile, rules_fire_on_violations_and_not_on_near_misses)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int line = 0;
        /* A literal secret is reported once: by the secrets scanner when one of its rules
         * knows the value, else by dockerfile-secret-in-env (its yields-to parameter). */
        const char *match = strcmp(cases[i].rule, "dockerfile-secret-in-env") == 0
                                ? "dockerfile-secret-in-env,secret-*"
                                : cases[i].rule;
        int n = t_scan_one("Dockerfile", cases[i].content, match, &line);
        cr_expect_eq(n, cases[i].count, "%s / %s: %d findings, want %d", cases[i].rule,
                     cases[i].what, n, cases[i].count);
        if (cases[i].count && n)
            cr_expect_eq(line, cases[i].line, "%s / %s: line %d, want %d", cases[i].rule,
                         cases[i].what, line, cases[i].line);
    }
}

Test(dockerfile, secret_value_is_masked_and_not_in_the_message)
{
    char *dir = t_tmpdir();
    t_write(dir, "Dockerfile", "FROM alpine:3.19.1\nENV A=1 API_TOKEN=tok-3e9d1c2a7b\n");
    struct scan s;
    t_scan(&s, dir);
    int seen = 0;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (strcmp(f->rule_id, "dockerfile-secret-in-env") != 0)
            continue;
        seen++;
        cr_assert_eq(f->mask_col, 19);
        cr_assert_eq(f->mask_len, 14);
        cr_assert_null(strstr(f->message, "3e9d1c2a7b"));
        cr_assert_null(strstr(f->excerpt, "3e9d1c2a7b"), "%s", f->excerpt);
    }
    cr_assert_eq(seen, 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* With Kubernetes manifests in the repository, an image is only noted when compose builds it. */
Test(dockerfile, healthcheck_note_skipped_for_kubernetes_unless_compose_builds_it)
{
    char *dir = t_tmpdir();
    t_write(dir, "services/api/Dockerfile", "FROM nginx:1.27.0\nUSER nginx\n");
    t_write(dir, "services/web/Dockerfile", "FROM nginx:1.27.0\nUSER nginx\n");
    t_write(dir, "k8s/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n");
    t_write(dir, "services/api/Dockerfile.dev", "FROM nginx:1.27.0\nUSER nginx\n");
    t_write(dir, "docker-compose.yml",
            "services:\n  web:\n    build:\n      context: ./services/web\n");
    t_write(dir, "deploy/local/compose.yaml",
            "services:\n  api:\n    build:\n      context: ../../services/api\n"
            "      dockerfile: Dockerfile.dev\n");
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "dockerfile-no-healthcheck", "services/api/Dockerfile", 0), 0);
    cr_assert_eq(t_count(&s, "dockerfile-no-healthcheck", "services/web/Dockerfile", 1), 1);
    cr_assert_eq(t_count(&s, "dockerfile-no-healthcheck", "services/api/Dockerfile.dev", 1), 1);
    cr_assert_eq(t_count(&s, "dockerfile-no-healthcheck", NULL, 0), 2);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(dockerfile, hostile_input_does_not_crash)
{
    static const char *const inputs[] = {
        "",
        "\\",
        "FROM",
        "RUN <<",
        "RUN <<-\n",
        "FROM a \\",
        "# escape=\n",
        "\xEF\xBB\xBF"
        "FROM x:1\n",
        "FROM x:1\nENV =\nARG =v\nUSER a b\nCOPY [\"a\"]\nADD\n",
        "FROM x:1\nUSER ${\n",
        "FROM ${A:-}\n",
        "FROM x:1\r\nUSER root\r\n",
        "RUN [\"\\u12\"]\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
        struct loaded l;
        load(&l, inputs[i]);
        unload(&l);
    }
    int line = 0;
    cr_assert_eq(
        t_scan_one("Dockerfile", "FROM x:1\r\nUSER root\r\n", "dockerfile-runs-as-root", &line), 1);
    cr_assert_eq(line, 2);
}

/* A huge instruction (100,000 continuation lines, as many words) loads in linear time. */
Test(dockerfile, long_continuations_stay_linear, .timeout = 10)
{
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "FROM alpine:3.19.1\nENV A0=1 \\\n");
    for (int i = 1; i < 100000; i++)
        sb_addf(&sb, "    A%d=%d \\\n", i, i);
    sb_adds(&sb, "    API_TOKEN=tok-3e9d1c2a7b\nUSER root\n");
    struct loaded l;
    load(&l, sb.buf);
    const struct docker_stage *st = &l.df->stages[0];
    cr_assert_eq(st->nvars, 100001);
    cr_assert_eq(st->vars[100000].loc.line, 100002);
    cr_assert_eq(st->vars[100000].value_loc.col, 15);
    cr_assert_eq(st->users[0].loc.line, 100003);
    unload(&l);
    sb_release(&sb);
}

/* Many stages, variables and fetchers: lookups are hashed and the fetcher scan is linear. */
Test(dockerfile, many_stages_variables_and_fetchers_stay_linear, .timeout = 10)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 30000; i++)
        sb_addf(&sb, "ARG V%d=%d\n", i, i);
    for (int i = 0; i < 30000; i++)
        sb_addf(&sb, "FROM alpine:${V%d} AS s%d\n", i, i);
    sb_adds(&sb, "FROM S29999\nRUN ");
    for (int i = 0; i < 200000; i++)
        sb_adds(&sb, "curl ");
    sb_adds(&sb, "| sh\n");
    struct loaded l;
    load(&l, sb.buf);
    cr_assert_eq(l.df->nstages, 30001);
    cr_assert_str_eq(l.df->stages[29999].image.tag, "29999");
    cr_assert_eq(l.df->stages[30000].parent, 29999);
    unload(&l);
    sb_release(&sb);
}

Test(dockerfile, duplicate_stage_names_are_reported)
{
    struct loaded l;
    load(&l, "FROM alpine:3.19.1 AS base\nFROM alpine:3.19.1 AS Base\nFROM base\n");
    cr_assert_eq(diag_at(&l, 2), 1);
    cr_assert_eq(l.df->stages[2].parent, 0);
    unload(&l);
}

/* What the model keeps once the parser's instructions are gone: every string the rules and
 * the site read, positions inside a RUN through its continuation lines, and its heredocs. */
Test(dockerfile, model_outlives_the_parse)
{
    struct loaded l;
    load(&l, "ARG BASE=node:20.11.1-bookworm-slim\n"
             "FROM --platform=linux/amd64 ${BASE} AS deps\n"
             "RUN npm ci \\\n"
             "      --omit=dev\n"
             "FROM ${BASE}\n"
             "ENV NODE_ENV=\"prod uction\" PORT=3000\n"
             "COPY --from=deps --chown=node:node /app/node_modules ./node_modules\n"
             "COPY [\"a b.txt\", \"/srv/\"]\n"
             "EXPOSE 3000 9090/tcp\n"
             "HEALTHCHECK --interval=30s CMD curl -f http://localhost:3000/ || exit 1\n"
             "USER node:node\n"
             "RUN <<EOF bash\n"
             "echo hi\n"
             "EOF\n");
    cr_assert_eq(diag_at(&l, 0), 0);
    cr_assert_null(l.df->ast.instrs, "the parser's instructions are not kept");
    cr_assert_eq(l.df->nglobal_args, 1);
    cr_expect_str_eq(l.df->global_args[0].value, "node:20.11.1-bookworm-slim");
    cr_assert_eq(l.df->nstages, 2);
    const struct docker_stage *a = &l.df->stages[0], *b = &l.df->stages[1];
    cr_expect_str_eq(a->image_text, "${BASE}");
    cr_expect_str_eq(a->image_expanded, "node:20.11.1-bookworm-slim");
    cr_expect_str_eq(a->image.repository, "node");
    cr_expect_str_eq(a->image.tag, "20.11.1-bookworm-slim");
    cr_expect_null(a->image.registry);
    cr_expect_str_eq(a->platform, "linux/amd64");
    cr_expect_str_eq(a->alias, "deps");
    cr_expect_eq(a->image_loc.col, 29);
    cr_assert_eq(a->nruns, 1);
    const struct docker_run *r = &a->runs[0];
    cr_expect_str_eq(r->script, "npm ci       --omit=dev");
    cr_expect_str_eq(r->instr->args, r->script);
    cr_expect_eq(r->instr->nwords, 0, "words are not kept");
    int line, col;
    dockerfile_pos(r->instr, strlen("npm ci       "), &line, &col);
    cr_expect_eq(line, 4);
    cr_expect_eq(col, 7);
    cr_expect_eq(b->parent, -1, "FROM ${BASE} is the image, not the stage");
    cr_expect_str_eq(b->image.tag, "20.11.1-bookworm-slim");
    cr_assert_eq(b->nvars, 2);
    cr_expect_str_eq(b->vars[0].value, "prod uction");
    cr_expect_eq(b->vars[0].value_len, 13);
    cr_expect_str_eq(b->vars[1].name, "PORT");
    cr_assert_eq(b->ncopies, 2);
    cr_expect_str_eq(b->copies[0].from, "deps");
    cr_expect_str_eq(b->copies[0].chown, "node:node");
    cr_expect_str_eq(b->copies[0].sources[0], "/app/node_modules");
    cr_expect_null(b->copies[0].sources[1]);
    cr_expect_str_eq(b->copies[0].dest, "./node_modules");
    cr_expect_str_eq(b->copies[1].sources[0], "a b.txt");
    cr_expect_str_eq(b->copies[1].dest, "/srv/");
    cr_assert_eq(b->nexposes, 2);
    cr_expect_str_eq(b->exposes[1].port, "9090/tcp");
    cr_expect_eq(b->exposes[1].loc.col, 13);
    cr_assert_not_null(b->healthcheck);
    cr_expect_str_eq(b->healthcheck->cmd, "curl -f http://localhost:3000/ || exit 1");
    cr_assert_eq(b->nusers, 1);
    cr_expect_str_eq(b->users[0].user, "node:node");
    cr_expect_str_eq(b->users[0].name, "node");
    cr_assert_eq(b->nruns, 1);
    const struct dockerfile_instr *h = b->runs[0].instr;
    cr_expect_str_eq(h->args, "<<EOF bash");
    cr_expect_str_eq(b->runs[0].script, "<<EOF bash\necho hi\n");
    cr_assert_eq(h->nheredocs, 1);
    cr_expect_str_eq(h->heredocs[0].body, "echo hi\n");
    cr_expect_eq(h->heredocs[0].line, 13);
    cr_expect_eq(h->end_line, 14);
    cr_expect_null(a->users, "an empty list is NULL");
    unload(&l);
}
