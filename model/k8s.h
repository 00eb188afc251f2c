/* Kubernetes model: every document with apiVersion and kind becomes an object; workloads of
 * every kind get their pod spec, containers and init containers with images parsed, probes,
 * resources, security contexts, env references and volumes. Kind-specific parts (Service,
 * Ingress, HPA, PDB, NetworkPolicy, Secret, RBAC) hang off the object. Strings are shared:
 * the common vocabulary (kinds, apiVersions, well-known label keys) points at constants,
 * the rest at one pooled copy per text for the process (k8s_str_pooled); every field a rule
 * can point at keeps its line and column. */
#ifndef OPSBOOK_K8S_H
#define OPSBOOK_K8S_H

#include "model.h"

struct k8s_image {
    const char *raw;          /* a container's image keeps its image_raw here, not a copy */
    const char *registry;     /* "ghcr.io", "registry.example.com:5000", NULL for Docker Hub */
    const char *repository;   /* "team/app" */
    const char *tag;          /* NULL when untagged */
    const char *digest;       /* "sha256:…" or NULL */
};
/* Parses an image reference: raw copied into `a`, its parts pooled (k8s_str_pooled). */
void k8s_image_parse(struct k8s_image *out, struct arena *a, const char *raw);

struct k8s_kv {
    const char *key, *value;
    struct loc loc;
};

struct k8s_kvs {
    struct k8s_kv *items;
    size_t len;
};
/* The value of `key`, or NULL when absent. */
const char *k8s_kvs_get(const struct k8s_kvs *kvs, const char *key);

/* Containers point at their probes; an absent probe is a shared one with present 0. */
struct k8s_probe {
    int present;
    const char *handler;      /* httpGet, tcpSocket, exec, grpc, or NULL */
    const char *port;         /* number or name as written */
    const char *path;
    const char *signature;    /* normalised probe text, for comparing two probes */
    struct loc loc;
};

/* Tri-state fields: -1 not set, 0 false, 1 true. Pod specs and containers point at theirs;
 * an absent securityContext is a shared one with present 0 and nothing set. */
struct k8s_security {
    signed char present;
    signed char privileged, allow_privilege_escalation, run_as_non_root, read_only_root_fs;
    unsigned ncap_add, ncap_drop;
    long long run_as_user;    /* -1 when not set */
    const char **cap_add, **cap_drop;  /* NULL-terminated */
    const char *seccomp;      /* seccompProfile.type, NULL when not set */
    struct loc loc, privileged_loc, ape_loc, run_as_non_root_loc, run_as_user_loc,
        read_only_loc, cap_add_loc, seccomp_loc;
};

struct k8s_port {
    const char *name;
    long long number;
    const char *protocol;
    struct loc loc;
};

struct k8s_env {
    const char *name;
    const char *value;        /* literal value, NULL when valueFrom or absent */
    const char *secret_name, *secret_key;     /* valueFrom.secretKeyRef */
    const char *configmap_name;               /* valueFrom.configMapKeyRef */
    struct loc loc, value_loc;                /* the "- name:" item; the value's scalar */
    unsigned has_value : 1;                       /* a value: key */
    unsigned value_quoted : 1, value_block : 1;   /* how the literal was written */
};

struct k8s_container {
    const char *name;
    unsigned char init;       /* an init container */
    unsigned char has_resources;
    struct loc loc;           /* the list item (the "- name:" line) */
    const char *image_raw;    /* NULL when no image: */
    struct k8s_image image;
    struct loc image_loc;
    const struct k8s_probe *liveness, *readiness, *startup;   /* never NULL */
    const char *req_cpu, *req_mem, *lim_cpu, *lim_mem;
    struct loc resources_loc;
    const struct k8s_security *sc;                           /* never NULL */
    struct k8s_port *ports;
    size_t nports;
    struct k8s_env *env;
    size_t nenv;
    const char **env_from_secrets, **env_from_configmaps;  /* NULL-terminated */
    const char **mount_names, **mount_paths;               /* NULL-terminated, parallel */
    size_t nmounts;
    struct loc env_loc;       /* the env: key, when present */
};

struct k8s_volume {
    const char *name;
    const char *host_path, *secret_name, *configmap_name, *pvc_name;
    struct loc loc, host_path_loc;
};

struct k8s_podspec {
    struct loc loc;                      /* the pod spec's `spec:` key */
    struct k8s_container **containers;   /* regular containers, then none */
    size_t ncontainers;
    struct k8s_container **init_containers;
    size_t ninit;
    const struct k8s_security *sc;       /* pod-level securityContext, never NULL */
    int host_network, host_pid, host_ipc;   /* tri-state */
    struct loc host_network_loc, host_pid_loc, host_ipc_loc;
    const char *service_account;
    struct loc service_account_loc;
    int automount_token;                 /* tri-state */
    struct loc automount_loc;
    struct k8s_volume *volumes;
    size_t nvolumes;
    const char **image_pull_secrets;     /* NULL-terminated */
};

