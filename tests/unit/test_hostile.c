/* Hostile and careless repositories: a privileged Pod written any way Kubernetes accepts
 * still fails the gate; a decoy duplicate key is not what rules judge; a large plain mapping
 * is not an alias bomb; FIFOs never block; a file rewritten during the scan never crashes it;
 * the site never writes through a committed symlink; a repository's config stays inside it;
 * terminal, JUnit and annotation outputs stay well-formed for any bytes; --history says when
 * it could not see everything. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint/lint.h"
#include "parse/yml.h"
#include "testlib.h"

#define POD_BODY                                                                                   \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"          \
    "    image: nginx:1.25.3\n    securityContext: {privileged: true}\n"

struct pod_case {
    const char *name, *path;
    const char *data;
    size_t len; /* 0: strlen(data) */
};

/* UTF-16LE with a byte-order mark, of "apiVersion: v1\nkind: Pod…" */
static char utf16[1024];
static size_t utf16_len;

static void utf16_make(void)
{
    const char *s = POD_BODY;
    utf16[0] = (char)0xff;
    utf16[1] = (char)0xfe;
    utf16_len = 2;
    for (; *s; s++) {
        utf16[utf16_len++] = *s;
        utf16[utf16_len++] = 0;
    }
}

static const struct pod_case pod_cases[] = {
    {"block style", "pod.yaml", POD_BODY, 0},
    {"a UTF-8 byte-order mark", "pod.yaml", "\xef\xbb\xbf" POD_BODY, 0},
    {"flow style", "pod.yaml",
     "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: "
     "\"nginx:1.25.3\", securityContext: {privileged: true}}]}}\n", 0},
    {"JSON in a .yaml file", "pod.yaml",
     "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": "
     "{\"containers\": [{\"name\": \"c\", \"image\": \"nginx:1.25.3\", \"securityContext\": "
     "{\"privileged\": true}}]}}\n", 0},
    {"JSON in a .json file", "deploy/pod.json",
     "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"},\n"
     "  \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"nginx:1.25.3\",\n"
     "    \"securityContext\": {\"privileged\": true}}]}\n}\n", 0},
    {"a space before the colon", "pod.yaml",
     "apiVersion : v1\nkind : Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
     "    image: nginx:1.25.3\n    securityContext: {privileged: true}\n", 0},
    {"an indented top level", "pod.yaml",
     "  apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n"
     "    - name: c\n      image: nginx:1.25.3\n      securityContext: {privileged: true}\n", 0},
    {"a decoy duplicate key", "pod.yaml",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n"
     "    image: nginx:1.25.3\n    securityContext:\n      privileged: false\n"
     "      privileged: true\n", 0},
    {"UTF-16", "pod.yaml", NULL, 0},
};

Test(hostile, a_privileged_pod_fails_the_gate_however_it_is_written)
{
    utf16_make();
    for (size_t i = 0; i < ARRAY_LEN(pod_cases); i++) {
        const struct pod_case *c = &pod_cases[i];
        char *dir = t_tmpdir();
        if (c->data)
            t_write(dir, c->path, c->data);
        else
            t_write_bytes(dir, c->path, utf16, utf16_len);
        struct scan s;
        t_scan(&s, dir);
        cr_expect_eq(t_count(&s, "k8s-privileged", NULL, 0), 1, "%s: no k8s-privileged",
                     c->name);
        cr_expect(lint_scan_failed(&s, SEV_ERROR), "%s: passes the error gate", c->name);
        if (strstr(c->name, "duplicate"))
            cr_expect_eq(t_count(&s, "yaml-duplicate-key", NULL, 10), 1);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}

Test(hostile, the_last_of_duplicate_keys_is_what_rules_judge)
{
    /* and the decoy the other way round is judged as Kubernetes would: not privileged */
    int n = t_scan_one("pod.yaml",
                       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                       "  - name: c\n    image: nginx:1.25.3\n    securityContext:\n"
                       "      privileged: true\n      privileged: false\n",
                       "k8s-privileged", NULL);
    cr_expect_eq(n, 0);
}

Test(hostile, a_large_plain_mapping_is_not_an_alias_bomb, .timeout = 60)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000000; i++)
        sb_addf(&sb, "k%d: v\n", i);
    struct arena *a = arena_new();
    struct findings diags = {VEC_INIT};
    struct yfile yf;
    yml_parse(&yf, a, "big.yaml", sb.buf, sb.len, &diags, NULL);
    cr_expect_eq(diags.v.len, 0, "%s",
                 diags.v.len ? ((struct finding *)diags.v.items[0])->message : "");
    cr_expect_eq(yf.ndocs, 1);
    cr_expect_eq(yf.docs[0].root->len, 1000000u);
    findings_release(&diags);
    /* an alias bomb still stops */
    sb_reset(&sb);
    sb_adds(&sb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++)
        sb_addf(&sb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1,
                c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
    yml_parse(&yf, a, "bomb.yaml", sb.buf, sb.len, &diags, NULL);
    cr_expect_geq(diags.v.len, 1);
    cr_expect(diags.v.len && strstr(((struct finding *)diags.v.items[0])->message, "alias"));
    findings_release(&diags);
    arena_free(a);
    sb_release(&sb);
}

