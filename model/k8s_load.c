/* Kubernetes loader: each YAML document with apiVersion and kind (and each item of a `kind:
 * List`) becomes a struct k8s_object. Workloads get their pod spec with containers, images,
 * probes, resources, security contexts, env, volumes; Services, Ingresses, HPAs, PDBs,
 * Secrets and RBAC objects keep what their rules need. The parser's tree is freed as soon
 * as this returns, so every string is kept: the common vocabulary as constants, the rest in
 * a process-wide pool (k8s_str.c). */
#include "k8s.h"

#include <stdlib.h>
#include <string.h>

/* What nothing set shares: an absent probe, an absent securityContext, empty lists. */
static const char *no_strs[1];
static struct k8s_container *no_containers[1];
static struct k8s_port no_ports[1];
static struct k8s_env no_env[1];
static struct k8s_volume no_volumes[1];
static const struct k8s_probe probe_absent;
static const struct k8s_security security_absent = {
    .privileged = -1, .allow_privilege_escalation = -1, .run_as_non_root = -1,
    .read_only_root_fs = -1, .run_as_user = -1, .cap_add = no_strs, .cap_drop = no_strs,
};

/* ---- small helpers over the positioned tree ---- */

static struct loc loc_of(const struct ynode *n)
{
    struct loc l = {0, 0};
    if (n) {
        l.line = n->line;
        l.col = n->col;
    }
    return l;
}

/* The key's position of `key` in `map` (what a finding about a field points at). */
static struct loc key_loc(const struct ynode *map, const char *key)
{
    const struct ypair *p = yml_get_pair(map, key);
    return p ? loc_of(p->key) : (struct loc){0, 0};
}

static const char *dup_str(struct unit *u, const struct ynode *n)
{
    (void)u;
    return k8s_str_pooled(yml_str(n));
}

/* Tri-state boolean: -1 absent or not a boolean, 0 false, 1 true. */
static int tri(const struct ynode *map, const char *key)
{
    return yml_bool(yml_get(map, key));
}

/* The scalars of a sequence as a NULL-terminated array in the arena. */
static const char **str_list(struct unit *u, const struct ynode *seq, size_t *n_out)
{
    size_t n = yml_is_seq(seq) ? seq->len : 0, k = 0;
    if (n_out)
        *n_out = 0;
    if (!n)
        return no_strs;
    const char **out = arena_alloc(u->arena, (n + 1) * sizeof(*out));
    for (size_t i = 0; i < n; i++)
        if (yml_str(seq->items[i]))
            out[k++] = dup_str(u, seq->items[i]);
    if (n_out)
        *n_out = k;
    return out;
}

static void kvs_load(struct unit *u, struct k8s_kvs *out, const struct ynode *map)
{
    out->items = NULL;
    out->len = 0;
    if (!yml_is_map(map) || !map->len)
        return;
    out->items = arena_alloc(u->arena, map->len * sizeof(*out->items));
    for (size_t i = 0; i < map->len; i++) {
        const struct ypair *p = &map->pairs[i];
        if (!yml_str(p->key))
            continue;
        struct k8s_kv *kv = &out->items[out->len++];
        kv->key = k8s_str_pooled(yml_str(p->key));
        kv->value = k8s_str_pooled(yml_str(p->val) ? yml_str(p->val) : "");
        kv->loc = loc_of(p->key);
    }
}

const char *k8s_kvs_get(const struct k8s_kvs *kvs, const char *key)
{
    for (size_t i = 0; i < kvs->len; i++)
        if (strcmp(kvs->items[i].key, key) == 0)
            return kvs->items[i].value;
    return NULL;
}

int k8s_selector_matches(const struct k8s_kvs *selector, const struct k8s_kvs *labels)
{
    if (!selector->len)
        return 0;
    for (size_t i = 0; i < selector->len; i++) {
        const char *v = k8s_kvs_get(labels, selector->items[i].key);
        if (!v || strcmp(v, selector->items[i].value) != 0)
            return 0;
    }
    return 1;
}

/* ---- images ---- */

