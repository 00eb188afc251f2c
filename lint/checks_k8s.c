/* Built-in checks for Kubernetes manifests: containers (probes, resources, images, security
 * contexts), pod specs (host namespaces, hostPath, service accounts), objects (namespaces,
 * API versions, RBAC, selectors); the checks across files are in checks_k8s_model.c.
 * Files are judged as written: a workload document that can only be a Kustomize patch (see
 * k8s_object.fragment) is not blamed for what it leaves to its base. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "secrets_int.h"
#include "model/k8s.h"

/* ---- walking objects and containers ---- */

typedef void (*container_fn)(struct lint_ctx *ctx, const struct k8s_object *o,
                             const struct k8s_container *c, const char *entity);
typedef void (*object_fn)(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o);

enum walk_flags {
    WALK_INIT = 1,      /* init containers too */
    WALK_FRAGMENTS = 2, /* patch fragments too: the rule looks only at what is written */
    WALK_NO_JOBS = 4,   /* not Jobs and CronJobs (they run to completion) */
};

int k8s_kind_is(const struct k8s_object *o, const char *kind)
{
    return o->kind && strcmp(o->kind, kind) == 0;
}

/* Appends the strings up to NULL to buf (n bytes), cut to fit. Made for every container of
 * every rule, so not through snprintf. */
static void entity_cat(char *buf, size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    size_t at = 0;
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        size_t l = strlen(s);
        if (l > n - 1 - at)
            l = n - 1 - at;
        memcpy(buf + at, s, l);
        at += l;
    }
    buf[at] = '\0';
    va_end(ap);
}

static void container_entity(char *buf, size_t n, const struct k8s_object *o,
                             const struct k8s_container *c)
{
    entity_cat(buf, n, o->kind ? o->kind : "?", "/", o->name ? o->name : "?",
               c->init ? " init container " : " container ", c->name ? c->name : "?",
               (const char *)NULL);
}

void k8s_object_entity(char *buf, size_t n, const struct k8s_object *o)
{
    entity_cat(buf, n, o->kind ? o->kind : "?", "/", o->name ? o->name : "?", (const char *)NULL);
}

static void containers_walk(struct lint_ctx *ctx, unsigned flags, container_fn fn)
{
    const struct unit *u = ctx->unit;
    char entity[512];
    for (size_t i = 0; i < u->k8s_objects.len; i++) {
        const struct k8s_object *o = u->k8s_objects.items[i];
        if (!o->pod || (o->fragment && !(flags & WALK_FRAGMENTS)))
            continue;
        if ((flags & WALK_NO_JOBS) && (k8s_kind_is(o, "Job") || k8s_kind_is(o, "CronJob")))
            continue;
        for (size_t j = 0; j < o->pod->ncontainers; j++) {
            container_entity(entity, sizeof(entity), o, o->pod->containers[j]);
            fn(ctx, o, o->pod->containers[j], entity);
        }
        for (size_t j = 0; (flags & WALK_INIT) && j < o->pod->ninit; j++) {
            container_entity(entity, sizeof(entity), o, o->pod->init_containers[j]);
            fn(ctx, o, o->pod->init_containers[j], entity);
        }
    }
}

static void objects_walk(struct lint_ctx *ctx, object_fn fn)
{
    const struct unit *u = ctx->unit;
    for (size_t i = 0; i < u->k8s_objects.len; i++)
        fn(ctx, u, u->k8s_objects.items[i]);
}


static int str_in(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (str_ieq(list[i], s))
            return 1;
    return 0;
}

/* ---- issue 2: probes, limits, images, privileged ---- */

static void probe_liveness(struct lint_ctx *ctx, const struct k8s_object *o,
                           const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (!c->liveness->present)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' has no livenessProbe: a hung process is never restarted",
                    c->name ? c->name : "?");
}

static void probe_readiness(struct lint_ctx *ctx, const struct k8s_object *o,
                            const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (!c->readiness->present)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' has no readinessProbe: it gets traffic before it can serve",
                    c->name ? c->name : "?");
}

/* Which of a cpu/memory pair is missing, for a message. */
static const char *missing_what(const char *cpu, const char *mem)
{
    return !cpu && !mem ? "cpu or memory" : !cpu ? "cpu" : "memory";
}

