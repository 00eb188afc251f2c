/* `.opsbook.yml`: read with the project's YAML loader, validated against the embedded
 * schemas/config.schema.json by a small interpreter of the JSON Schema keywords that file uses
 * (type, properties, additionalProperties, items, enum, anyOf, minLength, pattern), so the
 * schema is the single description of the format. Errors name file, line, column and key. */
#include "config.h"

#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/embedded.h"
#include "lint.h"


/* ---- suggestions ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof(cur));
    }
    return prev[lb];
}

const char *config_suggest(const char *s, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, limit = strlen(s) / 3 + 1;
    if (limit > 3)
        limit = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(s, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

/* ---- the schema interpreter ---- */

struct validate {
    const char *file;
    struct errbuf *err;
};

static int scalar_is_type(const struct ynode *n, const char *type)
{
    long long v;
    if (strcmp(type, "object") == 0)
        return n->kind == YN_MAP;
    if (strcmp(type, "array") == 0)
        return n->kind == YN_SEQ;
    if (n->kind != YN_SCALAR)
        return 0;
    if (strcmp(type, "string") == 0)
        return 1; /* a plain `off` is a string to us, whatever YAML 1.1 thought */
    if (strcmp(type, "boolean") == 0)
        return !n->quoted && yml_bool(n) >= 0;
    if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)
        return !n->quoted && yml_int(n, &v) == 0;
    return 0;
}

static const char *yaml_type_name(const struct ynode *n)
{
    return n->kind == YN_MAP    ? "a mapping"
           : n->kind == YN_SEQ  ? "a list"
           : n->kind == YN_NULL ? "empty"
                                : "a scalar";
}

static int type_ok(const struct ynode *n, json_t *type)
{
    if (json_is_string(type))
        return scalar_is_type(n, json_string_value(type));
    size_t i;
    json_t *t;
    json_array_foreach(type, i, t) if (json_is_string(t) &&
                                       scalar_is_type(n, json_string_value(t))) return 1;
    return 0;
}

static int fail(struct validate *v, const struct ynode *n, const char *key, const char *fmt,
                const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, a, b);
    errbuf_set(v->err, "%s:%d:%d: %s%s%s%s", v->file, n->line, n->col, key ? "key '" : "",
               key ? key : "", key ? "': " : "", msg);
    return -1;
}

static int node_validate(struct validate *v, const struct ynode *n, json_t *schema,
                         const char *key);