/* Parses `raw`, a string that lives as long as `out` (the parts are copied into `a`). */
static void image_parse_kept(struct k8s_image *out, struct arena *a, const char *raw)
{
    memset(out, 0, sizeof(*out));
    if (!raw)
        return;
    out->raw = raw;
    (void)a;
    const char *at = strchr(raw, '@');
    size_t name_len = at ? (size_t)(at - raw) : strlen(raw);
    if (at && at[1])
        out->digest = k8s_str_pooled(at + 1);
    /* The first component is a registry only when it looks like a host: a dot, a port or
     * localhost. Otherwise it is a Docker Hub namespace ("library/nginx", "team/app"). */
    const char *slash = memchr(raw, '/', name_len);
    const char *rest = raw;
    if (slash) {
        size_t hl = (size_t)(slash - raw);
        if (memchr(raw, '.', hl) || memchr(raw, ':', hl) ||
            (hl == 9 && memcmp(raw, "localhost", 9) == 0)) {
            out->registry = k8s_str_pooled_n(raw, hl);
            rest = slash + 1;
        }
    }
    size_t rest_len = name_len - (size_t)(rest - raw);
    /* A tag is after the last ':' of the path part, which has no '/' after it (a registry
     * port was taken with the registry above). */
    const char *colon = NULL;
    for (size_t i = 0; i < rest_len; i++)
        if (rest[i] == ':')
            colon = rest + i;
        else if (rest[i] == '/')
            colon = NULL;
    if (colon) {
        out->repository = k8s_str_pooled_n(rest, (size_t)(colon - rest));
        if ((size_t)(colon - rest) + 1 < rest_len)
            out->tag = k8s_str_pooled_n(colon + 1, rest_len - (size_t)(colon - rest) - 1);
    } else {
        out->repository = k8s_str_pooled_n(rest, rest_len);
    }
}

void k8s_image_parse(struct k8s_image *out, struct arena *a, const char *raw)
{
    image_parse_kept(out, a, raw ? arena_strdup(a, raw) : NULL);
}

/* ---- containers ---- */

static void signature_add(struct strbuf *sb, const struct ynode *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case YN_NULL:
        sb_adds(sb, "~");
        break;
    case YN_SCALAR:
        sb_adds(sb, n->s);
        break;
    case YN_MAP:
        sb_addc(sb, '{');
        for (size_t i = 0; i < n->len; i++) {
            signature_add(sb, n->pairs[i].key);
            sb_addc(sb, '=');
            signature_add(sb, n->pairs[i].val);
            sb_addc(sb, ';');
        }
        sb_addc(sb, '}');
        break;
    case YN_SEQ:
        sb_addc(sb, '[');
        for (size_t i = 0; i < n->len; i++) {
            signature_add(sb, n->items[i]);
            sb_addc(sb, ',');
        }
        sb_addc(sb, ']');
        break;
    }
}

static const char *const probe_handlers[] = {"httpGet", "tcpSocket", "exec", "grpc"};

static const struct k8s_probe *probe_load(struct unit *u, const struct ynode *c,
                                          const char *key)
{
    const struct ynode *p = yml_get(c, key);
    if (!yml_get_pair(c, key))
        return &probe_absent;
    struct k8s_probe *out = arena_alloc(u->arena, sizeof(*out));
    out->present = 1;
    out->loc = key_loc(c, key);
    for (size_t i = 0; i < ARRAY_LEN(probe_handlers); i++) {
        const struct ynode *h = yml_get(p, probe_handlers[i]);
        if (!h)
            continue;
        out->handler = probe_handlers[i];
        out->port = dup_str(u, yml_get(h, "port"));
        out->path = dup_str(u, yml_get(h, "path"));
        break;
    }
    /* The whole probe, timings included: the same endpoint with a more lenient liveness
     * threshold is the recommended pattern, the same probe twice is not. */
    struct strbuf sb = STRBUF_INIT;
    signature_add(&sb, p);
    out->signature = k8s_str_pooled(sb_str(&sb));
    sb_release(&sb);
    return out;
}

static const struct k8s_security *security_load(struct unit *u, const struct ynode *parent)
{
    const struct ynode *sc = yml_get(parent, "securityContext");
    if (!yml_is_map(sc))
        return &security_absent;
    struct k8s_security *out = arena_alloc(u->arena, sizeof(*out));
    *out = security_absent;
    out->present = 1;
    out->loc = key_loc(parent, "securityContext");
    out->privileged = tri(sc, "privileged");
    out->privileged_loc = key_loc(sc, "privileged");
    out->allow_privilege_escalation = tri(sc, "allowPrivilegeEscalation");
    out->ape_loc = key_loc(sc, "allowPrivilegeEscalation");
    out->run_as_non_root = tri(sc, "runAsNonRoot");
    out->run_as_non_root_loc = key_loc(sc, "runAsNonRoot");
    out->read_only_root_fs = tri(sc, "readOnlyRootFilesystem");
    out->read_only_loc = key_loc(sc, "readOnlyRootFilesystem");
    long long uid;
    if (yml_int(yml_get(sc, "runAsUser"), &uid) == 0 && uid >= 0)
        out->run_as_user = uid;
    out->run_as_user_loc = key_loc(sc, "runAsUser");
    const struct ynode *caps = yml_get(sc, "capabilities");
    size_t nadd, ndrop;
    out->cap_add = str_list(u, yml_get(caps, "add"), &nadd);
    out->cap_drop = str_list(u, yml_get(caps, "drop"), &ndrop);
    out->ncap_add = (unsigned)nadd;
    out->ncap_drop = (unsigned)ndrop;
    out->cap_add_loc = key_loc(caps, "add");
    const struct ynode *sp = yml_get(sc, "seccompProfile");
    out->seccomp = dup_str(u, yml_get(sp, "type"));
    out->seccomp_loc = key_loc(sc, "seccompProfile");
    return out;
}

