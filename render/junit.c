/* JUnit XML for CI dashboards: a suite per rule category, a test case per rule and file with
 * findings (a failure listing them, or skipped when every one is suppressed) and a passing
 * case per enabled rule that found nothing, so the dashboard shows what was checked. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* Text for XML 1.0: the five entities, and whatever XML cannot hold (control characters,
 * bytes that are not UTF-8, U+FFFE and U+FFFF) as U+FFFD, so the file is well-formed for any
 * bytes a repository puts in a name or a message. */
static void xml(FILE *out, const char *s)
{
    static const char *const entity[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&apos;",
    };
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = utf8_seq_len(s + i, n - i);
        if (entity[c]) {
            fputs(entity[c], out);
        } else if (!len || (c < 0x20 && c != '\t' && c != '\n') ||
                   (len == 3 && (unsigned char)s[i + 1] == 0xbf && c == 0xef &&
                    (unsigned char)s[i + 2] >= 0xbe)) {
            fputs("\xef\xbf\xbd", out);
        } else {
            fwrite(s + i, 1, len, out);
        }
        i += len ? len : 1;
    }
}

/* Findings ordered by rule, then path, then line. */
static int by_rule_path(const void *pa, const void *pb)
{
    const struct finding *a = *(struct finding *const *)pa, *b = *(struct finding *const *)pb;
    int c = strcmp(a->rule_id, b->rule_id);
    if (!c)
        c = strcmp(a->display ? a->display : a->path, b->display ? b->display : b->path);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static const char *fpath(const struct finding *f)
{
    return f->display ? f->display : f->path;
}

int render_junit(FILE *out, const struct scan *s, const struct render_opts *o)
{
    (void)o;
    struct vec v = VEC_INIT;
    for (size_t i = 0; i < s->findings.v.len; i++)
        vec_push(&v, s->findings.v.items[i]);
    vec_sort(&v, by_rule_path);
    size_t cases = 0, failures = 0, skipped = 0;
    struct strbuf body = STRBUF_INIT;
    FILE *mem = open_memstream(&body.buf, &body.len);
    if (!mem) {
        vec_release(&v);
        return -1;
    }
    for (size_t i = 0; i < v.len;) {
        const struct finding *f = v.items[i];
        size_t k = i, live = 0;
        while (k < v.len && strcmp(((struct finding *)v.items[k])->rule_id, f->rule_id) == 0 &&
               strcmp(fpath(v.items[k]), fpath(f)) == 0) {
            live += !((struct finding *)v.items[k])->suppressed;
            k++;
        }
        cases++;
        fputs("    <testcase classname=\"", mem);
        xml(mem, f->rule_id);
        fputs("\" name=\"", mem);
        xml(mem, fpath(f));
        fputs("\">\n", mem);
        if (!live) {
            skipped++;
            fputs("      <skipped message=\"suppressed: ", mem);
            xml(mem, f->suppressed);
            fputs("\"/>\n", mem);
        } else {
            failures++;
            fprintf(mem, "      <failure type=\"%s\" message=\"%zu finding%s",
                    severity_name(f->severity), live, live == 1 ? "" : "s");
            if (k - i > live)
                fprintf(mem, " (%zu suppressed)", k - i - live);
            fputs("\">", mem);
            for (size_t j = i; j < k; j++) {
                const struct finding *g = v.items[j];
                if (g->suppressed)
                    continue;
                xml(mem, fpath(g));
                fprintf(mem, ":%d:%d: ", g->line, g->col);
                xml(mem, g->message);
                fputc('\n', mem);
            }
            fputs("</failure>\n", mem);
        }
        fputs("    </testcase>\n", mem);
        i = k;
    }
    for (size_t i = 0; i < s->cat.rules.len; i++) {
        const struct rule *r = s->cat.rules.items[i];
        int found = 0;
        for (size_t j = 0; r->enabled && !found && j < v.len; j++)
            found = strcmp(((struct finding *)v.items[j])->rule_id, r->id) == 0;
        if (!r->enabled || found)
            continue;
        cases++;
        fputs("    <testcase classname=\"", mem);
        xml(mem, r->id);
        fputs("\" name=\"all files\"/>\n", mem);
    }
    fclose(mem);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"opsbook\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
            cases, failures, skipped);
    fprintf(out,
            "  <testsuite name=\"opsbook\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\" time=\"%.3f\">\n",
            cases, failures, skipped, s->stats.seconds);
    fwrite(body.buf, 1, body.len, out);
    fputs("  </testsuite>\n</testsuites>\n", out);
    free(body.buf);
    vec_release(&v);
    return ferror(out) ? -1 : 0;
}
