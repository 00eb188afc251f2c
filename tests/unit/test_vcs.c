/* Git-aware scanning on real throwaway repositories built with the git command: the changed
 * lines behind --diff (edits, renames, deletions, untracked files, a sub-directory scan) and
 * the blob walk behind --history (a file committed then deleted, a rename, a merge, --since,
 * each blob once). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover/vcs.h"
#include "testlib.h"

/* A fresh repository with one commit per call of commit_at(). */
static char *repo_new(void)
{
    char *dir = t_tmpdir();
    t_git(dir, "git init -q -b main . && git config user.name 'Ada Tester' && "
             "git config user.email ada@example.com && git config commit.gpgsign false");
    return dir;
}

static void commit_at(const char *dir, const char *date, const char *msg)
{
    char *s = xasprintf("git add -A && GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' "
                        "git commit -q --allow-empty -m '%s'", date, date, msg);
    t_git(dir, s);
    free(s);
}

static char *rev(const char *dir, const char *what)
{
    char *cmd = xasprintf("cd '%s' && git rev-parse %s", dir, what), *out = NULL;
    cr_assert_eq(t_run(cmd, &out), 0);
    free(cmd);
    out[strcspn(out, "\n")] = '\0';
    return out;
}

/* ---- --diff ---- */

Test(vcs, diff_lines_renames_deletions_untracked)
{
    char *dir = repo_new();
    t_write(dir, "edit.yaml", "a: 1\nb: 2\nc: 3\n");
    t_write(dir, "move.yaml", "kind: x\nname: y\n");
    t_write(dir, "gone.yaml", "z: 1\n");
    t_write(dir, "same.yaml", "s: 1\n");
    commit_at(dir, "2024-01-02T03:04:05Z", "base");
    t_write(dir, "edit.yaml", "a: 1\nb: two\nc: 3\nd: 4\n");
    t_git(dir, "git mv move.yaml moved.yaml && git rm -q gone.yaml");
    t_write(dir, "new/fresh.yaml", "n: 1\n");

    struct vcs_changes ch;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(vcs_changes_load(&ch, dir, "HEAD", &err), 0, "%s", err.msg);
    static const struct {
        const char *path;
        int line, want;
    } cases[] = {
        {"edit.yaml", 1, 0},      {"edit.yaml", 2, 1},  {"edit.yaml", 3, 0},
        {"edit.yaml", 4, 1},      {"edit.yaml", 0, 0},  /* whole-file finding: file not new */
        {"moved.yaml", 1, 0},     {"moved.yaml", 0, 0}, /* a pure rename changes no line */
        {"move.yaml", 1, 0},      {"gone.yaml", 1, 0},  {"same.yaml", 1, 0},
        {"new/fresh.yaml", 1, 1}, {"new/fresh.yaml", 0, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        cr_expect_eq(vcs_changes_has(&ch, cases[i].path, cases[i].line), cases[i].want,
                     "%s:%d", cases[i].path, cases[i].line);
    vcs_changes_release(&ch);

    cr_expect_neq(vcs_changes_load(&ch, dir, "no-such-branch", &err), 0);
    cr_expect(strstr(err.msg, "no-such-branch") != NULL, "%s", err.msg);
    vcs_changes_release(&ch);
    t_rmtree(dir);
    free(dir);
}

Test(vcs, diff_in_a_subdirectory_uses_its_relative_paths)
{
    char *dir = repo_new();
    t_write(dir, "deploy/app.yaml", "a: 1\n");
    t_write(dir, "other/x.yaml", "a: 1\n");
    commit_at(dir, "2024-01-02T03:04:05Z", "base");
    t_write(dir, "deploy/app.yaml", "a: 1\nb: 2\n");
    t_write(dir, "other/x.yaml", "a: 1\nb: 2\n");
    char *sub = path_join(dir, "deploy");
    struct vcs_changes ch;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(vcs_changes_load(&ch, sub, "HEAD", &err), 0, "%s", err.msg);
    cr_expect(vcs_changes_has(&ch, "app.yaml", 2));
    cr_expect_eq(ch.files.len, 1, "only files below the scanned folder");
    vcs_changes_release(&ch);
    free(sub);
    t_rmtree(dir);
    free(dir);
}

Test(vcs, diff_outside_a_repository_is_a_tool_error)
{
    char *dir = t_tmpdir();
    struct vcs_changes ch;
    struct errbuf err = {{0}, 0};
    cr_expect_neq(vcs_changes_load(&ch, dir, "HEAD", &err), 0);
    cr_expect(strstr(err.msg, "not inside a Git repository") != NULL, "%s", err.msg);
    vcs_changes_release(&ch);
    t_rmtree(dir);
    free(dir);
}

/* The PR check: a branch adds one violation to a file that already has ten. */
Test(vcs, diff_scan_reports_only_the_new_violation)
{
    char *dir = repo_new();
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 10; i++)
        sb_addf(&sb, "k%d: 1\nk%d: 2\n", i, i); /* ten duplicate keys */
    t_write(dir, "config.yaml", sb.buf);
    t_write(dir, "other.yaml", "o: 1\no: 2\n");
    commit_at(dir, "2024-01-02T03:04:05Z", "base");
    t_git(dir, "git checkout -q -b feature");
    sb_reset(&sb);
    for (int i = 0; i < 10; i++) {
        sb_addf(&sb, "k%d: 1\nk%d: 2\n", i, i);
        if (i == 4)
            sb_adds(&sb, "new: 1\nnew: 2\n"); /* the one new violation, at line 12 */
    }
    t_write(dir, "config.yaml", sb.buf);
    sb_release(&sb);
    commit_at(dir, "2024-01-03T03:04:05Z", "feature");

    const char *paths[] = {dir};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .fail_on = SEV_ERROR};
    struct scan s;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", NULL, 0), 12, "the full scan sees all");
    lint_scan_release(&s);

    o.diff_ref = "main";
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    if (s.findings.v.len != 1)
        t_dump(&s);
    cr_expect_eq(s.findings.v.len, 1);
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", "config.yaml", 12), 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* ---- --history ---- */

struct seen_blob {
    char *commit, *author, *date, *path;
    char *added;      /* "2,5" */
    size_t len;
    int too_big;
};

struct seen {
    struct seen_blob b[32];
    size_t n;
};

static int record(void *ctx, const struct vcs_blob *b)
{
    struct seen *s = ctx;
    cr_assert_lt(s->n, ARRAY_LEN(s->b));
    struct seen_blob *o = &s->b[s->n++];
    o->commit = xstrdup(b->commit);
    o->author = xstrdup(b->author);
    o->date = xstrdup(b->date);
    o->path = xstrdup(b->path);
    o->len = b->len;
    o->too_big = b->too_big;
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < b->nadded; i++)
        sb_addf(&sb, "%s%d", i ? "," : "", b->added[i]);
    o->added = sb_detach(&sb);
    return 0;
}