static void ports_load(struct unit *u, struct k8s_port **out, size_t *n_out,
                       const struct ynode *seq, const char *number_key)
{
    size_t n = yml_is_seq(seq) ? seq->len : 0;
    *out = n ? arena_alloc(u->arena, n * sizeof(**out)) : no_ports;
    *n_out = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *p = seq->items[i];
        if (!yml_is_map(p))
            continue;
        struct k8s_port *port = &(*out)[(*n_out)++];
        port->name = dup_str(u, yml_get(p, "name"));
        port->number = -1;
        yml_int(yml_get(p, number_key), &port->number);
        port->protocol = dup_str(u, yml_get(p, "protocol"));
        port->loc = loc_of(p);
    }
}

static void env_load(struct unit *u, struct k8s_container *c, const struct ynode *cn)
{
    const struct ynode *seq = yml_get(cn, "env");
    size_t n = yml_is_seq(seq) ? seq->len : 0;
    c->env = n ? arena_alloc(u->arena, n * sizeof(*c->env)) : no_env;
    c->env_loc = key_loc(cn, "env");
    for (size_t i = 0; i < n; i++) {
        const struct ynode *e = seq->items[i];
        if (!yml_is_map(e))
            continue;
        struct k8s_env *env = &c->env[c->nenv++];
        env->name = k8s_str_pooled(yml_str(yml_get(e, "name")));
        env->loc = loc_of(e);
        const struct ypair *vp = yml_get_pair(e, "value");
        if (vp) {
            env->has_value = 1;
            env->value = k8s_str_pooled(yml_str(vp->val));
            env->value_quoted = vp->val && vp->val->quoted && !vp->val->block;
            env->value_block = vp->val && vp->val->block;
            env->value_loc = loc_of(vp->val && vp->val->line ? vp->val : vp->key);
        }
        const struct ynode *from = yml_get(e, "valueFrom");
        const struct ynode *sk = yml_get(from, "secretKeyRef");
        env->secret_name = dup_str(u, yml_get(sk, "name"));
        env->secret_key = dup_str(u, yml_get(sk, "key"));
        env->configmap_name = dup_str(u, yml_get(yml_get(from, "configMapKeyRef"), "name"));
    }
    /* envFrom: whole Secrets and ConfigMaps. */
    const struct ynode *ef = yml_get(cn, "envFrom");
    size_t m = yml_is_seq(ef) ? ef->len : 0, ns = 0, nc = 0;
    c->env_from_secrets = c->env_from_configmaps = no_strs;
    if (!m)
        return;
    c->env_from_secrets = arena_alloc(u->arena, (m + 1) * sizeof(char *));
    c->env_from_configmaps = arena_alloc(u->arena, (m + 1) * sizeof(char *));
    for (size_t i = 0; i < m; i++) {
        const char *s = yml_str(yml_get(yml_get(ef->items[i], "secretRef"), "name"));
        const char *cm = yml_str(yml_get(yml_get(ef->items[i], "configMapRef"), "name"));
        if (s)
            c->env_from_secrets[ns++] = k8s_str_pooled(s);
        if (cm)
            c->env_from_configmaps[nc++] = k8s_str_pooled(cm);
    }
}

static void mounts_load(struct unit *u, struct k8s_container *c, const struct ynode *cn)
{
    const struct ynode *seq = yml_get(cn, "volumeMounts");
    size_t n = yml_is_seq(seq) ? seq->len : 0;
    c->mount_names = c->mount_paths = no_strs;
    if (!n)
        return;
    c->mount_names = arena_alloc(u->arena, (n + 1) * sizeof(char *));
    c->mount_paths = arena_alloc(u->arena, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        const struct ynode *m = seq->items[i];
        if (!yml_is_map(m))
            continue;
        const char *name = yml_str(yml_get(m, "name")), *path = yml_str(yml_get(m, "mountPath"));
        c->mount_names[c->nmounts] = k8s_str_pooled(name ? name : "");
        c->mount_paths[c->nmounts] = k8s_str_pooled(path ? path : "");
        c->nmounts++;
    }
}

