/* The machine outputs: SARIF validated against the official 2.1.0 schema, the JSON report
 * against schemas/report.schema.json (both with ajv, tests/tools/validate-json.js), GitHub
 * annotations' escaping, JUnit's shape, and several outputs from one run of the CLI. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "testlib.h"

/* A scan of a tree with an error, warnings, a suppressed finding, a finding about a whole
 * file, and a --history-style finding added by hand. */
static void scan_fixture(struct scan *s, char **dir)
{
    *dir = t_tmpdir();
    t_write(*dir, "k8s/app.yaml", "a: 1\na: 2  # opsbook:ignore yaml-duplicate-key \"legacy\"\n"
                                  "b: 1\nb: 2\n");
    t_write(*dir, "bad,name:%.yaml", "x: [\n");
    t_write(*dir, "docs/<tag>.yaml", "q: 'a & b'\nq: 2\n");
    t_scan(s, *dir);
    struct finding *f = finding_new("yaml-duplicate-key", SEV_WARNING, "old/creds.yaml", 3, 5,
                                    "duplicate key 'token'");
    f->display = finding_intern("old/creds.yaml");
    f->commit = xstrdup("0123456789abcdef0123456789abcdef01234567");
    f->author = xstrdup("Ada Tester <ada@example.com>");
    f->date = xstrdup("2024-01-02T03:04:05Z");
    f->excerpt = xstrdup("token: ab****");
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", "00112233445566aa");
    findings_add(&s->findings, f);
    f = finding_new("file-skipped", SEV_WARNING, "huge.bin", 0, 0, "file not scanned");
    f->display = finding_intern("huge.bin");
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", "00112233445566bb");
    findings_add(&s->findings, f);
}

static char *render_to_file(const struct scan *s, const char *dir, const char *name,
                            int (*fn)(FILE *, const struct scan *, const struct render_opts *))
{
    char *p = path_join(dir, name);
    FILE *out = fopen(p, "w");
    cr_assert_not_null(out);
    struct render_opts ro = {.fail_on = SEV_ERROR};
    cr_assert_eq(fn(out, s, &ro), 0);
    fclose(out);
    return p;
}

/* The SARIF 2.1.0 schema: the copy the npm package @microsoft/jest-sarif ships (pinned by
 * package-lock.json, installed by make deps). Heap string. */
static char *sarif_schema(void)
{
    char *npm = xasprintf("%s/build/npm/node_modules/@microsoft/jest-sarif/lib/schemas/"
                          "sarif-2.1.0-rtm.5.json", t_root());
    cr_assert_eq(access(npm, R_OK), 0, "the SARIF 2.1.0 schema is not installed: run make deps");
    return npm;
}

/* An empty scan with the built-in catalogue. */
static void empty_scan(struct scan *s)
{
    memset(s, 0, sizeof(*s));
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&s->cat, NULL, 0, &err), 0, "%s", err.msg);
}

/* What `render` writes for `s` (gate at error), as a heap string. */
static char *render_str(render_fn render, const struct scan *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    struct render_opts ro = {.fail_on = SEV_ERROR};
    cr_assert_eq(render(mem, s, &ro), 0);
    fclose(mem);
    return out;
}

static int validate(const char *schema, const char *doc, char **out)
{
    char *cmd = xasprintf("node '%s/tests/tools/validate-json.js' '%s' '%s' 2>&1", t_root(),
                          schema, doc);
    int rc = t_run(cmd, out);
    free(cmd);
    return rc;
}

static char *slurp(const char *path)
{
    struct filemap fm;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(filemap_open(&fm, path, 1u << 24, &err), 0, "%s", err.msg);
    char *s = xstrndup(fm.data, fm.len);
    filemap_close(&fm);
    return s;
}