static int map_validate(struct validate *v, const struct ynode *n, json_t *schema, const char *key)
{
    json_t *props = json_object_get(schema, "properties");
    json_t *addl = json_object_get(schema, "additionalProperties");
    for (size_t i = 0; i < n->len; i++) {
        const struct ynode *k = n->pairs[i].key;
        const char *name = yml_str(k);
        if (!name)
            return fail(v, k, key, "keys must be plain strings%s%s", "", "");
        /* Keys below the top level are shown as a dotted path. */
        char *path = key ? xasprintf("%s.%s", key, name) : xstrdup(name);
        json_t *sub = props ? json_object_get(props, name) : NULL;
        int rc = 0;
        if (sub) {
            rc = node_validate(v, n->pairs[i].val, sub, path);
        } else if (json_is_object(addl)) {
            rc = node_validate(v, n->pairs[i].val, addl, path);
        } else if (json_is_false(addl)) {
            const char *names[64];
            size_t nn = 0;
            const char *pk;
            json_t *pv;
            json_object_foreach(props, pk, pv) if (nn < ARRAY_LEN(names)) names[nn++] = pk;
            const char *s = config_suggest(name, names, nn);
            if (s)
                rc = fail(v, k, path, "unknown key; did you mean '%s'?%s", s, "");
            else
                rc = fail(v, k, path, "unknown key%s%s", "", "");
        }
        free(path);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int node_validate(struct validate *v, const struct ynode *n, json_t *schema, const char *key)
{
    json_t *any = json_object_get(schema, "anyOf");
    if (any) {
        /* Report the branch whose type fits, so the message is about the right thing. */
        size_t i;
        json_t *branch, *fitting = NULL;
        json_array_foreach(any, i, branch)
        {
            json_t *t = json_object_get(branch, "type");
            if (!t || type_ok(n, t)) {
                struct errbuf e = {{0}, 0};
                struct validate sub = {v->file, &e};
                if (node_validate(&sub, n, branch, key) == 0)
                    return 0;
                if (!fitting)
                    fitting = branch;
            }
        }
        if (fitting)
            return node_validate(v, n, fitting, key);
        return fail(v, n, key, "%s is not allowed here%s", yaml_type_name(n), "");
    }
    json_t *type = json_object_get(schema, "type");
    if (type && !type_ok(n, type)) {
        const char *want = json_is_string(type) ? json_string_value(type) : "another type";
        return fail(v, n, key, "expected %s, found %s",
                    strcmp(want, "object") == 0  ? "a mapping"
                    : strcmp(want, "array") == 0 ? "a list"
                                                 : want,
                    yaml_type_name(n));
    }
    if (n->kind == YN_MAP)
        return map_validate(v, n, schema, key);
    if (n->kind == YN_SEQ) {
        json_t *items = json_object_get(schema, "items");
        for (size_t i = 0; items && i < n->len; i++)
            if (node_validate(v, n->items[i], items, key) != 0)
                return -1;
        return 0;
    }
    const char *s = n->kind == YN_SCALAR ? n->s : "";
    json_t *en = json_object_get(schema, "enum");
    if (en) {
        size_t i;
        json_t *e;
        struct strbuf sb = STRBUF_INIT;
        json_array_foreach(en, i, e)
        {
            if (json_is_string(e) && strcmp(json_string_value(e), s) == 0) {
                sb_release(&sb);
                return 0;
            }
            sb_addf(&sb, "%s%s", i ? ", " : "", json_is_string(e) ? json_string_value(e) : "?");
        }
        int rc = fail(v, n, key, "'%s' is not one of: %s", s, sb_str(&sb));
        sb_release(&sb);
        return rc;
    }
    json_t *ml = json_object_get(schema, "minLength");
    if (json_is_integer(ml) && (json_int_t)strlen(s) < json_integer_value(ml))
        return fail(v, n, key, "must not be empty%s%s", "", "");
    json_t *pat = json_object_get(schema, "pattern");
    if (json_is_string(pat)) {
        regex_t re;
        if (regcomp(&re, json_string_value(pat), REG_EXTENDED | REG_NOSUB) == 0) {
            int m = regexec(&re, s, 0, NULL, 0);
            regfree(&re);
            if (m != 0)
                return fail(v, n, key, "'%s' does not match %s", s, json_string_value(pat));
        }
    }
    return 0;
}

static json_t *schema_get(void)
{
    for (const struct embedded_file *e = embedded_schemas; e->path; e++)
        if (strcmp(path_base(e->path), "config.schema.json") == 0)
            return json_loadb(e->data, e->len, 0, NULL);
    return NULL;
}

/* ---- reading ---- */

static void strs_copy(struct config *c, struct vec *out, const struct ynode *seq)
{
    for (size_t i = 0; seq && seq->kind == YN_SEQ && i < seq->len; i++)
        vec_push(out, arena_strdup(c->arena, yml_str(seq->items[i])));
}

static void rule_read(struct config *c, const struct ypair *p)
{
    struct config_rule *r = arena_alloc(c->arena, sizeof(*r));
    r->id = arena_strdup(c->arena, yml_str(p->key));
    r->line = p->key->line;
    r->col = p->key->col;
    r->enabled = -1;
    r->severity = SEV_NONE;
    const struct ynode *v = p->val;
    const char *s = yml_str(v);
    if (v->kind == YN_MAP) {
        int b = yml_bool(yml_get(v, "enabled"));
        if (b >= 0)
            r->enabled = b;
        s = yml_str(yml_get(v, "severity"));
        if (s)
            severity_parse(&r->severity, s);
    } else if (s && (strcmp(s, "off") == 0 || strcmp(s, "on") == 0)) {
        r->enabled = strcmp(s, "on") == 0;
    } else if (s && severity_parse(&r->severity, s) == 0) {
        r->enabled = 1;
    } else if (yml_bool(v) >= 0) {
        r->enabled = yml_bool(v);
    }
    vec_push(&c->rules, r);
}

/* 1 when `path` (relative to the config file's folder `dir`) stays inside `root`, links
 * followed: a repository's own configuration may only name policy folders it holds. */
static int path_inside(const char *root, const char *dir, const char *path)
{
    char *full = path[0] == '/' || !*dir ? xstrdup(path) : path_join(dir, path);
    char *real = realpath(full, NULL);
    char *real_root = realpath(root, NULL);
    int inside;
    if (real && real_root) {
        inside = path_has_prefix(real, real_root);
    } else { /* not there (the catalogue will say so): judge the words of the path */
        char *norm = path_normalize(full), *norm_root = path_normalize(root);
        int here = !*norm_root || strcmp(norm_root, ".") == 0;
        inside = here ? norm[0] != '/' && strcmp(norm, "..") != 0 && !str_startswith(norm, "../")
                      : path_has_prefix(norm, norm_root);
        free(norm);
        free(norm_root);
    }
    free(full);
    free(real);
    free(real_root);
    return inside;
}

/* Reads a configuration file. `confine` is the scanned root when the file is the
 * repository's own (.opsbook.yml found there): its paths may not reach outside it. */
static int config_read(struct config *c, const char *file, const char *confine,
                       struct errbuf *err)
{
    struct filemap fm;
    struct findings diags = {VEC_INIT};
    json_t *schema = NULL;
    struct errbuf ferr = {{0}, 0};
    int rc = -1;
    if (filemap_open(&fm, file, 1u << 20, &ferr) != 0) {
        errbuf_set(err, "%s: %s", file, ferr.msg);
        return -1;
    }
    char *data = arena_strndup(c->arena, fm.data, fm.len);
    size_t len = fm.len;
    filemap_close(&fm);
    struct yfile yf;
    if (yml_parse(&yf, c->arena, file, data, len, &diags, NULL) != 0 || diags.v.len) {
        struct finding *f = diags.v.len ? diags.v.items[0] : NULL;
        errbuf_set(err, "%s:%d:%d: %s", file, f ? f->line : 0, f ? f->col : 0,
                   f ? f->message : "invalid YAML");
        goto out;
    }
    if (yf.ndocs > 1) {
        errbuf_set(err, "%s:%d: the configuration is one YAML document", file, yf.docs[1].line);
        goto out;
    }
    const struct ynode *root = yf.ndocs ? yf.docs[0].root : NULL;
    if (!root) {
        rc = 0; /* an empty file: the defaults */
        goto out;
    }
    schema = schema_get();
    if (!schema) {
        errbuf_set(err, "the embedded configuration schema is unreadable");
        goto out;
    }
    struct validate v = {file, err};
    if (node_validate(&v, root, schema, NULL) != 0)
        goto out;

    const struct ynode *n;
    strs_copy(c, &c->include, yml_get(root, "include"));
    strs_copy(c, &c->exclude, yml_get(root, "exclude"));
    if ((n = yml_get(root, "production")) != NULL) {
        c->production.len = 0;
        strs_copy(c, &c->production, n);
    }
    char *dir = path_dirname(file);
    n = yml_get(root, "policies");
    for (size_t i = 0; n && i < n->len; i++) {
        const char *p = yml_str(n->items[i]);
        if (confine && !path_inside(confine, dir, p)) {
            errbuf_set(err,
                       "%s:%d:%d: policies: '%.200s' is outside the scanned repository; a "
                       "repository's configuration may only name folders inside it (name "
                       "others with --policies or --config on the command line)",
                       file, n->items[i]->line, n->items[i]->col, p);
            free(dir);
            goto out;
        }
        char *full = p[0] == '/' || !*dir ? xstrdup(p) : path_join(dir, p);
        vec_push(&c->policies, arena_strdup(c->arena, full));
        free(full);
    }
    free(dir);
    n = yml_get(root, "rules");
    for (size_t i = 0; n && n->kind == YN_MAP && i < n->len; i++)
        rule_read(c, &n->pairs[i]);
    c->pins = yml_get(root, "pins");
    c->site_title = arena_strdup(c->arena, yml_str(yml_path(root, "site.title")));
    c->repository = arena_strdup(c->arena, yml_str(yml_path(root, "site.repository")));
    rc = 0;
out:
    json_decref(schema);
    findings_release(&diags);
    return rc;
}

int config_load(struct config *out, const char *root, const char *path, struct errbuf *err)
{
    memset(out, 0, sizeof(*out));
    out->arena = arena_new();
    for (const char *const *p = model_production_defaults; *p; p++)
        vec_push(&out->production, (void *)*p);
    char *auto_path = NULL;
    int rc = 0;
    if (!path) {
        struct stat st;
        auto_path = path_join(root ? root : ".", ".opsbook.yml");
        if (stat(root ? root : ".", &st) == 0 && S_ISDIR(st.st_mode) && stat(auto_path, &st) == 0)
            path = auto_path;
    }
    if (path) {
        out->path = arena_strdup(out->arena, path);
        rc = config_read(out, out->path, path == auto_path ? (root ? root : ".") : NULL, err);
    }
    free(auto_path);
    return rc;
}

void config_release(struct config *c)
{
    vec_release(&c->include);
    vec_release(&c->exclude);
    vec_release(&c->rules);
    vec_release(&c->production);
    vec_release(&c->policies);
    arena_free(c->arena);
    memset(c, 0, sizeof(*c));
}

/* A copy of the params map `params` (may be NULL) with `key` set to `val`, in `a`. */
static const struct ynode *params_with(struct arena *a, const struct ynode *params,
                                       const char *key, const struct ynode *val)
{
    size_t n = params && params->kind == YN_MAP ? params->len : 0;
    struct ynode *m = arena_alloc(a, sizeof(*m));
    struct ynode *k = arena_alloc(a, sizeof(*k));
    k->kind = YN_SCALAR;
    k->s = arena_strdup(a, key);
    k->len = strlen(key);
    m->kind = YN_MAP;
    m->line = val->line;
    m->col = val->col;
    m->pairs = arena_alloc(a, (n + 1) * sizeof(*m->pairs));
    for (size_t i = 0; i < n; i++)
        if (strcmp(yml_str(params->pairs[i].key) ? yml_str(params->pairs[i].key) : "", key))
            m->pairs[m->len++] = params->pairs[i];
    m->pairs[m->len].key = k;
    m->pairs[m->len].val = (struct ynode *)val;
    m->len++;
    return m;
}

int config_rules_apply(const struct config *c, struct catalogue *cat, struct errbuf *err)
{
    for (size_t i = 0; i < c->rules.len; i++) {
        const struct config_rule *cr = c->rules.items[i];
        struct rule *r = (struct rule *)lint_rule_find(cat, cr->id);
        if (!r) {
            const char **ids = xcalloc(cat->rules.len + 1, sizeof(*ids));
            for (size_t j = 0; j < cat->rules.len; j++)
                ids[j] = ((struct rule *)cat->rules.items[j])->id;
            const char *s = config_suggest(cr->id, ids, cat->rules.len);
            errbuf_set(err, "%s:%d:%d: key 'rules.%s': no such rule%s%s%s", c->path, cr->line,
                       cr->col, cr->id, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
            free(ids);
            return -1;
        }
        if (cr->enabled >= 0)
            r->enabled = (unsigned)cr->enabled;
        if (cr->severity != SEV_NONE)
            r->severity = cr->severity;
    }
    struct rule *pinned = (struct rule *)lint_rule_find(cat, "gha-action-not-pinned-to-sha");
    if (c->pins && pinned)
        pinned->params = params_with(c->arena, pinned->params, "pins", c->pins);
    return 0;
}

/* ---- globs ---- */

static int glob_seg(const char *p, const char *pe, const char *s, const char *se)
{
    while (p < pe) {
        if (*p == '*') {
            for (const char *t = se; t >= s; t--)
                if (glob_seg(p + 1, pe, t, se))
                    return 1;
            return 0;
        }
        if (s >= se || (*p != '?' && *p != *s))
            return 0;
        p++;
        s++;
    }
    return s == se;
}

static int glob_path(const char *p, const char *s)
{
    if (!*p)
        return !*s;
    if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2])) {
        const char *rest = p[2] ? p + 3 : p + 2;
        if (!*rest)
            return 1;
        for (const char *t = s;; t++) {
            if ((t == s || t[-1] == '/') && glob_path(rest, t))
                return 1;
            if (!*t)
                return 0;
        }
    }
    const char *pe = strchr(p, '/'), *se = strchr(s, '/');
    if (!pe)
        pe = p + strlen(p);
    if (!se)
        se = s + strlen(s);
    if (!glob_seg(p, pe, s, se))
        return 0;
    if (!*pe)
        return !*se;
    return *se && glob_path(pe + 1, se + 1);
}