static struct k8s_container *container_load(struct unit *u, const struct ynode *cn, int init)
{
    struct k8s_container *c = arena_alloc(u->arena, sizeof(*c));
    c->name = k8s_str_pooled(yml_str(yml_get(cn, "name")));
    c->init = init;
    /* The "- name:" line names the container; the item itself when it has no name. */
    c->loc = yml_get_pair(cn, "name") ? key_loc(cn, "name") : loc_of(cn);
    c->image_raw = dup_str(u, yml_get(cn, "image"));
    c->image_loc = key_loc(cn, "image");
    image_parse_kept(&c->image, u->arena, c->image_raw);
    c->liveness = probe_load(u, cn, "livenessProbe");
    c->readiness = probe_load(u, cn, "readinessProbe");
    c->startup = probe_load(u, cn, "startupProbe");
    const struct ynode *res = yml_get(cn, "resources");
    c->has_resources = yml_get_pair(cn, "resources") != NULL;
    c->resources_loc = key_loc(cn, "resources");
    c->req_cpu = dup_str(u, yml_path(res, "requests.cpu"));
    c->req_mem = dup_str(u, yml_path(res, "requests.memory"));
    c->lim_cpu = dup_str(u, yml_path(res, "limits.cpu"));
    c->lim_mem = dup_str(u, yml_path(res, "limits.memory"));
    c->sc = security_load(u, cn);
    ports_load(u, &c->ports, &c->nports, yml_get(cn, "ports"), "containerPort");
    env_load(u, c, cn);
    mounts_load(u, c, cn);
    return c;
}

/* `ref` with what the item's name, image and resources give loaded again from `cn`. */
static struct k8s_container *container_rebase(struct unit *u, const struct k8s_container *ref,
                                              const struct ynode *cn)
{
    struct k8s_container *c = arena_alloc(u->arena, sizeof(*c));
    *c = *ref;
    c->name = k8s_str_pooled(yml_str(yml_get(cn, "name")));
    c->loc = yml_get_pair(cn, "name") ? key_loc(cn, "name") : loc_of(cn);
    c->image_raw = dup_str(u, yml_get(cn, "image"));
    c->image_loc = key_loc(cn, "image");
    image_parse_kept(&c->image, u->arena, c->image_raw);
    const struct ynode *res = yml_get(cn, "resources");
    c->has_resources = yml_get_pair(cn, "resources") != NULL;
    c->resources_loc = key_loc(cn, "resources");
    c->req_cpu = dup_str(u, yml_path(res, "requests.cpu"));
    c->req_mem = dup_str(u, yml_path(res, "requests.memory"));
    c->lim_cpu = dup_str(u, yml_path(res, "limits.cpu"));
    c->lim_mem = dup_str(u, yml_path(res, "limits.memory"));
    return c;
}

static struct k8s_container **containers_load(struct unit *u, const struct ynode *seq, int init,
                                              size_t *n_out,
                                              const struct k8s_container *const *reuse,
                                              size_t nreuse)
{
    size_t n = yml_is_seq(seq) ? seq->len : 0;
    *n_out = 0;
    if (!n)
        return no_containers;
    struct k8s_container **out = arena_alloc(u->arena, (n + 1) * sizeof(*out));
    for (size_t i = 0; i < n; i++)
        if (yml_is_map(seq->items[i]))
            out[(*n_out)++] = i < nreuse && reuse[i]
                                  ? container_rebase(u, reuse[i], seq->items[i])
                                  : container_load(u, seq->items[i], init);
    return out;
}

/* ---- pod spec ---- */

static void volumes_load(struct unit *u, struct k8s_podspec *ps, const struct ynode *seq)
{
    size_t n = yml_is_seq(seq) ? seq->len : 0;
    ps->volumes = n ? arena_alloc(u->arena, n * sizeof(*ps->volumes)) : no_volumes;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *v = seq->items[i];
        if (!yml_is_map(v))
            continue;
        struct k8s_volume *vol = &ps->volumes[ps->nvolumes++];
        vol->name = dup_str(u, yml_get(v, "name"));
        vol->loc = loc_of(v);
        const struct ynode *hp = yml_get(v, "hostPath");
        vol->host_path = dup_str(u, yml_get(hp, "path"));
        vol->host_path_loc = hp ? key_loc(hp, "path") : (struct loc){0, 0};
        vol->secret_name = dup_str(u, yml_path(v, "secret.secretName"));
        vol->configmap_name = dup_str(u, yml_path(v, "configMap.name"));
        vol->pvc_name = dup_str(u, yml_path(v, "persistentVolumeClaim.claimName"));
    }
}

