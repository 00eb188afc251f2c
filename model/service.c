/* Services: each workload defined in the repository's manifests (patch files excluded) with
 * what selects, scales, protects and routes to it, the Dockerfiles and workflow jobs that
 * build its images, the Argo CD apps and jobs that deploy it, and per environment which image
 * runs there (from the rendered overlays). Edges are recorded as they are found. Entity ids
 * are interned (one copy per id however many edges name it); index keys and lookups live in
 * a scratch arena freed when the build ends. */
#include "linked.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Indexes that keep every join linear in the size of the repository, and the build's
 * scratch space. */
struct svc_index {
    struct strmap by_key;     /* "Kind/name" -> struct service* */
    struct strmap by_label;   /* "key=value" of pod labels -> struct vec* of services */
    struct strmap by_name;    /* service name -> struct vec* */
    struct strmap by_repo;    /* image repository's last component -> struct vec* */
    struct strmap by_dir;     /* folder of a kustomization rendering it -> struct vec* */
    struct strmap by_svcobj;  /* Service object name -> struct vec* of its services */
    struct strmap ids;        /* entity id -> its one copy in the model's arena */
    struct vec owned;         /* the struct vec* above, heap */
    struct arena *tmp;        /* index keys and lookup keys, freed with the index */
    struct strbuf sb;
};

/* The model's one copy of the id `fmt` formats. */
static const char *id_intern(struct linked_model *lm, struct svc_index *ix, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
static const char *id_intern(struct linked_model *lm, struct svc_index *ix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_reset(&ix->sb);
    sb_vaddf(&ix->sb, fmt, ap);
    va_end(ap);
    const char *id = strmap_get(&ix->ids, sb_str(&ix->sb));
    if (!id) {
        id = arena_strdup(lm->arena, sb_str(&ix->sb));
        strmap_put(&ix->ids, id, (void *)id);
    }
    return id;
}

static void edge_add(struct linked_model *lm, enum edge_kind kind, const char *from,
                     const char *to, const char *path, int line)
{
    struct edge *e = arena_alloc(lm->arena, sizeof(*e));
    e->kind = kind;
    e->from = from;
    e->to = to;
    e->path = path;
    e->line = line;
    vec_push(&lm->edges, e);
}

const char *linked_edge_kind_name(enum edge_kind k)
{
    static const char *const names[] = {
        [EDGE_SELECTS] = "selects",         [EDGE_SCALES] = "scales",
        [EDGE_PROTECTS] = "protects",       [EDGE_DEPLOYS] = "deploys",
        [EDGE_BUILDS_IMAGE] = "builds-image", [EDGE_OVERLAYS] = "overlays",
        [EDGE_DOCUMENTS] = "documents",     [EDGE_LINKS_TO] = "links-to",
    };
    return names[k];
}

static const char *obj_id(struct linked_model *lm, struct svc_index *ix, const struct obj_ref *r)
{
    return id_intern(lm, ix, "k8s:%s#%s/%s", r->unit->file->path, r->obj->kind,
                     r->obj->name ? r->obj->name : "");
}

static struct obj_ref *ref_new(struct linked_model *lm, const struct unit *u,
                               const struct k8s_object *o)
{
    struct obj_ref *r = arena_alloc(lm->arena, sizeof(*r));
    r->unit = u;
    r->obj = o;
    return r;
}

static int is_kind(const struct k8s_object *o, const char *kind)
{
    return o->kind && strcmp(o->kind, kind) == 0;
}

/* Adds `s` (a string that outlives the model: a unit's, a path, an interned id) once. */
static void push_unique(struct vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], s) == 0)
            return;
    vec_push(v, (void *)s);
}

/* The last path component of an image repository ("ghcr.io/acme/api" -> "api"). */
static const char *repo_base(const char *repo)
{
    const char *s = repo ? strrchr(repo, '/') : NULL;
    return s ? s + 1 : repo;
}

