/* Environments: gathered from overlay folders, workflow `environment:` names, Argo CD
 * destinations and Terraform environment folders; synonyms (prod, production, prd, live)
 * fold into one; each gets a production flag, a place in the promotion order and the gates
 * on the way in. Also owns the linked model's lifetime. */
#include "linked.h"
#include "tf.h"

#include <stdlib.h>
#include <string.h>

/* Names, their canonical environment and promotion rank. */
static const struct {
    const char *name, *canon;
    int rank;
} env_table[] = {
    {"dev", "dev", 0},          {"development", "dev", 0}, {"test", "test", 1},
    {"testing", "test", 1},     {"qa", "qa", 2},           {"uat", "qa", 2},
    {"stage", "staging", 3},    {"staging", "staging", 3}, {"preprod", "staging", 3},
    {"prod", "prod", 4},        {"production", "prod", 4}, {"prd", "prod", 4},
    {"live", "prod", 4},
};

static int env_index(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_LEN(env_table); i++)
        if (str_ieq(env_table[i].name, name))
            return (int)i;
    return -1;
}

static const char *canon(const char *name)
{
    int i = env_index(name);
    return i >= 0 ? env_table[i].canon : name;
}

int linked_env_is_production(const struct model *m, const char *name)
{
    return name && (model_env_is_production(m, name) || model_env_is_production(m, canon(name)));
}

int linked_env_rank(const char *name)
{
    int i = env_index(name);
    return i >= 0 ? env_table[i].rank : 2;
}


const struct environment *linked_env_find(const struct linked_model *lm, const char *name)
{
    const char *c = canon(name);
    for (size_t i = 0; lm && c && i < lm->environments.len; i++) {
        const struct environment *e = lm->environments.items[i];
        if (strcmp(e->name, c) == 0)
            return e;
    }
    return NULL;
}

static void push_unique(struct arena *a, struct vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], s) == 0)
            return;
    vec_push(v, arena_strdup(a, s));
}

/* Adds `s` to e->sources once. `seen` holds "env\nsource" keys: environments gather
 * thousands of sources in a large monorepo, so no list scan per addition. */
static void source_add(struct linked_model *lm, struct strmap *seen, struct environment *e,
                       const char *s)
{
    char *probe = xasprintf("%s\n%s", e->name, s);
    int known = strmap_get(seen, probe) != NULL;
    free(probe);
    if (known)
        return;
    char *key = arena_sprintf(lm->arena, "%s\n%s", e->name, s);
    strmap_put(seen, key, e);
    vec_push(&e->sources, key + strlen(e->name) + 1);
}

static struct environment *env_get(struct linked_model *lm, const char *name)
{
    if (!name || !*name || strstr(name, "${{") || strstr(name, "{{"))
        return NULL;
    const char *c = canon(name);
    struct environment *e = (struct environment *)linked_env_find(lm, c);
    if (!e) {
        e = arena_alloc(lm->arena, sizeof(*e));
        e->name = arena_strdup(lm->arena, c);
        e->id = arena_sprintf(lm->arena, "environment:%s", c);
        e->rank = linked_env_rank(c);
        vec_push(&lm->environments, e);
    }
    if (strcmp(c, name) != 0)
        push_unique(lm->arena, &e->aliases, name);
    return e;
}

static void from_workflows(struct linked_model *lm, struct strmap *seen, const struct unit *u)
{
    for (size_t w = 0; w < u->workflows.len; w++) {
        const struct gha_workflow *wf = u->workflows.items[w];
        for (size_t j = 0; j < wf->njobs; j++) {
            struct environment *e = env_get(lm, wf->jobs[j]->environment);
            if (!e)
                continue;
            e->workflow_jobs++;
            char *src = xasprintf("workflow:%s#%s", u->file->path, wf->jobs[j]->id);
            source_add(lm, seen, e, src);
            free(src);
            push_unique(lm->arena, &e->gates, "github-environment");
        }
    }
}

static void from_terraform(struct linked_model *lm, struct strmap *seen, const struct unit *u)
{
    const char *p = strstr(u->file->path, "environments/");
    if (!p || (p != u->file->path && p[-1] != '/'))
        return;
    p += strlen("environments/");
    size_t n = strcspn(p, "/");
    if (!p[n])
        return;
    char *name = xstrndup(p, n);
    struct environment *e = env_get(lm, name);
    if (e) {
        char *src = xasprintf("terraform:%.*s", (int)(p + n - u->file->path), u->file->path);
        source_add(lm, seen, e, src);
        free(src);
    }
    free(name);
}

