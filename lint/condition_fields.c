/* The field tables of declarative conditions: for each entity type a user policy can name
 * (GitHub Actions workflows, jobs and steps; Kubernetes objects and containers), how to read
 * each field from the typed model, and its one-line documentation for `opsbook fields`. */
#include "condition_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/gha.h"
#include "model/k8s.h"

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
    push(o, JOB(e)->containers->container_image);
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
    push(o, JOB(e)->call->uses.raw);
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
const struct etype et_gha_workflow = {"gha-workflow", wf_fields, wf_where, wf_label};

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
    push_tri(o, CTR(e)->sc->privileged);
}
static void ctr_nonroot(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc->run_as_non_root);
}
static void ctr_rofs(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc->read_only_root_fs);
}
static void ctr_ape(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    push_tri(o, CTR(e)->sc->allow_privilege_escalation);
}
static void ctr_user(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k;
    push_int(o, a, CTR(e)->sc->run_as_user, CTR(e)->sc->run_as_user >= 0);
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
    if (CTR(e)->liveness->present)
        push(o, CTR(e)->liveness->handler ? CTR(e)->liveness->handler : "true");
}
static void ctr_readiness(struct cval *o, const void *e, const char *k, struct arena *a)
{
    (void)k, (void)a;
    if (CTR(e)->readiness->present)
        push(o, CTR(e)->readiness->handler ? CTR(e)->readiness->handler : "true");
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
const struct etype et_k8s_object = {"k8s-object", obj_fields, obj_where, obj_label};

const struct etype *const condition_etypes[CONDITION_ETYPES] = {
    &et_gha_workflow, &et_gha_job, &et_gha_step, &et_k8s_object, &et_k8s_container,
};