Test(outputs, sarif_validates_against_the_official_schema)
{
    struct scan s;
    char *dir;
    scan_fixture(&s, &dir);
    char *doc = render_to_file(&s, dir, "out.sarif", render_sarif);
    char *schema = sarif_schema();
    char *msg = NULL;
    cr_expect_eq(validate(schema, doc, &msg), 0, "%s", msg);
    free(msg);

    char *text = slurp(doc);
    static const char *const want[] = {
        "\"version\": \"2.1.0\"", "\"executionSuccessful\": true",
        "\"ruleId\": \"yaml-duplicate-key\"", "\"helpUri\": \"https://yaml.org/",
        "\"help\": {", "\"partialFingerprints\": {", "\"opsbook/v1\": \"",
        "\"kind\": \"inSource\"", "\"justification\": \"\\\"legacy\\\"\"",
        "\"uri\": \"k8s/app.yaml\"", "\"startLine\": 4", "\"commit\": \"0123456789abcdef",
        "\"uri\": \"huge.bin\"", "\"uri\": \"bad%2Cname%3A%25.yaml\"",
        "\"uri\": \"docs/%3Ctag%3E.yaml\"",
    };
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        cr_expect(strstr(text, want[i]) != NULL, "missing %s", want[i]);

    /* The validator can fail: a wrong level is rejected. */
    char *bad = strstr(text, "\"level\": \"warning\"");
    cr_assert_not_null(bad);
    memcpy(bad + 10, "loudish", 7);
    t_write(dir, "bad.sarif", text);
    char *badp = path_join(dir, "bad.sarif");
    cr_expect_eq(validate(schema, badp, &msg), 1, "%s", msg);
    free(msg);
    free(badp);
    free(text);
    free(schema);
    free(doc);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(outputs, json_report_validates_against_its_schema)
{
    struct scan s;
    char *dir;
    scan_fixture(&s, &dir);
    s.stats.suppressed = 1;
    char *doc = render_to_file(&s, dir, "out.json", render_json);
    char *schema = xasprintf("%s/schemas/report.schema.json", t_root());
    char *msg = NULL;
    cr_expect_eq(validate(schema, doc, &msg), 0, "%s", msg);
    free(msg);
    char *text = slurp(doc);
    cr_expect(strstr(text, "\"suppressed\": \"\\\"legacy\\\"\"") != NULL);
    cr_expect(strstr(text, "\"date\": \"2024-01-02T03:04:05Z\"") != NULL);
    /* And it can fail. */
    char *bad = strstr(text, "\"fingerprint\": \"");
    cr_assert_not_null(bad);
    bad[16] = 'X';
    t_write(dir, "bad.json", text);
    char *badp = path_join(dir, "bad.json");
    cr_expect_eq(validate(schema, badp, &msg), 1, "%s", msg);
    free(msg);
    free(badp);
    free(text);
    free(schema);
    free(doc);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* The report is written one finding at a time: it must be exactly what jansson writes for
 * the whole document (nested objects included), and parse back with every finding. */
Test(outputs, json_report_streams_as_jansson_would_dump_it)
{
    struct scan s;
    char *dir;
    scan_fixture(&s, &dir);
    /* Text that needs escaping: quotes, a backslash, control characters, non-ASCII, and a
     * byte that is no UTF-8 (written as U+FFFD; jansson would drop the whole member). */
    struct finding *f = finding_new("yaml-duplicate-key", SEV_NOTE, "odd.yaml", 2, 1,
                                    "key \"a\\b\"\x01\t\r\n\x1f caf\xc3\xa9 \xff end");
    f->display = finding_intern("odd.yaml");
    f->entity = xstrdup("\xe2\x82\xac/\x7f");
    findings_add(&s.findings, f);
    char *out = render_str(render_json, &s);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    cr_assert_not_null(doc, "%s at %d", jerr.text, jerr.line);
    json_t *items = json_object_get(doc, "findings");
    cr_assert_eq(json_array_size(items), s.findings.v.len);
    cr_assert(s.findings.v.len >= 4);
    json_t *last = json_array_get(items, s.findings.v.len - 1);
    cr_expect_str_eq(json_string_value(json_object_get(last, "message")),
                     "key \"a\\b\"\x01\t\r\n\x1f caf\xc3\xa9 \xef\xbf\xbd end");
    cr_expect_str_eq(json_string_value(json_object_get(last, "entity")), "\xe2\x82\xac/\x7f");
    cr_expect(strstr(out, "\\u0001\\t\\r\\n\\u001F") != NULL);
    char *again = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char *want = xasprintf("%s\n", again);
    cr_assert_str_eq(out, want);
    free(want);
    free(again);
    json_decref(doc);
    free(out);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(outputs, github_annotations_are_escaped)
{
    struct scan s;
    empty_scan(&s);
    static const struct {
        const char *path, *msg;
        int line, col;
        enum severity sev;
        const char *want;
    } cases[] = {
        {"a.yaml", "plain", 3, 2, SEV_ERROR,
         "::error file=a.yaml,line=3,col=2,title=parse-error%3A File cannot be parsed::plain\n"},
        {"dir,x:y%.yaml", "100% sure: a,b\r\nnext", 1, 1, SEV_WARNING,
         "::warning file=dir%2Cx%3Ay%25.yaml,line=1,col=1,title=parse-error%3A File cannot be "
         "parsed::100%25 sure: a,b%0D%0Anext\n"},
        {"b.yaml", "whole file", 0, 0, SEV_NOTE,
         "::notice file=b.yaml,title=parse-error%3A File cannot be parsed::whole file\n"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct finding *f = finding_new("parse-error", cases[i].sev, cases[i].path, cases[i].line,
                                        cases[i].col, "%s", cases[i].msg);
        f->display = finding_intern(cases[i].path);
        findings_add(&s.findings, f);
        char *out = render_str(render_github, &s);
        cr_expect(str_startswith(out, cases[i].want), "case %zu: %s", i, out);
        cr_expect(strstr(out, "\n::notice title=opsbook::1 finding") != NULL, "case %zu", i);
        free(out);
        f->suppressed = xstrdup("ok"); /* suppressed findings are not annotated */
        s.stats.suppressed++;
    }
    char *out = render_str(render_github, &s);
    cr_expect_str_eq(out, "::notice title=opsbook::0 findings (0 errors, 0 warnings, 0 notes); "
                          "3 suppressed\n", "suppressed findings are counted");
    free(out);
    lint_scan_release(&s);
}

/* Code scanning ranks security results by the rule's security-severity: a credential is
 * critical, a privileged container high, an unpinned action medium; a missing probe is not a
 * security result and has none. */
Test(outputs, sarif_rules_carry_security_severity)
{
    struct scan s;
    empty_scan(&s);
    char *out = render_str(render_sarif, &s);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    cr_assert_not_null(doc, "%s", jerr.text);
    json_t *rules = json_object_get(
        json_object_get(json_object_get(json_array_get(json_object_get(doc, "runs"), 0), "tool"),
                        "driver"),
        "rules");
    static const struct {
        const char *id, *rank;
    } want[] = {
        {"secret-aws-access-key", "9.0"},
        {"k8s-privileged", "8.0"},
        {"gha-action-not-pinned-to-sha", "5.5"},
        {"k8s-missing-liveness-probe", NULL},
    };
    for (size_t w = 0; w < ARRAY_LEN(want); w++) {
        json_t *props = NULL;
        for (size_t i = 0; i < json_array_size(rules); i++)
            if (strcmp(json_string_value(json_object_get(json_array_get(rules, i), "id")),
                       want[w].id) == 0)
                props = json_object_get(json_array_get(rules, i), "properties");
        cr_assert_not_null(props, "%s is not in the SARIF rules", want[w].id);
        const char *rank = json_string_value(json_object_get(props, "security-severity"));
        int tagged = 0;
        json_t *tags = json_object_get(props, "tags");
        for (size_t t = 0; t < json_array_size(tags); t++)
            tagged |= strcmp(json_string_value(json_array_get(tags, t)), "security") == 0;
        if (want[w].rank) {
            cr_expect(rank && strcmp(rank, want[w].rank) == 0, "%s: %s", want[w].id, rank);
            cr_expect(tagged, "%s is not tagged security", want[w].id);
        } else {
            cr_expect(!rank && !tagged, "%s should carry no security rank", want[w].id);
        }
    }
    json_decref(doc);
    free(out);
    lint_scan_release(&s);
}

/* GitHub shows 10 annotations of each kind per step and drops the rest silently: past that
 * the findings are plain log lines (never workflow commands) and the totals say so. */
Test(outputs, github_annotations_stop_at_githubs_limit)
{
    struct scan s;
    empty_scan(&s);
    for (int i = 1; i <= 25; i++)
        findings_add(&s.findings,
                     finding_new("parse-error", i <= 12 ? SEV_ERROR : SEV_NOTE, "a.yaml", i, 1,
                                 "::error file=x::%d%%", i));
    char *out = render_str(render_github, &s);
    size_t errors = 0, notices = 0, plain = 0;
    for (const char *l = out; l && *l; l = strchr(l, '\n') + 1) {
        errors += str_startswith(l, "::error ");
        notices += str_startswith(l, "::notice ");
        plain += str_startswith(l, "opsbook: a.yaml:");
        if (!strchr(l, '\n'))
            break;
    }
    cr_expect_eq(errors, 10, "%s", out);
    cr_expect_eq(notices, 10, "9 notes and the totals: %s", out);
    cr_expect_eq(plain, 6, "2 errors and 4 notes as plain lines: %s", out);
    cr_expect(strstr(out, "opsbook: a.yaml:11:1: error: ::error file=x::11% [parse-error]\n"),
              "a plain line carries the message as it is: %s", out);
    cr_expect(strstr(out, "25 findings (12 errors, 0 warnings, 13 notes); 6 not annotated"),
              "%s", out);
    free(out);
    lint_scan_release(&s);
}

Test(outputs, junit_one_case_per_rule_and_file)
{
    struct scan s;
    char *dir;
    scan_fixture(&s, &dir);
    char *doc = render_to_file(&s, dir, "out.xml", render_junit);
    char *cmd = xasprintf("xmllint --noout '%s' 2>&1", doc), *msg = NULL;
    cr_expect_eq(t_run(cmd, &msg), 0, "%s", msg);
    free(msg);
    free(cmd);
    char *text = slurp(doc);
    /* yaml-duplicate-key in three files (one of k8s/app.yaml's two suppressed), parse-error
     * in one. */
    cr_expect(strstr(text, "k8s/app.yaml\">\n      <failure type=\"warning\" "
                           "message=\"1 finding (1 suppressed)\">") != NULL,
              "%s", text);
    cr_expect(strstr(text, "docs/&lt;tag&gt;.yaml\">") != NULL);
    cr_expect(strstr(text, "/bad,name:%.yaml\">\n      <failure type=\"error\"") != NULL);
    cr_expect(strstr(text, "<testcase classname=\"symlink-skipped\" name=\"all files\"/>") !=
              NULL, "rules that found nothing pass");
    cr_expect(strstr(text, "failures=\"5\"") != NULL, "%s", text);
    free(text);
    free(doc);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(outputs, several_outputs_in_one_run)
{
    char *dir = t_tmpdir();
    t_write(dir, "repo/a.yaml", "a: 1\na: 2\n");
    char *cmd = xasprintf("cd '%s' && '%s' scan --no-git --format text --output-sarif out.sarif "
                          "--output-json out.json --output-junit out.xml --output-github gh.txt "
                          "repo > out.txt; echo $?", dir, t_bin());
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 0);
    cr_expect_str_eq(out, "0\n", "warnings do not fail by default");
    free(out);
    free(cmd);
    static const struct {
        const char *file, *want;
    } files[] = {
        {"out.txt", "repo/a.yaml:2:1: warning: duplicate key 'a'"},
        {"out.sarif", "\"version\": \"2.1.0\""},
        {"out.json", "\"rule\": \"yaml-duplicate-key\""},
        {"out.xml", "<testsuites name=\"opsbook\""},
        {"gh.txt", "::warning file=repo/a.yaml,line=2,col=1,"},
    };
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *p = path_join(dir, files[i].file);
        char *text = slurp(p);
        cr_expect(strstr(text, files[i].want) != NULL, "%s: %s", files[i].file, text);
        free(text);
        free(p);
    }
    cmd = xasprintf("cd '%s' && '%s' scan --no-git --format sarif --output main.sarif "
                    "--fail-on warning repo; echo $?", dir, t_bin());
    cr_expect_eq(t_run(cmd, &out), 0);
    cr_expect_str_eq(out, "1\n");
    free(out);
    free(cmd);
    char *p = path_join(dir, "main.sarif");
    char *schema = sarif_schema();
    cr_expect_eq(validate(schema, p, &out), 0, "%s", out);
    free(out);
    free(schema);
    free(p);
    cmd = xasprintf("'%s' scan --output-pdf x '%s' 2>&1", t_bin(), dir);
    cr_expect_eq(t_run(cmd, &out), 2);
    cr_expect(strstr(out, "unknown option '--output-pdf'") != NULL, "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}