static void limits_missing(struct lint_ctx *ctx, const struct k8s_object *o,
                           const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (!c->lim_cpu || !c->lim_mem)
        lint_report(ctx, c->loc.line, c->loc.col, entity, "container '%s' has no %s limit",
                    c->name ? c->name : "?", missing_what(c->lim_cpu, c->lim_mem));
}

static void requests_missing(struct lint_ctx *ctx, const struct k8s_object *o,
                             const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (!c->req_cpu || !c->req_mem)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' has no %s request: the scheduler places it blind",
                    c->name ? c->name : "?", missing_what(c->req_cpu, c->req_mem));
}

/* 1 when the image floats: no tag and no digest, or the tag `latest` without a digest. */
static int image_floats(const struct k8s_image *im)
{
    if (im->digest)
        return 0;
    return !im->tag || strcmp(im->tag, "latest") == 0;
}

static void image_latest(struct lint_ctx *ctx, const struct k8s_object *o,
                         const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (c->image_raw && image_floats(&c->image))
        lint_report(ctx, c->image_loc.line, c->image_loc.col, entity,
                    "image '%s' is %s: what runs changes without a change here", c->image_raw,
                    c->image.tag ? "tagged latest" : "untagged");
}

static void image_digest(struct lint_ctx *ctx, const struct k8s_object *o,
                         const struct k8s_container *c, const char *entity)
{
    (void)o;
    /* A floating image is k8s-image-latest-or-untagged's finding; this one is about tags. */
    if (!c->image_raw || c->image.digest || image_floats(&c->image))
        return;
    struct finding *f = lint_report(ctx, c->image_loc.line, c->image_loc.col, entity,
                                    "image '%s' is pinned by tag, not by digest", c->image_raw);
    if (model_path_is_production(ctx->model, ctx->unit->file->path))
        lint_finding_escalate(f);
}

static void privileged(struct lint_ctx *ctx, const struct k8s_object *o,
                       const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (c->sc->privileged == 1)
        lint_report(ctx, c->sc->privileged_loc.line, c->sc->privileged_loc.col, entity,
                    "container '%s' runs privileged: full access to the node",
                    c->name ? c->name : "?");
}

/* ---- issue 7: container security ---- */

static void privilege_escalation(struct lint_ctx *ctx, const struct k8s_object *o,
                                 const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (c->sc->allow_privilege_escalation == 1)
        lint_report(ctx, c->sc->ape_loc.line, c->sc->ape_loc.col, entity,
                    "container '%s' sets allowPrivilegeEscalation: true", c->name ? c->name : "?");
    else if (c->sc->allow_privilege_escalation == -1)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' does not set allowPrivilegeEscalation: false (setuid "
                    "binaries can gain privileges)",
                    c->name ? c->name : "?");
}

static void run_as_root(struct lint_ctx *ctx, const struct k8s_object *o,
                        const struct k8s_container *c, const char *entity)
{
    const struct k8s_security *pod = o->pod->sc;
    const char *name = c->name ? c->name : "?";
    /* The container's settings win over the pod's, field by field. */
    long long uid = c->sc->run_as_user >= 0 ? c->sc->run_as_user : pod->run_as_user;
    struct loc uid_loc = c->sc->run_as_user >= 0 ? c->sc->run_as_user_loc : pod->run_as_user_loc;
    int nonroot = c->sc->run_as_non_root != -1 ? c->sc->run_as_non_root : pod->run_as_non_root;
    struct loc nr_loc =
        c->sc->run_as_non_root != -1 ? c->sc->run_as_non_root_loc : pod->run_as_non_root_loc;
    if (uid == 0)
        lint_report(ctx, uid_loc.line, uid_loc.col, entity, "container '%s' runs as user 0 (root)",
                    name);
    else if (uid < 0 && nonroot == 0)
        lint_report(ctx, nr_loc.line, nr_loc.col, entity,
                    "container '%s' sets runAsNonRoot: false and no runAsUser: it runs as "
                    "whatever user the image says, root by default",
                    name);
    else if (uid < 0 && nonroot != 1)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' may run as root: neither it nor its pod sets runAsNonRoot: "
                    "true or a non-zero runAsUser",
                    name);
}