/* Manifests' workloads become services; every other object is kept for joining. */
static void collect(struct linked_model *lm, struct model *m, struct vec *objs)
{
    struct strmap seen = STRMAP_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_K8S || u->patch_file)
            continue;
        for (size_t j = 0; j < u->k8s_objects.len; j++) {
            const struct k8s_object *o = u->k8s_objects.items[j];
            vec_push(objs, ref_new(lm, u, o));
            if (!k8s_object_is_workload(o) || !o->name || strmap_get(&seen, o->name))
                continue;
            struct service *s = arena_alloc(lm->arena, sizeof(*s));
            s->name = arena_strdup(lm->arena, o->name);
            s->id = arena_sprintf(lm->arena, "service:%s", o->name);
            s->workload.unit = u;
            s->workload.obj = o;
            strmap_put(&seen, s->name, s);
            vec_push(&lm->services, s);
        }
    }
    strmap_release(&seen);
}

const struct kz_object *linked_rendered_find(const struct kustomization *k, const char *kind,
                                             const char *base_name)
{
    for (size_t i = 0; i < k->objects.len; i++) {
        const struct kz_object *o = k->objects.items[i];
        if (o->kind && kind && strcmp(o->kind, kind) == 0 && o->base_name && base_name &&
            strcmp(o->base_name, base_name) == 0)
            return o;
    }
    return NULL;
}

static struct svc_env *svc_env_get(struct linked_model *lm, struct service *s, const char *env)
{
    const struct environment *e = linked_env_find(lm, env);
    const char *name = e ? e->name : env;
    for (size_t i = 0; i < s->envs.len; i++) {
        struct svc_env *se = s->envs.items[i];
        if (strcmp(se->env, name) == 0)
            return se;
    }
    static const char *no_images[1];
    struct svc_env *se = arena_alloc(lm->arena, sizeof(*se));
    se->env = name;
    se->images = no_images;
    vec_push(&s->envs, se);
    return se;
}

/* Appends an image to `se`: its arrays are sized exactly (most services run one image). */
static void svc_env_image_add(struct linked_model *lm, struct svc_env *se, const char *image,
                              const char *path, int line)
{
    size_t n = se->nimages;
    const char **images = arena_alloc(lm->arena, (n + 2) * sizeof(*images));
    const char **paths = arena_alloc(lm->arena, (n + 1) * sizeof(*paths));
    int *lines = arena_alloc(lm->arena, (n + 1) * sizeof(*lines));
    if (n) {
        memcpy(images, se->images, n * sizeof(*images));
        memcpy(paths, se->image_paths, n * sizeof(*paths));
        memcpy(lines, se->image_lines, n * sizeof(*lines));
    }
    images[n] = image;
    paths[n] = path;
    lines[n] = line;
    se->images = images;
    se->image_paths = paths;
    se->image_lines = lines;
    se->nimages = n + 1;
}

static void env_images(struct linked_model *lm, struct service *s, const struct kustomization *k,
                       const struct kz_object *o)
{
    struct svc_env *se = svc_env_get(lm, s, k->env);
    if (!se->overlay || (k->included == 0))
        se->overlay = k->path;
    const struct k8s_podspec *pod = o->obj ? o->obj->pod : NULL;
    for (size_t c = 0; pod && c < pod->ncontainers; c++) {
        const struct k8s_container *ct = pod->containers[c];
        size_t i = 0;
        while (ct->image_raw && i < se->nimages && strcmp(se->images[i], ct->image_raw) != 0)
            i++;
        if (!ct->image_raw || i < se->nimages || se->nimages >= 16)
            continue;
        const char *path;
        int line;
        kz_loc_resolve(o, ct->image_loc.line, &path, &line);
        svc_env_image_add(lm, se, ct->image_raw, path, line);
    }
}

static int svc_env_cmp(const void *a, const void *b)
{
    const struct svc_env *x = *(const struct svc_env *const *)a;
    const struct svc_env *y = *(const struct svc_env *const *)b;
    int rx = linked_env_rank(x->env), ry = linked_env_rank(y->env);
    return rx != ry ? rx - ry : strcmp(x->env, y->env);
}


static void index_add(struct svc_index *ix, struct strmap *m, const char *key, void *item)
{
    struct vec *v = strmap_get(m, key);
    if (!v) {
        v = xcalloc(1, sizeof(*v));
        strmap_put(m, key, v);
        vec_push(&ix->owned, v);
    }
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i] == item)
            return;
    vec_push(v, item);
}