static struct k8s_podspec *podspec_load(struct unit *u, const struct ynode *spec,
                                        struct loc spec_loc, const struct k8s_reuse *r)
{
    static const struct k8s_reuse none = {0};
    if (!r)
        r = &none;
    struct k8s_podspec *ps = arena_alloc(u->arena, sizeof(*ps));
    ps->loc = spec_loc;
    ps->containers = containers_load(u, yml_get(spec, "containers"), 0, &ps->ncontainers,
                                     r->containers, r->ncontainers);
    ps->init_containers = containers_load(u, yml_get(spec, "initContainers"), 1, &ps->ninit,
                                          r->init_containers, r->ninit);
    ps->sc = security_load(u, spec);
    ps->host_network = tri(spec, "hostNetwork");
    ps->host_network_loc = key_loc(spec, "hostNetwork");
    ps->host_pid = tri(spec, "hostPID");
    ps->host_pid_loc = key_loc(spec, "hostPID");
    ps->host_ipc = tri(spec, "hostIPC");
    ps->host_ipc_loc = key_loc(spec, "hostIPC");
    const char *sa = yml_str(yml_get(spec, "serviceAccountName"));
    struct loc sa_loc = key_loc(spec, "serviceAccountName");
    if (!sa) { /* the deprecated alias still works */
        sa = yml_str(yml_get(spec, "serviceAccount"));
        sa_loc = key_loc(spec, "serviceAccount");
    }
    ps->service_account = k8s_str_pooled(sa);
    ps->service_account_loc = sa_loc;
    ps->automount_token = tri(spec, "automountServiceAccountToken");
    ps->automount_loc = key_loc(spec, "automountServiceAccountToken");
    volumes_load(u, ps, yml_get(spec, "volumes"));
    const struct ynode *ips = yml_get(spec, "imagePullSecrets");
    size_t n = yml_is_seq(ips) ? ips->len : 0, k = 0;
    ps->image_pull_secrets = n ? arena_alloc(u->arena, (n + 1) * sizeof(char *)) : no_strs;
    for (size_t i = 0; i < n; i++)
        if (yml_str(yml_get(ips->items[i], "name")))
            ps->image_pull_secrets[k++] = dup_str(u, yml_get(ips->items[i], "name"));
    return ps;
}

/* ---- objects ---- */

static const char *const workload_kinds[] = {
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
    "Job",        "CronJob",     "Pod",
};

static int kind_is_workload(const char *kind)
{
    for (size_t i = 0; kind && i < ARRAY_LEN(workload_kinds); i++)
        if (strcmp(kind, workload_kinds[i]) == 0)
            return 1;
    return 0;
}

int k8s_object_is_workload(const struct k8s_object *o)
{
    return kind_is_workload(o->kind);
}

static void workload_load(struct unit *u, struct k8s_object *o, const struct ynode *root,
                          const struct k8s_reuse *reuse)
{
    const struct ynode *spec = yml_get(root, "spec");
    const struct ynode *tmpl = NULL, *podspec = NULL;
    struct loc spec_loc;
    if (strcmp(o->kind, "Pod") == 0) {
        podspec = spec;
        spec_loc = key_loc(root, "spec");
    } else {
        if (strcmp(o->kind, "CronJob") == 0)
            spec = yml_path(spec, "jobTemplate.spec");
        tmpl = yml_get(spec, "template");
        podspec = yml_get(tmpl, "spec");
        spec_loc = key_loc(tmpl, "spec");
    }
    o->replicas = -1;
    if (strcmp(o->kind, "CronJob") != 0) {
        yml_int(yml_get(spec, "replicas"), &o->replicas);
        o->replicas_loc = key_loc(spec, "replicas");
    }
    const struct ynode *sel = yml_get(spec, "selector");
    o->has_selector = sel != NULL && strcmp(o->kind, "Pod") != 0;
    o->selector_loc = key_loc(spec, "selector");
    /* ReplicationController's selector is a plain map, the others use matchLabels. */
    kvs_load(u, &o->selector,
             strcmp(o->kind, "ReplicationController") == 0 ? sel : yml_get(sel, "matchLabels"));
    /* The labels its pods carry: a template's, or a bare Pod's own (a Service selects those). */
    const struct ynode *tl = strcmp(o->kind, "Pod") == 0 ? yml_path(root, "metadata.labels")
                                                         : yml_path(tmpl, "metadata.labels");
    kvs_load(u, &o->template_labels, tl);
    if (!yml_is_map(podspec)) {
        o->fragment = 1;
        return;
    }
    o->pod = reuse && reuse->pod ? (struct k8s_podspec *)reuse->pod
                                 : podspec_load(u, podspec, spec_loc, reuse);
    /* A container without an image is what a patch writes; in a file no kustomization uses
     * as a patch, a named object with a pod spec is whole and judged whole (its missing
     * image is a problem of its own, not a reason to look away). */
    if (!u->patch_file && o->name)
        return;
    for (size_t i = 0; i < o->pod->ncontainers; i++)
        if (!o->pod->containers[i]->image_raw)
            o->fragment = 1;
    for (size_t i = 0; i < o->pod->ninit; i++)
        if (!o->pod->init_containers[i]->image_raw)
            o->fragment = 1;
}

