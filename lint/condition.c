/* Declarative conditions: user policies with no C. A rule's `check.condition` names the
 * entities it is about (`applies-to`: gha-workflow, gha-job, gha-step, k8s-object,
 * k8s-container), an optional `where` filter and a `require` (must hold) or `forbid` (must not
 * hold) expression over the typed model, read through one field table per entity type. */
#include "condition_int.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model/gha.h"
#include "model/k8s.h"

/* ---- the evaluator ---- */

static const struct etype *etype_find(const char *name)
{
    for (size_t i = 0; name && i < CONDITION_ETYPES; i++)
        if (strcmp(condition_etypes[i]->name, name) == 0)
            return condition_etypes[i];
    return NULL;
}

/* The field `name` of type t, and in *key what follows a map field's dot. */
static const struct field *field_find(const struct etype *t, const char *name, const char **key)
{
    *key = NULL;
    for (const struct field *f = t->fields; f->name; f++) {
        size_t n = strlen(f->name);
        if (f->name[n - 1] == '.') {
            if (strncmp(name, f->name, n) == 0 && name[n]) {
                *key = name + n;
                return f;
            }
        } else if (strcmp(name, f->name) == 0) {
            return f;
        }
    }
    return NULL;
}

static const char *const ops[] = {"exists", "absent", "equals", "in",   "matches", "gt",
                                  "ge",     "lt",     "le",     "some", "every"};

struct eval {
    struct arena *a;
};

static int eval(const struct ynode *c, const struct etype *t, const void *e, struct eval *ev);

static int num(const char *s, double *out)
{
    char *end = NULL;
    *out = strtod(s, &end);
    return end && end != s && *end == '\0';
}

static int leaf(const struct ynode *c, const struct etype *t, const void *e, struct eval *ev)
{
    const char *key;
    const struct field *f = field_find(t, yml_str(yml_get(c, "field")), &key);
    struct cval v = {VEC_INIT, VEC_INIT, NULL};
    f->get(&v, e, key, ev->a);
    int r = 0;
    const struct ynode *o;
    if ((o = yml_get(c, "exists")) != NULL) {
        r = (v.strs.len > 0 || v.ents.len > 0) == (yml_bool(o) != 0);
    } else if ((o = yml_get(c, "absent")) != NULL) {
        r = (v.strs.len == 0 && v.ents.len == 0) == (yml_bool(o) != 0);
    } else if ((o = yml_get(c, "equals")) != NULL) {
        for (size_t i = 0; !r && i < v.strs.len; i++)
            r = strcmp(v.strs.items[i], yml_str(o) ? yml_str(o) : "") == 0;
    } else if ((o = yml_get(c, "in")) != NULL) {
        for (size_t i = 0; !r && i < v.strs.len; i++)
            for (size_t j = 0; !r && j < o->len; j++)
                r = yml_str(o->items[j]) && strcmp(v.strs.items[i], yml_str(o->items[j])) == 0;
    } else if ((o = yml_get(c, "matches")) != NULL) {
        regex_t re;
        if (regcomp(&re, yml_str(o), REG_EXTENDED | REG_NOSUB) == 0) {
            for (size_t i = 0; !r && i < v.strs.len; i++)
                r = regexec(&re, v.strs.items[i], 0, NULL, 0) == 0;
            regfree(&re);
        }
    } else if ((o = yml_get(c, "some")) != NULL || (o = yml_get(c, "every")) != NULL) {
        int every = yml_get(c, "every") != NULL;
        r = every;
        for (size_t i = 0; i < v.ents.len && r == every; i++)
            r = eval(o, v.etype, v.ents.items[i], ev);
    } else {
        static const char *const cmp[] = {"gt", "ge", "lt", "le"};
        for (size_t k = 0; k < ARRAY_LEN(cmp); k++) {
            double want, have;
            if (!(o = yml_get(c, cmp[k])) || !num(yml_str(o), &want))
                continue;
            for (size_t i = 0; !r && i < v.strs.len; i++) {
                if (!num(v.strs.items[i], &have))
                    continue;
                r = k == 0   ? have > want
                    : k == 1 ? have >= want
                    : k == 2 ? have < want
                             : have <= want;
            }
        }
    }
    vec_release(&v.strs);
    vec_release(&v.ents);
    return r;
}

