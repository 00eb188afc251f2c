/* Declarative conditions: user policies with no C. A rule's `check.condition` names the
 * entities it is about (`applies-to`: gha-workflow, gha-job, gha-step, k8s-object,
 * k8s-container), an optional `where` filter and a `require` (must hold) or `forbid` (must not
 * hold) expression over the typed model, read through one field table per entity type. */
#include "lint_int.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model/gha.h"
#include "model/k8s.h"

/* A field's value: a list of strings (a scalar is a list of one) or of sub-entities. */
struct cval {
    struct vec strs; /* const char* */
    struct vec ents; /* const void* of type `etype` */
    const struct etype *etype;
};

struct field {
    const char *name; /* "labels." ends with a dot: a map, the key follows */
    void (*get)(struct cval *out, const void *e, const char *key, struct arena *a);
    const char *doc;
};

struct etype {
    const char *name;
    const struct field *fields;
    struct loc (*where)(const void *e);
    const char *(*label)(const void *e, struct arena *a);
};

static void push(struct cval *v, const char *s)
{
    if (s)
        vec_push(&v->strs, (void *)s);
}

static void push_tri(struct cval *v, int tri)
{
    if (tri >= 0)
        push(v, tri ? "true" : "false");
}

static void push_int(struct cval *v, struct arena *a, long long n, int set)
{
    if (set)
        push(v, arena_sprintf(a, "%lld", n));
}

static void push_split(struct cval *v, struct arena *a, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, ",");
        push(v, arena_strndup(a, s, n));
        s += n + (s[n] == ',');
    }
}

/* Lookups of our own, not the loaders': the evaluator depends only on the model's layout. */
static const struct gha_kv *gkv(const struct gha_kvs *kvs, const char *key)
{
    for (size_t i = 0; key && i < kvs->len; i++)
        if (kvs->items[i].key && strcmp(kvs->items[i].key, key) == 0)
            return &kvs->items[i];
    return NULL;
}

static const char *kkv(const struct k8s_kvs *kvs, const char *key)
{
    for (size_t i = 0; key && i < kvs->len; i++)
        if (kvs->items[i].key && strcmp(kvs->items[i].key, key) == 0)
            return kvs->items[i].value ? kvs->items[i].value : "";
    return NULL;
}

static const char *ref_kind_name(enum gha_ref_kind k)
{
    static const char *const names[] = {
        [GHA_REF_NONE] = "none",   [GHA_REF_SHA] = "sha",       [GHA_REF_SHORT_SHA] = "short-sha",
        [GHA_REF_TAG] = "tag",     [GHA_REF_BRANCH] = "branch", [GHA_REF_DOCKER] = "docker",
        [GHA_REF_LOCAL] = "local", [GHA_REF_EXPR] = "expr",
    };
    return (size_t)k < ARRAY_LEN(names) && names[k] ? names[k] : "none";
}

/* ---- GitHub Actions ---- */

extern const struct etype et_gha_job, et_gha_step;

#define WF(e) ((const struct gha_workflow *)(e))
#define JOB(e) ((const struct gha_job *)(e))
#define STEP(e) ((const struct gha_step *)(e))

static void wf_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, WF(e)->name);
}
static void wf_path(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, WF(e)->path);
}
static void wf_triggers(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    for (size_t i = 0; i < WF(e)->ntriggers; i++)
        push(o, WF(e)->triggers[i].event);
}
static void wf_perms(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_perms *p = &WF(e)->perms;
    if (!p->present)
        return;
    push(o, k ? (gkv(&p->scopes, k) ? gkv(&p->scopes, k)->value : NULL) : p->all ? p->all : "{}");
}
static void wf_jobs(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    o->etype = &et_gha_job;
    for (size_t i = 0; i < WF(e)->njobs; i++)
        vec_push(&o->ents, WF(e)->jobs[i]);
}
static void wf_env(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_kv *kv = gkv(&WF(e)->env, k);
    push(o, kv ? (kv->value ? kv->value : "") : NULL);
}

