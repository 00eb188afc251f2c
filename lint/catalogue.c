/* The rule catalogue: the YAML files of policies/ (embedded) and a user's policy folders,
 * parsed with the same YAML loader as scanned files and validated strictly — a rule set with a
 * typo in it would silently check less, so every unknown key or missing field is an error. */
#include "lint.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"

static const char *const rule_keys[] = {
    "id", "title", "severity", "category", "applies-to", "description", "remediation",
    "references", "example", "check", "severity-rationale", "enabled",
};

static int known_key(const char *k)
{
    for (size_t i = 0; i < ARRAY_LEN(rule_keys); i++)
        if (strcmp(k, rule_keys[i]) == 0)
            return 1;
    return 0;
}

static const char *req_str(const struct ynode *map, const char *key, const char *src,
                           struct errbuf *err)
{
    const struct ynode *v = yml_get(map, key);
    const char *s = yml_str(v);
    if (!s || !*s) {
        errbuf_set(err, "%s:%d: rule is missing '%s'", src, map->line, key);
        return NULL;
    }
    return s;
}

static int load_rule(struct catalogue *c, const struct ynode *m, const char *src,
                     const char *default_category, struct errbuf *err)
{
    if (!yml_is_map(m)) {
        errbuf_set(err, "%s:%d: a rule must be a mapping", src, m ? m->line : 0);
        return -1;
    }
    for (size_t i = 0; i < m->len; i++) {
        const char *k = yml_str(m->pairs[i].key);
        if (!k || !known_key(k)) {
            errbuf_set(err, "%s:%d:%d: unknown rule key '%s'", src, m->pairs[i].key->line,
                       m->pairs[i].key->col, k ? k : "?");
            return -1;
        }
    }
    struct rule *r = arena_alloc(c->arena, sizeof(*r));
    r->source = src;
    r->line = m->line;
    if (!(r->id = req_str(m, "id", src, err)) || !(r->title = req_str(m, "title", src, err)) ||
        !(r->description = req_str(m, "description", src, err)) ||
        !(r->remediation = req_str(m, "remediation", src, err)))
        return -1;
    const char *sev = req_str(m, "severity", src, err);
    if (!sev)
        return -1;
    if (severity_parse(&r->severity, sev) != 0 || r->severity == SEV_NONE) {
        errbuf_set(err, "%s:%d: rule %s: severity must be error, warning or note, not '%s'",
                   src, m->line, r->id, sev);
        return -1;
    }
    r->category = yml_str(yml_get(m, "category"));
    if (!r->category)
        r->category = default_category;
    if (!r->category) {
        errbuf_set(err, "%s:%d: rule %s has no category", src, m->line, r->id);
        return -1;
    }
    r->applies_to = yml_str(yml_get(m, "applies-to"));
    r->severity_rationale = yml_str(yml_get(m, "severity-rationale"));
    r->example_bad = yml_str(yml_path(m, "example.bad"));
    r->example_good = yml_str(yml_path(m, "example.good"));
    const struct ynode *refs = yml_get(m, "references");
    for (size_t i = 0; refs && refs->kind == YN_SEQ && i < refs->len; i++)
        if (yml_str(refs->items[i]))
            vec_push(&r->references, (void *)refs->items[i]->s);
    const struct ynode *check = yml_get(m, "check");
    if (check) {
        r->check = yml_str(yml_get(check, "builtin"));
        r->params = yml_get(check, "params");
        r->condition = yml_get(check, "condition");
        if (!r->check && !r->condition) {
            errbuf_set(err, "%s:%d: rule %s: check needs 'builtin' or 'condition'", src,
                       check->line, r->id);
            return -1;
        }
    }
    r->enabled = yml_bool(yml_get(m, "enabled")) != 0;
    if (strmap_get(&c->by_id, r->id)) {
        errbuf_set(err, "%s:%d: rule %s is defined twice", src, m->line, r->id);
        return -1;
    }
    strmap_put(&c->by_id, r->id, r);
    vec_push(&c->rules, r);
    return 0;
}

static int load_file(struct catalogue *c, const char *src, const char *data, size_t len,
                     struct errbuf *err)
{
    struct findings diags = {VEC_INIT};
    struct yfile yf;
    int rc = yml_parse(&yf, c->arena, src, data, len, &diags, NULL);
    if (rc != 0 || diags.v.len) {
        struct finding *f = diags.v.len ? diags.v.items[0] : NULL;
        errbuf_set(err, "%s:%d:%d: %s", src, f ? f->line : 0, f ? f->col : 0,
                   f ? f->message : "invalid YAML");
        findings_release(&diags);
        return -1;
    }
    findings_release(&diags);
    for (size_t d = 0; d < yf.ndocs; d++) {
        const struct ynode *root = yf.docs[d].root;
        if (!root)
            continue;
        const struct ynode *rules = yml_get(root, "rules");
        if (!yml_is_seq(rules)) {
            errbuf_set(err, "%s:%d: a policy file needs a 'rules:' list", src, root->line);
            return -1;
        }
        const char *cat = yml_str(yml_get(root, "category"));
        for (size_t i = 0; i < rules->len; i++)
            if (load_rule(c, rules->items[i], src, cat, err) != 0)
                return -1;
    }
    return 0;
}

