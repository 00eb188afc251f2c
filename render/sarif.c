/* SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads: one run, the enabled rules
 * with their help, one result per finding with a region, the masked excerpt as snippet, the
 * stable fingerprint, and suppressions (in source for ignores, external for a baseline). */
#include "render.h"

#include <jansson.h>
#include <string.h>

static const char *sarif_level(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", json_string(s ? s : ""));
    return o;
}

/* A relative path as a URI reference: every byte but unreserved characters and '/' is
 * percent-encoded (a ':' in the first segment would otherwise read as a scheme). */
static json_t *uri_json(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    struct strbuf sb = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            sb_addc(&sb, (char)*p);
        } else {
            sb_addc(&sb, '%');
            sb_addc(&sb, hex[*p >> 4]);
            sb_addc(&sb, hex[*p & 15]);
        }
    }
    json_t *j = json_string(sb.len ? sb_str(&sb) : ".");
    sb_release(&sb);
    return j;
}

/* GitHub code scanning ranks a rule tagged "security" by properties.security-severity, a
 * score out of 10 (9.0 and above critical, 7.0 high, 4.0 medium, below that low). Rules of
 * the security categories get one from their severity; a committed credential is critical.
 * Reliability, documentation and scan-health rules are not security results: no score. */
static const char *security_severity(const struct rule *r)
{
    static const char *const security[] = {"secrets", "supply-chain", "workload-security",
                                           "infrastructure", "delivery-gates"};
    int is_security = 0;
    for (size_t i = 0; i < ARRAY_LEN(security) && r->category; i++)
        is_security |= strcmp(r->category, security[i]) == 0;
    if (!is_security)
        return NULL;
    if (r->severity == SEV_ERROR)
        return strcmp(r->category, "secrets") == 0 ? "9.0" : "8.0";
    return r->severity == SEV_WARNING ? "5.5" : "2.0";
}

static json_t *rule_json(const struct rule *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "name", json_string(r->id));
    json_object_set_new(o, "shortDescription", text_obj(r->title));
    json_object_set_new(o, "fullDescription", text_obj(r->description));
    struct strbuf md = STRBUF_INIT;
    sb_addf(&md, "%s\n\n**How to fix**\n\n%s", r->description ? r->description : "",
            r->remediation ? r->remediation : "");
    /* A secret rule's bad example is a realistic fake key: keep it out of uploaded reports,
     * where other scanners would flag it. */
    int secret = r->category && strcmp(r->category, "secrets") == 0;
    if (r->example_bad && !secret)
        sb_addf(&md, "\n\n**Violation**\n\n```\n%s```", r->example_bad);
    if (r->example_good && !secret)
        sb_addf(&md, "\n\n**Fix**\n\n```\n%s```", r->example_good);
    json_t *help = text_obj(r->remediation);
    json_object_set_new(help, "markdown", json_string(sb_str(&md)));
    sb_release(&md);
    json_object_set_new(o, "help", help);
    if (r->references.len)
        json_object_set_new(o, "helpUri", json_string(r->references.items[0]));
    json_t *cfg = json_object();
    json_object_set_new(cfg, "level", json_string(sarif_level(r->severity)));
    json_object_set_new(o, "defaultConfiguration", cfg);
    json_t *props = json_object();
    json_t *tags = json_array();
    json_array_append_new(tags, json_string(r->category));
    const char *rank = security_severity(r);
    if (rank) {
        json_array_append_new(tags, json_string("security"));
        json_object_set_new(props, "security-severity", json_string(rank));
    }
    json_object_set_new(props, "tags", tags);
    json_object_set_new(props, "category", json_string(r->category));
    json_object_set_new(o, "properties", props);
    return o;
}