/* GitHub environments managed as code: github_repository_environment with reviewers. */
static void from_github_environments(struct linked_model *lm, const struct unit *u)
{
    for (size_t i = 0; i < u->tf_blocks.len; i++) {
        const struct tf_block *b = u->tf_blocks.items[i];
        if (b->kind != TF_RESOURCE || strcmp(b->type, "github_repository_environment") != 0)
            continue;
        const struct hcl_value *v = hcl_value_eval(hcl_value_get(b->hcl, "environment"));
        if (!v || v->kind != HV_STRING || !v->str)
            continue;
        int reviewers = hcl_block_child(b->hcl, "reviewers") || hcl_attr_get(b->hcl, "reviewers");
        struct environment *e = env_get(lm, v->str);
        if (!e || !reviewers)
            continue;
        e->reviewers = 1;
        push_unique(lm->arena, &e->gates, "required-reviewers");
    }
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int env_cmp(const void *a, const void *b)
{
    const struct environment *x = *(const struct environment *const *)a;
    const struct environment *y = *(const struct environment *const *)b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    return strcmp(x->name, y->name);
}

void linked_environments_build(struct linked_model *lm, struct model *m)
{
    struct strmap seen = STRMAP_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *k = u->kustomizations.items[j];
            struct environment *e = env_get(lm, k->env);
            if (e) {
                char *src = xasprintf("overlay:%s", k->path);
                source_add(lm, &seen, e, src);
                free(src);
            }
        }
        for (size_t j = 0; j < u->argo_apps.len; j++) {
            const struct argo_app *app = u->argo_apps.items[j];
            struct environment *e = app->git_dir_pattern ? NULL : env_get(lm, app->env);
            if (!e)
                continue;
            if (app->automated)
                e->auto_sync++;
            else
                e->manual_sync++;
            char *src = xasprintf("argocd:%s#%s", u->file->path, app->name ? app->name : "?");
            source_add(lm, &seen, e, src);
            free(src);
        }
        from_workflows(lm, &seen, u);
        if (u->kind == FK_TERRAFORM) {
            from_terraform(lm, &seen, u);
            from_github_environments(lm, u);
        }
    }
    for (size_t i = 0; i < lm->environments.len; i++) {
        struct environment *e = lm->environments.items[i];
        /* Production by its name or any name it was found under, per the configuration;
         * a configured production name outside the default table still ranks last. */
        e->production = linked_env_is_production(m, e->name);
        for (size_t a = 0; !e->production && a < e->aliases.len; a++)
            e->production = linked_env_is_production(m, e->aliases.items[a]);
        if (e->production && env_index(e->name) < 0)
            e->rank = 4;
        if (e->manual_sync && !e->auto_sync)
            push_unique(lm->arena, &e->gates, "manual-sync");
        vec_sort(&e->sources, str_cmp);
    }
    vec_sort(&lm->environments, env_cmp);
    strmap_release(&seen);
}

struct linked_model *linked_model_build(struct model *m)
{
    struct linked_model *lm = xcalloc(1, sizeof(*lm));
    lm->arena = arena_new();
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++)
            vec_push(&lm->kustomizations, u->kustomizations.items[j]);
        for (size_t j = 0; j < u->argo_apps.len; j++)
            if (!((struct argo_app *)u->argo_apps.items[j])->git_dir_pattern)
                vec_push(&lm->apps, u->argo_apps.items[j]);
        for (size_t j = 0; j < u->helm.len; j++)
            vec_push(&lm->charts, u->helm.items[j]);
    }
    linked_environments_build(lm, m);
    linked_services_build(lm, m);
    return lm;
}

static void vecs_release(struct vec *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        vec_release(&v[i]);
}

void linked_model_free(struct linked_model *lm)
{
    if (!lm)
        return;
    for (size_t i = 0; i < lm->services.len; i++) {
        struct service *s = lm->services.items[i];
        struct vec v[] = {s->selected_by, s->routes, s->hpas, s->pdbs, s->netpols,
                          s->images, s->dockerfiles, s->build_jobs, s->deployers, s->envs};
        vecs_release(v, ARRAY_LEN(v));
    }
    for (size_t i = 0; i < lm->environments.len; i++) {
        struct environment *e = lm->environments.items[i];
        struct vec v[] = {e->aliases, e->sources, e->gates};
        vecs_release(v, ARRAY_LEN(v));
    }
    struct vec v[] = {lm->services, lm->environments, lm->edges, lm->kustomizations, lm->apps,
                      lm->charts};
    vecs_release(v, ARRAY_LEN(v));
    arena_free(lm->arena);
    free(lm);
}