static struct k8s_kind_extra *extra_new(struct unit *u)
{
    struct k8s_kind_extra *x = arena_alloc(u->arena, sizeof(*x));
    x->min_replicas = x->max_replicas = -1;
    return x;
}

static void rbac_rules_load(struct unit *u, struct k8s_kind_extra *x, const struct ynode *rules)
{
    size_t nv = 0, nr = 0;
    size_t n = yml_is_seq(rules) ? rules->len : 0;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *v = yml_get(rules->items[i], "verbs");
        const struct ynode *r = yml_get(rules->items[i], "resources");
        nv += yml_is_seq(v) ? v->len : 0;
        nr += yml_is_seq(r) ? r->len : 0;
    }
    x->rbac_verbs = arena_alloc(u->arena, (nv + 1) * sizeof(char *));
    x->rbac_resources = arena_alloc(u->arena, (nr + 1) * sizeof(char *));
    x->rbac_verb_locs = arena_alloc(u->arena, (nv + 1) * sizeof(struct loc));
    x->rbac_resource_locs = arena_alloc(u->arena, (nr + 1) * sizeof(struct loc));
    for (size_t i = 0; i < n; i++) {
        const struct ynode *v = yml_get(rules->items[i], "verbs");
        const struct ynode *r = yml_get(rules->items[i], "resources");
        for (size_t j = 0; yml_is_seq(v) && j < v->len; j++) {
            if (!yml_str(v->items[j]))
                continue;
            x->rbac_verb_locs[x->nrbac_verbs] = loc_of(v->items[j]);
            x->rbac_verbs[x->nrbac_verbs++] = dup_str(u, v->items[j]);
        }
        for (size_t j = 0; yml_is_seq(r) && j < r->len; j++) {
            if (!yml_str(r->items[j]))
                continue;
            x->rbac_resource_locs[x->nrbac_resources] = loc_of(r->items[j]);
            x->rbac_resources[x->nrbac_resources++] = dup_str(u, r->items[j]);
        }
    }
}

static void ingress_load(struct unit *u, struct k8s_kind_extra *x, const struct ynode *spec)
{
    const struct ynode *rules = yml_get(spec, "rules");
    size_t n = yml_is_seq(rules) ? rules->len : 0, npaths = 1;
    for (size_t i = 0; i < n; i++) {
        const struct ynode *paths = yml_path(rules->items[i], "http.paths");
        npaths += yml_is_seq(paths) ? paths->len : 0;
    }
    x->ing_hosts = arena_alloc(u->arena, (n + 1) * sizeof(char *));
    x->ing_services = arena_alloc(u->arena, (npaths + 1) * sizeof(char *));
    /* networking.k8s.io/v1 names backend.service.name; v1beta1 backend.serviceName. */
    const struct ynode *def = yml_get(spec, "defaultBackend");
    if (!def)
        def = yml_get(spec, "backend");
    const char *svc = yml_str(yml_path(def, "service.name"));
    if (!svc)
        svc = yml_str(yml_get(def, "serviceName"));
    if (svc)
        x->ing_services[x->ning_services++] = k8s_str_pooled(svc);
    for (size_t i = 0; i < n; i++) {
        const struct ynode *rule = rules->items[i];
        if (yml_str(yml_get(rule, "host")))
            x->ing_hosts[x->ning_hosts++] = dup_str(u, yml_get(rule, "host"));
        const struct ynode *paths = yml_path(rule, "http.paths");
        for (size_t j = 0; yml_is_seq(paths) && j < paths->len; j++) {
            const struct ynode *b = yml_get(paths->items[j], "backend");
            svc = yml_str(yml_path(b, "service.name"));
            if (!svc)
                svc = yml_str(yml_get(b, "serviceName"));
            if (svc)
                x->ing_services[x->ning_services++] = k8s_str_pooled(svc);
        }
    }
}