Test(hostile, fifos_never_block, .timeout = 60)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/ok.yaml", POD_BODY);
    char *fifo = path_join(dir, "k8s/deploy.yaml");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    char *out = NULL;
    char *cmd = xasprintf("timeout 20 '%s' scan --no-git '%s' 2>&1", t_bin(), dir);
    int rc = t_run(cmd, &out);
    cr_expect_eq(rc, 1, "exit %d (124: it blocked)\n%s", rc, out);
    cr_expect(out && strstr(out, "k8s/deploy.yaml") && strstr(out, "[file-skipped]"), "%s", out);
    free(out);
    free(cmd);
    /* named on the command line */
    cmd = xasprintf("timeout 20 '%s' scan --no-git '%s' 2>&1", t_bin(), fifo);
    rc = t_run(cmd, &out);
    cr_expect_eq(rc, 0, "exit %d (124: it blocked)\n%s", rc, out);
    cr_expect(out && strstr(out, "[file-skipped]"), "%s", out);
    free(out);
    free(cmd);
    free(fifo);
    t_rmtree(dir);
    free(dir);
}

/* Rewrites a large file again and again, truncating it first, until told to stop. */
struct rewriter {
    const char *path;
    volatile int stop;
};

static void *rewrite_loop(void *p)
{
    struct rewriter *rw = p;
    static char block[1 << 16];
    memset(block, 'a', sizeof(block));
    for (size_t i = 0; i < sizeof(block); i += 64)
        block[i] = '\n';
    while (!rw->stop) {
        FILE *f = fopen(rw->path, "w");
        if (!f)
            continue;
        for (int i = 0; i < 48 && !rw->stop; i++)
            fwrite(block, 1, sizeof(block), f);
        fclose(f);
    }
    return NULL;
}

Test(hostile, a_file_rewritten_during_the_scan_never_crashes_it, .timeout = 120)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/pod.yaml", POD_BODY);
    char *big = path_join(dir, "k8s/big.yaml");
    struct rewriter rw = {big, 0};
    t_write(dir, "k8s/big.yaml", "a: b\n");
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, rewrite_loop, &rw), 0);
    for (int i = 0; i < 40; i++) {
        struct scan s;
        t_scan(&s, dir);
        cr_expect_eq(t_count(&s, "k8s-privileged", NULL, 0), 1);
        lint_scan_release(&s);
    }
    rw.stop = 1;
    pthread_join(th, NULL);
    free(big);
    t_rmtree(dir);
    free(dir);
}