static int eval(const struct ynode *c, const struct etype *t, const void *e, struct eval *ev)
{
    const struct ynode *l;
    if (yml_get(c, "field"))
        return leaf(c, t, e, ev);
    if ((l = yml_get(c, "not")) != NULL)
        return !eval(l, t, e, ev);
    if ((l = yml_get(c, "all")) != NULL) {
        for (size_t i = 0; i < l->len; i++)
            if (!eval(l->items[i], t, e, ev))
                return 0;
        return 1;
    }
    if ((l = yml_get(c, "any")) != NULL) {
        for (size_t i = 0; i < l->len; i++)
            if (eval(l->items[i], t, e, ev))
                return 1;
        return 0;
    }
    return 0;
}

/* ---- validation (at catalogue time: a bad condition is a usage error) ---- */

/* The entity type a list field holds. */
static const struct {
    const struct etype *owner;
    const char *field;
    const struct etype *sub;
} list_fields[] = {
    {&et_gha_workflow, "jobs", &et_gha_job},
    {&et_gha_job, "steps", &et_gha_step},
    {&et_k8s_object, "containers", &et_k8s_container},
    {&et_k8s_object, "init-containers", &et_k8s_container},
};

static const struct etype *list_type(const struct etype *t, const char *field)
{
    for (size_t i = 0; i < ARRAY_LEN(list_fields); i++)
        if (list_fields[i].owner == t && strcmp(list_fields[i].field, field) == 0)
            return list_fields[i].sub;
    return NULL;
}

/* Sets err to "source:line:col: rule ID: MSG" and returns -1; takes ownership of msg. */
static int fail(struct errbuf *err, const struct rule *r, const struct ynode *n, char *msg)
{
    errbuf_set(err, "%s:%d:%d: rule %s: %s", r->source, n ? n->line : r->line, n ? n->col : 0,
               r->id, msg);
    free(msg);
    return -1;
}

static char *hint(const char *s)
{
    return s ? xasprintf("; did you mean '%s'?", s) : xstrdup("");
}