static void service_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    const struct ynode *spec = yml_get(root, "spec");
    struct k8s_kind_extra *x = o->extra = extra_new(u);
    ports_load(u, &x->svc_ports, &x->nsvc_ports, yml_get(spec, "ports"), "port");
    x->svc_type = dup_str(u, yml_get(spec, "type"));
    kvs_load(u, &o->selector, yml_get(spec, "selector"));
    o->has_selector = yml_get(spec, "selector") != NULL;
    o->selector_loc = key_loc(spec, "selector");
}

static void ingress_kind_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    o->extra = extra_new(u);
    ingress_load(u, o->extra, yml_get(root, "spec"));
}

static void hpa_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    const struct ynode *spec = yml_get(root, "spec");
    struct k8s_kind_extra *x = o->extra = extra_new(u);
    const struct ynode *ref = yml_get(spec, "scaleTargetRef");
    x->scale_kind = dup_str(u, yml_get(ref, "kind"));
    x->scale_name = dup_str(u, yml_get(ref, "name"));
    x->scale_loc = key_loc(spec, "scaleTargetRef");
    yml_int(yml_get(spec, "minReplicas"), &x->min_replicas);
    yml_int(yml_get(spec, "maxReplicas"), &x->max_replicas);
}

/* matchLabels of a label selector found at `key` of the spec (PDB, NetworkPolicy). */
static void label_selector_load(struct unit *u, struct k8s_object *o, const struct ynode *spec,
                                const char *key)
{
    const struct ynode *sel = yml_get(spec, key);
    kvs_load(u, &o->selector, yml_get(sel, "matchLabels"));
    o->has_selector = sel != NULL;
    o->selector_loc = key_loc(spec, key);
}

static void pdb_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    const struct ynode *spec = yml_get(root, "spec");
    struct k8s_kind_extra *x = o->extra = extra_new(u);
    x->min_available = dup_str(u, yml_get(spec, "minAvailable"));
    x->max_unavailable = dup_str(u, yml_get(spec, "maxUnavailable"));
    x->pdb_budget_loc = key_loc(spec, x->max_unavailable ? "maxUnavailable" : "minAvailable");
    label_selector_load(u, o, spec, "selector");
}

static void netpol_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    label_selector_load(u, o, yml_get(root, "spec"), "podSelector");
}

static void service_account_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    (void)u;
    o->automount_token = tri(root, "automountServiceAccountToken");
}

static void secret_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    struct k8s_kind_extra *x = o->extra = extra_new(u);
    static const char *const keys[] = {"data", "stringData"};
    for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
        const struct ynode *d = yml_get(root, keys[k]);
        if (!yml_is_map(d) || !d->len)
            continue;
        if (!x->secret_has_data)
            x->secret_data_loc = key_loc(root, keys[k]);
        x->secret_has_data = 1;
        for (size_t i = 0; i < d->len; i++) {
            const struct ynode *v = d->pairs[i].val;
            if (v && v->kind == YN_SCALAR && v->len)
                vec_push(&u->secret_values, arena_strndup(u->arena, v->s, v->len));
        }
    }
    if (!x->secret_has_data)
        x->secret_data_loc = key_loc(root, yml_get_pair(root, "data") ? "data" : "stringData");
    x->secret_type = dup_str(u, yml_get(root, "type"));
}

static void role_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    o->extra = extra_new(u);
    rbac_rules_load(u, o->extra, yml_get(root, "rules"));
}

static void binding_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    struct k8s_kind_extra *x = o->extra = extra_new(u);
    const struct ynode *ref = yml_get(root, "roleRef");
    x->role_ref_kind = dup_str(u, yml_get(ref, "kind"));
    x->role_ref_name = dup_str(u, yml_get(ref, "name"));
    x->role_ref_loc = yml_get_pair(ref, "name") ? key_loc(ref, "name") : key_loc(root, "roleRef");
}