Test(hostile, the_site_never_writes_through_a_committed_symlink)
{
    char *dir = t_tmpdir();
    char *repo = path_join(dir, "repo"), *elsewhere = path_join(dir, "elsewhere");
    t_write(repo, "k8s/pod.yaml", POD_BODY);
    t_write(elsewhere, "index.html", "precious\n");
    t_write(elsewhere, "svc/keep.txt", "precious\n");
    char *cmd = xasprintf("mkdir -p '%s/public' && ln -s '%s/index.html' '%s/public/index.html' "
                          "&& ln -s '%s' '%s/public/assets' && ln -s '%s/svc' '%s/public/src'",
                          repo, elsewhere, repo, elsewhere, repo, elsewhere, repo);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);
    cmd = xasprintf("cd '%s' && '%s' site --no-git . -o public >/dev/null 2>&1", repo, t_bin());
    int rc = t_run(cmd, NULL);
    cr_expect(rc == 0 || rc == 1, "exit %d", rc);
    free(cmd);
    char *p = path_join(elsewhere, "index.html");
    char *text = t_read(p, NULL);
    cr_expect_str_eq(text ? text : "", "precious\n", "the link's target was overwritten");
    free(text);
    free(p);
    cmd = xasprintf("cd '%s' && find . -type f | sort", elsewhere);
    char *list = NULL;
    t_run(cmd, &list);
    cr_expect_str_eq(list ? list : "", "./index.html\n./svc/keep.txt\n",
                     "the site wrote into a linked folder");
    free(list);
    free(cmd);
    char *idx = path_join(repo, "public/index.html");
    struct stat st;
    cr_expect(lstat(idx, &st) == 0 && S_ISREG(st.st_mode), "index.html is the site's own");
    free(idx);
    t_rmtree(dir);
    free(repo);
    free(elsewhere);
    free(dir);
}

Test(hostile, a_repository_config_cannot_name_policies_outside_it)
{
    static const char *const outside[] = {"../elsewhere", "/etc", "pol/../../elsewhere",
                                          "link"};
    char *dir = t_tmpdir();
    char *repo = path_join(dir, "repo");
    t_write(dir, "elsewhere/x.yaml", "rules: []\n");
    t_write(repo, "pol/.keep", "");
    char *cmd = xasprintf("ln -s '%s/elsewhere' '%s/link'", dir, repo);
    cr_assert_eq(t_run(cmd, NULL), 0);
    free(cmd);
    for (size_t i = 0; i < ARRAY_LEN(outside); i++) {
        char *cfg = xasprintf("# policies from elsewhere\npolicies: ['%s']\n", outside[i]);
        t_write(repo, ".opsbook.yml", cfg);
        char *out = NULL;
        cmd = xasprintf("'%s' scan --no-git '%s' 2>&1", t_bin(), repo);
        cr_expect_eq(t_run(cmd, &out), 2, "%s is allowed", outside[i]);
        cr_expect(out && strstr(out, ".opsbook.yml:2:") && strstr(out, "outside"), "%s", out);
        free(out);
        free(cmd);
        free(cfg);
    }
    t_write(repo, ".opsbook.yml", "policies: [pol]\n");
    cmd = xasprintf("'%s' scan --no-git '%s' >/dev/null 2>&1", t_bin(), repo);
    cr_expect_eq(t_run(cmd, NULL), 0, "a folder inside is fine");
    free(cmd);
    t_rmtree(dir);
    free(repo);
    free(dir);
}

Test(hostile, outputs_stay_well_formed_for_any_bytes)
{
    char *dir = t_tmpdir();
    /* ESC, BEL, CR, a C1 CSI, and bytes that are not UTF-8, in a name and a file name */
    t_write(dir, "k8s/pod\x1b[2J.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\\e]0;owned\\a\\r\\x9b31m\"\n"
            "spec:\n  containers:\n  - name: c\n    image: nginx:1.25.3\n"
            "    securityContext: {privileged: true}\n");
    t_write_bytes(dir, "k8s/latin1.yaml",
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\nspec:\n  containers:\n"
                  "  - {name: c, image: nginx, securityContext: {privileged: true}}\n",
                  strlen("apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\nspec:\n  "
                         "containers:\n  - {name: c, image: nginx, securityContext: "
                         "{privileged: true}}\n"));
    char *out = NULL;
    char *cmd = xasprintf("'%s' scan --no-git '%s'", t_bin(), dir);
    t_run(cmd, &out);
    cr_assert(out && strstr(out, "k8s-privileged"));
    cr_expect(!strchr(out, '\x1b') && !strchr(out, '\a') && !strchr(out, '\r') &&
                  !strstr(out, "\xc2\x9b"),
              "control characters reach the terminal");
    free(out);
    free(cmd);

    cmd = xasprintf("'%s' scan --no-git --format junit '%s' > '%s/j.xml'; python3 -c "
                    "\"import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])\" "
                    "'%s/j.xml'",
                    t_bin(), dir, dir, dir);
    cr_expect_eq(t_run(cmd, NULL), 0, "JUnit is not well-formed XML");
    free(cmd);

    cmd = xasprintf("'%s' scan --no-git --format github '%s'", t_bin(), dir);
    t_run(cmd, &out);
    cr_assert(out && *out);
    for (char *line = out; line && *line;) {
        char *nl = strchr(line, '\n');
        cr_expect(strncmp(line, "::", 2) == 0, "an annotation line does not start with '::'");
        for (char *c = line; c < (nl ? nl : line + strlen(line)); c++)
            cr_expect((unsigned char)*c >= 0x20, "a control byte in an annotation");
        line = nl ? nl + 1 : NULL;
    }
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}

