/* .opsbook.yml: validation against the schema (errors name file, line, key, with a
 * suggestion), the effect of every setting on a scan, globs, and --print-config. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lint/config.h"
#include "testlib.h"

/* Loads `yaml` as dir/.opsbook.yml; returns the rc and leaves the message in err. */
static int load(struct config *c, const char *yaml, struct errbuf *err)
{
    char *dir = t_tmpdir();
    t_write(dir, ".opsbook.yml", yaml);
    int rc = config_load(c, dir, NULL, err);
    t_rmtree(dir);
    free(dir);
    return rc;
}

Test(config, validation_errors_name_line_key_and_suggest)
{
    static const struct {
        const char *yaml;
        const char *want;   /* substring of the error; NULL: valid */
    } cases[] = {
        {"", NULL},
        {"include: ['k8s/**']\nexclude: [vendor/]\nproduction: [prod, live]\n", NULL},
        {"rules:\n  parse-error: off\n  yaml-duplicate-key: {severity: error}\n", NULL},
        {"rules:\n  parse-error: false\n  symlink-skipped: note\n", NULL},
        {"site:\n  title: Northwind\n  repository: https://github.com/nw/platform\n", NULL},
        {"policies: [./policies]\n", NULL},
        {"exclud: [x]\n", ":1:1: key 'exclud': unknown key; did you mean 'exclude'?"},
        {"site:\n  titel: x\n", ":2:3: key 'site.titel': unknown key; did you mean 'title'?"},
        {"colour: red\n", ":1:1: key 'colour': unknown key"},
        {"include: k8s\n", ":1:10: key 'include': expected a list, found a scalar"},
        {"include: [[a]]\n", "key 'include': expected string, found a list"},
        {"rules:\n  parse-error: loud\n", ":2:16: key 'rules.parse-error': 'loud' is not one of"},
        {"rules:\n  parse-error: {enabled: true, level: error}\n",
         "key 'rules.parse-error.level': unknown key"},
        {"rules:\n  parse-error: {severity: fatal}\n", "'fatal' is not one of: error"},
        {"site:\n  repository: github.com/x\n", "key 'site.repository': 'github.com/x' does not "
                                                "match"},
        {"production: ['']\n", "key 'production': must not be empty"},
        {"include: [\n", ":2:1: invalid YAML"},
        {"a: 1\n---\nb: 2\n", "one YAML document"},
        {"- a\n", "expected a mapping, found a list"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct config c;
        struct errbuf err = {{0}, 0};
        int rc = load(&c, cases[i].yaml, &err);
        if (!cases[i].want) {
            cr_expect_eq(rc, 0, "case %zu: %s", i, err.msg);
        } else {
            cr_expect_neq(rc, 0, "case %zu should fail", i);
            cr_expect(strstr(err.msg, cases[i].want) != NULL, "case %zu: got '%s', want '%s'", i,
                      err.msg, cases[i].want);
            cr_expect(strstr(err.msg, ".opsbook.yml") != NULL, "case %zu names the file", i);
        }
        config_release(&c);
    }
}

Test(config, explicit_path_and_missing_file)
{
    struct config c;
    struct errbuf err = {{0}, 0};
    cr_expect_neq(config_load(&c, ".", "/nonexistent/opsbook.yml", &err), 0);
    cr_expect(strstr(err.msg, "/nonexistent/opsbook.yml") != NULL, "%s", err.msg);
    config_release(&c);
    char *dir = t_tmpdir();
    cr_assert_eq(config_load(&c, dir, NULL, &err), 0, "no file: the defaults");
    cr_expect_null(c.path);
    cr_expect(config_env_is_production(&c, "production"));
    cr_expect(!config_env_is_production(&c, "staging"));
    config_release(&c);
    t_write(dir, "ci/opsbook.yml", "production: [live]\npolicies: [../mine]\n");
    char *p = path_join(dir, "ci/opsbook.yml");
    cr_assert_eq(config_load(&c, ".", p, &err), 0, "%s", err.msg);
    cr_expect(config_env_is_production(&c, "live"));
    cr_expect(!config_env_is_production(&c, "prod"), "the list replaces the default");
    char *want = xasprintf("%s/ci/../mine", dir);
    cr_expect_str_eq(c.policies.items[0], want, "policy folders are relative to the file");
    free(want);
    free(p);
    config_release(&c);
    t_rmtree(dir);
    free(dir);
}

Test(config, globs)
{
    static const struct {
        const char *pattern, *path;
        int want;
    } cases[] = {
        {"*.yaml", "a.yaml", 1},         {"*.yaml", "deep/dir/a.yaml", 1},
        {"*.yaml", "a.yml", 0},          {"k8s/*.yaml", "k8s/a.yaml", 1},
        {"k8s/*.yaml", "k8s/x/a.yaml", 0}, {"k8s/**", "k8s/x/y/a.yaml", 1},
        {"k8s/**/*.yaml", "k8s/a.yaml", 1}, {"k8s/**/*.yaml", "k8s/x/y/a.yaml", 1},
        {"**/test/**", "a/test/b.yaml", 1}, {"**/test/**", "test/b.yaml", 1},
        {"vendor/", "vendor/x/y", 1},    {"vendor/", "vendors/x", 0},
        {"/docs/*.md", "docs/a.md", 1},  {"doc?/a.md", "docs/a.md", 1},
        {"Dockerfile*", "svc/Dockerfile.prod", 1}, {"a/b", "a/b/c", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        cr_expect_eq(config_glob_match(cases[i].pattern, cases[i].path), cases[i].want,
                     "%s ~ %s", cases[i].pattern, cases[i].path);
}

Test(config, suggestions)
{
    static const char *const names[] = {"include", "exclude", "rules", "production"};
    cr_expect_str_eq(config_suggest("exlude", names, 4), "exclude");
    cr_expect_str_eq(config_suggest("rule", names, 4), "rules");
    cr_expect_null(config_suggest("zzzzzz", names, 4));
}

/* Scans dir with its .opsbook.yml; asserts both steps succeed. */
static void scan_with_config(struct scan *s, struct config *c, const char *dir)
{
    struct errbuf err = {{0}, 0};
    cr_assert_eq(config_load(c, dir, NULL, &err), 0, "%s", err.msg);
    const char *paths[] = {dir};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .config = c};
    o.discover.no_git = 1;
    cr_assert_eq(lint_scan_run(s, &o, &err), 0, "%s", err.msg);
}

Test(config, settings_change_the_scan)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/a.yaml", "x: 1\nx: 2\n");
    t_write(dir, "k8s/vendor/b.yaml", "x: 1\nx: 2\n");
    t_write(dir, "docs/c.yaml", "x: 1\nx: 2\n");
    t_write(dir, "bad.yaml", "a: [\n");
    t_write(dir, ".opsbook.yml", "include: ['k8s/**', '*.yaml']\nexclude: ['**/vendor/**']\n"
                                 "rules:\n  yaml-duplicate-key: error\n  parse-error: off\n");
    struct scan s;
    struct config c;
    scan_with_config(&s, &c, dir);
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", "k8s/a.yaml", 2), 1);
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", "k8s/vendor/b.yaml", 0), 0, "excluded");
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", "docs/c.yaml", 0), 1, "*.yaml anywhere");
    cr_expect_eq(t_count(&s, "parse-error", NULL, 0), 0, "disabled");
    for (size_t i = 0; i < s.findings.v.len; i++)
        cr_expect_eq(((struct finding *)s.findings.v.items[i])->severity, SEV_ERROR);
    lint_scan_release(&s);
    config_release(&c);

    /* A rule id that does not exist is a usage error with a suggestion. */
    t_write(dir, ".opsbook.yml", "rules:\n  yaml-duplicate-keys: off\n");
    struct errbuf err = {{0}, 0};
    cr_assert_eq(config_load(&c, dir, NULL, &err), 0);
    const char *paths[] = {dir};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .config = &c};
    cr_expect_neq(lint_scan_run(&s, &o, &err), 0);
    cr_expect(strstr(err.msg, ".opsbook.yml:2:3: key 'rules.yaml-duplicate-keys': no such rule; "
                              "did you mean 'yaml-duplicate-key'?") != NULL, "%s", err.msg);
    lint_scan_release(&s);
    config_release(&c);
    t_rmtree(dir);
    free(dir);
}