struct k8s_object {
    const char *api_version, *kind, *name, *namespace;
    int doc;                  /* index of the document in the file */
    signed char automount_token;  /* ServiceAccount: automountServiceAccountToken, tri-state */
    /* 1 for a workload document that is a part, not an object: no pod spec, or a container
     * without an image in a file a kustomization uses as a patch (or with no name). Rules
     * about what a pod lacks skip it; a whole object elsewhere is judged whole. */
    unsigned char fragment;
    unsigned char has_selector;
    struct loc loc;           /* the document's first key */
    struct loc kind_loc, name_loc, namespace_loc;
    struct loc api_version_loc;
    struct k8s_kvs labels, annotations;
    /* Workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod,
     * ReplicationController. */
    struct k8s_podspec *pod;  /* NULL unless a workload with a pod template */
    long long replicas;       /* -1 when not set */
    struct loc replicas_loc;
    struct k8s_kvs selector;         /* matchLabels (workloads, PDB, NetworkPolicy) or
                                        spec.selector (Service) */
    struct loc selector_loc;
    struct k8s_kvs template_labels;  /* spec.template.metadata.labels */
    /* Other kinds keep what their rules need; NULL when not that kind. */
    struct k8s_kind_extra *extra;
};

/* Kind-specific fields. Only the members of the object's kind are set. */
struct k8s_kind_extra {
    /* Service */
    struct k8s_port *svc_ports;
    size_t nsvc_ports;
    const char *svc_type;
    /* Ingress: backends as service names, with hosts */
    const char **ing_hosts, **ing_services;   /* NULL-terminated */
    size_t ning_hosts, ning_services;
    /* HPA */
    const char *scale_kind, *scale_name;
    long long min_replicas, max_replicas;
    struct loc scale_loc;
    /* PDB */
    const char *min_available, *max_unavailable;
    struct loc pdb_budget_loc;
    /* Secret */
    int secret_has_data;
    const char *secret_type;
    struct loc secret_data_loc;
    /* RBAC: Role/ClusterRole rules flattened; bindings' roleRef */
    const char **rbac_verbs, **rbac_resources;   /* NULL-terminated, all rules together */
    struct loc *rbac_verb_locs, *rbac_resource_locs;
    size_t nrbac_verbs, nrbac_resources;
    const char *role_ref_kind, *role_ref_name;
    struct loc role_ref_loc;
};

/* `s` as a shared constant when it is in the common vocabulary, else NULL. */
const char *k8s_str_common(const char *s);
/* The process's one copy of `s` (NULL stays NULL), for text many manifests repeat: names,
 * namespaces, label keys and values. Thread-safe; the copies live until the process ends. */
const char *k8s_str_pooled(const char *s);
/* The pooled copy of s[0..n) (the common vocabulary not looked up). */
const char *k8s_str_pooled_n(const char *s, size_t n);
/* Frees the pool. Only for a process that runs scan after scan (a fuzzer) and holds no model
 * of an earlier one. */
void k8s_str_pool_reset(void);
/* Models every document of a manifest file that has apiVersion and kind. */
void k8s_load(struct unit *u, const struct yfile *yf);
/* What a caller knows a document shares with documents modelled before (the same text at
 * the same positions), so their models' parts are taken instead of loaded again. */
struct k8s_reuse {
    const struct k8s_podspec *pod;            /* the whole pod spec */
    /* Else, for each item of containers and of initContainers (all maps): a container whose
     * item is the same but for the values of name, image and resources (loaded again), or
     * NULL to load it. */
    const struct k8s_container *const *containers, *const *init_containers;
    size_t ncontainers, ninit;
};
/* Models one document as k8s_load would (as document `doc`), taking what `reuse` names (may
 * be NULL) instead of loading it; a List's items are loaded. Kustomize renders use it: the
 * overlays of a base mostly leave its pod spec alone. */
void k8s_load_sharing(struct unit *u, const struct ynode *root, int doc,
                      const struct k8s_reuse *reuse);
/* A copy of `ref`, the model of a document equal to `root` in everything but metadata, with
 * what metadata gives loaded from `root` (as document `doc`): name and namespace, labels and
 * annotations unless `same_labels` / `same_annotations` say ref's are the same text at the
 * same positions. The rest (pod spec, kind-specific parts) is ref's, shared. */
struct k8s_object *k8s_object_rebase(struct unit *u, const struct k8s_object *ref,
                                     const struct ynode *root, int doc, int same_labels,
                                     int same_annotations);

/* 1 for the kinds that carry a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob) and Pod. */
int k8s_object_is_workload(const struct k8s_object *o);
/* 1 when every key/value of `selector` is in `labels` (an empty selector selects nothing). */
int k8s_selector_matches(const struct k8s_kvs *selector, const struct k8s_kvs *labels);

#endif
