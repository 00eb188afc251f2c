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

static int dump(FILE *out, json_t *root)
{
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}

/* A JSON string as jansson writes one: quotes, backslashes and control characters escaped
 * (\u with upper-case hex), the rest as it is; a byte that starts no valid UTF-8 sequence
 * becomes U+FFFD (jansson would refuse the whole string). */
static void jstr_add(struct strbuf *sb, const char *s)
{
    if (!s) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    while (*s) {
        size_t run = 0;
        while (s[run] && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x80 &&
               s[run] != '"' && s[run] != '\\')
            run++;
        sb_add(sb, s, run);
        s += run;
        unsigned char c = (unsigned char)*s;
        if (!c)
            break;
        if (c >= 0x80) {
            size_t n = strlen(s);
            size_t q = utf8_seq_len(s, n);
            if (q) {
                sb_add(sb, s, q);
                s += q;
            } else {
                sb_adds(sb, "\xEF\xBF\xBD");
                s++;
            }
            continue;
        }
        switch (c) {
        case '"': sb_adds(sb, "\\\""); break;
        case '\\': sb_adds(sb, "\\\\"); break;
        case '\b': sb_adds(sb, "\\b"); break;
        case '\f': sb_adds(sb, "\\f"); break;
        case '\n': sb_adds(sb, "\\n"); break;
        case '\r': sb_adds(sb, "\\r"); break;
        case '\t': sb_adds(sb, "\\t"); break;
        default: sb_addf(sb, "\\u%04X", c); break;
        }
        s++;
    }
    sb_addc(sb, '"');
}

/* One member line of a finding: indented, "key": and the value (a string or null). */
static void member_str(struct strbuf *sb, const char *indent, const char *key, const char *v)
{
    sb_adds(sb, ",\n");
    sb_adds(sb, indent);
    jstr_add(sb, key);
    sb_adds(sb, ": ");
    jstr_add(sb, v);
}

static void member_int(struct strbuf *sb, const char *key, long long v)
{
    sb_addf(sb, ",\n      \"%s\": %lld", key, v);
}

/* A finding as an item of the findings array, laid out as json_dumpf(JSON_INDENT(2)) lays
 * out the rest of the report (the item at depth 2), written directly: a scan with many
 * findings spends no time building and dumping a tree for each. */
static void finding_add(struct strbuf *sb, const struct finding *f, const struct catalogue *cat)
{
    const struct rule *r = lint_rule_find(cat, f->rule_id);
    const char *in = "      ";
    sb_adds(sb, "{\n      \"rule\": ");
    jstr_add(sb, f->rule_id);
    member_str(sb, in, "severity", severity_name(f->severity));
    member_str(sb, in, "category", r ? r->category : NULL);
    member_str(sb, in, "message", f->message);
    member_str(sb, in, "path", f->path);
    member_int(sb, "line", f->line);
    member_int(sb, "column", f->col);
    if (f->end_line)
        member_int(sb, "end_line", f->end_line);
    member_str(sb, in, "entity", f->entity);
    member_str(sb, in, "fingerprint", f->fingerprint);
    member_str(sb, in, "excerpt", f->excerpt);
    if (f->overlays)
        member_str(sb, in, "environments", f->overlays);
    if (f->suppressed)
        member_str(sb, in, "suppressed", f->suppressed);
    if (f->commit) {
        sb_adds(sb, ",\n      \"commit\": {\n        \"id\": ");
        jstr_add(sb, f->commit);
        member_str(sb, "        ", "author", f->author);
        member_str(sb, "        ", "date", f->date);
        sb_adds(sb, "\n      }");
    }
    sb_adds(sb, "\n    }");
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
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < s->findings.v.len; i++) {
        sb_adds(&sb, i ? ",\n    " : "\n    ");
        finding_add(&sb, s->findings.v.items[i], &s->cat);
        fwrite(sb.buf, 1, sb.len, out);
        sb_reset(&sb);
    }
    sb_release(&sb);
    fputs("\n  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
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