static void writable_root(struct lint_ctx *ctx, const struct k8s_object *o,
                          const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (c->sc->read_only_root_fs == 1)
        return;
    struct loc l = c->sc->read_only_root_fs == 0 ? c->sc->read_only_loc : c->loc;
    lint_report(ctx, l.line, l.col, entity,
                "container '%s' has a writable root filesystem (readOnlyRootFilesystem is "
                "not true)",
                c->name ? c->name : "?");
}

static void no_seccomp(struct lint_ctx *ctx, const struct k8s_object *o,
                       const struct k8s_container *c, const char *entity)
{
    const char *prof = c->sc->seccomp ? c->sc->seccomp : o->pod->sc->seccomp;
    struct loc l = c->sc->seccomp ? c->sc->seccomp_loc : o->pod->sc->seccomp_loc;
    if (prof && strcmp(prof, "Unconfined") == 0)
        lint_report(ctx, l.line, l.col, entity,
                    "container '%s' runs with seccompProfile Unconfined", c->name ? c->name : "?");
    else if (!prof)
        lint_report(ctx, c->loc.line, c->loc.col, entity,
                    "container '%s' has no seccompProfile (neither it nor its pod sets one)",
                    c->name ? c->name : "?");
}

/* The first entry of the check's list parameter `key` that equals `s` (any case), or NULL. */
static const char *param_list_find(const struct rule *r, const char *key, const char *s)
{
    const struct ynode *l = lint_param(r, key);
    for (size_t i = 0; yml_is_seq(l) && i < l->len; i++)
        if (yml_str(l->items[i]) && str_ieq(yml_str(l->items[i]), s))
            return yml_str(l->items[i]);
    return NULL;
}

static void capabilities(struct lint_ctx *ctx, const struct k8s_object *o,
                         const struct k8s_container *c, const char *entity)
{
    (void)o;
    const char *name = c->name ? c->name : "?";
    for (size_t i = 0; i < c->sc->ncap_add; i++) {
        const char *cap = c->sc->cap_add[i];
        const char *bare = str_startswith(cap, "CAP_") ? cap + 4 : cap;
        if (!param_list_find(ctx->rule, "dangerous", bare))
            continue;
        struct finding *f = lint_report(ctx, c->sc->cap_add_loc.line, c->sc->cap_add_loc.col,
                                        entity, "container '%s' adds capability %s", name, cap);
        lint_finding_escalate(f); /* adding one is a deliberate grant of near-root power */
    }
    if (str_in(c->sc->cap_drop, c->sc->ncap_drop, "ALL"))
        return;
    lint_report(ctx, c->loc.line, c->loc.col, entity,
                "container '%s' does not drop ALL capabilities%s", name,
                str_in(c->sc->cap_drop, c->sc->ncap_drop, "NET_RAW") ? "" : " (NET_RAW is kept)");
}

static void probe_port(struct lint_ctx *ctx, const struct k8s_object *o,
                       const struct k8s_container *c, const char *entity)
{
    (void)o;
    const struct k8s_probe *probes[] = {c->liveness, c->readiness, c->startup};
    static const char *const names[] = {"livenessProbe", "readinessProbe", "startupProbe"};
    for (size_t i = 0; i < ARRAY_LEN(probes); i++) {
        const struct k8s_probe *p = probes[i];
        if (!p->present || !p->port || !*p->port)
            continue;
        char *end = NULL;
        long long num = strtoll(p->port, &end, 10);
        int numeric = end && !*end;
        /* An undeclared number still works (declaring ports is informational), so it is
         * only suspicious when the container declares ports and this is not one of them. */
        if (numeric && !c->nports)
            continue;
        int found = 0;
        for (size_t j = 0; j < c->nports && !found; j++)
            found = numeric ? c->ports[j].number == num
                            : (c->ports[j].name && strcmp(c->ports[j].name, p->port) == 0);
        if (!found)
            lint_report(ctx, p->loc.line, p->loc.col, entity,
                        "%s of container '%s' targets port '%s', which the container does not "
                        "declare",
                        names[i], c->name ? c->name : "?", p->port);
    }
}

