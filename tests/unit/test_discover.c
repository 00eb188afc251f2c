/* discover: classification, .gitignore, binary files, symlinks that loop or leave the root,
 * and a whole scan that keeps going past bad files. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover/discover.h"
#include "testlib.h"

Test(discover, classify_by_path)
{
    static const struct {
        const char *path;
        enum file_kind kind;
    } cases[] = {
        {".github/workflows/ci.yml", FK_WORKFLOW},
        {"sub/.github/workflows/deploy.yaml", FK_WORKFLOW},
        {".github/workflows/nested/x.yml", FK_UNKNOWN},
        {".github/actions/setup/action.yml", FK_ACTION},
        {"k8s/overlays/prod/kustomization.yaml", FK_KUSTOMIZATION},
        {"charts/api/Chart.yaml", FK_HELM_CHART},
        {"services/api/Dockerfile", FK_DOCKERFILE},
        {"Dockerfile.dev", FK_DOCKERFILE},
        {"docs/Dockerfile.md", FK_MARKDOWN}, /* a page about a Dockerfile */
        {"Containerfile.markdown", FK_MARKDOWN},
        {"build/app.dockerfile", FK_DOCKERFILE},
        {"docker-compose.override.yml", FK_COMPOSE},
        {"compose.yaml", FK_COMPOSE},
        {"terraform/main.tf", FK_TERRAFORM},
        {"docs/runbook.md", FK_MARKDOWN},
        {"k8s/deploy.yaml", FK_UNKNOWN},
        {"scripts/run.sh", FK_UNKNOWN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        cr_assert_eq(discover_classify_path(cases[i].path), cases[i].kind, "%s",
                     cases[i].path);
}

Test(discover, classify_by_content)
{
    static const struct {
        const char *path;
        int named;
        const char *content;
        enum file_kind kind;
    } cases[] = {
        {"k8s/app.yaml", 0, "apiVersion: v1\nkind: Service\n", FK_K8S},
        {"k8s/app.yaml", 0, "# c\n---\napiVersion: apps/v1\nkind: Deployment\n", FK_K8S},
        {"ci/pipeline.yml", 1, "name: x\non: push\njobs:\n  a: {}\n", FK_WORKFLOW},
        {"ci/pipeline.yml", 0, "name: x\n\"on\": push\njobs:\n  a: {}\n", FK_WORKFLOW},
        {"conf/app.yaml", 0, "replicas: 2\n", FK_YAML},
        {"run.sh", 0, "echo hi\n", FK_TEXT},
        {"notes.txt", 1, "apiVersion: v1\nkind: ConfigMap\n", FK_K8S},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        enum file_kind k = discover_classify_content(discover_classify_path(cases[i].path),
                                                     cases[i].path, cases[i].named,
                                                     cases[i].content, strlen(cases[i].content));
        cr_assert_eq(k, cases[i].kind, "%s: got %s", cases[i].path, file_kind_name(k));
    }
    cr_assert_eq(discover_classify_content(FK_UNKNOWN, "a.bin", 0, "ab\0cd", 5), FK_BINARY);
}

static int has_path(const struct vec *files, const char *path)
{
    for (size_t i = 0; i < files->len; i++)
        if (strcmp(((struct srcfile *)files->items[i])->path, path) == 0)
            return 1;
    return 0;
}

Test(discover, gitignore_is_honoured_inside_a_repository)
{
    char *dir = t_tmpdir();
    t_write(dir, ".gitignore", "ignored/\n*.log\n");
    t_write(dir, "ignored/secret.yaml", "a: 1\n");
    t_write(dir, "keep/app.yaml", "a: 1\n");
    t_write(dir, "debug.log", "x\n");
    char *cmd = xasprintf("git init -q '%s'", dir);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);

    const char *paths[] = {dir};
    struct vec files = VEC_INIT;
    struct findings diags = {VEC_INIT};
    struct errbuf err = {{0}, 0};
    cr_assert_eq(discover_walk(&files, paths, 1, NULL, &diags, &err), 0);
    cr_assert(has_path(&files, "keep/app.yaml"));
    cr_assert(has_path(&files, ".gitignore"));
    cr_assert(!has_path(&files, "ignored/secret.yaml"));
    cr_assert(!has_path(&files, "debug.log"));
    discover_files_free(&files);

    struct discover_opts o = {.no_git = 1};
    cr_assert_eq(discover_walk(&files, paths, 1, &o, &diags, &err), 0);
    cr_assert(has_path(&files, "ignored/secret.yaml"));
    discover_files_free(&files);
    findings_release(&diags);
    t_rmtree(dir);
    free(dir);
}

Test(discover, a_root_named_explicitly_is_scanned_even_when_ignored)
{
    char *dir = t_tmpdir();
    t_write(dir, ".gitignore", "build/\n");
    t_write(dir, "build/corpus/app.yaml", "a: 1\n");
    char *cmd = xasprintf("git init -q '%s'", dir);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);
    char *root = path_join(dir, "build/corpus");
    const char *paths[] = {root};
    struct vec files = VEC_INIT;
    struct findings diags = {VEC_INIT};
    struct errbuf err = {{0}, 0};
    cr_assert_eq(discover_walk(&files, paths, 1, NULL, &diags, &err), 0);
    cr_assert(has_path(&files, "app.yaml"), "the named root is what the user asked for");
    discover_files_free(&files);
    findings_release(&diags);
    t_rmtree(dir);
    free(root);
    free(dir);
}