static void job_id(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->id);
}
static void job_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->name);
}
static void job_runs_on(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    push_split(o, a, JOB(e)->runs_on);
}
static void job_env_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->environment);
}
static void job_if(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->if_cond);
}
static void job_container(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->container_image);
}
static void job_timeout(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (JOB(e)->has_timeout)
        push(o, "true");
}
static void job_uses(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, JOB(e)->uses.raw);
}
static void job_needs(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    for (size_t i = 0; i < JOB(e)->nneeds; i++)
        push(o, JOB(e)->needs[i]);
}
static void job_perms(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_perms *p = &JOB(e)->perms;
    if (!p->present)
        return;
    push(o, k ? (gkv(&p->scopes, k) ? gkv(&p->scopes, k)->value : NULL) : p->all ? p->all : "{}");
}
static void job_steps(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    o->etype = &et_gha_step;
    for (size_t i = 0; i < JOB(e)->nsteps; i++)
        vec_push(&o->ents, JOB(e)->steps[i]);
}
static void job_env(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_kv *kv = gkv(&JOB(e)->env, k);
    push(o, kv ? (kv->value ? kv->value : "") : NULL);
}

static void step_id(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->id);
}
static void step_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->name);
}
static void step_uses(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->uses.raw);
}
static void step_action(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    const struct gha_uses *u = &STEP(e)->uses;
    if (u->owner && u->repo)
        push(o, arena_sprintf(a, "%s/%s", u->owner, u->repo));
}
static void step_ref(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->uses.ref);
}
static void step_ref_kind(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (STEP(e)->uses.raw)
        push(o, ref_kind_name(STEP(e)->uses.kind));
}
static void step_run(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->run);
}
static void step_shell(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->shell);
}
static void step_if(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, STEP(e)->if_cond);
}
static void step_with(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_kv *kv = gkv(&STEP(e)->with, k);
    push(o, kv ? (kv->value ? kv->value : "") : NULL);
}
static void step_env(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    const struct gha_kv *kv = gkv(&STEP(e)->env, k);
    push(o, kv ? (kv->value ? kv->value : "") : NULL);
}

static const struct field wf_fields[] = {
    {"name", wf_name, "the workflow's name:"},
    {"path", wf_path, "the file's path"},
    {"triggers", wf_triggers, "event names under on: (push, pull_request, ...)"},
    {"permissions", wf_perms, "top-level permissions given as a scalar (read-all, {} ...)"},
    {"permissions.", wf_perms, "one permission scope's level (permissions.contents)"},
    {"env.", wf_env, "a workflow-level env variable"},
    {"jobs", wf_jobs, "the jobs (gha-job entities)"},
    {NULL, NULL, NULL},
};
static const struct field job_fields[] = {
    {"id", job_id, "the job id"},
    {"name", job_name, "its name:"},
    {"runs-on", job_runs_on, "runner labels, one value per label"},
    {"environment", job_env_name, "the deployment environment's name"},
    {"if", job_if, "the job's if: expression"},
    {"container", job_container, "the job container's image"},
    {"timeout-minutes", job_timeout, "\"true\" when timeout-minutes is set"},
    {"uses", job_uses, "a called reusable workflow"},
    {"needs", job_needs, "the jobs it needs"},
    {"permissions", job_perms, "permissions given as a scalar"},
    {"permissions.", job_perms, "one permission scope's level"},
    {"env.", job_env, "a job-level env variable"},
    {"steps", job_steps, "the steps (gha-step entities)"},
    {NULL, NULL, NULL},
};
static const struct field step_fields[] = {
    {"id", step_id, "the step id"},
    {"name", step_name, "its name:"},
    {"uses", step_uses, "the uses: value as written"},
    {"action", step_action, "owner/repo of a uses: action"},
    {"ref", step_ref, "the @ref of uses:"},
    {"ref-kind", step_ref_kind, "none, sha, short-sha, tag, branch, docker, local, expr"},
    {"run", step_run, "the run: script"},
    {"shell", step_shell, "shell:"},
    {"if", step_if, "the step's if: expression"},
    {"with.", step_with, "an input under with:"},
    {"env.", step_env, "an env variable"},
    {NULL, NULL, NULL},
};

static struct loc wf_where(const void *e)
{
    return WF(e)->loc;
}
static struct loc job_where(const void *e)
{
    return JOB(e)->loc;
}
static struct loc step_where(const void *e)
{
    return STEP(e)->loc;
}
static const char *wf_label(const void *e, struct arena *a)
{
    return arena_sprintf(a, "workflow %s", WF(e)->name ? WF(e)->name : WF(e)->path);
}
static const char *job_label(const void *e, struct arena *a)
{
    return arena_sprintf(a, "job %s", JOB(e)->id);
}
static const char *step_label(const void *e, struct arena *a)
{
    const struct gha_step *s = STEP(e);
    return arena_sprintf(a, "step %s",
                         s->name       ? s->name
                         : s->id       ? s->id
                         : s->uses.raw ? s->uses.raw
                                       : "(run)");
}

