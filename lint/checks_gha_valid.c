/* GitHub Actions checks for workflows GitHub would reject: needs that name no job or form a
 * cycle, and the problems the loader recorded (unknown keys, events, steps with both uses
 * and run) plus cron strings, whose five fields are validated here. */
#include "checks_gha.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- gha-unknown-needs ---- */

static int job_index(const struct gha_workflow *wf, const char *id)
{
    for (size_t i = 0; i < wf->njobs; i++)
        if (strcmp(wf->jobs[i]->id, id) == 0)
            return (int)i;
    return -1;
}

/* Depth-first walk over needs; an edge back to a job on the stack closes a cycle. */
static void needs_walk(struct lint_ctx *ctx, const struct gha_workflow *wf, size_t j,
                       unsigned char *state)
{
    state[j] = 1;
    const struct gha_job *job = wf->jobs[j];
    for (size_t k = 0; k < job->nneeds; k++) {
        int t = job_index(wf, job->needs[k]);
        if (t < 0)
            continue;
        if (state[t] == 1)
            lint_report(ctx, job->needs_loc[k].line, job->needs_loc[k].col, job->id,
                        "job '%s' needs '%s', which needs it back: the jobs wait on each other "
                        "and the workflow is rejected",
                        job->id, job->needs[k]);
        else if (state[t] == 0)
            needs_walk(ctx, wf, (size_t)t, state);
    }
    state[j] = 2;
}

void lint_gha_check_unknown_needs(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        if (!wf->njobs)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t k = 0; k < job->nneeds; k++)
                if (job_index(wf, job->needs[k]) < 0)
                    lint_report(ctx, job->needs_loc[k].line, job->needs_loc[k].col, job->id,
                                "job '%s' needs '%s', but no job has that id", job->id,
                                job->needs[k]);
        }
        unsigned char *state = xcalloc(wf->njobs, 1);
        for (size_t j = 0; j < wf->njobs; j++)
            if (!state[j])
                needs_walk(ctx, wf, j, state);
        free(state);
    }
}

/* ---- gha-invalid-workflow ---- */

struct cron_field {
    const char *name;
    int lo, hi;
    const char *const *names; /* symbolic values, index + lo */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const struct cron_field cron_fields[5] = {
    {"minute", 0, 59, NULL},          {"hour", 0, 23, NULL},
    {"day of month", 1, 31, NULL},    {"month", 1, 12, month_names},
    {"day of week", 0, 6, day_names},
};

/* Parses one value of a cron field; -1 when it is not a number or name in range. */
static int cron_value(const struct cron_field *f, const char *s, size_t n)
{
    if (!n)
        return -1;
    if (f->names && n == 3) {
        for (int i = 0; f->names[i]; i++)
            if (strncasecmp(s, f->names[i], 3) == 0)
                return f->lo + i;
    }
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 1000)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= f->lo && v <= f->hi ? v : -1;
}

/* 0 when one comma-separated item (*, a, a-b, with an optional /step) is valid. */
static int cron_item(const struct cron_field *f, const char *s, size_t n)
{
    const char *slash = memchr(s, '/', n);
    size_t base = slash ? (size_t)(slash - s) : n;
    if (slash) {
        size_t sn = n - base - 1;
        int step = 0;
        if (!sn)
            return -1;
        for (size_t i = 0; i < sn; i++) {
            if (slash[1 + i] < '0' || slash[1 + i] > '9' || step > 1000)
                return -1;
            step = step * 10 + (slash[1 + i] - '0');
        }
        if (step < 1)
            return -1;
    }
    if (base == 1 && s[0] == '*')
        return 0;
    const char *dash = memchr(s, '-', base);
    if (!dash)
        return cron_value(f, s, base) < 0 ? -1 : 0;
    int a = cron_value(f, s, (size_t)(dash - s));
    int b = cron_value(f, dash + 1, base - (size_t)(dash - s) - 1);
    return a < 0 || b < 0 || a > b ? -1 : 0;
}

/* Validates a cron string; on failure writes why into msg and returns -1. */
static int cron_check(const char *cron, char *msg, size_t cap)
{
    char words[64][48];
    size_t n = lint_gha_words(cron, words, 64);
    if (n != 5) {
        snprintf(msg, cap,
                 "cron '%.100s' has %zu fields; GitHub needs five (minute hour "
                 "day-of-month month day-of-week)",
                 cron, n);
        return -1;
    }
    for (size_t i = 0; i < 5; i++) {
        const char *w = words[i];
        while (*w) {
            size_t k = strcspn(w, ",");
            if (cron_item(&cron_fields[i], w, k) != 0) {
                snprintf(msg, cap, "cron '%.100s': '%.40s' is not a valid %s (%d-%d)", cron,
                         words[i], cron_fields[i].name, cron_fields[i].lo, cron_fields[i].hi);
                return -1;
            }
            w += k;
            if (*w)
                w++;
            if (!*w && w[-1] == ',') {
                snprintf(msg, cap, "cron '%.100s': '%.40s' ends with a comma", cron, words[i]);
                return -1;
            }
        }
    }
    return 0;
}

void lint_gha_check_invalid_workflow(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t i = 0; i < wf->nproblems; i++)
            lint_report(ctx, wf->problems[i].loc.line, wf->problems[i].loc.col, NULL, "%s",
                        wf->problems[i].msg);
        for (size_t t = 0; t < wf->ntriggers; t++) {
            const struct gha_trigger *tr = &wf->triggers[t];
            for (size_t c = 0; c < tr->ncrons; c++) {
                char msg[300];
                if (cron_check(tr->crons[c], msg, sizeof(msg)) != 0)
                    lint_report(ctx, tr->cron_locs[c].line, tr->cron_locs[c].col, "schedule", "%s",
                                msg);
            }
        }
    }
}