static int load_dir(struct catalogue *c, const char *dir, struct errbuf *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        errbuf_set(err, "%s: cannot open policy folder", dir);
        return -1;
    }
    struct vec names = VEC_INIT;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (str_endswith(de->d_name, ".yaml") || str_endswith(de->d_name, ".yml"))
            vec_push(&names, xstrdup(de->d_name));
    closedir(d);
    vec_sort(&names, (int (*)(const void *, const void *))strcmp);
    int rc = 0;
    for (size_t i = 0; i < names.len && rc == 0; i++) {
        char *p = path_join(dir, names.items[i]);
        struct filemap fm;
        struct errbuf ferr = {{0}, 0};
        if (filemap_open(&fm, p, 16u << 20, &ferr) != 0) {
            errbuf_set(err, "%s: %s", p, ferr.msg);
            rc = -1;
        } else {
            /* The tree points into the arena, but the name must outlive this loop too. */
            char *src = arena_strdup(c->arena, p);
            char *copy = arena_strndup(c->arena, fm.data, fm.len);
            rc = load_file(c, src, copy, fm.len, err);
            filemap_close(&fm);
        }
        free(p);
    }
    for (size_t i = 0; i < names.len; i++)
        free(names.items[i]);
    vec_release(&names);
    return rc;
}

static int rule_cmp(const void *pa, const void *pb)
{
    const struct rule *a = *(struct rule *const *)pa, *b = *(struct rule *const *)pb;
    return strcmp(a->id, b->id);
}

int lint_catalogue_load(struct catalogue *out, const char *const *extra_dirs, size_t ndirs,
                        struct errbuf *err)
{
    memset(out, 0, sizeof(*out));
    out->arena = arena_new();
    for (const struct embedded_file *e = embedded_policies; e->path; e++)
        if (load_file(out, e->path, e->data, e->len, err) != 0)
            return -1;
    for (size_t i = 0; i < ndirs; i++)
        if (load_dir(out, extra_dirs[i], err) != 0)
            return -1;
    vec_sort(&out->rules, rule_cmp);
    return 0;
}

const struct rule *lint_rule_find(const struct catalogue *c, const char *id)
{
    return strmap_get(&c->by_id, id);
}

const struct check_def *lint_check_find(const char *name)
{
    for (const struct check_def *const *t = lint_builtin_tables; *t; t++)
        for (const struct check_def *d = *t; d->name; d++)
            if (strcmp(d->name, name) == 0)
                return d;
    return NULL;
}

int lint_catalogue_bind(struct catalogue *c, struct errbuf *err)
{
    for (size_t i = 0; i < c->rules.len; i++) {
        struct rule *r = c->rules.items[i];
        if (!r->check)
            continue;
        const struct check_def *def = lint_check_find(r->check);
        if (!def) {
            errbuf_set(err, "%s:%d: rule %s names check '%s', which does not exist", r->source,
                       r->line, r->id, r->check);
            return -1;
        }
        if (!r->enabled)
            continue;
        struct check_group *g = NULL;
        for (size_t j = 0; j < c->groups.len && !g; j++)
            if (((struct check_group *)c->groups.items[j])->def == def)
                g = c->groups.items[j];
        if (!g) {
            g = xcalloc(1, sizeof(*g));
            g->def = def;
            vec_push(&c->groups, g);
        }
        vec_push(&g->rules, r);
        r->group = g;
    }
    for (size_t j = 0; j < c->groups.len; j++) {
        struct check_group *g = c->groups.items[j];
        if (g->def->prepare && g->def->prepare(g, err) != 0)
            return -1;
    }
    return 0;
}

void lint_catalogue_release(struct catalogue *c)
{
    for (size_t j = 0; j < c->groups.len; j++) {
        struct check_group *g = c->groups.items[j];
        if (g->def->release)
            g->def->release(g);
        vec_release(&g->rules);
        free(g);
    }
    vec_release(&c->groups);
    for (size_t i = 0; i < c->rules.len; i++)
        vec_release(&((struct rule *)c->rules.items[i])->references);
    vec_release(&c->rules);
    strmap_release(&c->by_id);
    arena_free(c->arena);
    memset(c, 0, sizeof(*c));
}

static const struct ynode *param(const struct rule *r, const char *key)
{
    return r ? yml_get(r->params, key) : NULL;
}

const struct ynode *lint_param(const struct rule *r, const char *key)
{
    return param(r, key);
}

const char *lint_param_str(const struct rule *r, const char *key, const char *def)
{
    const char *s = yml_str(param(r, key));
    return s ? s : def;
}

long long lint_param_int(const struct rule *r, const char *key, long long def)
{
    long long v;
    return yml_int(param(r, key), &v) == 0 ? v : def;
}

int lint_param_list_has(const struct rule *r, const char *key, const char *s)
{
    const struct ynode *l = param(r, key);
    for (size_t i = 0; l && l->kind == YN_SEQ && i < l->len; i++) {
        const char *v = yml_str(l->items[i]);
        if (v && strcmp(v, s) == 0)
            return 1;
    }
    return 0;
}
