/* make install / make uninstall into a scratch root: the binary runs from there, and its man
 * page and completions say what its --help and its catalogue say. */
#include "core/core.h"
#include "testlib.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const installed[] = {
    "usr/bin/opsbook",
    "usr/share/man/man1/opsbook.1",
    "usr/share/bash-completion/completions/opsbook",
    "usr/share/zsh/site-functions/_opsbook",
    "usr/share/fish/vendor_completions.d/opsbook.fish",
};

/* The make variables that select the build the tests run from (plain or sanitised). */
static const char *san_var(void)
{
    return strstr(t_bin(), "/build/san/") ? "SAN=1" : "SAN=0";
}

static char *run_ok(const char *cmd)
{
    char *out = NULL;
    int rc = t_run(cmd, &out);
    cr_assert_eq(rc, 0, "%s failed (%d):\n%s", cmd, rc, out ? out : "");
    return out;
}

/* Completions offered by the installed bash script for the words of a command line. */
static char *bash_complete(const char *root, const char *words, int cword)
{
    char *cmd = xasprintf("bash -c 'source \"%s/usr/share/bash-completion/completions/opsbook\"; "
                          "COMP_WORDS=(%s); COMP_CWORD=%d; _opsbook; "
                          "printf \"%%s\\n\" \"${COMPREPLY[@]}\"'",
                          root, words, cword);
    char *out = run_ok(cmd);
    free(cmd);
    return out;
}

static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)); p += n)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

