/* Test helpers: temporary trees, in-process scans and finding queries. */
#include "testlib.h"

#include "lint/config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *t_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/opsbook-test-XXXXXX", base && *base ? base : "/tmp");
    cr_assert_not_null(mkdtemp(tmpl), "mkdtemp failed");
    return tmpl;
}

static void mkdirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    free(p);
}

void t_write_bytes(const char *dir, const char *rel, const char *data, size_t len)
{
    char *path = path_join(dir, rel);
    mkdirs(path);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fwrite(data, 1, len, f);
    fclose(f);
    free(path);
}

void t_write(const char *dir, const char *rel, const char *content)
{
    t_write_bytes(dir, rel, content, strlen(content));
}

void t_rmtree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
    free(cmd);
}

void t_scan_paths(struct scan *out, const char *const *paths, size_t npaths)
{
    struct scan_opts o = {.paths = paths, .npaths = npaths, .threads = 2,
                          .fail_on = SEV_ERROR};
    o.discover.no_git = 1;
    struct errbuf err = {{0}, 0};
    int rc = lint_scan_run(out, &o, &err);
    cr_assert_eq(rc, 0, "scan of %s failed: %s", paths[0], err.msg);
}

void t_scan(struct scan *out, const char *path)
{
    t_scan_paths(out, &path, 1);
}

void t_scan_configured(struct scan *out, struct config *cfg, const char *path)
{
    struct errbuf err = {{0}, 0};
    cr_assert_eq(config_load(cfg, path, NULL, &err), 0, "%s", err.msg);
    const char *paths[] = {path};
    struct scan_opts o = {.paths = paths, .npaths = 1, .config = cfg, .fail_on = SEV_ERROR};
    o.discover.no_git = 1;
    cr_assert_eq(lint_scan_run(out, &o, &err), 0, "%s", err.msg);
}

int t_rule_matches(const char *pattern, const char *id)
{
    const char *p = pattern;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n && p[n - 1] == '*' ? strncmp(id, p, n - 1) == 0
                                 : strlen(id) == n && strncmp(id, p, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

int t_scan_one(const char *rel, const char *content, const char *rule, int *line)
{
    char *dir = t_tmpdir();
    t_write(dir, rel, content);
    struct scan s;
    t_scan(&s, dir);
    int n = 0;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (rule && !t_rule_matches(rule, f->rule_id))
            continue;
        if (n++ == 0 && line)
            *line = f->line;
    }
    if (getenv("OPSBOOK_TEST_DUMP"))
        t_dump(&s);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    return n;
}

int t_count(const struct scan *s, const char *rule, const char *path, int line)
{
    int n = 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if ((!rule || strcmp(f->rule_id, rule) == 0) && (!path || strcmp(f->path, path) == 0) &&
            (!line || f->line == line))
            n++;
    }
    return n;
}

void t_dump(const struct scan *s)
{
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        fprintf(stderr, "  %s:%d:%d %s %s\n", f->path, f->line, f->col, f->rule_id, f->message);
    }
}

const char *t_root(void)
{
    const char *r = getenv("OPSBOOK_ROOT");
    return r && *r ? r : ".";
}

const char *t_bin(void)
{
    static char path[4096];
    const char *b = getenv("OPSBOOK_BIN");
    if (b && *b)
        return b;
    if (!path[0]) {
        char *root = realpath(t_root(), NULL);
        snprintf(path, sizeof(path), "%s/build/opsbook", root ? root : t_root());
        free(root);
    }
    return path;
}

int t_run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run %s", cmd);
    struct strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
        sb_add(&sb, buf, n);
    int st = pclose(p);
    if (out)
        *out = sb_detach(&sb);
    else
        sb_release(&sb);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void t_git(const char *dir, const char *script)
{
    char *cmd = xasprintf("cd '%s' && export GIT_AUTHOR_NAME='Ada Tester' "
                          "GIT_AUTHOR_EMAIL=ada@example.com GIT_COMMITTER_NAME='Ada Tester' "
                          "GIT_COMMITTER_EMAIL=ada@example.com GIT_CONFIG_NOSYSTEM=1 "
                          "HOME='%s' && (%s) >/dev/null 2>&1",
                          dir, dir, script);
    cr_assert_eq(t_run(cmd, NULL), 0, "git step failed: %s", script);
    free(cmd);
}

char *t_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    if (len)
        *len = sb.len;
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}