static void probes_identical(struct lint_ctx *ctx, const struct k8s_object *o,
                             const struct k8s_container *c, const char *entity)
{
    (void)o;
    if (c->liveness->signature && c->readiness->signature &&
        strcmp(c->liveness->signature, c->readiness->signature) == 0)
        lint_report(ctx, c->liveness->loc.line, c->liveness->loc.col, entity,
                    "container '%s' uses the same check for liveness and readiness: a slow "
                    "dependency restarts the pod instead of taking it out of rotation",
                    c->name ? c->name : "?");
}

/* Env names that say "secret", and suffixes that say the value only points at one. */
static const char *const secret_words[] = {
    "PASSWORD",    "PASSWD",     "SECRET",     "TOKEN",      "API_KEY",     "APIKEY",
    "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "CLIENT_KEY", "SIGNING_KEY", "ENCRYPTION_KEY"};
static const char *const pointer_suffixes[] = {
    "_FILE",     "_PATH",   "_DIR", "_NAME",   "_REF",     "_ID",      "_URL",   "_URI",
    "_ENDPOINT", "_HEADER", "_TTL", "_EXPIRY", "_TIMEOUT", "_ENABLED", "_LENGTH"};

static int env_name_is_secret(const char *name)
{
    size_t n = strlen(name);
    int hit = 0;
    for (size_t i = 0; i < ARRAY_LEN(secret_words) && !hit; i++)
        hit = str_icasestr(name, n, secret_words[i]) != NULL;
    for (size_t i = 0; hit && i < ARRAY_LEN(pointer_suffixes); i++) {
        size_t m = strlen(pointer_suffixes[i]);
        if (n >= m && str_ieq(name + n - m, pointer_suffixes[i]))
            return 0;
    }
    return hit;
}

static int value_is_setting(const char *v)
{
    static const char *const flags[] = {"true", "false", "yes", "no", "on", "off"};
    if (str_in(flags, ARRAY_LEN(flags), v))
        return 1;
    size_t digits = strspn(v, "0123456789");
    return digits > 0 && v[digits] == '\0';
}

static void secret_literal(struct lint_ctx *ctx, const struct k8s_object *o,
                           const struct k8s_container *c, const char *entity)
{
    (void)o;
    for (size_t i = 0; i < c->nenv; i++) {
        const struct k8s_env *e = &c->env[i];
        if (!e->name || !e->value || !*e->value || !env_name_is_secret(e->name))
            continue;
        /* $(OTHER_VAR) only composes other variables; a path names a mounted file; a flag
         * or a number (TOKEN_REFRESH: "true", SECRET_ROTATION_DAYS: "30") is settings. */
        if (str_startswith(e->value, "$(") || value_is_setting(e->value) ||
            !secrets_value_plausible(e->value))
            continue;
        struct finding *f = lint_report(ctx, e->value_loc.line, e->value_loc.col, entity,
                                        "env var %s of container '%s' holds a literal secret "
                                        "value",
                                        e->name, c->name ? c->name : "?");
        if (!e->value_block) {
            f->mask_col = e->value_loc.col + (e->value_quoted ? 1 : 0);
            f->mask_len = (int)strlen(e->value);
        }
    }
}

/* ---- pod specs ---- */

static void host_namespace(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    (void)u;
    if (!o->pod)
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    const struct {
        int on;
        struct loc l;
        const char *what;
    } ns[] = {
        {o->pod->host_network, o->pod->host_network_loc, "hostNetwork"},
        {o->pod->host_pid, o->pod->host_pid_loc, "hostPID"},
        {o->pod->host_ipc, o->pod->host_ipc_loc, "hostIPC"},
    };
    for (size_t i = 0; i < ARRAY_LEN(ns); i++)
        if (ns[i].on == 1)
            lint_report(ctx, ns[i].l.line, ns[i].l.col, entity,
                        "%s shares the node's namespace: %s: true", entity, ns[i].what);
}

static int host_path_critical(const struct rule *r, const char *path)
{
    const struct ynode *l = lint_param(r, "critical-paths");
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    for (size_t i = 0; yml_is_seq(l) && i < l->len; i++) {
        const char *c = yml_str(l->items[i]);
        if (!c)
            continue;
        size_t m = strlen(c);
        if (n == m && memcmp(path, c, n) == 0)
            return 1;
        /* Below a critical directory is critical too ("/etc/kubernetes"), except below "/". */
        if (m > 1 && n > m && memcmp(path, c, m) == 0 && path[m] == '/')
            return 1;
    }
    return 0;
}

static void host_path(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    (void)u;
    if (!o->pod)
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    for (size_t i = 0; i < o->pod->nvolumes; i++) {
        const struct k8s_volume *v = &o->pod->volumes[i];
        if (!v->host_path)
            continue;
        int critical = host_path_critical(ctx->rule, v->host_path);
        struct finding *f =
            lint_report(ctx, v->host_path_loc.line, v->host_path_loc.col, entity,
                        "volume '%s' mounts the node's %s%s", v->name ? v->name : "?", v->host_path,
                        critical ? ": a path that gives control of the node" : "");
        if (critical)
            lint_finding_escalate(f);
    }
}

static void default_service_account(struct lint_ctx *ctx, const struct unit *u,
                                    const struct k8s_object *o)
{
    (void)u;
    if (!o->pod || o->fragment)
        return;
    const char *sa = o->pod->service_account;
    if (sa && strcmp(sa, "default") != 0)
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    struct loc l = sa ? o->pod->service_account_loc : o->pod->loc;
    lint_report(ctx, l.line, l.col, entity, "%s runs as the namespace's default service account%s",
                entity, sa ? "" : " (no serviceAccountName)");
}

/* ---- objects ---- */

static void default_namespace(struct lint_ctx *ctx, const struct unit *u,
                              const struct k8s_object *o)
{
    (void)u;
    if (!o->namespace || strcmp(o->namespace, "default") != 0)
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    lint_report(ctx, o->namespace_loc.line, o->namespace_loc.col, entity,
                "%s is placed in the 'default' namespace", entity);
}

static void single_replica(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    if (o->replicas != 1 || !model_path_is_production(ctx->model, u->file->path) ||
        !(k8s_kind_is(o, "Deployment") || k8s_kind_is(o, "StatefulSet")))
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    lint_report(ctx, o->replicas_loc.line, o->replicas_loc.col, entity,
                "%s runs a single replica in production: any restart is an outage", entity);
}

static void rbac_wildcard(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    (void)u;
    const struct k8s_kind_extra *x = o->extra;
    if (!x || !(k8s_kind_is(o, "Role") || k8s_kind_is(o, "ClusterRole")))
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    for (size_t i = 0; i < x->nrbac_verbs; i++)
        if (strcmp(x->rbac_verbs[i], "*") == 0)
            lint_report(ctx, x->rbac_verb_locs[i].line, x->rbac_verb_locs[i].col, entity,
                        "%s grants every verb ('*')", entity);
    for (size_t i = 0; i < x->nrbac_resources; i++)
        if (strcmp(x->rbac_resources[i], "*") == 0)
            lint_report(ctx, x->rbac_resource_locs[i].line, x->rbac_resource_locs[i].col, entity,
                        "%s grants access to every resource ('*')", entity);
}

static void cluster_admin(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    (void)u;
    const struct k8s_kind_extra *x = o->extra;
    if (!x || !x->role_ref_name || strcmp(x->role_ref_name, "cluster-admin") != 0)
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    lint_report(ctx, x->role_ref_loc.line, x->role_ref_loc.col, entity,
                "%s binds the cluster-admin role", entity);
}

/* API versions no longer served, with the Kubernetes release that removed them. A NULL kind
 * means every kind of that group version. */
static const struct {
    const char *api, *kind, *use, *removed;
} deprecated_apis[] = {
    {"extensions/v1beta1", "Ingress", "networking.k8s.io/v1", "1.22"},
    {"extensions/v1beta1", "PodSecurityPolicy", "Pod Security admission", "1.16"},
    {"extensions/v1beta1", NULL, "apps/v1 or networking.k8s.io/v1", "1.16"},
    {"apps/v1beta1", NULL, "apps/v1", "1.16"},
    {"apps/v1beta2", NULL, "apps/v1", "1.16"},
    {"policy/v1beta1", "PodSecurityPolicy", "Pod Security admission", "1.25"},
    {"policy/v1beta1", NULL, "policy/v1", "1.25"},
    {"batch/v1beta1", NULL, "batch/v1", "1.25"},
    {"batch/v2alpha1", NULL, "batch/v1", "1.21"},
    {"networking.k8s.io/v1beta1", NULL, "networking.k8s.io/v1", "1.22"},
    {"rbac.authorization.k8s.io/v1beta1", NULL, "rbac.authorization.k8s.io/v1", "1.22"},
    {"rbac.authorization.k8s.io/v1alpha1", NULL, "rbac.authorization.k8s.io/v1", "1.22"},
    {"autoscaling/v2beta1", NULL, "autoscaling/v2", "1.25"},
    {"autoscaling/v2beta2", NULL, "autoscaling/v2", "1.26"},
    {"admissionregistration.k8s.io/v1beta1", NULL, "admissionregistration.k8s.io/v1", "1.22"},
    {"apiextensions.k8s.io/v1beta1", NULL, "apiextensions.k8s.io/v1", "1.22"},
    {"apiregistration.k8s.io/v1beta1", NULL, "apiregistration.k8s.io/v1", "1.22"},
    {"scheduling.k8s.io/v1beta1", NULL, "scheduling.k8s.io/v1", "1.22"},
    {"storage.k8s.io/v1beta1", NULL, "storage.k8s.io/v1", "1.27"},
    {"coordination.k8s.io/v1beta1", NULL, "coordination.k8s.io/v1", "1.22"},
    {"certificates.k8s.io/v1beta1", NULL, "certificates.k8s.io/v1", "1.22"},
    {"discovery.k8s.io/v1beta1", NULL, "discovery.k8s.io/v1", "1.25"},
    {"events.k8s.io/v1beta1", NULL, "events.k8s.io/v1", "1.25"},
    {"node.k8s.io/v1beta1", NULL, "node.k8s.io/v1", "1.25"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", NULL, "flowcontrol.apiserver.k8s.io/v1", "1.26"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", NULL, "flowcontrol.apiserver.k8s.io/v1", "1.29"},
};

static void deprecated_api(struct lint_ctx *ctx, const struct unit *u, const struct k8s_object *o)
{
    (void)u;
    for (size_t i = 0; i < ARRAY_LEN(deprecated_apis); i++) {
        if (strcmp(o->api_version, deprecated_apis[i].api) != 0 ||
            (deprecated_apis[i].kind && !k8s_kind_is(o, deprecated_apis[i].kind)))
            continue;
        char entity[512];
        k8s_object_entity(entity, sizeof(entity), o);
        lint_report(ctx, o->api_version_loc.line, o->api_version_loc.col, entity,
                    "%s uses %s, removed in Kubernetes %s: use %s", entity, o->api_version,
                    deprecated_apis[i].removed, deprecated_apis[i].use);
        return;
    }
}

static void selector_mismatch(struct lint_ctx *ctx, const struct unit *u,
                              const struct k8s_object *o)
{
    (void)u;
    static const char *const kinds[] = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                        "ReplicationController"};
    if (o->fragment || !o->selector.len || !str_in(kinds, ARRAY_LEN(kinds), o->kind))
        return;
    if (k8s_selector_matches(&o->selector, &o->template_labels))
        return;
    char entity[512];
    k8s_object_entity(entity, sizeof(entity), o);
    lint_report(ctx, o->selector_loc.line, o->selector_loc.col, entity,
                "the selector of %s does not match its pod template's labels", entity);
}