static int cond_validate(const struct rule *r, const struct ynode *c, const struct etype *t,
                         struct errbuf *err)
{
    if (!yml_is_map(c))
        return fail(err, r, c, xstrdup("a condition is a mapping"));
    const struct ynode *l;
    const char *fname = yml_str(yml_get(c, "field"));
    if (!fname) {
        if ((l = yml_get(c, "not")) != NULL && c->len == 1)
            return cond_validate(r, l, t, err);
        if (((l = yml_get(c, "all")) != NULL || (l = yml_get(c, "any")) != NULL) && c->len == 1) {
            if (!yml_is_seq(l))
                return fail(err, r, l, xstrdup("all/any take a list of conditions"));
            for (size_t i = 0; i < l->len; i++)
                if (cond_validate(r, l->items[i], t, err) != 0)
                    return -1;
            return 0;
        }
        return fail(err, r, c,
                    xstrdup("a condition needs 'field' and one operator, or "
                            "exactly one of all, any, not"));
    }
    const char *key;
    if (!field_find(t, fname, &key)) {
        const char *names[64];
        size_t nn = 0;
        for (const struct field *g = t->fields; g->name && nn < ARRAY_LEN(names); g++)
            names[nn++] = g->name;
        char *h = hint(config_suggest(fname, names, nn));
        char *msg = xasprintf("%s has no field '%s'%s", t->name, fname, h);
        free(h);
        return fail(err, r, yml_get(c, "field"), msg);
    }
    if (c->len != 2)
        return fail(err, r, c, xasprintf("field '%s' needs exactly one operator", fname));
    const struct ypair *op = &c->pairs[0];
    if (strcmp(yml_str(op->key), "field") == 0)
        op = &c->pairs[1];
    const char *on = yml_str(op->key);
    size_t i;
    for (i = 0; on && i < ARRAY_LEN(ops); i++)
        if (strcmp(on, ops[i]) == 0)
            break;
    if (!on || i == ARRAY_LEN(ops)) {
        char *h = hint(on ? config_suggest(on, ops, ARRAY_LEN(ops)) : NULL);
        char *msg = xasprintf("unknown operator '%s'%s", on ? on : "?", h);
        free(h);
        return fail(err, r, op->key, msg);
    }
    if (strcmp(on, "some") == 0 || strcmp(on, "every") == 0) {
        const struct etype *sub = list_type(t, fname);
        if (!sub)
            return fail(err, r, op->key,
                        xasprintf("'%s' needs a list of entities; %s field "
                                  "'%s' is not one",
                                  on, t->name, fname));
        return cond_validate(r, op->val, sub, err);
    }
    if (list_type(t, fname) && strcmp(on, "exists") != 0 && strcmp(on, "absent") != 0)
        return fail(err, r, op->key,
                    xasprintf("'%s' is a list of entities: use some or every, "
                              "or exists/absent",
                              fname));
    if (strcmp(on, "in") == 0 && !yml_is_seq(op->val))
        return fail(err, r, op->val, xstrdup("'in' takes a list"));
    if (strcmp(on, "matches") == 0) {
        regex_t re;
        if (!yml_str(op->val) || regcomp(&re, yml_str(op->val), REG_EXTENDED | REG_NOSUB) != 0)
            return fail(err, r, op->val,
                        xstrdup("'matches' needs a valid POSIX extended "
                                "regular expression"));
        regfree(&re);
    }
    double d;
    if ((on[0] == 'g' || on[0] == 'l') && (!yml_str(op->val) || !num(yml_str(op->val), &d)))
        return fail(err, r, op->val, xasprintf("'%s' takes a number", on));
    return 0;
}

int lint_condition_validate(const struct rule *r, struct errbuf *err)
{
    const struct etype *t = etype_find(r->applies_to);
    if (!t) {
        const char *names[CONDITION_ETYPES];
        for (size_t i = 0; i < CONDITION_ETYPES; i++)
            names[i] = condition_etypes[i]->name;
        char *h =
            hint(r->applies_to ? config_suggest(r->applies_to, names, ARRAY_LEN(names)) : NULL);
        char *msg = xasprintf("a condition needs applies-to: gha-workflow, gha-job, gha-step, "
                              "k8s-object or k8s-container, not '%s'%s",
                              r->applies_to ? r->applies_to : "", h);
        free(h);
        return fail(err, r, NULL, msg);
    }
    const struct ynode *c = r->condition;
    if (!yml_is_map(c))
        return fail(err, r, c, xstrdup("condition must be a mapping"));
    int req = yml_get(c, "require") != NULL, forb = yml_get(c, "forbid") != NULL;
    if (req + forb != 1)
        return fail(err, r, c, xstrdup("condition needs exactly one of require or forbid"));
    for (size_t i = 0; i < c->len; i++) {
        const char *k = yml_str(c->pairs[i].key);
        if (!k ||
            (strcmp(k, "where") != 0 && strcmp(k, "require") != 0 && strcmp(k, "forbid") != 0))
            return fail(
                err, r, c->pairs[i].key,
                xasprintf("unknown condition key '%s' (where, require, forbid)", k ? k : "?"));
        if (cond_validate(r, c->pairs[i].val, t, err) != 0)
            return -1;
    }
    return 0;
}