/* What each kind keeps beyond the common metadata; workloads are handled apart. */
static const struct {
    const char *kind;
    void (*load)(struct unit *u, struct k8s_object *o, const struct ynode *root);
} kind_loaders[] = {
    {"Service", service_load},
    {"Ingress", ingress_kind_load},
    {"HorizontalPodAutoscaler", hpa_load},
    {"PodDisruptionBudget", pdb_load},
    {"NetworkPolicy", netpol_load},
    {"ServiceAccount", service_account_load},
    {"Secret", secret_load},
    {"Role", role_load},
    {"ClusterRole", role_load},
    {"RoleBinding", binding_load},
    {"ClusterRoleBinding", binding_load},
};

static void extra_load(struct unit *u, struct k8s_object *o, const struct ynode *root)
{
    for (size_t i = 0; i < ARRAY_LEN(kind_loaders); i++)
        if (strcmp(o->kind, kind_loaders[i].kind) == 0) {
            kind_loaders[i].load(u, o, root);
            return;
        }
}

static void object_load(struct unit *u, const struct ynode *root, int doc,
                        const struct k8s_reuse *reuse);

static void list_load(struct unit *u, const struct ynode *root, int doc)
{
    const struct ynode *items = yml_get(root, "items");
    for (size_t i = 0; yml_is_seq(items) && i < items->len; i++)
        object_load(u, items->items[i], doc, NULL);
}

/* What metadata gives: name, namespace, labels, annotations (unless kept). */
static void metadata_load(struct unit *u, struct k8s_object *o, const struct ynode *md,
                          int labels, int annotations)
{
    o->name_loc = key_loc(md, "name");
    o->namespace_loc = key_loc(md, "namespace");
    if (labels)
        kvs_load(u, &o->labels, yml_get(md, "labels"));
    if (annotations)
        kvs_load(u, &o->annotations, yml_get(md, "annotations"));
}

static void object_load(struct unit *u, const struct ynode *root, int doc,
                        const struct k8s_reuse *reuse)
{
    const char *api = yml_str(yml_get(root, "apiVersion"));
    const char *kind = yml_str(yml_get(root, "kind"));
    if (!yml_is_map(root) || !api || !kind)
        return;
    /* A List is a wrapper, not an object: its items are what gets applied. */
    if (strcmp(kind, "List") == 0 || (str_endswith(kind, "List") && yml_get(root, "items"))) {
        list_load(u, root, doc);
        return;
    }
    struct k8s_object *o = arena_alloc(u->arena, sizeof(*o));
    const struct ynode *md = yml_get(root, "metadata");
    o->api_version = k8s_str_pooled(api);
    o->kind = k8s_str_pooled(kind);
    o->name = k8s_str_pooled(yml_str(yml_get(md, "name")));
    o->namespace = k8s_str_pooled(yml_str(yml_get(md, "namespace")));
    o->doc = doc;
    o->loc = root->len ? loc_of(root->pairs[0].key) : loc_of(root);
    o->api_version_loc = key_loc(root, "apiVersion");
    o->kind_loc = key_loc(root, "kind");
    metadata_load(u, o, md, 1, 1);
    o->replicas = -1;
    o->automount_token = -1;
    if (kind_is_workload(kind))
        workload_load(u, o, root, reuse);
    else
        extra_load(u, o, root);
    vec_push(&u->k8s_objects, o);
}

void k8s_load(struct unit *u, const struct yfile *yf)
{
    for (size_t i = 0; i < yf->ndocs; i++)
        if (yf->docs[i].root)
            object_load(u, yf->docs[i].root, (int)i, NULL);
}

void k8s_load_sharing(struct unit *u, const struct ynode *root, int doc,
                      const struct k8s_reuse *reuse)
{
    object_load(u, root, doc, reuse);
}

/* `s` as ref's copy when it is the same text. */
static const char *str_reuse(struct unit *u, const struct ynode *n, const char *ref)
{
    const char *s = yml_str(n);
    (void)u;
    return s && ref && strcmp(s, ref) == 0 ? ref : k8s_str_pooled(s);
}

struct k8s_object *k8s_object_rebase(struct unit *u, const struct k8s_object *ref,
                                     const struct ynode *root, int doc, int same_labels,
                                     int same_annotations)
{
    struct k8s_object *o = arena_alloc(u->arena, sizeof(*o));
    *o = *ref;
    const struct ynode *md = yml_get(root, "metadata");
    o->doc = doc;
    o->name = str_reuse(u, yml_get(md, "name"), ref->name);
    o->namespace = str_reuse(u, yml_get(md, "namespace"), ref->namespace);
    metadata_load(u, o, md, !same_labels, !same_annotations);
    return o;
}