/* ---- hooks ---- */

#define CONTAINER_CHECK(fn_name, walker, flags)                                                    \
    static void fn_name(struct lint_ctx *ctx)                                                      \
    {                                                                                              \
        containers_walk(ctx, flags, walker);                                                       \
    }
#define OBJECT_CHECK(fn_name, walker)                                                              \
    static void fn_name(struct lint_ctx *ctx)                                                      \
    {                                                                                              \
        objects_walk(ctx, walker);                                                                 \
    }

/* Kubernetes rejects probes on init containers, and Jobs run to completion: both are left
 * out of the probe rules. */
CONTAINER_CHECK(on_liveness, probe_liveness, WALK_NO_JOBS)
CONTAINER_CHECK(on_readiness, probe_readiness, WALK_NO_JOBS)
CONTAINER_CHECK(on_limits, limits_missing, WALK_INIT)
CONTAINER_CHECK(on_requests, requests_missing, WALK_INIT)
/* An image or a privileged flag written in a patch is what gets deployed: judged anywhere. */
CONTAINER_CHECK(on_image_latest, image_latest, WALK_INIT | WALK_FRAGMENTS)
CONTAINER_CHECK(on_image_digest, image_digest, WALK_INIT | WALK_FRAGMENTS)
CONTAINER_CHECK(on_privileged, privileged, WALK_INIT | WALK_FRAGMENTS)
CONTAINER_CHECK(on_escalation, privilege_escalation, WALK_INIT)
CONTAINER_CHECK(on_run_as_root, run_as_root, WALK_INIT)
CONTAINER_CHECK(on_writable_root, writable_root, WALK_INIT)
CONTAINER_CHECK(on_seccomp, no_seccomp, WALK_INIT)
CONTAINER_CHECK(on_capabilities, capabilities, WALK_INIT)
CONTAINER_CHECK(on_probe_port, probe_port, 0)
CONTAINER_CHECK(on_identical_probes, probes_identical, 0)
CONTAINER_CHECK(on_secret_literal, secret_literal, WALK_INIT | WALK_FRAGMENTS)
OBJECT_CHECK(on_host_namespace, host_namespace)
OBJECT_CHECK(on_host_path, host_path)
OBJECT_CHECK(on_default_sa, default_service_account)
OBJECT_CHECK(on_default_namespace, default_namespace)
OBJECT_CHECK(on_single_replica, single_replica)
OBJECT_CHECK(on_rbac_wildcard, rbac_wildcard)
OBJECT_CHECK(on_cluster_admin, cluster_admin)
OBJECT_CHECK(on_deprecated_api, deprecated_api)
OBJECT_CHECK(on_selector_mismatch, selector_mismatch)