Test(hostile, history_says_what_it_could_not_see, .timeout = 60)
{
    char *dir = t_tmpdir();
    char *repo = path_join(dir, "repo");
    t_git(dir, "git init -q -b main repo");
    t_write(repo, "a.env", "GITHUB_TOKEN=ghp_FPb9jTo6z5xcIcQPzMuEGQ80YRP10eougTfI\n");
    t_git(repo, "git add -A && git -c commit.gpgsign=false commit -q -m one");
    struct strbuf big = STRBUF_INIT;
    for (int i = 0; i < 40000; i++)
        sb_adds(&big, "line of a large generated file, longer than the limit allows\n");
    t_write(repo, "big.txt", big.buf);
    sb_release(&big);
    t_git(repo, "git add -A && git -c commit.gpgsign=false commit -q -m two");

    /* a blob over the size limit is a finding, never silent */
    char *out = NULL, *cmd = NULL;
    /* the limit is the scan's (64 MiB); the test sets a small one through the library */
    struct scan s;
    struct scan_opts o = {.paths = (const char *const[]){repo}, .npaths = 1, .history = 1,
                          .max_file_size = 1000000, .fail_on = SEV_ERROR};
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(t_count(&s, "file-skipped", "big.txt", 0), 1, "the large blob is reported");
    cr_expect_eq(t_count(&s, "secret-github-token", "a.env", 1), 1);
    cr_expect_eq(t_count(&s, "history-incomplete", NULL, 0), 0);
    lint_scan_release(&s);

    /* a shallow clone says so */
    char *clone = xasprintf("git clone -q --depth 1 'file://%s' shallow", repo);
    t_git(dir, clone);
    free(clone);
    cmd = xasprintf("cd '%s/shallow' && '%s' scan --history . 2>&1", dir, t_bin());
    int rc = t_run(cmd, &out);
    cr_expect(rc == 0 || rc == 1, "exit %d", rc);
    cr_expect(out && strstr(out, "[history-incomplete]") && strstr(out, "shallow"), "%s", out);
    free(out);
    free(cmd);

    /* a corrupted repository is an error with a message, not a clean report */
    t_git(repo, "f=$(git rev-parse HEAD:a.env); d=$(echo $f | cut -c1-2); r=$(echo $f | cut -c3-); "
              "rm -f .git/objects/$d/$r");
    cmd = xasprintf("cd '%s' && '%s' scan --history . 2>&1", repo, t_bin());
    rc = t_run(cmd, &out);
    cr_expect_eq(rc, 2, "exit %d\n%s", rc, out);
    cr_expect(out && strstr(out, "--history"), "%s", out);
    free(out);
    free(cmd);
    t_rmtree(dir);
    free(repo);
    free(dir);
}

/* ---- no super-linear cost (issue 16 §4). Each case took tens of seconds or gigabytes
 * before; the timeouts are hang guards far above today's cost, the times are in make bench. */

Test(hostile, fifty_thousand_findings_in_one_file_stay_linear, .timeout = 45)
{
    char *dir = t_tmpdir();
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 50000; i++)
        sb_addf(&sb, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"b-%d\"\n}\n", i, i);
    t_write(dir, "main.tf", sb.buf);
    sb_release(&sb);
    struct scan s;
    t_scan(&s, dir);
    cr_expect_geq(t_count(&s, "tf-s3-no-versioning", NULL, 0), 50000);
    const struct finding *last = s.findings.v.items[s.findings.v.len - 1];
    cr_expect(last->excerpt && strstr(last->excerpt, "aws_s3_bucket"), "excerpts are filled");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