const struct etype et_gha_job = {"gha-job", job_fields, job_where, job_label};
const struct etype et_gha_step = {"gha-step", step_fields, step_where, step_label};
static const struct etype et_gha_workflow = {"gha-workflow", wf_fields, wf_where, wf_label};

/* ---- Kubernetes ---- */

extern const struct etype et_k8s_container;

#define OBJ(e) ((const struct k8s_object *)(e))
#define CTR(e) ((const struct k8s_container *)(e))

static void obj_api(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, OBJ(e)->api_version);
}
static void obj_kind(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, OBJ(e)->kind);
}
static void obj_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, OBJ(e)->name);
}
static void obj_ns(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, OBJ(e)->namespace);
}
static void obj_replicas(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    push_int(o, a, OBJ(e)->replicas, OBJ(e)->replicas >= 0);
}
static void obj_labels(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    push(o, kkv(&OBJ(e)->labels, k));
}
static void obj_annotations(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    push(o, kkv(&OBJ(e)->annotations, k));
}
static void obj_tlabels(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    push(o, kkv(&OBJ(e)->template_labels, k));
}
static void obj_workload(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, OBJ(e)->pod ? "true" : "false");
}
static void obj_containers(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    o->etype = &et_k8s_container;
    for (size_t i = 0; OBJ(e)->pod && i < OBJ(e)->pod->ncontainers; i++)
        vec_push(&o->ents, OBJ(e)->pod->containers[i]);
}
static void obj_init(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    o->etype = &et_k8s_container;
    for (size_t i = 0; OBJ(e)->pod && i < OBJ(e)->pod->ninit; i++)
        vec_push(&o->ents, OBJ(e)->pod->init_containers[i]);
}
static void obj_sa(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (OBJ(e)->pod)
        push(o, OBJ(e)->pod->service_account);
}
static void obj_host_network(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (OBJ(e)->pod)
        push_tri(o, OBJ(e)->pod->host_network);
}
static void obj_host_pid(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (OBJ(e)->pod)
        push_tri(o, OBJ(e)->pod->host_pid);
}
static void obj_automount(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (OBJ(e)->pod)
        push_tri(o, OBJ(e)->pod->automount_token);
}

static void ctr_name(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->name);
}
static void ctr_image(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->image_raw);
}
static void ctr_registry(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (CTR(e)->image_raw)
        push(o, CTR(e)->image.registry ? CTR(e)->image.registry : "docker.io");
}
static void ctr_tag(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->image.tag);
}
static void ctr_digest(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->image.digest);
}
static void ctr_privileged(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc.privileged);
}
static void ctr_nonroot(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc.run_as_non_root);
}
static void ctr_rofs(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc.read_only_root_fs);
}
static void ctr_ape(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc.allow_privilege_escalation);
}
static void ctr_user(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    push_int(o, a, CTR(e)->sc.run_as_user, CTR(e)->sc.run_as_user >= 0);
}
static void ctr_req_cpu(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->req_cpu);
}
static void ctr_req_mem(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->req_mem);
}
static void ctr_lim_cpu(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->lim_cpu);
}
static void ctr_lim_mem(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push(o, CTR(e)->lim_mem);
}
static void ctr_liveness(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (CTR(e)->liveness.present)
        push(o, CTR(e)->liveness.handler ? CTR(e)->liveness.handler : "true");
}
static void ctr_readiness(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (CTR(e)->readiness.present)
        push(o, CTR(e)->readiness.handler ? CTR(e)->readiness.handler : "true");
}
static void ctr_ports(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    for (size_t i = 0; i < CTR(e)->nports; i++)
        push_int(o, a, CTR(e)->ports[i].number, 1);
}
static void ctr_env(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)a;
    for (size_t i = 0; i < CTR(e)->nenv; i++)
        if (CTR(e)->env[i].name && strcmp(CTR(e)->env[i].name, k) == 0)
            push(o, CTR(e)->env[i].value ? CTR(e)->env[i].value : "");
}