static void index_release(struct svc_index *ix)
{
    for (size_t i = 0; i < ix->owned.len; i++) {
        vec_release(ix->owned.items[i]);
        free(ix->owned.items[i]);
    }
    vec_release(&ix->owned);
    struct strmap *maps[] = {&ix->by_key, &ix->by_label, &ix->by_name, &ix->by_repo,
                             &ix->by_dir, &ix->by_svcobj, &ix->ids};
    for (size_t i = 0; i < ARRAY_LEN(maps); i++)
        strmap_release(maps[i]);
    arena_free(ix->tmp);
    sb_release(&ix->sb);
}

static const char *key_of(struct arena *a, const char *kind, const char *name)
{
    return arena_sprintf(a, "%s/%s", kind ? kind : "", name ? name : "");
}

static void index_services(struct linked_model *lm, struct svc_index *ix)
{
    for (size_t i = 0; i < lm->services.len; i++) {
        struct service *s = lm->services.items[i];
        const struct k8s_object *w = s->workload.obj;
        strmap_put(&ix->by_key, key_of(ix->tmp, w->kind, w->name), s);
        index_add(ix, &ix->by_name, s->name, s);
        for (size_t l = 0; l < w->template_labels.len; l++) {
            const struct k8s_kv *kv = &w->template_labels.items[l];
            index_add(ix, &ix->by_label, arena_sprintf(ix->tmp, "%s=%s", kv->key, kv->value), s);
        }
        const struct k8s_podspec *pod = w->pod;
        for (size_t c = 0; pod && c < pod->ncontainers; c++) {
            const struct k8s_container *ct = pod->containers[c];
            if (!ct->image_raw)
                continue;
            push_unique(&s->images, ct->image_raw);
            if (ct->image.repository)
                index_add(ix, &ix->by_repo, repo_base(ct->image.repository), s);
        }
    }
}

/* Services whose pod labels a selector matches (an empty one: none). */
static struct vec *selected(struct svc_index *ix, const struct k8s_kvs *sel)
{
    if (!sel->len)
        return NULL;
    sb_reset(&ix->sb);
    sb_addf(&ix->sb, "%s=%s", sel->items[0].key, sel->items[0].value);
    return strmap_get(&ix->by_label, sb_str(&ix->sb));
}

/* The service whose workload is `kind`/`name`, or NULL. */
static struct service *by_key_get(struct svc_index *ix, const char *kind, const char *name)
{
    sb_reset(&ix->sb);
    sb_addf(&ix->sb, "%s/%s", kind ? kind : "", name ? name : "");
    return strmap_get(&ix->by_key, sb_str(&ix->sb));
}

static void join_one(struct linked_model *lm, struct svc_index *ix, struct obj_ref *r)
{
    const struct k8s_object *o = r->obj;
    const char *path = r->unit->file->path;
    if (is_kind(o, "HorizontalPodAutoscaler") && o->extra && o->extra->scale_name) {
        struct service *s = by_key_get(ix, o->extra->scale_kind ? o->extra->scale_kind
                                                                : "Deployment",
                                       o->extra->scale_name);
        if (s) {
            vec_push(&s->hpas, r);
            edge_add(lm, EDGE_SCALES, obj_id(lm, ix, r), obj_id(lm, ix, &s->workload), path,
                     o->extra->scale_loc.line);
        }
        return;
    }
    int svc = is_kind(o, "Service"), pdb = is_kind(o, "PodDisruptionBudget"),
        np = is_kind(o, "NetworkPolicy");
    if (!svc && !pdb && !np)
        return;
    int all = np && o->has_selector && o->selector.len == 0;
    struct vec *cands = all ? &lm->services : selected(ix, &o->selector);
    for (size_t i = 0; cands && i < cands->len; i++) {
        struct service *s = cands->items[i];
        if (!k8s_selector_matches(&o->selector, &s->workload.obj->template_labels) &&
            !(np && o->selector.len == 0))
            continue;
        const char *wid = obj_id(lm, ix, &s->workload);
        if (svc) {
            vec_push(&s->selected_by, r);
            if (o->name)
                index_add(ix, &ix->by_svcobj, o->name, r);
            edge_add(lm, EDGE_SELECTS, obj_id(lm, ix, r), wid, path, o->loc.line);
        } else if (pdb) {
            vec_push(&s->pdbs, r);
            edge_add(lm, EDGE_PROTECTS, obj_id(lm, ix, r), wid, path, o->selector_loc.line);
        } else {
            vec_push(&s->netpols, r);
            edge_add(lm, EDGE_SELECTS, obj_id(lm, ix, r), wid, path, o->selector_loc.line);
        }
    }
}