Test(discover, symlinks_loops_and_escapes)
{
    char *dir = t_tmpdir();
    char *outside = t_tmpdir();
    t_write(outside, "leak.yaml", "password: hunter2hunter2\n");
    t_write(dir, "a/app.yaml", "a: 1\n");
    char *p = path_join(dir, "a/loop");
    cr_assert_eq(symlink("..", p), 0);
    free(p);
    p = path_join(dir, "escape");
    cr_assert_eq(symlink(outside, p), 0);
    free(p);
    p = path_join(dir, "escape-file.yaml");
    char *target = path_join(outside, "leak.yaml");
    cr_assert_eq(symlink(target, p), 0);
    free(p);
    free(target);
    p = path_join(dir, "inside.yaml");
    cr_assert_eq(symlink("a/app.yaml", p), 0);
    free(p);
    p = path_join(dir, "dangling.yaml");
    cr_assert_eq(symlink("nowhere.yaml", p), 0);
    free(p);

    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "symlink-skipped", "escape", 0), 1);
    cr_assert_eq(t_count(&s, "symlink-skipped", "escape-file.yaml", 0), 1);
    cr_assert_eq(t_count(&s, "symlink-skipped", "a/loop", 0), 1);
    cr_assert_eq(t_count(&s, "symlink-skipped", "dangling.yaml", 0), 1);
    cr_assert_eq(t_count(&s, NULL, "escape/leak.yaml", 0), 0, "never read outside the root");
    int inside = 0;
    for (size_t i = 0; i < s.model.units.len; i++)
        inside += strcmp(((struct unit *)s.model.units.items[i])->file->path, "inside.yaml") == 0;
    cr_assert_eq(inside, 1, "a link that stays inside is followed");
    cr_assert_eq(t_count(&s, "file-skipped", "inside.yaml", 0), 0, "and its target is read");
    lint_scan_release(&s);
    t_rmtree(dir);
    t_rmtree(outside);
    free(dir);
    free(outside);
}

Test(discover, bad_files_do_not_stop_the_scan)
{
    char *dir = t_tmpdir();
    t_write(dir, "a-broken.yaml", "a: [1, 2\n");
    t_write_bytes(dir, "b-binary.yaml", "\x7f" "ELF\0\0\0\x01\x02", 9);
    t_write(dir, "c-nonutf8.yaml", "name: \xc3\x28\n");
    t_write(dir, "d-good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    t_write(dir, "e-empty.yaml", "");
    /* An alias inside its own anchor, in an object a kustomization renders. */
    t_write(dir, "f-cycle/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: &a [*a]\n");
    t_write(dir, "f-cycle/kustomization.yaml", "resources: [cm.yaml]\nnamespace: x\n");
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "parse-error", "f-cycle/cm.yaml", 5), 1);
    cr_assert_eq(t_count(&s, "parse-error", "a-broken.yaml", 2), 1);
    cr_assert_eq(t_count(&s, NULL, "b-binary.yaml", 0), 0, "binary files are skipped");
    cr_assert_eq(t_count(&s, "parse-error", "c-nonutf8.yaml", 1), 1);
    cr_assert_eq(t_count(&s, NULL, "d-good.yaml", 0), 0);
    cr_assert_eq(s.stats.skipped_binary, 1);
    cr_assert_eq(s.stats.files_scanned, 6);
    const struct finding *f = NULL;
    for (size_t i = 0; i < s.findings.v.len; i++)
        if (strcmp(((struct finding *)s.findings.v.items[i])->path, "a-broken.yaml") == 0)
            f = s.findings.v.items[i];
    cr_assert_not_null(f);
    cr_assert_gt(f->col, 0);
    cr_assert_not_null(f->excerpt);
    /* An excerpt is valid UTF-8 in every output: invalid bytes become U+FFFD. */
    const struct finding *nonutf8 = NULL;
    for (size_t i = 0; i < s.findings.v.len; i++)
        if (strcmp(((struct finding *)s.findings.v.items[i])->path, "c-nonutf8.yaml") == 0)
            nonutf8 = s.findings.v.items[i];
    cr_assert_not_null(nonutf8);
    cr_assert_str_eq(nonutf8->excerpt, "name: \xef\xbf\xbd(");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(discover, a_missing_path_is_a_tool_error)
{
    const char *paths[] = {"/nonexistent/opsbook/path"};
    struct vec files = VEC_INIT;
    struct findings diags = {VEC_INIT};
    struct errbuf err = {{0}, 0};
    cr_assert_eq(discover_walk(&files, paths, 1, NULL, &diags, &err), -1);
    cr_assert(strstr(err.msg, "/nonexistent/opsbook/path") != NULL);
    discover_files_free(&files);
    findings_release(&diags);
}
