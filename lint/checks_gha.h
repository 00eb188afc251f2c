/* What the GitHub Actions checks share (lint-internal): predicates over the model, walking a
 * script line by line with positions, and the checks that live outside checks_gha.c. */
#ifndef OPSBOOK_LINT_CHECKS_GHA_H
#define OPSBOOK_LINT_CHECKS_GHA_H

#include "checks.h"
#include "model/gha.h"

/* Loops over the workflows (and composite actions) of the current unit. */
#define FOR_EACH_WF(ctx, wf)                                                                       \
    for (size_t wf##_i = 0; wf##_i < (ctx)->unit->workflows.len; wf##_i++)                         \
        for (const struct gha_workflow *wf = (ctx)->unit->workflows.items[wf##_i]; wf; wf = NULL)

/* 1 when s equals one of the strings of the NULL-terminated list. */
int lint_gha_in_list(const char *s, const char *const *list);
/* 1 when s contains needle, ignoring case (s may be NULL). */
int lint_gha_icontains(const char *s, const char *needle);
/* 1 when a parsed uses: names owner/repo (any path and ref), ignoring case. */
int lint_gha_uses_is(const struct gha_uses *u, const char *owner, const char *repo);
/* 1 when the workflow runs on pull_request_target or workflow_run. */
int lint_gha_privileged(const struct gha_workflow *wf);
/* 1 for a character of an identifier or context name (letters, digits, _ and -). */
int lint_gha_ident_char(char c);

/* Calls fn with each logical line of a script (continuations joined, comment lines
 * skipped) and the position of its first non-blank character. */
typedef void (*lint_gha_line_fn)(struct lint_ctx *ctx, const char *line, struct loc at, void *ud);
void lint_gha_script_lines(struct lint_ctx *ctx, const char *raw, struct loc start,
                           lint_gha_line_fn fn, void *ud);
/* Splits a command line at white space into at most `max` words of up to 47 bytes. */
size_t lint_gha_words(const char *line, char words[][48], size_t max);

/* checks_gha_script.c */
void lint_gha_check_script_injection(struct lint_ctx *ctx);
/* The same across files: an input of a local composite action or reusable workflow that a
 * caller fills from an untrusted context, expanded into a script there. */
void lint_gha_check_input_injection(struct lint_ctx *ctx);
void lint_gha_check_whole_secrets(struct lint_ctx *ctx);
void lint_gha_check_insecure_commands(struct lint_ctx *ctx);
void lint_gha_check_github_env_write(struct lint_ctx *ctx);
void lint_gha_check_curl_pipe(struct lint_ctx *ctx);

/* checks_gha_valid.c */
void lint_gha_check_unknown_needs(struct lint_ctx *ctx);
void lint_gha_check_invalid_workflow(struct lint_ctx *ctx);

#endif