static void seen_release(struct seen *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->b[i].commit);
        free(s->b[i].author);
        free(s->b[i].date);
        free(s->b[i].path);
        free(s->b[i].added);
    }
    s->n = 0;
}

/* The blob visited at `path`, or NULL (asserts there is at most one). */
static const struct seen_blob *seen_at(const struct seen *s, const char *path)
{
    const struct seen_blob *hit = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->b[i].path, path) != 0)
            continue;
        cr_assert_null(hit, "%s visited twice", path);
        hit = &s->b[i];
    }
    return hit;
}

Test(vcs, history_finds_a_deleted_file_renames_and_merges)
{
    char *dir = repo_new();
    t_write(dir, "app.yaml", "name: app\nreplicas: 2\n");
    t_write(dir, "creds.env", "USER=svc\nTOKEN=committed-by-mistake\n");
    commit_at(dir, "2024-01-02T03:04:05Z", "add app and creds");
    char *c1 = rev(dir, "HEAD");
    t_git(dir, "git rm -q creds.env");
    commit_at(dir, "2024-01-03T00:00:00Z", "remove creds");
    /* A rename with one line changed: only that line is new. */
    t_git(dir, "git mv app.yaml service.yaml");
    t_write(dir, "service.yaml", "name: app\nreplicas: 3\n");
    commit_at(dir, "2024-01-04T00:00:00Z", "rename");
    char *c3 = rev(dir, "HEAD");
    /* The same bytes again under another name: not scanned twice. */
    t_write(dir, "copy.env", "USER=svc\nTOKEN=committed-by-mistake\n");
    commit_at(dir, "2024-01-05T00:00:00Z", "copy");
    /* A merge whose conflict resolution writes a new line. */
    t_write(dir, "notes.txt", "one\ntwo\nthree\n");
    commit_at(dir, "2024-01-06T00:00:00Z", "notes");
    t_git(dir, "git checkout -q -b side");
    t_write(dir, "notes.txt", "one\nside\nthree\n");
    commit_at(dir, "2024-01-07T00:00:00Z", "side edit");
    t_git(dir, "git checkout -q main");
    t_write(dir, "notes.txt", "one\nmain\nthree\n");
    commit_at(dir, "2024-01-08T00:00:00Z", "main edit");
    t_git(dir, "git merge -q side || true");
    t_write(dir, "notes.txt", "one\nmain\nresolved\nside\nthree\n");
    t_git(dir, "git add notes.txt && GIT_AUTHOR_DATE=2024-01-09T00:00:00Z "
             "GIT_COMMITTER_DATE=2024-01-09T00:00:00Z git commit -q --no-edit");
    char *merge = rev(dir, "HEAD");
    char *parents = rev(dir, "HEAD^2");

    struct seen s = {.n = 0};
    struct vcs_history_stats st;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(vcs_history_walk(dir, NULL, 0, record, &s, &st, &err), 0, "%s", err.msg);
    cr_expect_eq(st.commits, 8);

    const struct seen_blob *b = seen_at(&s, "creds.env");
    cr_assert_not_null(b, "a deleted file's blob is still scanned");
    cr_expect_str_eq(b->commit, c1);
    cr_expect_str_eq(b->date, "2024-01-02T03:04:05Z");
    cr_expect_str_eq(b->author, "Ada Tester <ada@example.com>");
    cr_expect_str_eq(b->added, "1,2");
    cr_expect_null(seen_at(&s, "copy.env"), "the same blob is scanned once");

    b = seen_at(&s, "service.yaml");
    cr_assert_not_null(b);
    cr_expect_str_eq(b->commit, c3);
    cr_expect_str_eq(b->added, "2", "a renamed file: only the changed line");

    /* notes.txt: the first version, each side's edit, and the merge's resolution. */
    size_t notes = 0;
    const struct seen_blob *mb = NULL;
    for (size_t i = 0; i < s.n; i++)
        if (strcmp(s.b[i].path, "notes.txt") == 0) {
            notes++;
            if (strcmp(s.b[i].commit, merge) == 0)
                mb = &s.b[i];
        }
    cr_expect_eq(notes, 4);
    cr_assert_not_null(mb, "the merge's own blob is scanned");
    cr_expect_str_eq(mb->added, "3", "only the line new against both parents");
    seen_release(&s);

    /* --since: only commits not reachable from the side branch's tip. */
    cr_assert_eq(vcs_history_walk(dir, parents, 0, record, &s, &st, &err), 0, "%s", err.msg);
    cr_expect_eq(st.commits, 2, "main edit and the merge");
    cr_expect_null(seen_at(&s, "creds.env"));
    seen_release(&s);
    cr_expect_neq(vcs_history_walk(dir, "nope", 0, record, &s, &st, &err), 0);
    cr_expect(strstr(err.msg, "nope") != NULL);
    free(c1);
    free(c3);
    free(merge);
    free(parents);
    t_rmtree(dir);
    free(dir);
}