Test(install, make_install_and_uninstall_into_a_scratch_root, .timeout = 300)
{
    char *root = t_tmpdir();
    char *cmd = xasprintf("make -C '%s' -s --no-print-directory install %s DESTDIR='%s' "
                          "PREFIX=/usr 2>&1",
                          t_root(), san_var(), root);
    free(run_ok(cmd));
    free(cmd);
    for (size_t i = 0; i < sizeof(installed) / sizeof(*installed); i++) {
        char *p = xasprintf("%s/%s", root, installed[i]);
        struct stat st;
        cr_expect_eq(stat(p, &st), 0, "%s was not installed", installed[i]);
        cr_expect_eq(st.st_mode & 0777, i == 0 ? 0755u : 0644u, "%s: mode %o", installed[i],
                     st.st_mode & 0777);
        free(p);
    }

    /* The installed binary runs from anywhere, with its whole catalogue. */
    cmd = xasprintf("cd / && '%s/usr/bin/opsbook' rules", root);
    char *rules = run_ok(cmd);
    free(cmd);
    cmd = xasprintf("cd / && '%s/usr/bin/opsbook' --help", root);
    char *help = run_ok(cmd);
    free(cmd);

    /* The man page renders without a warning and lists every rule and every option. */
    cmd = xasprintf("groff -man -ww -z '%s/usr/share/man/man1/opsbook.1' 2>&1", root);
    char *warnings = run_ok(cmd);
    cr_expect_str_empty(warnings ? warnings : "", "groff: %s", warnings);
    free(warnings);
    free(cmd);
    cmd = xasprintf("MANWIDTH=200 man -l '%s/usr/share/man/man1/opsbook.1' 2>/dev/null | col -b",
                    root);
    char *man = run_ok(cmd);
    free(cmd);
    size_t nrules = 0;
    char *save = NULL;
    for (char *l = strtok_r(rules, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        size_t idlen = strcspn(l, " \t");
        if (!memchr(l, '-', idlen))
            continue;
        nrules++;
        char *entry = xasprintf("       %.*s (", (int)idlen, l);
        cr_expect(strstr(man, entry), "the man page does not list rule %.*s", (int)idlen, l);
        free(entry);
    }
    cr_expect_gt(nrules, 100, "only %zu rules listed", nrules);
    for (const char *p = help; (p = strstr(p, "--")); p += 2) {
        size_t n = strspn(p, "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (n > 2) {
            char *opt = xasprintf("%.*s", (int)n, p);
            cr_expect(strstr(man, opt), "the man page does not mention %s", opt);
            free(opt);
        }
    }

    /* bash: rule ids after explain, options, formats, commands. */
    char *c = bash_complete(root, "opsbook explain k8s-privi", 2);
    cr_expect(has_line(c, "k8s-privileged"), "explain k8s-privi completes to:\n%s", c);
    free(c);
    c = bash_complete(root, "opsbook scan --fail", 2);
    cr_expect(has_line(c, "--fail-on"), "--fail completes to:\n%s", c);
    free(c);
    c = bash_complete(root, "opsbook scan -f ''", 3);
    cr_expect(has_line(c, "sarif") && has_line(c, "junit") && has_line(c, "github"),
              "-f completes to:\n%s", c);
    free(c);
    c = bash_complete(root, "opsbook ''", 1);
    cr_expect(has_line(c, "scan") && has_line(c, "explain") && has_line(c, "site"),
              "commands:\n%s", c);
    free(c);

    /* zsh and fish: their own syntax check, where the shell is installed. */
    static const char *const shells[][2] = {
        {"zsh", "usr/share/zsh/site-functions/_opsbook"},
        {"fish", "usr/share/fish/vendor_completions.d/opsbook.fish"},
    };
    for (size_t i = 0; i < 2; i++) {
        char *which = xasprintf("command -v %s >/dev/null", shells[i][0]);
        if (t_run(which, NULL) == 0) {
            char *check = xasprintf("%s -n '%s/%s' 2>&1", shells[i][0], root, shells[i][1]);
            free(run_ok(check));
            free(check);
            if (i == 1) { /* fish can also be asked what it would complete */
                check = xasprintf("fish -c 'source \"%s/%s\"; complete -C \"opsbook explain "
                                  "k8s-privi\"'",
                                  root, shells[i][1]);
                char *got = run_ok(check);
                cr_expect(strstr(got, "k8s-privileged"), "fish completes to:\n%s", got);
                free(got);
                free(check);
            }
        } else {
            fprintf(stderr, "install: %s is not installed; its completion was not syntax-checked\n",
                    shells[i][0]);
        }
        free(which);
    }

    cmd = xasprintf("make -C '%s' -s --no-print-directory uninstall %s DESTDIR='%s' PREFIX=/usr "
                    "2>&1 && find '%s' -type f",
                    t_root(), san_var(), root, root);
    char *left = run_ok(cmd);
    cr_expect_str_empty(left ? left : "", "uninstall left:\n%s", left);
    free(left);
    free(cmd);
    free(man);
    free(help);
    free(rules);
    t_rmtree(root);
    free(root);
}

/* make deb: a package whose Depends names the package of every shared library the binary
 * needs, and whose contents, unpacked into a scratch root, run. */
Test(install, make_deb_unpacks_and_runs, .timeout = 300)
{
    char *cmd = xasprintf("make -C '%s' -s --no-print-directory deb %s 2>&1 | tail -1", t_root(),
                          san_var());
    char *deb = run_ok(cmd);
    free(cmd);
    deb[strcspn(deb, "\n")] = '\0';
    char *path = deb[0] == '/' ? xasprintf("%s", deb) : xasprintf("%s/%s", t_root(), deb);
    cr_assert_eq(access(path, R_OK), 0, "make deb printed '%s', which is not a file", deb);

    cmd = xasprintf("dpkg-deb -f '%s' Depends", path);
    char *depends = run_ok(cmd);
    free(cmd);
    /* Each library the binary needs, as the package that ships it, is in Depends. */
    cmd = xasprintf("b='%s'; for so in $(readelf -d \"$b\" | "
                    "sed -n 's/.*Shared library: \\[\\(.*\\)\\]/\\1/p'); do "
                    "f=$(ldd \"$b\" | awk -v s=\"$so\" '$1 == s && $3 ~ /^\\// {print $3}'); "
                    "[ -n \"$f\" ] || continue; "
                    "p=$(dpkg -S \"$f\" 2>/dev/null || dpkg -S \"/usr$f\" 2>/dev/null); "
                    "[ -n \"$p\" ] && echo \"${p%%%%:*}\"; done | sort -u",
                    t_bin());
    char *pkgs = run_ok(cmd);
    free(cmd);
    size_t checked = 0;
    char *save = NULL;
    for (char *p = strtok_r(pkgs, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
        checked++;
        /* Depends is "pkg (>= v), pkg, ...": a package name ends at a space, comma or end. */
        size_t pl = strlen(p);
        int found = 0;
        for (const char *d = depends; !found && (d = strstr(d, p)); d += pl)
            found = (d == depends || d[-1] == ' ') &&
                    (d[pl] == '\0' || d[pl] == ' ' || d[pl] == ',' || d[pl] == '\n');
        cr_expect(found, "Depends lacks %s: %s", p, depends);
    }
    cr_expect_geq(checked, 5, "only %zu packages found for the binary's libraries", checked);

    char *root = t_tmpdir();
    cmd = xasprintf("dpkg-deb -x '%s' '%s' && cd / && '%s/usr/bin/opsbook' --version && "
                    "'%s/usr/bin/opsbook' scan --no-git '%s/examples/clean' && "
                    "test -f '%s/usr/share/man/man1/opsbook.1.gz' && "
                    "test -f '%s/usr/share/doc/opsbook/copyright' && "
                    "test -f '%s/usr/share/bash-completion/completions/opsbook'",
                    path, root, root, root, t_root(), root, root, root);
    char *out = run_ok(cmd);
    cr_expect(strstr(out, "opsbook "), "%s", out);
    free(out);
    free(cmd);
    t_rmtree(root);
    free(root);
    free(pkgs);
    free(depends);
    free(path);
    free(deb);
}

/* The pre-commit hook, run by pre-commit itself: a commit that adds a violation is refused,
 * the fixed one goes through. The hook file is served from a scratch repository holding a
 * copy of this checkout's .pre-commit-hooks.yaml, so the test reads the file as it is now. */
Test(install, pre_commit_hook_refuses_a_violation_and_takes_the_fix, .timeout = 300)
{
    if (t_run("command -v pre-commit >/dev/null", NULL) != 0)
        cr_skip_test("pre-commit is not installed (make deps installs it)");
    char *dir = t_tmpdir();
    char *bindir = xasprintf("%s", t_bin());
    *strrchr(bindir, '/') = '\0';
    char *cmd = xasprintf(
        "set -e; cd '%s'; export PRE_COMMIT_HOME=\"$PWD/cache\" PATH='%s':\"$PATH\";"
        " export GIT_CONFIG_NOSYSTEM=1 HOME=\"$PWD\";"
        " git config --global user.email t@example.invalid; git config --global user.name t;"
        " git config --global init.defaultBranch main;"
        " git init -q hooks; cp '%s/.pre-commit-hooks.yaml' hooks/;"
        " git -C hooks add -A; git -C hooks commit -qm hooks;"
        " rev=$(git -C hooks rev-parse HEAD);"
        " git init -q app; cd app;"
        " printf 'repos:\\n- repo: %%s\\n  rev: %%s\\n  hooks: [{id: opsbook}]\\n'"
        " \"$PWD/../hooks\" \"$rev\" > .pre-commit-config.yaml;"
        " pre-commit install >/dev/null;"
        " printf '# app\\n' > README.md; git add -A; git commit -qm first;"
        " mkdir -p k8s; printf 'apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n"
        "  containers:\\n  - name: c\\n    image: nginx:1.27\\n"
        "    securityContext: {privileged: true}\\n' > k8s/pod.yaml; git add -A;"
        " if git commit -qm bad > ../bad.log 2>&1; then echo 'COMMITTED THE VIOLATION';"
        " cat ../bad.log; exit 1; fi;"
        " grep -q k8s-privileged ../bad.log || { cat ../bad.log; exit 1; };"
        " sed -i 's/privileged: true/privileged: false/' k8s/pod.yaml; git add -A;"
        " git commit -qm fixed > ../good.log 2>&1 || { cat ../good.log; exit 1; };"
        " git log --oneline | wc -l",
        dir, bindir, t_root());
    char *out = NULL;
    int rc = t_run(cmd, &out);
    cr_expect_eq(rc, 0, "pre-commit route failed:\n%s", out ? out : "");
    cr_expect(out && strtol(out, NULL, 10) == 2, "expected two commits (first, fixed):\n%s", out);
    free(out);
    free(cmd);
    free(bindir);
    t_rmtree(dir);
    free(dir);
}

/* The Action's scan step, with GitHub's environment, on a pull request that adds one
 * violation to a base branch that already had one: only the new one is annotated, in the
 * SARIF file, the job summary and the outputs, and the step fails. */
Test(install, action_reports_what_the_pull_request_adds, .timeout = 120)
{
    char *dir = t_tmpdir();
    char *repo = xasprintf("%s/repo", dir);
    t_write(repo, "k8s/old.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: old}\nspec:\n  containers:\n"
            "  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n");
    t_git(repo, "git init -q -b main && git add -A && git commit -qm base && "
                "git checkout -q -b feature");
    t_write(repo, "k8s/new.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: new}\nspec:\n  containers:\n"
            "  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n");
    t_git(repo, "git add -A && git commit -qm 'add a pod'");
    char *cmd = xasprintf("cd '%s' && GITHUB_WORKSPACE='%s' GITHUB_EVENT_NAME=pull_request "
                          "GITHUB_BASE_REF=main GITHUB_STEP_SUMMARY='%s/summary.md' "
                          "GITHUB_OUTPUT='%s/output' OPSBOOK='%s' INPUT_FAIL_ON=error "
                          "INPUT_SARIF_FILE=opsbook.sarif scripts/action-run.sh",
                          t_root(), repo, dir, dir, t_bin());
    char *log = NULL;
    int rc = t_run(cmd, &log);
    cr_expect_eq(rc, 1, "the step should fail on the new error (exit %d):\n%s", rc, log);
    cr_expect(strstr(log, "::error file=k8s/new.yaml,line=8"), "annotation missing:\n%s", log);
    cr_expect(!strstr(log, "k8s/old.yaml"), "the base branch's finding was reported:\n%s", log);

    char *sarif_path = xasprintf("%s/opsbook.sarif", repo);
    json_error_t jerr;
    json_t *sarif = json_load_file(sarif_path, 0, &jerr);
    cr_assert_not_null(sarif, "no SARIF file: %s", jerr.text);
    json_t *results = json_object_get(json_array_get(json_object_get(sarif, "runs"), 0), "results");
    size_t nres = json_array_size(results);
    cr_expect_gt(nres, 0, "no SARIF results");
    for (size_t i = 0; i < nres; i++) {
        json_t *loc = json_object_get(
            json_object_get(json_array_get(json_object_get(json_array_get(results, i),
                                                           "locations"), 0),
                            "physicalLocation"),
            "artifactLocation");
        const char *uri = json_string_value(json_object_get(loc, "uri"));
        cr_expect(uri && strcmp(uri, "k8s/new.yaml") == 0, "SARIF result on %s", uri);
    }
    json_decref(sarif);

    char *summary_cmd = xasprintf("cat '%s/summary.md'; echo ---; cat '%s/output'", dir, dir);
    char *files = NULL;
    t_run(summary_cmd, &files);
    cr_expect(strstr(files, "| `k8s-privileged` | error | 1 |"), "summary:\n%s", files);
    cr_expect(strstr(files, "lines changed since `origin/main`") ||
                  strstr(files, "lines changed since `main`"),
              "summary scope:\n%s", files);
    char *findings = xasprintf("\nfindings=%zu\n", nres);
    cr_expect(strstr(files, "\nerrors=1\n") && strstr(files, findings) &&
                  strstr(files, "sarif-file=opsbook.sarif\n"),
              "outputs (SARIF has %zu results):\n%s", nres, files);
    free(findings);

    /* The action itself and the pre-commit hook file pass opsbook's own rules. */
    char *self = xasprintf("cd '%s' && '%s' scan --no-git --fail-on note action.yml "
                           ".pre-commit-hooks.yaml",
                           t_root(), t_bin());
    char *out = NULL;
    cr_expect_eq(t_run(self, &out), 0, "opsbook flags its own action:\n%s", out);
    free(out);
    free(self);
    free(files);
    free(summary_cmd);
    free(sarif_path);
    free(log);
    free(cmd);
    free(repo);
    t_rmtree(dir);
    free(dir);
}

/* The workflow the README shows for the Action passes opsbook's own rules. */
Test(install, readme_workflow_example_has_no_finding, .timeout = 60)
{
    char *readme = xasprintf("%s/README.md", t_root());
    FILE *f = fopen(readme, "r");
    cr_assert_not_null(f);
    struct strbuf yaml = STRBUF_INIT;
    char line[1024];
    int in = 0, found = 0;
    while (fgets(line, sizeof(line), f)) {
        if (!in && strcmp(line, "# .github/workflows/opsbook.yml\n") == 0) {
            in = found = 1;
            continue;
        }
        if (in && strncmp(line, "```", 3) == 0)
            break;
        if (in)
            sb_adds(&yaml, line);
    }
    fclose(f);
    cr_assert(found, "README has no '# .github/workflows/opsbook.yml' example");
    char *dir = t_tmpdir();
    t_write(dir, ".github/workflows/opsbook.yml", yaml.buf);
    char *cmd = xasprintf("'%s' scan --no-git --fail-on note '%s'", t_bin(), dir);
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 0, "the README's workflow has findings:\n%s", out);
    cr_expect(out && strstr(out, "0 findings"), "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
    sb_release(&yaml);
    free(readme);
}
