/* render: every output of a scan. Renderers read the scan and never change it. */
#ifndef OPSBOOK_RENDER_H
#define OPSBOOK_RENDER_H

#include <stdio.h>

#include "lint/lint.h"

#define OPSBOOK_VERSION "0.1.0"

struct render_opts {
    int color;                /* ANSI colour (a TTY without NO_COLOR) */
    enum severity fail_on;
};

typedef int (*render_fn)(FILE *out, const struct scan *s, const struct render_opts *o);

/* Runs renderer `fn` into memory, masks every secret the scan found in what it wrote
 * (redact_buf with the model's secrets: the one masking pass every report goes through), and
 * writes the result to `out`. Returns 0, or -1 when rendering or writing failed. */
int render_masked(FILE *out, const struct scan *s, const struct render_opts *o, render_fn fn);

/* `path:line:col: severity: message [rule]`, the source line and a caret, then a summary. */
int render_text(FILE *out, const struct scan *s, const struct render_opts *o);
/* The JSON report described by schemas/report.schema.json. */
int render_json(FILE *out, const struct scan *s, const struct render_opts *o);
/* `opsbook model`: the linked model as JSON, described by schemas/model.schema.json. */
int render_model_json(FILE *out, const struct scan *s, const struct render_opts *opts);
/* SARIF 2.1.0 for code scanning: every enabled rule with help text and URI, results with
 * locations, fingerprints and suppressions, and the invocation's status. */
int render_sarif(FILE *out, const struct scan *s, const struct render_opts *o);
/* GitHub Actions workflow commands (`::error file=…,line=…::message`), one per unsuppressed
 * finding, with workflow-command escaping. */
int render_github(FILE *out, const struct scan *s, const struct render_opts *o);
/* JUnit XML for CI dashboards: one test case per rule and file with findings (failed, or
 * skipped when all are suppressed), and one passing case per rule that found nothing. */
int render_junit(FILE *out, const struct scan *s, const struct render_opts *o);
/* `opsbook rules`: one line per rule. */
int render_rules(FILE *out, const struct catalogue *c, int json);
/* `opsbook explain RULE`. */
int render_explain(FILE *out, const struct rule *r);

#endif