static void join_objects(struct linked_model *lm, struct svc_index *ix, struct vec *objs)
{
    for (size_t i = 0; i < objs->len; i++)
        join_one(lm, ix, objs->items[i]);
    /* Ingresses route to Services by name; each Service knows what it selects. */
    for (size_t i = 0; i < objs->len; i++) {
        struct obj_ref *r = objs->items[i];
        if (!is_kind(r->obj, "Ingress") || !r->obj->extra)
            continue;
        for (size_t b = 0; b < r->obj->extra->ning_services; b++) {
            struct vec *svcs = strmap_get(&ix->by_svcobj, r->obj->extra->ing_services[b]);
            for (size_t k = 0; svcs && k < svcs->len; k++) {
                const struct obj_ref *so = svcs->items[k];
                for (size_t j = 0; j < lm->services.len; j++) {
                    struct service *s = lm->services.items[j];
                    for (size_t q = 0; q < s->selected_by.len; q++)
                        if (s->selected_by.items[q] == so)
                            vec_push(&s->routes, r);
                }
                edge_add(lm, EDGE_LINKS_TO, obj_id(lm, ix, r), obj_id(lm, ix, so),
                         r->unit->file->path, r->obj->loc.line);
            }
        }
    }
}

/* Calls fn for every service a word of `text` names through map `m`. Words split on what
 * cannot be in an image name or a path (`slash` 1 keeps '/' inside words). */
static void words_lookup(const char *text, int slash, const struct strmap *m,
                         void (*fn)(void *ctx, struct service *s), void *ctx)
{
    const char *p = text;
    while (p && *p) {
        size_t n = 0;
        while (p[n] && (p[n] == '.' || p[n] == '_' || p[n] == '-' || (slash && p[n] == '/') ||
                        (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
                        (p[n] >= '0' && p[n] <= '9')))
            n++;
        const char *w = p;
        size_t wn = n;
        if (slash) {
            while (wn > 2 && w[0] == '.' && w[1] == '/') {
                w += 2;
                wn -= 2;
            }
            while (wn > 1 && w[wn - 1] == '/')
                wn--;
        }
        struct vec *v = wn ? strmap_getn(m, w, wn) : NULL;
        for (size_t i = 0; v && i < v->len; i++)
            fn(ctx, v->items[i]);
        p += n ? n : 1;
    }
}

struct job_ctx {
    struct linked_model *lm;
    struct svc_index *ix;
    const char *jid;          /* made when the job first links a service */
    const char *path, *job;
    int line;
    enum edge_kind kind;
};

static void job_link(void *ctxp, struct service *s)
{
    struct job_ctx *c = ctxp;
    if (!c->jid)
        c->jid = id_intern(c->lm, c->ix, "job:%s#%s", c->path, c->job);
    struct vec *list = c->kind == EDGE_DEPLOYS ? &s->deployers : &s->build_jobs;
    for (size_t i = 0; i < list->len; i++)
        if (strcmp(list->items[i], c->jid) == 0)
            return;
    vec_push(list, (void *)c->jid);
    edge_add(c->lm, c->kind, c->jid, s->id, c->path, c->line);
}

static int run_builds(const char *run)
{
    return strstr(run, "docker build") || strstr(run, "docker buildx build") ||
           strstr(run, "docker push");
}

static int run_deploys(const char *run)
{
    return strstr(run, "kubectl") || strstr(run, "helm ") || strstr(run, "kustomize") ||
           strstr(run, "argocd ");
}

static void join_builds(struct linked_model *lm, struct model *m, struct svc_index *ix)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind == FK_DOCKERFILE) {
            char *dir = path_dirname(u->file->path);
            struct strmap *maps[] = {&ix->by_name, &ix->by_repo};
            for (size_t k = 0; k < 2; k++) {
                struct vec *v = strmap_get(maps[k], path_base(dir));
                for (size_t j = 0; v && j < v->len; j++) {
                    struct service *s = v->items[j];
                    size_t before = s->dockerfiles.len;
                    push_unique(&s->dockerfiles, u->file->path);
                    if (s->dockerfiles.len > before)
                        edge_add(lm, EDGE_BUILDS_IMAGE,
                                 id_intern(lm, ix, "dockerfile:%s", u->file->path), s->id,
                                 u->file->path, 1);
                }
            }
            free(dir);
        }
        for (size_t w = 0; w < u->workflows.len; w++) {
            const struct gha_workflow *wf = u->workflows.items[w];
            for (size_t j = 0; j < wf->njobs; j++) {
                const struct gha_job *job = wf->jobs[j];
                struct job_ctx c = {lm, ix, NULL, u->file->path, job->id, job->loc.line,
                                    EDGE_BUILDS_IMAGE};
                for (size_t st = 0; st < job->nsteps; st++) {
                    const struct gha_step *step = job->steps[st];
                    c.kind = EDGE_BUILDS_IMAGE;
                    if (step->uses.raw && step->uses.repo &&
                        strstr(step->uses.repo, "build-push-action")) {
                        for (size_t k = 0; k < step->with.len; k++)
                            if (strcmp(step->with.items[k].key, "tags") == 0)
                                words_lookup(step->with.items[k].value, 0, &ix->by_repo,
                                             job_link, &c);
                    }
                    if (step->run && run_builds(step->run))
                        words_lookup(step->run, 0, &ix->by_repo, job_link, &c);
                    if (!job->environment || !step->run || !run_deploys(step->run))
                        continue;
                    c.kind = EDGE_DEPLOYS;
                    words_lookup(step->run, 0, &ix->by_name, job_link, &c);
                    words_lookup(step->run, 1, &ix->by_dir, job_link, &c);
                }
            }
        }
    }
}

