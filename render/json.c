/* JSON output (schemas/report.schema.json) and the JSON form of the rule catalogue. Findings
 * carry masked excerpts only; no secret value is ever written. */
#include "render.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *finding_json(const struct finding *f, const struct catalogue *cat)
{
    const struct rule *r = lint_rule_find(cat, f->rule_id);
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(f->rule_id));
    json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
    json_object_set_new(o, "category", jstr(r ? r->category : NULL));
    json_object_set_new(o, "message", json_string(f->message));
    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "line", json_integer(f->line));
    json_object_set_new(o, "column", json_integer(f->col));
    if (f->end_line)
        json_object_set_new(o, "end_line", json_integer(f->end_line));
    json_object_set_new(o, "entity", jstr(f->entity));
    json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
    json_object_set_new(o, "excerpt", jstr(f->excerpt));
    if (f->overlays)
        json_object_set_new(o, "environments", json_string(f->overlays));
    if (f->suppressed)
        json_object_set_new(o, "suppressed", json_string(f->suppressed));
    if (f->commit) {
        json_t *c = json_object();
        json_object_set_new(c, "id", json_string(f->commit));
        json_object_set_new(c, "author", jstr(f->author));
        json_object_set_new(c, "date", jstr(f->date));
        json_object_set_new(o, "commit", c);
    }
    return o;
}

static int dump(FILE *out, json_t *root)
{
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}

/* Writes `v` as json_dumpf(JSON_INDENT(2)) would inside an array at depth 2 (each line
 * after the first indented four more spaces). */
static int finding_write(FILE *out, json_t *v)
{
    char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (!text)
        return -1;
    /* Indented as the findings array's items: a line at a time, not a character. */
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        fwrite(p, 1, n, out);
        if (nl)
            fputs("    ", out);
        p += n;
    }
    free(text);
    return 0;
}

/* The report, written as one JSON document; the findings are dumped one at a time so a
 * large report never exists as a whole tree (the document ends with them). */
int render_json(FILE *out, const struct scan *s, const struct render_opts *o)
{
    json_t *root = json_object();
    json_t *tool = json_object();
    json_object_set_new(tool, "name", json_string("opsbook"));
    json_object_set_new(tool, "version", json_string(OPSBOOK_VERSION));
    json_object_set_new(root, "tool", tool);

    size_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (!f->suppressed)
            counts[f->severity]++;
    }
    json_t *sum = json_object();
    json_object_set_new(sum, "files", json_integer((json_int_t)s->stats.files_scanned));
    json_object_set_new(sum, "bytes", json_integer((json_int_t)s->stats.bytes));
    if (s->stats.commits) { /* --history */
        json_object_set_new(sum, "commits", json_integer((json_int_t)s->stats.commits));
        json_object_set_new(sum, "blobs", json_integer((json_int_t)s->stats.blobs));
    }
    json_object_set_new(sum, "errors", json_integer((json_int_t)counts[SEV_ERROR]));
    json_object_set_new(sum, "warnings", json_integer((json_int_t)counts[SEV_WARNING]));
    json_object_set_new(sum, "notes", json_integer((json_int_t)counts[SEV_NOTE]));
    json_object_set_new(sum, "suppressed", json_integer((json_int_t)s->stats.suppressed));
    json_object_set_new(sum, "fail_on", json_string(severity_name(o->fail_on)));
    json_object_set_new(sum, "failed", json_boolean(lint_scan_failed(s, o->fail_on)));
    json_t *kinds = json_object();
    for (int k = FK_TEXT; k < FK__COUNT; k++)
        if (s->stats.by_kind[k])
            json_object_set_new(kinds, file_kind_name((enum file_kind)k),
                                json_integer((json_int_t)s->stats.by_kind[k]));
    json_object_set_new(sum, "by_kind", kinds);
    json_object_set_new(root, "summary", sum);
    json_object_set_new(root, "findings", json_array());
    if (!s->findings.v.len)
        return dump(out, root);
    /* The head up to the empty array's "[", then each finding, then the closing lines. */
    char *head = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    size_t n = head ? strlen(head) : 0;
    if (n < 4 || strcmp(head + n - 4, "[]\n}") != 0) {
        free(head);
        return -1;
    }
    fwrite(head, 1, n - 3, out);
    free(head);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < s->findings.v.len; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        rc = finding_write(out, finding_json(s->findings.v.items[i], &s->cat));
    }
    fputs("\n  ]\n}\n", out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}

int render_rules(FILE *out, const struct catalogue *c, int as_json)
{
    if (!as_json) {
        for (size_t i = 0; i < c->rules.len; i++) {
            const struct rule *r = c->rules.items[i];
            fprintf(out, "%-40s %-8s %-18s %s\n", r->id, severity_name(r->severity), r->category,
                    r->title);
        }
        fprintf(out, "\n%u rules\n", c->rules.len);
        return ferror(out) ? -1 : 0;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < c->rules.len; i++) {
        const struct rule *r = c->rules.items[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(r->id));
        json_object_set_new(o, "title", json_string(r->title));
        json_object_set_new(o, "severity", json_string(severity_name(r->severity)));
        json_object_set_new(o, "category", json_string(r->category));
        json_object_set_new(o, "applies_to", jstr(r->applies_to));
        json_object_set_new(o, "check", jstr(r->check));
        json_array_append_new(arr, o);
    }
    return dump(out, arr);
}
