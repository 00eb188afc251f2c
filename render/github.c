/* GitHub Actions annotations: `::error file=…,line=…,col=…,title=…::message` workflow
 * commands that the runner turns into inline comments on the pull request, then one notice with
 * the totals (suppressed findings counted). Values are escaped as the runner expects: % CR LF
 * in the message, and also : and , in properties. */
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

static void escape(FILE *out, const char *s, int property)
{
    for (; s && *s; s++) {
        const char *as = NULL;
        for (size_t i = 0; i < ARRAY_LEN(escapes) && !as; i++)
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
    size_t shown[3] = {0, 0, 0};
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (f->suppressed || f->severity < SEV_NOTE || f->severity > SEV_ERROR)
            continue;
        const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
        fprintf(out, "::%s file=", cmd[f->severity]);
        escape(out, f->display ? f->display : f->path, 1);
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
        shown[f->severity]++;
    }
    /* The run's totals, suppressed findings included, as one notice without a file. */
    size_t total = shown[SEV_ERROR] + shown[SEV_WARNING] + shown[SEV_NOTE];
    fprintf(out,
            "::notice title=opsbook::%zu finding%s (%zu error%s, %zu warning%s, "
            "%zu note%s)%s",
            total, total == 1 ? "" : "s", shown[SEV_ERROR], shown[SEV_ERROR] == 1 ? "" : "s",
            shown[SEV_WARNING], shown[SEV_WARNING] == 1 ? "" : "s", shown[SEV_NOTE],
            shown[SEV_NOTE] == 1 ? "" : "s", s->stats.suppressed ? "; " : "\n");
    if (s->stats.suppressed)
        fprintf(out, "%zu suppressed\n", s->stats.suppressed);
    return ferror(out) ? -1 : 0;
}