int config_glob_match(const char *pattern, const char *path)
{
    if (pattern[0] == '/')
        pattern++;
    if (!strchr(pattern, '/'))
        return glob_path(pattern, path_base(path));
    size_t n = strlen(pattern);
    /* "dir/" means everything below dir. */
    if (n && pattern[n - 1] == '/') {
        char *p = xasprintf("%s**", pattern);
        int m = glob_path(p, path);
        free(p);
        return m;
    }
    return glob_path(pattern, path);
}

int config_path_selected(const struct config *c, const char *path)
{
    if (!c)
        return 1;
    int in = c->include.len == 0;
    for (size_t i = 0; !in && i < c->include.len; i++)
        in = config_glob_match(c->include.items[i], path);
    for (size_t i = 0; in && i < c->exclude.len; i++)
        if (config_glob_match(c->exclude.items[i], path))
            in = 0;
    return in;
}

int config_env_is_production(const struct config *c, const char *env)
{
    if (!env)
        return 0;
    if (!c)
        return model_env_is_production(NULL, env);
    for (size_t i = 0; i < c->production.len; i++)
        if (strcmp(env, c->production.items[i]) == 0)
            return 1;
    return 0;
}

/* ---- printing ---- */

static void print_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_list(FILE *out, const char *key, const struct vec *v)
{
    fprintf(out, "%s:", key);
    if (!v->len)
        fputs(" []", out);
    fputc('\n', out);
    for (size_t i = 0; i < v->len; i++) {
        fputs("  - ", out);
        print_str(out, v->items[i]);
        fputc('\n', out);
    }
}

int config_print(FILE *out, const struct config *c)
{
    fprintf(out, "# effective configuration (%s)\n", c->path ? c->path : "defaults");
    print_list(out, "include", &c->include);
    print_list(out, "exclude", &c->exclude);
    fprintf(out, "rules:%s\n", c->rules.len ? "" : " {}");
    for (size_t i = 0; i < c->rules.len; i++) {
        const struct config_rule *r = c->rules.items[i];
        fprintf(out, "  %s:", r->id);
        if (r->enabled == 0)
            fputs(" off\n", out);
        else if (r->severity != SEV_NONE)
            fprintf(out, " %s\n", severity_name(r->severity));
        else
            fputs(" on\n", out);
    }
    print_list(out, "production", &c->production);
    print_list(out, "policies", &c->policies);
    fputs("site:\n  title: ", out);
    print_str(out, c->site_title ? c->site_title : "");
    fputs("\n  repository: ", out);
    print_str(out, c->repository ? c->repository : "");
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}