/* Rendered overlays: which image runs where, which folders render a service, and the Argo
 * CD applications that deploy it. */
static void join_envs(struct linked_model *lm, struct svc_index *ix)
{
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        for (size_t j = 0; j < k->objects.len; j++) {
            const struct kz_object *o = k->objects.items[j];
            struct service *s = by_key_get(ix, o->kind, o->base_name);
            if (!s)
                continue;
            if (*k->dir)
                index_add(ix, &ix->by_dir, k->dir, s);
            if (k->env)
                env_images(lm, s, k, o);
        }
    }
    for (size_t i = 0; i < lm->apps.len; i++) {
        const struct argo_app *app = lm->apps.items[i];
        if (!app->kust)
            continue;
        const char *aid = NULL;
        for (size_t j = 0; j < app->kust->objects.len; j++) {
            const struct kz_object *o = app->kust->objects.items[j];
            struct service *s = by_key_get(ix, o->kind, o->base_name);
            if (!s)
                continue;
            if (!aid)
                aid = id_intern(lm, ix, "argocd:%s#%s", app->unit->file->path,
                                app->name ? app->name : "?");
            size_t before = s->deployers.len;
            push_unique(&s->deployers, aid);
            if (s->deployers.len > before)
                edge_add(lm, EDGE_DEPLOYS, aid, s->id, app->unit->file->path, app->loc.line);
            if (app->env)
                svc_env_get(lm, s, app->env)->deployed_by = aid;
        }
    }
}

static int service_cmp(const void *a, const void *b)
{
    return strcmp((*(const struct service *const *)a)->name,
                  (*(const struct service *const *)b)->name);
}

void linked_services_build(struct linked_model *lm, struct model *m)
{
    struct vec objs = VEC_INIT;
    struct svc_index ix;
    memset(&ix, 0, sizeof(ix));
    ix.tmp = arena_new();
    collect(lm, m, &objs);
    index_services(lm, &ix);
    join_objects(lm, &ix, &objs);
    join_envs(lm, &ix);
    join_builds(lm, m, &ix);
    for (size_t i = 0; i < lm->services.len; i++)
        vec_sort(&((struct service *)lm->services.items[i])->envs, svc_env_cmp);
    /* Overlays: a kustomization that includes another folder's. */
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        for (size_t r = 0; r < k->nresources; r++)
            if (k->resources[r].kust)
                edge_add(lm, EDGE_OVERLAYS, id_intern(lm, &ix, "kustomization:%s", k->path),
                         id_intern(lm, &ix, "kustomization:%s", k->resources[r].kust->path),
                         k->path, k->resources[r].loc.line);
    }
    vec_sort(&lm->services, service_cmp);
    index_release(&ix);
    vec_release(&objs);
}