/* Binary blobs are skipped; a blob over the size limit is handed over unread (too_big, no
 * data), so the scan can report it instead of passing it over in silence. */
Test(vcs, history_skips_binary_and_hands_over_oversized_blobs_unread)
{
    char *dir = repo_new();
    t_write_bytes(dir, "logo.bin", "PNG\0\1\2\3", 7);
    t_write(dir, "big.txt", "0123456789012345678901234567890123456789\n");
    t_write(dir, "small.txt", "ok\n");
    commit_at(dir, "2024-01-02T03:04:05Z", "files");
    struct seen s = {.n = 0};
    struct vcs_history_stats st;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(vcs_history_walk(dir, NULL, 20, record, &s, &st, &err), 0, "%s", err.msg);
    cr_expect_eq(s.n, 2);
    cr_expect_not_null(seen_at(&s, "small.txt"));
    const struct seen_blob *big = seen_at(&s, "big.txt");
    cr_expect(big && big->len == 41 && big->too_big && !*big->added);
    cr_expect_eq(st.blobs, 1, "only the blob read counts as scanned");
    seen_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* The audit: a key committed, then deleted, is still reported with its commit, once. */
Test(vcs, history_scan_reports_a_deleted_secret)
{
    static const char key[] = "AKIA2Q7RZK4W3V5T6Y7U";
    char *dir = repo_new();
    t_write(dir, "deploy/env.sh", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA2Q7RZK4W3V5T6Y7U\n");
    t_write(dir, "README.md", "docs\n");
    t_write(dir, "ci/fixture.env", "AWS_ACCESS_KEY_ID=AKIA3R7SZL5X4W6U7Z6V  "
                                   "# opsbook:ignore secret-aws-access-key revoked test key\n");
    commit_at(dir, "2024-03-04T05:06:07Z", "add deploy script");
    char *c1 = rev(dir, "HEAD");
    /* Moved, with a line added above: the key's line is not new, so not reported again. */
    t_git(dir, "git mv deploy/env.sh deploy/run.sh");
    t_write(dir, "deploy/run.sh",
            "#!/bin/sh\nset -eu\nexport AWS_ACCESS_KEY_ID=AKIA2Q7RZK4W3V5T6Y7U\n");
    commit_at(dir, "2024-03-05T00:00:00Z", "move");
    t_git(dir, "git rm -q deploy/run.sh");
    commit_at(dir, "2024-03-06T00:00:00Z", "remove the key");

    const char *paths[] = {dir};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .history = 1};
    struct scan s;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(s.stats.commits, 3);
    cr_assert_eq(t_count(&s, "secret-aws-access-key", NULL, 0), 2);
    cr_expect_eq(s.stats.suppressed, 1, "the blob's own ignore comment applies");
    cr_expect_eq(t_count(&s, "secret-aws-access-key", "ci/fixture.env", 1), 1);
    cr_assert_eq(t_count(&s, "secret-aws-access-key", "deploy/env.sh", 2), 1);
    const struct finding *f = NULL;
    for (size_t i = 0; i < s.findings.v.len; i++)
        if (strcmp(((struct finding *)s.findings.v.items[i])->path, "deploy/env.sh") == 0)
            f = s.findings.v.items[i];
    cr_assert_not_null(f);
    cr_expect_str_eq(f->commit, c1);
    cr_expect_str_eq(f->date, "2024-03-04T05:06:07Z");
    cr_expect_str_eq(f->author, "Ada Tester <ada@example.com>");
    cr_expect(f->excerpt && strstr(f->excerpt, "export AWS_ACCESS_KEY_ID=") != NULL);
    cr_expect(strstr(f->excerpt, key) == NULL, "masked: %s", f->excerpt);
    cr_expect(strstr(f->message, key) == NULL);

    lint_scan_release(&s);
    o.no_ignores = 1;
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(s.stats.suppressed, 0);
    lint_scan_release(&s);
    o.no_ignores = 0;

    /* --since the first commit: the key's commit is out of range. */
    o.since = c1;
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(t_count(&s, "secret-aws-access-key", NULL, 0), 0);
    lint_scan_release(&s);

    /* The CLI: text names the commit, JSON carries it. */
    char *cmd = xasprintf("'%s' scan --history --format json '%s'", t_bin(),
                          dir);
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 1);
    cr_expect(strstr(out, c1) != NULL);
    cr_expect(strstr(out, "\"commits\": 3") != NULL);
    cr_expect(strstr(out, key) == NULL);
    free(out);
    free(cmd);
    free(c1);
    t_rmtree(dir);
    free(dir);
}