static int site_of(const char *dir, char **out)
{
    char *cmd = xasprintf("'%s' site --no-git '%s' -o '%s/site' 2>&1", t_bin(), dir, dir);
    int rc = t_run(cmd, out);
    free(cmd);
    return rc;
}

Test(hostile, nested_markdown_links_are_cut_at_a_bound, .timeout = 30)
{
    char *dir = t_tmpdir();
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 100000; i++)
        sb_adds(&sb, "![");
    sb_adds(&sb, "x");
    for (int i = 0; i < 100000; i++)
        sb_adds(&sb, "](a.png)");
    sb_adds(&sb, "\n");
    t_write(dir, "docs/deep.md", sb.buf);
    sb_release(&sb);
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "input-truncated", "docs/deep.md", 1), 1);
    lint_scan_release(&s);
    char *out = NULL;
    cr_expect_eq(site_of(dir, &out), 0, "%s", out);
    free(out);
    char *page = path_join(dir, "site/doc/docs-deep.md.html");
    char *html = t_read(page, NULL);
    cr_expect(html && strstr(html, "…") && !strstr(html, "<img"), "the page is cut, not loaded");
    free(html);
    free(page);
    t_rmtree(dir);
    free(dir);
}

Test(hostile, a_table_of_thousands_of_columns_is_read_as_text, .timeout = 30)
{
    char *dir = t_tmpdir();
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "# Wide\n\n");
    for (int r = 0; r < 22; r++) {
        for (int c = 0; c < 30000; c++)
            sb_adds(&sb, r == 1 ? "|-" : "| c");
        sb_adds(&sb, "|\n");
    }
    sb_adds(&sb, "\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    t_write(dir, "wide.md", sb.buf);
    sb_release(&sb);
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "input-truncated", "wide.md", 3), 1);
    lint_scan_release(&s);
    char *out = NULL;
    cr_expect_eq(site_of(dir, &out), 0, "%s", out);
    free(out);
    /* a narrow table elsewhere still renders as one */
    cr_expect_eq(t_scan_one("narrow.md", "| a | b |\n|---|---|\n| 1 | 2 |\n", "input-truncated",
                            NULL), 0);
    t_rmtree(dir);
    free(dir);
}

Test(hostile, terraform_past_the_parse_budget_is_skipped_with_the_reason, .timeout = 60)
{
    char *dir = t_tmpdir();
    /* two 600 KB literals: long lines over the 1 MiB budget; a key in the file is still found */
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "locals {\n  token = \"ghp_FPb9jTo6z5xcIcQPzMuEGQ80YRP10eougTfI\"\n");
    for (int k = 0; k < 2; k++) {
        sb_addf(&sb, "  blob%d = \"", k);
        for (int i = 0; i < 600000; i++)
            sb_addc(&sb, 'a');
        sb_adds(&sb, "\"\n");
    }
    sb_adds(&sb, "}\n");
    t_write(dir, "long.tf", sb.buf);
    /* and a file over the size budget */
    sb_reset(&sb);
    while (sb.len < (17u << 20))
        sb_adds(&sb, "resource \"null_resource\" \"x\" {}\n");
    t_write(dir, "big/huge.tf", sb.buf);
    sb_release(&sb);
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "file-skipped", "long.tf", 4), 1);
    cr_expect_eq(t_count(&s, "file-skipped", "big/huge.tf", 0), 1);
    cr_expect_eq(t_count(&s, "secret-github-token", "long.tf", 2), 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(hostile, broken_terraform_costs_a_bounded_parse_and_fails_the_gate, .timeout = 60)
{
    static const char alphabet[] = "{}[]()=\"\n abc.,:$#<>*";
    char *dir = t_tmpdir();
    struct strbuf sb = STRBUF_INIT;
    uint32_t x = 12345;
    for (int i = 0; i < 300000; i++) {
        x = x * 1103515245u + 12345u;
        sb_addc(&sb, alphabet[(x >> 16) % (sizeof(alphabet) - 1)]);
    }
    t_write(dir, "junk.tf", sb.buf);
    sb_release(&sb);
    struct scan s;
    t_scan(&s, dir);
    size_t budget = 0;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        budget += strcmp(f->rule_id, "parse-error") == 0 && strstr(f->message, "budget");
    }
    cr_expect_eq(budget, 1, "the budget's finding");
    cr_expect(lint_scan_failed(&s, SEV_ERROR));
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}