/* Evaluates r on one entity of type t; scratch strings go to `a`. */
static int rule_violated(const struct rule *r, const struct etype *t, const void *entity,
                         struct arena *a)
{
    struct eval ev = {a};
    const struct ynode *c = r->condition, *w = yml_get(c, "where"), *x;
    if (w && !eval(w, t, entity, &ev))
        return 0;
    if ((x = yml_get(c, "require")) != NULL)
        return !eval(x, t, entity, &ev);
    if ((x = yml_get(c, "forbid")) != NULL)
        return eval(x, t, entity, &ev);
    return 0;
}

int lint_condition_eval(const struct rule *r, const void *entity, int *out)
{
    const struct etype *t = etype_find(r->applies_to);
    if (!t || !r->condition)
        return -1;
    struct arena *a = arena_new();
    *out = rule_violated(r, t, entity, a);
    arena_free(a);
    return 0;
}

/* Calls fn for every entity of type t in the unit. */
static void entities_each(const struct unit *u, const struct etype *t,
                          void (*fn)(void *ctx, const void *e), void *ctx)
{
    for (size_t i = 0; i < u->workflows.len; i++) {
        const struct gha_workflow *wf = u->workflows.items[i];
        if (t == &et_gha_workflow)
            fn(ctx, wf);
        for (size_t j = 0; j < wf->njobs; j++) {
            if (t == &et_gha_job)
                fn(ctx, wf->jobs[j]);
            for (size_t k = 0; t == &et_gha_step && k < wf->jobs[j]->nsteps; k++)
                fn(ctx, wf->jobs[j]->steps[k]);
        }
    }
    for (size_t i = 0; i < u->k8s_objects.len; i++) {
        const struct k8s_object *o = u->k8s_objects.items[i];
        if (t == &et_k8s_object)
            fn(ctx, o);
        for (size_t j = 0; t == &et_k8s_container && o->pod && j < o->pod->ninit; j++)
            fn(ctx, o->pod->init_containers[j]);
        for (size_t j = 0; t == &et_k8s_container && o->pod && j < o->pod->ncontainers; j++)
            fn(ctx, o->pod->containers[j]);
    }
}

struct run_one {
    struct lint_ctx *ctx;
    const struct rule *r;
    const struct etype *t;
    struct arena *a;
};

static void check_entity(void *p, const void *e)
{
    struct run_one *ro = p;
    if (!rule_violated(ro->r, ro->t, e, ro->a))
        return;
    struct loc l = ro->t->where(e);
    const char *label = ro->t->label(e, ro->a);
    lint_report_rule(ro->ctx, ro->r, l.line, l.col, label, "%s: %s", label, ro->r->title);
}

void lint_conditions_run(struct lint_ctx *ctx)
{
    const struct catalogue *cat = ctx->cat;
    struct arena *a = NULL;
    for (size_t i = 0; cat && i < cat->rules.len; i++) {
        const struct rule *r = cat->rules.items[i];
        if (!r->condition || !r->enabled)
            continue;
        if (!a)
            a = arena_new(); /* only files checked by a declarative rule pay for it */
        struct run_one ro = {ctx, r, etype_find(r->applies_to), a};
        if (ro.t)
            entities_each(ctx->unit, ro.t, check_entity, &ro);
    }
    if (a)
        arena_free(a);
}

int lint_conditions_prepare(const struct catalogue *c, struct errbuf *err)
{
    for (size_t i = 0; i < c->rules.len; i++) {
        const struct rule *r = c->rules.items[i];
        if (r->condition && lint_condition_validate(r, err) != 0)
            return -1;
    }
    return 0;
}

int lint_fields_print(FILE *out)
{
    for (size_t i = 0; i < CONDITION_ETYPES; i++) {
        fprintf(out, "%s\n", condition_etypes[i]->name);
        for (const struct field *f = condition_etypes[i]->fields; f->name; f++)
            fprintf(out, "  %-28s %s\n", f->name, f->doc);
    }
    return ferror(out) ? -1 : 0;
}