static const struct field obj_fields[] = {
    {"api-version", obj_api, "apiVersion"},
    {"kind", obj_kind, "kind (Deployment, Service, ...)"},
    {"name", obj_name, "metadata.name"},
    {"namespace", obj_ns, "metadata.namespace"},
    {"labels.", obj_labels, "a metadata label (labels.owner)"},
    {"annotations.", obj_annotations, "a metadata annotation"},
    {"template-labels.", obj_tlabels, "a pod template label"},
    {"replicas", obj_replicas, "spec.replicas"},
    {"workload", obj_workload, "\"true\" for kinds with a pod spec"},
    {"containers", obj_containers, "the pod's containers (k8s-container entities)"},
    {"init-containers", obj_init, "the pod's init containers (k8s-container entities)"},
    {"service-account", obj_sa, "serviceAccountName"},
    {"host-network", obj_host_network, "hostNetwork (true/false when set)"},
    {"host-pid", obj_host_pid, "hostPID (true/false when set)"},
    {"automount-token", obj_automount, "automountServiceAccountToken (when set)"},
    {NULL, NULL, NULL},
};
static const struct field ctr_fields[] = {
    {"name", ctr_name, "the container's name"},
    {"image", ctr_image, "the image reference as written"},
    {"image-registry", ctr_registry, "the image's registry (docker.io when none)"},
    {"image-tag", ctr_tag, "the image's tag"},
    {"image-digest", ctr_digest, "the image's digest"},
    {"privileged", ctr_privileged, "securityContext.privileged (when set)"},
    {"run-as-non-root", ctr_nonroot, "securityContext.runAsNonRoot (when set)"},
    {"read-only-root-filesystem", ctr_rofs, "securityContext.readOnlyRootFilesystem"},
    {"allow-privilege-escalation", ctr_ape, "securityContext.allowPrivilegeEscalation"},
    {"run-as-user", ctr_user, "securityContext.runAsUser"},
    {"requests.cpu", ctr_req_cpu, "resources.requests.cpu"},
    {"requests.memory", ctr_req_mem, "resources.requests.memory"},
    {"limits.cpu", ctr_lim_cpu, "resources.limits.cpu"},
    {"limits.memory", ctr_lim_mem, "resources.limits.memory"},
    {"liveness-probe", ctr_liveness, "the liveness probe's handler (httpGet, exec, ...)"},
    {"readiness-probe", ctr_readiness, "the readiness probe's handler"},
    {"ports", ctr_ports, "container port numbers"},
    {"env.", ctr_env, "a literal env variable's value"},
    {NULL, NULL, NULL},
};

static struct loc obj_where(const void *e)
{
    return OBJ(e)->loc;
}
static struct loc ctr_where(const void *e)
{
    return CTR(e)->loc;
}
static const char *obj_label(const void *e, struct arena *a)
{
    return arena_sprintf(a, "%s/%s", OBJ(e)->kind ? OBJ(e)->kind : "?",
                         OBJ(e)->name ? OBJ(e)->name : "?");
}
static const char *ctr_label(const void *e, struct arena *a)
{
    return arena_sprintf(a, "container %s", CTR(e)->name ? CTR(e)->name : "?");
}

const struct etype et_k8s_container = {"k8s-container", ctr_fields, ctr_where, ctr_label};
static const struct etype et_k8s_object = {"k8s-object", obj_fields, obj_where, obj_label};

static const struct etype *const etypes[] = {
    &et_gha_workflow, &et_gha_job, &et_gha_step, &et_k8s_object, &et_k8s_container,
};

/* ---- the evaluator ---- */

static const struct etype *etype_find(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_LEN(etypes); i++)
        if (strcmp(etypes[i]->name, name) == 0)
            return etypes[i];
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
        const char *names[ARRAY_LEN(etypes)];
        for (size_t i = 0; i < ARRAY_LEN(etypes); i++)
            names[i] = etypes[i]->name;
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
    for (size_t i = 0; i < ARRAY_LEN(etypes); i++) {
        fprintf(out, "%s\n", etypes[i]->name);
        for (const struct field *f = etypes[i]->fields; f->name; f++)
            fprintf(out, "  %-28s %s\n", f->name, f->doc);
    }
    return ferror(out) ? -1 : 0;
}
