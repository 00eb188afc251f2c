/* What only lint/ shares: the steps of a scan that live in their own files (suppressions,
 * baselines, the history walk, declarative conditions) and the helpers they need from
 * scan.c. */
#ifndef OPSBOOK_LINT_INT_H
#define OPSBOOK_LINT_INT_H

#include "lint.h"

/* Fills the excerpts of findings fs[0, n) of one file from its bytes, masking each secret's
 * span; the value under that span is added to `secrets` (the redactor every output masks
 * with). The file's lines are indexed once for all of them. */
void lint_excerpts_fill(struct finding **fs, size_t n, const char *data, size_t len,
                        struct redact *secrets);
/* Computes f->fingerprint from rule, path, entity, folded excerpt (and commit). */
void lint_fingerprint(struct finding *f);

/* Collects the unit's `opsbook:ignore` comments and Kubernetes ignore annotations into
 * u->ignores (phase 1, while the bytes are at hand). */
void lint_ignores_collect(struct unit *u, const char *data, size_t len);
/* Marks the findings in `all` that an ignore covers (unless `no_ignores`) and appends a
 * finding for every ignore without a reason or that suppressed nothing. */
void lint_ignores_apply(struct scan *s, struct findings *all, int no_ignores);
/* The same for the findings `fs` of one unit alone (--history: a blob's own comments), with
 * no finding about the ignores themselves. */
void lint_ignores_match(struct unit *u, struct findings *fs, int no_ignores);
/* Suppresses the secret-* findings that the repository at `root` already allows for its
 * secret scanner: paths matching `.gitleaks.toml`'s allowlist, lines listed in
 * `.gitleaksignore` (lint/allowlist.c). Nothing when `no_ignores`. */
void lint_allowlists_apply(struct scan *s, struct findings *all, const char *root,
                           int no_ignores);
/* Marks findings whose fingerprint is in the baseline file. Returns 0 or -1 with err set. */
int lint_baseline_apply(struct scan *s, const char *path, struct errbuf *err);

/* --history: scans every blob Git history added with the text checks and appends findings
 * on added lines, with commit, author and date. Returns 0 or -1 with err set. */
int lint_history_scan(struct scan *s, const struct scan_opts *o, struct findings *out,
                      struct errbuf *err);

/* Declarative conditions (lint/condition.c). _validate checks a rule's condition against the
 * field tables (0, or -1 with err naming file, line and the problem); _prepare does it for
 * every rule of a catalogue; _eval says whether `entity` (of the rule's applies-to type)
 * violates the rule (*out = 1); _run reports every violation in ctx->unit. */
int lint_condition_validate(const struct rule *r, struct errbuf *err);
int lint_conditions_prepare(const struct catalogue *c, struct errbuf *err);
int lint_condition_eval(const struct rule *r, const void *entity, int *out);
void lint_conditions_run(struct lint_ctx *ctx);

#endif
