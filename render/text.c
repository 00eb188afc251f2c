/* Text output, compiler style: `path:line:col: severity: message [rule-id]`, the source line
 * (secrets already masked) with a caret under the column, and a one-line summary. */
#include "render.h"

#include <string.h>

static const char *sev_color(enum severity s)
{
    return s == SEV_ERROR ? "\033[1;31m" : s == SEV_WARNING ? "\033[1;33m" : "\033[1;36m";
}

static void caret_line(FILE *out, const char *excerpt, int col, const struct render_opts *o)
{
    fputs("      | ", out);
    /* Keep tabs so the caret lines up under the same column. */
    for (int i = 0; excerpt[i] && i < col - 1; i++)
        fputc(excerpt[i] == '\t' ? '\t' : ' ', out);
    fprintf(out, "%s^%s\n", o->color ? "\033[1;32m" : "", o->color ? "\033[0m" : "");
}

/* Repository text for a terminal: control characters (ESC, CR, BEL, DEL, and the C1 range,
 * where U+009B is a one-byte CSI) and bytes that are not UTF-8 as '?', so a name or message
 * can never move the cursor, recolour or retitle the terminal. Tabs stay. */
static void term(FILE *out, const char *s)
{
    size_t n = s ? strlen(s) : 0, run = 0; /* s[run, i) is printable, not yet written */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            i++;
            continue;
        }
        size_t len = utf8_seq_len(s + i, n - i);
        int control = !len || (c < 0x20 && c != '\t') || c == 0x7f ||
                      (len == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0);
        if (control) {
            fwrite(s + run, 1, i - run, out);
            fputc('?', out);
            run = i + (len ? len : 1);
        }
        i += len ? len : 1;
    }
    fwrite(s + run, 1, n - run, out);
}

static void print_finding(FILE *out, const struct finding *f, const struct render_opts *o)
{
    const char *b = o->color ? "\033[1m" : "", *r = o->color ? "\033[0m" : "";
    fputs(b, out);
    term(out, f->display);
    if (f->line > 0)
        fprintf(out, ":%d:%d", f->line, f->col > 0 ? f->col : 1);
    fprintf(out, ":%s ", r);
    fprintf(out, "%s%s:%s ", o->color ? sev_color(f->severity) : "", severity_name(f->severity), r);
    term(out, f->message);
    fprintf(out, " [%s]", f->rule_id);
    if (f->overlays) {
        fputs(" (in ", out);
        term(out, f->overlays);
        fputc(')', out);
    }
    if (f->commit) {
        fprintf(out, " (commit %.12s, ", f->commit);
        term(out, f->date ? f->date : "");
        fputc(')', out);
    }
    if (f->suppressed) {
        fputs(" (suppressed: ", out);
        term(out, f->suppressed);
        fputc(')', out);
    }
    fputc('\n', out);
    if (f->excerpt && f->line > 0) {
        fprintf(out, "%5d | ", f->line);
        term(out, f->excerpt);
        fputc('\n', out);
        if (f->col > 0)
            caret_line(out, f->excerpt, f->col, o);
    }
}

int render_text(FILE *out, const struct scan *s, const struct render_opts *o)
{
    size_t counts[3] = {0, 0, 0}, shown = 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (f->suppressed)
            continue;
        print_finding(out, f, o);
        counts[f->severity]++;
        shown++;
    }
    if (shown)
        fputc('\n', out);
    fprintf(out, "%zu finding%s (%zu error%s, %zu warning%s, %zu note%s) in %zu file%s",
            shown, shown == 1 ? "" : "s", counts[SEV_ERROR], counts[SEV_ERROR] == 1 ? "" : "s",
            counts[SEV_WARNING], counts[SEV_WARNING] == 1 ? "" : "s", counts[SEV_NOTE],
            counts[SEV_NOTE] == 1 ? "" : "s", s->stats.files_scanned,
            s->stats.files_scanned == 1 ? "" : "s");
    if (s->stats.suppressed)
        fprintf(out, "; %zu suppressed", s->stats.suppressed);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

static void wrap(FILE *out, const char *title, const char *text)
{
    if (!text)
        return;
    fprintf(out, "\n%s\n", title);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "  %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

int render_explain(FILE *out, const struct rule *r)
{
    fprintf(out, "%s: %s\n", r->id, r->title);
    fprintf(out, "severity: %s    category: %s", severity_name(r->severity), r->category);
    if (r->applies_to)
        fprintf(out, "    applies to: %s", r->applies_to);
    fputc('\n', out);
    wrap(out, "Why it matters", r->description);
    wrap(out, "Why this severity", r->severity_rationale);
    wrap(out, "How to fix", r->remediation);
    wrap(out, "Example of a violation", r->example_bad);
    wrap(out, "The fix", r->example_good);
    if (r->references.len) {
        fprintf(out, "\nReferences\n");
        for (size_t i = 0; i < r->references.len; i++)
            fprintf(out, "  %s\n", (const char *)r->references.items[i]);
    }
    return ferror(out) ? -1 : 0;
}
