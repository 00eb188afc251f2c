/* What a repository already told its secret scanner: the path regexes of `.gitleaks.toml`'s
 * allowlist ([allowlist] or [[allowlists]] `paths = [...]`) and the findings listed in
 * `.gitleaksignore` (`[commit:]path:rule:line`). A secret-* finding they cover is suppressed
 * with that file as the reason, so moving from gitleaks keeps a team's decisions; --no-ignores
 * shows them. Only paths and lines are read: gitleaks' rule names are not ours. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lint_int.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct allowlist {
    struct vec res;       /* pcre2_code*: path regexes */
    struct strmap lines;  /* "path:line" -> (void *)1 */
    struct arena *keys;
};

/* The next TOML string of `p` (basic, literal or multi-line literal), or NULL at `]`. */
static const char *toml_string(struct arena *a, const char **pp, const char *end, char **out)
{
    const char *p = *pp;
    while (p < end && strchr(" \t\r\n,", *p))
        p++;
    while (p < end && *p == '#') { /* a comment to the end of its line */
        while (p < end && *p != '\n')
            p++;
        while (p < end && strchr(" \t\r\n,", *p))
            p++;
    }
    if (p >= end || (*p != '\'' && *p != '"')) {
        *pp = p;
        return NULL;
    }
    int triple = end - p >= 3 && p[1] == p[0] && p[2] == p[0];
    char q = *p;
    p += triple ? 3 : 1;
    const char *s = p;
    while (p < end && !(triple ? end - p >= 3 && p[0] == q && p[1] == q && p[2] == q
                               : *p == q || *p == '\n'))
        p += (!triple && q == '"' && *p == '\\' && p + 1 < end) ? 2 : 1;
    *out = arena_strndup(a, s, (size_t)(p - s));
    p += triple ? 3 : 1;
    *pp = p < end ? p : end;
    return *out;
}

static void toml_paths(struct allowlist *al, const char *data, size_t len)
{
    const char *end = data + len;
    int in_allow = 0;
    for (const char *p = data; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        while (s < le && (*s == ' ' || *s == '\t'))
            s++;
        if (s < le && *s == '[')
            in_allow = !strncmp(s, "[allowlist]", 11) || !strncmp(s, "[[allowlists]]", 14);
        else if (in_allow && le - s > 5 && !strncmp(s, "paths", 5)) {
            const char *q = memchr(s, '[', (size_t)(le - s));
            if (q) {
                q++;
                char *str;
                while (toml_string(al->keys, &q, end, &str)) {
                    int rc;
                    PCRE2_SIZE off;
                    pcre2_code *re = pcre2_compile((PCRE2_SPTR)str, PCRE2_ZERO_TERMINATED, 0,
                                                   &rc, &off, NULL);
                    if (re)
                        vec_push(&al->res, re);
                }
                le = q < end ? q : end;
                nl = le < end ? le : NULL;
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void ignore_lines(struct allowlist *al, const char *data, size_t len)
{
    const char *end = data + len;
    for (const char *p = data; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        /* [commit:]path:rule:line: the path is before the last two fields */
        const char *c2 = memrchr(p, ':', (size_t)(le - p));
        const char *c1 = c2 ? memrchr(p, ':', (size_t)(c2 - p)) : NULL;
        if (c1 && *p != '#') {
            const char *start = p;
            const char *c0 = memchr(p, ':', (size_t)(c1 - p));
            if (c0 && c0 - p == 40) /* a commit id first */
                start = c0 + 1;
            char *key = arena_sprintf(al->keys, "%.*s:%.*s", (int)(c1 - start), start,
                                      (int)(le - c2 - 1), c2 + 1);
            size_t kl = strlen(key);
            while (kl && (key[kl - 1] == '\r' || key[kl - 1] == ' '))
                key[--kl] = '\0';
            strmap_put(&al->lines, key, (void *)1);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

static int allowed(const struct allowlist *al, const struct finding *f, const char **why)
{
    char key[1024];
    snprintf(key, sizeof(key), "%s:%d", f->path, f->line);
    if (strmap_get(&al->lines, key)) {
        *why = "listed in .gitleaksignore";
        return 1;
    }
    pcre2_match_data *md = NULL;
    int hit = 0;
    for (size_t i = 0; i < al->res.len && !hit; i++) {
        if (!md)
            md = pcre2_match_data_create(1, NULL);
        hit = pcre2_match(al->res.items[i], (PCRE2_SPTR)f->path, PCRE2_ZERO_TERMINATED, 0, 0,
                          md, NULL) >= 0;
    }
    pcre2_match_data_free(md);
    if (hit)
        *why = "a path .gitleaks.toml allows";
    return hit;
}

void lint_allowlists_apply(struct scan *s, struct findings *all, const char *root,
                           int no_ignores)
{
    struct allowlist al = {VEC_INIT, STRMAP_INIT, arena_new()};
    static const char *const files[] = {".gitleaks.toml", ".gitleaksignore"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *path = path_join(root, files[i]);
        struct filemap fm;
        struct errbuf err = {{0}, 0};
        if (filemap_open(&fm, path, 4u << 20, &err) == 0) {
            if (i == 0)
                toml_paths(&al, fm.data, fm.len);
            else
                ignore_lines(&al, fm.data, fm.len);
            filemap_close(&fm);
        }
        free(path);
    }
    (void)s;
    for (size_t i = 0; !no_ignores && (al.res.len || al.lines.len) && i < all->v.len; i++) {
        struct finding *f = all->v.items[i];
        const char *why = NULL;
        if (!f->suppressed && str_startswith(f->rule_id, "secret-") && allowed(&al, f, &why))
            f->suppressed = xstrdup(why);
    }
    for (size_t i = 0; i < al.res.len; i++)
        pcre2_code_free(al.res.items[i]);
    vec_release(&al.res);
    strmap_release(&al.lines);
    arena_free(al.keys);
}
