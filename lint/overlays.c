/* Judging manifests through the Kustomize overlays that deploy them: every per-file check on
 * Kubernetes objects runs again on each environment's rendered objects, and its findings are
 * traced back to the file and line each field came from. A finding the file already has as
 * written gains the environments where it holds; one that only an overlay introduces (a
 * patch that removes limits, an images: entry with a moving tag) is added, naming its
 * overlays; a rule with the parameter `judge-through-overlays: true` also drops the findings
 * of a rendered file that no overlay reproduces (a probe every overlay adds). */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

#include "model/kustomize.h"

struct judge {
    struct strmap units;          /* path -> struct unit* */
    struct strmap rendered;       /* paths of files judged through an overlay */
};

static int same_spot(const struct finding *a, const struct finding *b)
{
    return strcmp(a->rule_id, b->rule_id) == 0 && a->line == b->line && a->col == b->col;
}

static void overlays_add(struct finding *f, const char *env)
{
    if (!env)
        return;
    size_t n = strlen(env);
    for (const char *p = f->overlays; p && *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && memcmp(p, env, n) == 0)
            return;
        p += l + (p[l] == ',');
    }
    char *j = f->overlays ? xasprintf("%s,%s", f->overlays, env) : xstrdup(env);
    free(f->overlays);
    f->overlays = j;
}

/* A finding on a key a patch moved (it removed something below it) that the file under the
 * patch already has at the key's old place is that finding: the patch did not cause it. */
static int moved_back(struct judge *jd, const struct kz_object *o, struct finding *f,
                      int enc_line)
{
    for (size_t m = 0; m < o->nmoved; m++) {
        if (o->moved_to[m] != enc_line)
            continue;
        const char *path;
        int line;
        kz_loc_resolve(o, o->moved_from[m], &path, &line);
        struct unit *u = strmap_get(&jd->units, path);
        for (size_t i = 0; u && i < u->found.v.len; i++) {
            struct finding *g = u->found.v.items[i];
            if (strcmp(g->rule_id, f->rule_id) == 0 && g->line == line && g->col == f->col) {
                overlays_add(g, o->k->env);
                finding_free(f);
                return 1;
            }
        }
    }
    return 0;
}

/* Moves a rendered finding to the file it points at, or merges it into what is there. */
static void place(struct judge *jd, const struct kz_object *o, struct finding *f)
{
    const char *path;
    int line;
    int enc_line = f->line;
    kz_loc_resolve(o, f->line, &path, &line);
    struct unit *u = strmap_get(&jd->units, path);
    if (!u) {
        finding_free(f);
        return;
    }
    f->line = line;
    if (f->end_line) {
        const char *p2;
        kz_loc_resolve(o, f->end_line, &p2, &f->end_line);
        if (strcmp(p2, path) != 0)
            f->end_line = 0;
    }
    for (size_t i = 0; i < u->found.v.len; i++) {
        struct finding *g = u->found.v.items[i];
        if (same_spot(g, f)) {
            overlays_add(g, o->k->env);
            g->end_line = g->end_line ? g->end_line : f->end_line;
            finding_free(f);
            return;
        }
    }
    if (moved_back(jd, o, f, enc_line))
        return;
    f->path = finding_intern(u->file->path);
    f->display = finding_intern(u->file->display);
    free(f->excerpt);
    f->excerpt = NULL;
    overlays_add(f, o->k->env);
    findings_add(&u->found, f);
}

/* Kustomizations to judge are those of an environment that no other of the same environment
 * includes (their objects are judged as part of the including one). Collects the included
 * ones in one pass, keyed by address. */
static void included_collect(struct strmap *out, struct vec *keys, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *p = u->kustomizations.items[j];
            for (size_t r = 0; p->env && r < p->nresources; r++) {
                const struct kustomization *k = p->resources[r].kust;
                if (!k || k == p || !k->env || strcmp(p->env, k->env) != 0)
                    continue;
                char *key = xasprintf("%p", (const void *)k);
                if (strmap_get(out, key)) {
                    free(key);
                    continue;
                }
                strmap_put(out, key, (void *)k);
                vec_push(keys, key);
            }
        }
    }
}

static int judged_elsewhere(const struct kustomization *k, const struct strmap *included)
{
    char key[32];
    snprintf(key, sizeof(key), "%p", (const void *)k);
    return strmap_get(included, key) != NULL;
}

static void judge_object(struct judge *jd, const struct catalogue *cat, const struct model *m,
                         const struct kz_object *o)
{
    struct findings tmp = {VEC_INIT};
    struct unit shadow;
    kz_shadow_init(&shadow, o);
    struct lint_ctx ctx = {.unit = &shadow, .model = m, .out = &tmp};
    for (size_t g = 0; g < cat->groups.len; g++) {
        const struct check_group *grp = cat->groups.items[g];
        if (!grp->def->on_unit || !(grp->def->kinds & KIND(FK_K8S)))
            continue;
        ctx.group = grp;
        for (size_t r = 0; r < grp->rules.len; r++) {
            ctx.rule = grp->rules.items[r];
            grp->def->on_unit(&ctx);
        }
    }
    kz_shadow_release(&shadow);
    for (size_t i = 0; i < tmp.v.len; i++)
        place(jd, o, tmp.v.items[i]);
    vec_release(&tmp.v);
    /* A file whose object renders as a fragment in some overlay was not fully judged there:
     * its own findings stay. */
    if (o->obj->fragment)
        strmap_put(&jd->rendered, o->origins[0], (void *)2);
    else if (!strmap_get(&jd->rendered, o->origins[0]))
        strmap_put(&jd->rendered, o->origins[0], (void *)1);
}

/* Drops, for rules that ask for it, the findings of rendered files no overlay reproduced. */
static void unreproduced_drop(struct judge *jd, const struct catalogue *cat, struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        if (strmap_get(&jd->rendered, u->file->path) != (void *)1)
            continue;
        size_t o = 0;
        for (size_t j = 0; j < u->found.v.len; j++) {
            struct finding *f = u->found.v.items[j];
            const struct rule *r = lint_rule_find(cat, f->rule_id);
            const struct ynode *p = r ? lint_param(r, "judge-through-overlays") : NULL;
            if (!f->overlays && p && yml_bool(p) == 1) {
                finding_free(f);
                continue;
            }
            u->found.v.items[o++] = f;
        }
        u->found.v.len = o;
    }
}

/* The overlays of one scan root: their files and origins are paths under it. */
static void judge_root(struct model *m, void *arg)
{
    const struct catalogue *cat = arg;
    struct judge jd = {STRMAP_INIT, STRMAP_INIT};
    struct strmap included = STRMAP_INIT;
    struct vec included_keys = VEC_INIT;
    included_collect(&included, &included_keys, m);
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        strmap_put(&jd.units, u->file->path, u);
    }
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *k = u->kustomizations.items[j];
            if (!k->env || judged_elsewhere(k, &included))
                continue;
            for (size_t o = 0; o < k->objects.len; o++) {
                const struct kz_object *obj = k->objects.items[o];
                if (obj->obj)
                    judge_object(&jd, cat, m, obj);
            }
        }
    }
    unreproduced_drop(&jd, cat, m);
    for (size_t i = 0; i < included_keys.len; i++)
        free(included_keys.items[i]);
    vec_release(&included_keys);
    strmap_release(&included);
    strmap_release(&jd.units);
    strmap_release(&jd.rendered);
}

void lint_overlays_judge(const struct catalogue *cat, struct model *m)
{
    model_for_each_root(m, judge_root, (void *)cat);
}
