/* GitHub Actions annotations: `::error file=…,line=…,col=…,title=…::message` workflow
 * commands that the runner turns into inline comments on the pull request, then one notice with
 * the totals (suppressed findings counted). Values are escaped as the runner expects: % CR LF
 * in the message, and also : and , in properties.
 *
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job)
 * and drops the rest silently. So the first ANNOTATIONS_PER_KIND of each kind are annotations
 * (one notice is kept for the totals), the rest plain log lines, and the totals say how many
 * were not annotated and where to see them all. */
#include "render.h"

#include <string.h>

/* What the runner decodes: % CR LF everywhere, and : , inside a property value. */
static const struct {
    char c;
    const char *as;
    int property_only;
} escapes[] = {
    {'%', "%25", 0}, {'\r', "%0D", 0}, {'\n', "%0A", 0}, {':', "%3A", 1}, {',', "%2C", 1},
};

#define ANNOTATIONS_PER_KIND 10

/* property: 1 inside a property, 0 in a command's message, -1 in a plain log line (nothing
 * is decoded there: only control characters are replaced). */
static void escape(FILE *out, const char *s, int property)
{
    for (; s && *s; s++) {
        const char *as = NULL;
        for (size_t i = 0; i < ARRAY_LEN(escapes) && !as && property >= 0; i++)
            if (escapes[i].c == *s && (property || !escapes[i].property_only))
                as = escapes[i].as;
        if (as)
            fputs(as, out);
        else if ((unsigned char)*s < 0x20 || *s == 0x7f)
            fputc('?', out); /* no escape or colour from the repository in the log */
        else
            fputc(*s, out);
    }
}

int render_github(FILE *out, const struct scan *s, const struct render_opts *o)
{
    (void)o;
    static const char *const cmd[] = {
        [SEV_NOTE] = "notice", [SEV_WARNING] = "warning", [SEV_ERROR] = "error"};
    static const char *const word[] = {
        [SEV_NOTE] = "note", [SEV_WARNING] = "warning", [SEV_ERROR] = "error"};
    size_t shown[3] = {0, 0, 0}, plain = 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (f->suppressed || f->severity < SEV_NOTE || f->severity > SEV_ERROR)
            continue;
        const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
        size_t cap = ANNOTATIONS_PER_KIND - (f->severity == SEV_NOTE); /* the totals notice */
        const char *path = f->display ? f->display : f->path;
        if (shown[f->severity]++ >= cap) {
            /* Past GitHub's limit: a plain line, never a workflow command. */
            fputs("opsbook: ", out);
            escape(out, path, -1);
            if (f->line > 0)
                fprintf(out, ":%d:%d", f->line, f->col > 0 ? f->col : 1);
            fprintf(out, ": %s: ", word[f->severity]);
            escape(out, f->message, -1);
            fputs(" [", out);
            escape(out, f->rule_id, -1);
            fputs("]\n", out);
            plain++;
            continue;
        }
        fprintf(out, "::%s file=", cmd[f->severity]);
        escape(out, path, 1);
        if (f->line > 0) {
            fprintf(out, ",line=%d", f->line);
            if (f->end_line > f->line)
                fprintf(out, ",endLine=%d", f->end_line);
            if (f->col > 0)
                fprintf(out, ",col=%d", f->col);
        }
        fputs(",title=", out);
        escape(out, f->rule_id, 1);
        if (r) {
            escape(out, ": ", 1);
            escape(out, r->title, 1);
        }
        fputs("::", out);
        escape(out, f->message, 0);
        if (f->commit) {
            fputs(" (commit ", out);
            escape(out, f->commit, 0);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    /* The run's totals, suppressed findings included, as one notice without a file. */
    size_t total = shown[SEV_ERROR] + shown[SEV_WARNING] + shown[SEV_NOTE];
    fprintf(out,
            "::notice title=opsbook::%zu finding%s (%zu error%s, %zu warning%s, "
            "%zu note%s)%s",
            total, total == 1 ? "" : "s", shown[SEV_ERROR], shown[SEV_ERROR] == 1 ? "" : "s",
            shown[SEV_WARNING], shown[SEV_WARNING] == 1 ? "" : "s", shown[SEV_NOTE],
            shown[SEV_NOTE] == 1 ? "" : "s", s->stats.suppressed || plain ? "; " : "\n");
    if (s->stats.suppressed)
        fprintf(out, "%zu suppressed%s", s->stats.suppressed, plain ? "; " : "\n");
    if (plain)
        fprintf(out,
                "%zu not annotated (GitHub shows %d of each kind per step): they are in this "
                "log as opsbook: lines, and in the SARIF and JSON reports\n",
                plain, ANNOTATIONS_PER_KIND);
    return ferror(out) ? -1 : 0;
}