Test(vcs, cli_usage_errors)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"--since HEAD .", "--since needs --history"},
        {"--history --diff main .", "--history and --diff do not go together"},
        {"--diff main a b", "--diff takes one PATH"},
        {"--history a b", "--history takes one PATH"},
        {"--diff", "option --diff needs a value"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *cmd = xasprintf("'%s' scan %s 2>&1", t_bin(), cases[i].args);
        char *out = NULL;
        cr_expect_eq(t_run(cmd, &out), 2, "%s", cases[i].args);
        cr_expect(strstr(out, cases[i].want) != NULL, "%s: %s", cases[i].args, out);
        free(out);
        free(cmd);
    }
    char *dir = t_tmpdir();
    char *cmd = xasprintf("'%s' scan --diff main '%s' 2>&1", t_bin(), dir);
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 2);
    cr_expect(strstr(out, "not inside a Git repository") != NULL, "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}

/* Command-line conventions: every command takes --help (the usage, exit 0), -V prints the
 * version, and a misspelt rule id gets the closest one. */
Test(vcs, cli_conventions)
{
    static const struct {
        const char *args, *want;
        int rc;
    } cases[] = {
        {"scan --help", "usage: opsbook", 0},
        {"site -h", "usage: opsbook", 0},
        {"explain --help", "usage: opsbook", 0},
        {"-V", "opsbook 0.", 0},
        {"--version", "opsbook 0.", 0},
        {"explain k8s-privilegd", "did you mean 'k8s-privileged'?", 2},
        {"explain nothing-like-any-rule-at-all", "'opsbook rules' lists them", 2},
        {"scan --color=sometimes .", "--color takes auto, always or never", 2},
        {"rules --format json", "\"id\": \"k8s-privileged\"", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *cmd = xasprintf("'%s' %s 2>&1", t_bin(), cases[i].args);
        char *out = NULL;
        cr_expect_eq(t_run(cmd, &out), cases[i].rc, "%s", cases[i].args);
        cr_expect(out && strstr(out, cases[i].want) != NULL, "%s: %s", cases[i].args, out);
        free(out);
        free(cmd);
    }

    /* --color: auto is off in a pipe, on in a GitHub Actions log unless NO_COLOR is set;
     * always and never win; colour never reaches a machine-readable format. */
    static const struct {
        const char *env, *args;
        int coloured;
    } colors[] = {
        {"", "", 0},
        {"GITHUB_ACTIONS=true", "", 1},
        {"GITHUB_ACTIONS=true NO_COLOR=1", "", 0},
        {"NO_COLOR=1", "--color=always", 1},
        {"GITHUB_ACTIONS=true", "--color never", 0},
        {"", "--color always --format json", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(colors); i++) {
        char *cmd = xasprintf("env -u NO_COLOR -u GITHUB_ACTIONS %s '%s' scan %s --no-git "
                              "'%s/examples/platform' | grep -c \"$(printf '\\033')\"",
                              colors[i].env, t_bin(), colors[i].args, t_root());
        char *out = NULL;
        t_run(cmd, &out);
        long n = out ? strtol(out, NULL, 10) : 0;
        cr_expect_eq(n > 0, colors[i].coloured, "%s %s: %ld coloured lines", colors[i].env,
                     colors[i].args, n);
        free(out);
        free(cmd);
    }
}

/* Reports and the site opsbook writes inside the scanned tree are its output, not its input:
 * the next scan reads none of them, and --diff does not count them as new lines. */
Test(vcs, outputs_written_inside_the_tree_are_not_scanned, .timeout = 120)
{
    char *dir = t_tmpdir();
    char *src = xasprintf("%s/examples/platform", t_root());
    char *cmd = xasprintf("cp -r '%s/.' '%s' && cd '%s' && git init -q -b main && "
                          "git -c user.email=t@t -c user.name=t add -A && "
                          "git -c user.email=t@t -c user.name=t commit -qm base",
                          src, dir, dir);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);
    cmd = xasprintf("cd '%s' && '%s' scan --format json . | grep -c '\"rule\"'", dir, t_bin());
    char *before = NULL;
    t_run(cmd, &before);
    static const char *const formats[] = {"json", "sarif", "junit", "text", "github"};
    for (size_t i = 0; i < ARRAY_LEN(formats); i++) {
        char *w = xasprintf("cd '%s' && '%s' scan --format %s -o 'report.%s' . >/dev/null",
                            dir, t_bin(), formats[i], formats[i]);
        t_run(w, NULL);
        free(w);
    }
    char *site = xasprintf("cd '%s' && '%s' site . -o docs-site >/dev/null 2>&1", dir, t_bin());
    cr_assert_lt(t_run(site, NULL), 2, "opsbook site failed");
    char *marker = xasprintf("%s/docs-site/.opsbook-site", dir);
    cr_assert_eq(access(marker, R_OK), 0, "the site has no marker");
    free(marker);
    char *after = NULL;
    t_run(cmd, &after);
    cr_expect_str_eq(after, before, "findings before the outputs: %s, after: %s", before, after);

    char *diff = xasprintf("cd '%s' && '%s' scan --diff HEAD --fail-on note . 2>&1", dir, t_bin());
    char *out = NULL;
    cr_expect_eq(t_run(diff, &out), 0, "--diff HEAD counts opsbook's outputs:\n%s", out);
    free(out);
    /* Without its marker the site folder is ordinary content again. */
    char *unmark = xasprintf("rm '%s/docs-site/.opsbook-site'", dir);
    t_run(unmark, NULL);
    out = NULL;
    cr_expect_neq(t_run(diff, &out), 0, "the unmarked site should be scanned");
    free(out);
    free(unmark);
    free(diff);
    free(after);
    free(site);
    free(before);
    free(cmd);
    free(src);
    t_rmtree(dir);
    free(dir);
}