static json_t *result_json(const struct finding *f, json_int_t rule_index)
{
    json_t *o = json_object();
    json_object_set_new(o, "ruleId", json_string(f->rule_id));
    if (rule_index >= 0)
        json_object_set_new(o, "ruleIndex", json_integer(rule_index));
    json_object_set_new(o, "level", json_string(sarif_level(f->severity)));
    json_object_set_new(o, "message", text_obj(f->message));

    json_t *art = json_object();
    json_object_set_new(art, "uri", uri_json(f->path ? f->path : ""));
    json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
    json_t *phys = json_object();
    json_object_set_new(phys, "artifactLocation", art);
    if (f->line > 0) {
        json_t *reg = json_object();
        json_object_set_new(reg, "startLine", json_integer(f->line));
        if (f->col > 0)
            json_object_set_new(reg, "startColumn", json_integer(f->col));
        if (f->end_line >= f->line)
            json_object_set_new(reg, "endLine", json_integer(f->end_line));
        if (f->excerpt)
            json_object_set_new(reg, "snippet", text_obj(f->excerpt));
        json_object_set_new(phys, "region", reg);
    }
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", phys);
    if (f->entity) {
        json_t *ll = json_array(), *l = json_object();
        json_object_set_new(l, "fullyQualifiedName", json_string(f->entity));
        json_array_append_new(ll, l);
        json_object_set_new(loc, "logicalLocations", ll);
    }
    json_t *locs = json_array();
    json_array_append_new(locs, loc);
    json_object_set_new(o, "locations", locs);

    json_t *fp = json_object();
    json_object_set_new(fp, "opsbook/v1", json_string(f->fingerprint));
    json_object_set_new(o, "partialFingerprints", fp);
    if (f->suppressed) {
        json_t *sup = json_object();
        int baseline = strcmp(f->suppressed, LINT_BASELINE_REASON) == 0;
        json_object_set_new(sup, "kind", json_string(baseline ? "external" : "inSource"));
        json_object_set_new(sup, "justification", json_string(f->suppressed));
        json_t *sups = json_array();
        json_array_append_new(sups, sup);
        json_object_set_new(o, "suppressions", sups);
    }
    if (f->commit || f->overlays) {
        json_t *props = json_object();
        if (f->commit) {
            json_object_set_new(props, "commit", json_string(f->commit));
            if (f->author)
                json_object_set_new(props, "author", json_string(f->author));
            if (f->date)
                json_object_set_new(props, "date", json_string(f->date));
        }
        if (f->overlays)
            json_object_set_new(props, "environments", json_string(f->overlays));
        json_object_set_new(o, "properties", props);
    }
    return o;
}

int render_sarif(FILE *out, const struct scan *s, const struct render_opts *o)
{
    json_t *root = json_object();
    json_object_set_new(root, "$schema",
                        json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(root, "version", json_string("2.1.0"));

    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("opsbook"));
    json_object_set_new(driver, "version", json_string(OPSBOOK_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(OPSBOOK_VERSION));
    json_object_set_new(driver, "informationUri",
                        json_string("https://github.com/opsbook/opsbook"));
    /* Enabled rules, and any other rule a finding names, in catalogue order. */
    struct strmap index = STRMAP_INIT;
    json_t *rules = json_array();
    for (size_t i = 0; i < s->cat.rules.len; i++) {
        const struct rule *r = s->cat.rules.items[i];
        int named = 0;
        for (size_t j = 0; !r->enabled && !named && j < s->findings.v.len; j++)
            named = strcmp(((const struct finding *)s->findings.v.items[j])->rule_id, r->id) == 0;
        if (!r->enabled && !named)
            continue;
        strmap_put(&index, r->id, (void *)(uintptr_t)(json_array_size(rules) + 1));
        json_array_append_new(rules, rule_json(r));
    }
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);

    json_t *results = json_array();
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        uintptr_t ix = (uintptr_t)strmap_get(&index, f->rule_id);
        json_array_append_new(results, result_json(f, ix ? (json_int_t)ix - 1 : -1));
    }
    strmap_release(&index);

    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_true());
    json_t *iprops = json_object();
    json_object_set_new(iprops, "failed", json_boolean(lint_scan_failed(s, o->fail_on)));
    json_object_set_new(iprops, "failOn", json_string(severity_name(o->fail_on)));
    json_object_set_new(iprops, "suppressed", json_integer((json_int_t)s->stats.suppressed));
    json_object_set_new(inv, "properties", iprops);
    json_t *invs = json_array();
    json_array_append_new(invs, inv);

    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_t *base = json_object(), *srcroot = json_object();
    json_object_set_new(srcroot, "description", text_obj("the scanned root"));
    json_object_set_new(base, "%SRCROOT%", srcroot);
    json_object_set_new(run, "originalUriBaseIds", base);
    json_object_set_new(run, "invocations", invs);
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_object_set_new(root, "runs", runs);

    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}
