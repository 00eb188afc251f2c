/* Strings the Kubernetes model keeps: the common vocabulary as constants, the rest in a
 * process-wide pool, one copy per text (a service's name, image and labels are written in a
 * dozen manifests and loaded again by every overlay render). */
#include "k8s.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the common vocabulary ---- */

/* Kinds, apiVersions, well-known label and annotation keys and values most manifests write;
 * sorted by strcmp (a unit test checks) for bsearch. */
static const char *const common_strs[] = {
    "", "*", "/health", "/healthz", "/livez", "/metrics", "/ready", "/readyz", "ALL", "Always",
    "AppProject", "Application", "ApplicationSet", "ClusterIP", "ClusterRole",
    "ClusterRoleBinding", "ConfigMap", "CronJob", "DaemonSet", "Deployment", "ExternalName",
    "ExternalSecret", "HorizontalPodAutoscaler", "IfNotPresent", "Ingress", "Job", "LoadBalancer",
    "Localhost", "NET_ADMIN", "NET_BIND_SERVICE", "NET_RAW", "Namespace", "NetworkPolicy", "Never",
    "NodePort", "Opaque", "PersistentVolumeClaim", "Pod", "PodDisruptionBudget", "ReplicaSet",
    "ReplicationController", "Role", "RoleBinding", "RuntimeDefault", "SCTP", "SYS_ADMIN",
    "Secret", "Service", "ServiceAccount", "StatefulSet", "TCP", "UDP", "Unconfined", "app",
    "app.kubernetes.io/component", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
    "app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/version", "apps/v1",
    "argoproj.io/v1alpha1", "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta2", "batch/v1",
    "batch/v1beta1", "component", "configmaps", "create", "delete", "deletecollection",
    "deployments", "env", "environment", "extensions/v1beta1", "external-secrets.io/v1beta1",
    "false", "get", "grpc", "health", "helm.sh/chart", "http", "https",
    "kubernetes.io/dockerconfigjson", "kubernetes.io/tls", "kustomize", "list", "metrics",
    "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "owner", "patch", "pods", "policy/v1",
    "policy/v1beta1", "prometheus.io/path", "prometheus.io/port", "prometheus.io/scrape",
    "rbac.authorization.k8s.io/v1", "secrets", "services", "team", "tier", "true", "update", "v1",
    "version", "watch",
};

static int common_cmp(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

const char *k8s_str_common(const char *s)
{
    if (!s)
        return NULL;
    const char *const *hit =
        bsearch(s, common_strs, ARRAY_LEN(common_strs), sizeof(*common_strs), common_cmp);
    return hit ? *hit : NULL;
}

/* Names, namespaces and label values: a service's name is written in a dozen manifests
 * and overlays, its team and namespace in hundreds. One copy of each for the process, made
 * by whichever thread sees it first; never freed (models come and go, the text stays). */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static const char **pool_slots;       /* open addressing, a power of two long; NULL free */
static size_t pool_len, pool_cap;
/* The copies: exact lengths in 256 KB blocks chained through their first pointer. */
enum { POOL_BLOCK = 256 * 1024 };
static char *pool_block, *pool_next;
static size_t pool_left;

static const char *pool_copy(const char *s, size_t n)
{
    if (n + 1 > pool_left) {
        size_t size = n + 1 + sizeof(char *) > POOL_BLOCK ? n + 1 + sizeof(char *) : POOL_BLOCK;
        char *b = xmalloc(size);
        memcpy(b, &pool_block, sizeof(char *));
        pool_block = b;
        pool_next = b + sizeof(char *);
        pool_left = size - sizeof(char *);
    }
    char *p = pool_next;
    memcpy(p, s, n);
    p[n] = '\0';
    pool_next += n + 1;
    pool_left -= n + 1;
    return p;
}

static size_t pool_find(const char *s, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (pool_cap - 1);
    while (pool_slots[i] && (strncmp(pool_slots[i], s, n) != 0 || pool_slots[i][n]))
        i = (i + 1) & (pool_cap - 1);
    return i;
}

static void pool_grow(void)
{
    const char **old = pool_slots;
    size_t old_cap = pool_cap;
    pool_cap = pool_cap ? 2 * pool_cap : 1024;
    pool_slots = xcalloc(pool_cap, sizeof(*pool_slots));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i]) {
            size_t n = strlen(old[i]);
            pool_slots[pool_find(old[i], n, hash_bytes(old[i], n, 0))] = old[i];
        }
    free(old);
}

void k8s_str_pool_reset(void)
{
    pthread_mutex_lock(&pool_lock);
    while (pool_block) {
        char *next;
        memcpy(&next, pool_block, sizeof(char *));
        free(pool_block);
        pool_block = next;
    }
    pool_next = NULL;
    pool_left = 0;
    free(pool_slots);
    pool_slots = NULL;
    pool_len = pool_cap = 0;
    pthread_mutex_unlock(&pool_lock);
}

const char *k8s_str_pooled_n(const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n, 0);
    pthread_mutex_lock(&pool_lock);
    if ((pool_len + 1) * 4 >= pool_cap * 3)
        pool_grow();
    size_t i = pool_find(s, n, h);
    if (!pool_slots[i]) {
        pool_slots[i] = pool_copy(s, n);
        pool_len++;
    }
    const char *p = pool_slots[i];
    pthread_mutex_unlock(&pool_lock);
    return p;
}

const char *k8s_str_pooled(const char *s)
{
    if (!s)
        return NULL;
    const char *c = k8s_str_common(s);
    return c ? c : k8s_str_pooled_n(s, strlen(s));
}