#define K8S KIND(FK_K8S)

const struct check_def lint_checks_k8s[] = {
    {.name = "k8s-missing-liveness-probe", .kinds = K8S, .on_unit = on_liveness},
    {.name = "k8s-missing-readiness-probe", .kinds = K8S, .on_unit = on_readiness},
    {.name = "k8s-missing-resource-limits", .kinds = K8S, .on_unit = on_limits},
    {.name = "k8s-missing-resource-requests", .kinds = K8S, .on_unit = on_requests},
    {.name = "k8s-image-latest-or-untagged", .kinds = K8S, .on_unit = on_image_latest},
    {.name = "k8s-image-not-pinned-by-digest", .kinds = K8S, .on_unit = on_image_digest},
    {.name = "k8s-privileged", .kinds = K8S, .on_unit = on_privileged},
    {.name = "k8s-allow-privilege-escalation", .kinds = K8S, .on_unit = on_escalation},
    {.name = "k8s-run-as-root", .kinds = K8S, .on_unit = on_run_as_root},
    {.name = "k8s-writable-root-filesystem", .kinds = K8S, .on_unit = on_writable_root},
    {.name = "k8s-no-seccomp-profile", .kinds = K8S, .on_unit = on_seccomp},
    {.name = "k8s-dangerous-capabilities", .kinds = K8S, .on_unit = on_capabilities},
    {.name = "k8s-probe-port-undeclared", .kinds = K8S, .on_unit = on_probe_port},
    {.name = "k8s-identical-liveness-readiness", .kinds = K8S, .on_unit = on_identical_probes},
    {.name = "k8s-secret-in-env-literal", .kinds = K8S, .on_unit = on_secret_literal},
    {.name = "k8s-host-namespace", .kinds = K8S, .on_unit = on_host_namespace},
    {.name = "k8s-host-path", .kinds = K8S, .on_unit = on_host_path},
    {.name = "k8s-default-service-account", .kinds = K8S, .on_unit = on_default_sa},
    {.name = "k8s-default-namespace", .kinds = K8S, .on_unit = on_default_namespace},
    {.name = "k8s-single-replica", .kinds = K8S, .on_unit = on_single_replica},
    {.name = "k8s-rbac-wildcard", .kinds = K8S, .on_unit = on_rbac_wildcard},
    {.name = "k8s-cluster-admin-binding", .kinds = K8S, .on_unit = on_cluster_admin},
    {.name = "k8s-deprecated-api-version", .kinds = K8S, .on_unit = on_deprecated_api},
    {.name = "k8s-selector-label-mismatch", .kinds = K8S, .on_unit = on_selector_mismatch},
    {0},
};