/* The configured production names reach every rule that asks "is this production?": path
 * based (k8s, Terraform), environment based (Argo CD, workflows) and the linked model. */
Test(config, production_names_change_verdicts)
{
    static const char *const files[][2] = {
        {"k8s/overlays/live-eu/deploy.yaml",
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n"},
        {"k8s/overlays/prod/deploy.yaml",
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n"},
        {"argocd/live-eu.yaml",
         "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api-live-eu\n"
         "spec:\n  project: payments\n  source:\n    repoURL: https://github.com/acme/x\n"
         "    path: k8s/overlays/live-eu\n    targetRevision: v1.2.3\n  destination:\n"
         "    server: https://kubernetes.default.svc\n    namespace: live-eu\n"
         "  syncPolicy:\n    automated: {}\n"},
    };
    for (int configured = 0; configured < 2; configured++) {
        char *dir = t_tmpdir();
        for (size_t i = 0; i < ARRAY_LEN(files); i++)
            t_write(dir, files[i][0], files[i][1]);
        if (configured)
            t_write(dir, ".opsbook.yml", "production: [live-eu]\n");
        struct scan s;
        struct config c;
        scan_with_config(&s, &c, dir);
        cr_expect_eq(t_count(&s, "k8s-single-replica", "k8s/overlays/live-eu/deploy.yaml", 0),
                     configured, "configured=%d", configured);
        cr_expect_eq(t_count(&s, "k8s-single-replica", "k8s/overlays/prod/deploy.yaml", 0),
                     !configured, "the list replaces the defaults (configured=%d)", configured);
        cr_expect_eq(t_count(&s, "argocd-prod-auto-sync", "argocd/live-eu.yaml", 0), configured,
                     "configured=%d", configured);
        lint_scan_release(&s);
        config_release(&c);
        t_rmtree(dir);
        free(dir);
    }
}

Test(config, print_config_cli)
{
    char *dir = t_tmpdir();
    t_write(dir, ".opsbook.yml", "exclude: [vendor/]\nrules:\n  parse-error: warning\n"
                                 "  symlink-skipped: off\nsite:\n  title: Northwind\n");
    char *cmd = xasprintf("'%s' scan --print-config '%s'", t_bin(), dir);
    char *out = NULL;
    cr_assert_eq(t_run(cmd, &out), 0);
    cr_expect(strstr(out, "exclude:\n  - \"vendor/\"\n") != NULL, "%s", out);
    cr_expect(strstr(out, "  parse-error: warning\n  symlink-skipped: off\n") != NULL, "%s", out);
    cr_expect(strstr(out, "production:\n  - \"prod\"\n  - \"production\"\n") != NULL, "%s", out);
    cr_expect(strstr(out, "title: \"Northwind\"") != NULL, "%s", out);
    free(out);
    free(cmd);
    t_write(dir, ".opsbook.yml", "exlude: [x]\n");
    cmd = xasprintf("'%s' scan '%s' 2>&1", t_bin(), dir);
    cr_expect_eq(t_run(cmd, &out), 2, "a bad config is a usage error");
    cr_expect(strstr(out, "did you mean 'exclude'?") != NULL, "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}

/* `opsbook site` reads the same configuration as scan: the title, the repository URL for
 * "view in repository" links, and a bad configuration is a usage error there too. */
Test(config, site_uses_the_configuration)
{
    char *dir = t_tmpdir();
    char *out_dir = t_tmpdir();
    t_write(dir, "k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    t_write(dir, ".opsbook.yml", "site:\n  title: Southwind <ops>\n"
                                 "  repository: https://github.com/southwind/platform\n");
    char *cmd = xasprintf("'%s' site '%s' -o '%s/site' 2>/dev/null", t_bin(),
                          dir, out_dir);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);
    char *out = NULL;
    cmd = xasprintf("cat '%s/site/index.html' '%s'/site/src/*cm.yaml.html", out_dir, out_dir);
    cr_assert_eq(t_run(cmd, &out), 0);
    cr_expect(strstr(out, "Southwind &lt;ops&gt;") != NULL, "the configured title, escaped");
    cr_expect(strstr(out, "href=\"https://github.com/southwind/platform/blob/HEAD/k8s/cm.yaml\"")
                  != NULL, "a view-in-repository link");
    free(out);
    free(cmd);
    t_write(dir, ".opsbook.yml", "site:\n  titel: x\n");
    cmd = xasprintf("'%s' site '%s' -o '%s/site2' 2>&1", t_bin(), dir,
                    out_dir);
    cr_expect_eq(t_run(cmd, &out), 2, "a bad config is a usage error for site too");
    free(out);
    free(cmd);
    t_rmtree(dir);
    t_rmtree(out_dir);
    free(dir);
    free(out_dir);
}

/* The schema file and the validator agree: the example of the README validates with ajv too. */
Test(config, schema_is_valid_json_schema_and_accepts_a_full_config)
{
    char *dir = t_tmpdir();
    t_write(dir, "c.json", "{\"include\": [\"k8s/**\"], \"exclude\": [\"vendor/\"],"
                           " \"rules\": {\"parse-error\": \"off\", \"x\": {\"severity\": "
                           "\"note\"}, \"y\": false}, \"production\": [\"prod\"],"
                           " \"policies\": [\"p\"], \"site\": {\"title\": \"T\", "
                           "\"repository\": \"https://example.com/r\"}}");
    t_write(dir, "bad.json", "{\"exclud\": []}");
    char *cmd = xasprintf("node '%s/tests/tools/validate-json.js' '%s/schemas/config.schema.json'"
                          " '%s/c.json' 2>&1", t_root(), t_root(), dir);
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 0, "%s", out);
    free(out);
    free(cmd);
    cmd = xasprintf("node '%s/tests/tools/validate-json.js' '%s/schemas/config.schema.json'"
                    " '%s/bad.json' 2>&1", t_root(), t_root(), dir);
    cr_expect_eq(t_run(cmd, &out), 1, "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}

/* The example repositories' configurations are valid and say what their READMEs say. */
Test(config, example_configurations)
{
    static const struct {
        const char *dir, *title;
    } cases[] = {
        {"examples/platform", "Northwind platform"},
        {"examples/clean", "Southwind platform"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *dir = path_join(t_root(), cases[i].dir);
        struct config c;
        struct errbuf err = {{0}, 0};
        cr_expect_eq(config_load(&c, dir, NULL, &err), 0, "%s", err.msg);
        cr_expect_not_null(c.path, "%s has a .opsbook.yml", cases[i].dir);
        cr_expect(c.site_title && strcmp(c.site_title, cases[i].title) == 0);
        cr_expect(config_env_is_production(&c, "prod"));
        cr_expect(!config_env_is_production(&c, "staging"));
        config_release(&c);
        free(dir);
    }
}
