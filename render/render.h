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

/* `path:line:col: severity: message [rule]`, the source line and a caret, then a summary. */
int render_text(FILE *out, const struct scan *s, const struct render_opts *o);
/* The JSON report described by schemas/report.schema.json. */
int render_json(FILE *out, const struct scan *s, const struct render_opts *o);
/* `opsbook model`: the linked model as JSON, described by schemas/model.schema.json. */
int render_model_json(FILE *out, const struct scan *s);
/* `opsbook rules`: one line per rule. */
int render_rules(FILE *out, const struct catalogue *c, int json);
/* `opsbook explain RULE`. */
int render_explain(FILE *out, const struct rule *r);

#endif
