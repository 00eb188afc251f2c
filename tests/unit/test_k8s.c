/* Kubernetes: the loader (images, containers, fragments, kinds) and every k8s rule, each with
 * true positives and near misses, as edits of one hardened Deployment that is clean. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/k8s.h"
#include "testlib.h"

#define DIGEST "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* Clean for every k8s rule. Line numbers used by the cases below: container "- name:" 26,
 * image 27, livenessProbe 31, readinessProbe 33, privileged-free securityContext 38. */
static const char good[] = "apiVersion: apps/v1\n"                                /* 1 */
                           "kind: Deployment\n"                                   /* 2 */
                           "metadata:\n"                                          /* 3 */
                           "  name: api\n"                                        /* 4 */
                           "  namespace: shop\n"                                  /* 5 */
                           "spec:\n"                                              /* 6 */
                           "  replicas: 1\n"                                      /* 7 */
                           "  selector:\n"                                        /* 8 */
                           "    matchLabels:\n"                                   /* 9 */
                           "      app: api\n"                                     /* 10 */
                           "  template:\n"                                        /* 11 */
                           "    metadata:\n"                                      /* 12 */
                           "      labels:\n"                                      /* 13 */
                           "        app: api\n"                                   /* 14 */
                           "    spec:\n"                                          /* 15 */
                           "      serviceAccountName: api\n"                      /* 16 */
                           "      automountServiceAccountToken: false\n"          /* 17 */
                           "      securityContext:\n"                             /* 18 */
                           "        runAsNonRoot: true\n"                         /* 19 */
                           "        runAsUser: 10001\n"                           /* 20 */
                           "        seccompProfile:\n"                            /* 21 */
                           "          type: RuntimeDefault\n"                     /* 22 */
                           "      volumes:\n"                                     /* 23 */
                           "        - {name: tmp, emptyDir: {}}\n"                /* 24 */
                           "      containers:\n"                                  /* 25 */
                           "        - name: api\n"                                /* 26 */
                           "          image: ghcr.io/acme/api:1.4.2@" DIGEST "\n" /* 27 */
                           "          ports:\n"                                   /* 28 */
                           "            - name: http\n"                           /* 29 */
                           "              containerPort: 8080\n"                  /* 30 */
                           "          livenessProbe:\n"                           /* 31 */
                           "            httpGet: {path: /livez, port: http}\n"    /* 32 */
                           "          readinessProbe:\n"                          /* 33 */
                           "            httpGet: {path: /readyz, port: http}\n"   /* 34 */
                           "          resources:\n"                               /* 35 */
                           "            requests: {cpu: 100m, memory: 128Mi}\n"   /* 36 */
                           "            limits: {cpu: 500m, memory: 128Mi}\n"     /* 37 */
                           "          securityContext:\n"                         /* 38 */
                           "            allowPrivilegeEscalation: false\n"        /* 39 */
                           "            readOnlyRootFilesystem: true\n"           /* 40 */
                           "            capabilities:\n"                          /* 41 */
                           "              drop: [ALL]\n"                          /* 42 */
                           "          env:\n"                                     /* 43 */
                           "            - name: LOG_LEVEL\n"                      /* 44 */
                           "              value: info\n";                         /* 45 */

#define BASE_PATH "k8s/base/api/deployment.yaml"
#define PROD_PATH "k8s/overlays/prod/api/deployment.yaml"

/* `src` with the first occurrence of `from` replaced by `to`; an empty `from` appends `to`
 * as a further document. Heap string. */
static char *edit_in(const char *src, const char *from, const char *to)
{
    struct strbuf sb = STRBUF_INIT;
    if (!*from) {
        sb_adds(&sb, src);
        sb_adds(&sb, "---\n");
        sb_adds(&sb, to);
        return sb_detach(&sb);
    }
    const char *at = strstr(src, from);
    cr_assert_not_null(at, "test bug: '%s' not in the manifest", from);
    sb_add(&sb, src, (size_t)(at - src));
    sb_adds(&sb, to);
    sb_adds(&sb, at + strlen(from));
    return sb_detach(&sb);
}

static char *edit(const char *from, const char *to)
{
    return edit_in(good, from, to);
}

struct rule_case {
    const char *rule, *path, *from, *to;
    int count;               /* findings of `rule` expected */
    int line;                /* line of the first one, 0: any */
    const char *from2, *to2; /* a second edit, after the first */
};

static const struct rule_case cases[] = {
    /* issue 2 */
    {"k8s-missing-liveness-probe", BASE_PATH,
     "          livenessProbe:\n            httpGet: {path: /livez, port: http}\n", "", 1, 26, NULL,
     NULL},
    {"k8s-missing-liveness-probe", BASE_PATH, "kind: Deployment", "kind: Job", 0, 0, NULL, NULL},
    {"k8s-missing-liveness-probe", BASE_PATH, "      containers:\n",
     "      initContainers:\n        - name: migrate\n          image: "
     "ghcr.io/acme/api:1.4.2@" DIGEST "\n          resources: {requests: {cpu: 10m, memory: 8Mi}, "
                                      "limits: {cpu: 10m, memory: 8Mi}}\n      containers:\n",
     0, 0, NULL, NULL},
    {"k8s-missing-readiness-probe", BASE_PATH,
     "          readinessProbe:\n            httpGet: {path: /readyz, port: http}\n", "", 1, 26,
     NULL, NULL},
    {"k8s-missing-readiness-probe", BASE_PATH, "",
     "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: shop}\nspec:\n  "
     "schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          "
     "containers:\n            - name: job\n              image: ghcr.io/acme/job:1.0.0\n",
     0, 0, NULL, NULL},
    {"k8s-missing-resource-limits", BASE_PATH, "            limits: {cpu: 500m, memory: 128Mi}\n",
     "", 1, 26, NULL, NULL},
    {"k8s-missing-resource-limits", BASE_PATH, "limits: {cpu: 500m, memory: 128Mi}",
     "limits: {memory: 128Mi}", 1, 26, NULL, NULL},
    {"k8s-missing-resource-limits", BASE_PATH, "limits: {cpu: 500m, memory: 128Mi}",
     "limits: {cpu: 1, memory: 1Gi}", 0, 0, NULL, NULL},
    {"k8s-image-latest-or-untagged", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "ghcr.io/acme/api:latest", 1, 27, NULL, NULL},
    {"k8s-image-latest-or-untagged", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "registry.internal.example.com:5000/team/app", 1, 27, NULL, NULL},
    {"k8s-image-latest-or-untagged", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "registry.internal.example.com:5000/team/app:1.2.3", 0, 0, NULL, NULL},
    {"k8s-image-latest-or-untagged", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "ghcr.io/acme/api@" DIGEST, 0, 0, NULL, NULL},
    {"k8s-privileged", BASE_PATH, "            allowPrivilegeEscalation: false\n",
     "            allowPrivilegeEscalation: false\n            privileged: true\n", 1, 40, NULL,
     NULL},
    {"k8s-privileged", BASE_PATH, "            allowPrivilegeEscalation: false\n",
     "            allowPrivilegeEscalation: false\n            privileged: false\n", 0, 0, NULL,
     NULL},
    /* issue 7: container security */
    {"k8s-allow-privilege-escalation", BASE_PATH, "allowPrivilegeEscalation: false",
     "allowPrivilegeEscalation: true", 1, 39, NULL, NULL},
    {"k8s-allow-privilege-escalation", BASE_PATH, "            allowPrivilegeEscalation: false\n",
     "", 1, 26, NULL, NULL},
    {"k8s-run-as-root", BASE_PATH, "        runAsNonRoot: true\n        runAsUser: 10001\n", "", 1,
     24, NULL, NULL},
    {"k8s-run-as-root", BASE_PATH, "runAsUser: 10001", "runAsUser: 0", 1, 20, NULL, NULL},
    {"k8s-run-as-root", BASE_PATH, "        runAsNonRoot: true\n", "", 0, 0, NULL, NULL},
    {"k8s-run-as-root", BASE_PATH, "        runAsNonRoot: true\n        runAsUser: 10001\n",
     "        runAsNonRoot: false\n", 1, 19, NULL, NULL},
    {"k8s-run-as-root", BASE_PATH, "            allowPrivilegeEscalation: false\n",
     "            allowPrivilegeEscalation: false\n            runAsUser: 0\n", 1, 40, NULL, NULL},
    {"k8s-writable-root-filesystem", BASE_PATH, "readOnlyRootFilesystem: true",
     "readOnlyRootFilesystem: false", 1, 40, NULL, NULL},
    {"k8s-writable-root-filesystem", BASE_PATH, "            readOnlyRootFilesystem: true\n", "", 1,
     26, NULL, NULL},
    {"k8s-no-seccomp-profile", BASE_PATH,
     "        seccompProfile:\n          type: RuntimeDefault\n", "", 1, 24, NULL, NULL},
    {"k8s-no-seccomp-profile", BASE_PATH, "type: RuntimeDefault", "type: Unconfined", 1, 21, NULL,
     NULL},
    {"k8s-no-seccomp-profile", BASE_PATH,
     "        seccompProfile:\n          type: RuntimeDefault\n", "", 0, 0, "drop: [ALL]",
     "drop: [ALL]\n            seccompProfile: {type: RuntimeDefault}"},
    {"k8s-no-seccomp-profile", BASE_PATH,
     "        seccompProfile:\n          type: RuntimeDefault\n",
     "        seccompProfile:\n          type: Localhost\n", 0, 0, NULL, NULL},
    {"k8s-dangerous-capabilities", BASE_PATH, "drop: [ALL]", "drop: [NET_RAW]", 1, 26, NULL, NULL},
    {"k8s-dangerous-capabilities", BASE_PATH, "drop: [ALL]",
     "drop: [ALL]\n              add: [SYS_ADMIN]", 1, 43, NULL, NULL},
    {"k8s-dangerous-capabilities", BASE_PATH, "drop: [ALL]",
     "drop: [ALL]\n              add: [NET_BIND_SERVICE]", 0, 0, NULL, NULL},
    {"k8s-probe-port-undeclared", BASE_PATH, "{path: /livez, port: http}",
     "{path: /livez, port: metrics}", 1, 31, NULL, NULL},
    {"k8s-probe-port-undeclared", BASE_PATH, "{path: /livez, port: http}",
     "{path: /livez, port: 9090}", 1, 31, NULL, NULL},
    {"k8s-probe-port-undeclared", BASE_PATH, "{path: /livez, port: http}",
     "{path: /livez, port: 8080}", 0, 0, NULL, NULL},
    {"k8s-identical-liveness-readiness", BASE_PATH, "{path: /readyz, port: http}",
     "{path: /livez, port: http}", 1, 31, NULL, NULL},
    {"k8s-identical-liveness-readiness", BASE_PATH,
     "            httpGet: {path: /livez, port: http}\n",
     "            httpGet: {path: /readyz, port: http}\n            failureThreshold: 6\n", 0, 0,
     NULL, NULL},
    {"k8s-secret-in-env-literal", BASE_PATH,
     "            - name: LOG_LEVEL\n              value: info\n",
     "            - name: STRIPE_API_KEY\n              value: \"sk-test-Vq7Lm2Xr9Tz4Kp8W\"\n", 1,
     45, NULL, NULL},
    {"k8s-secret-in-env-literal", BASE_PATH,
     "            - name: LOG_LEVEL\n              value: info\n",
     "            - name: DB_PASSWORD_FILE\n              value: /var/run/secrets/db/password\n", 0,
     0, NULL, NULL},
    {"k8s-secret-in-env-literal", BASE_PATH,
     "            - name: LOG_LEVEL\n              value: info\n",
     "            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: "
     "{name: api, key: token}\n",
     0, 0, NULL, NULL},
    {"k8s-secret-in-env-literal", BASE_PATH,
     "            - name: LOG_LEVEL\n              value: info\n",
     "            - name: SECRET_ROTATION\n              value: \"true\"\n            - name: "
     "TOKEN_REFRESH_SECONDS\n              value: \"300\"\n",
     0, 0, NULL, NULL},
    {"k8s-image-not-pinned-by-digest", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "ghcr.io/acme/api:1.4.2", 1, 27, NULL, NULL},
    {"k8s-image-not-pinned-by-digest", BASE_PATH, "ghcr.io/acme/api:1.4.2@" DIGEST,
     "ghcr.io/acme/api:latest", 0, 0, NULL, NULL},
    {"k8s-missing-resource-requests", BASE_PATH,
     "            requests: {cpu: 100m, memory: 128Mi}\n", "", 1, 26, NULL, NULL},
    {"k8s-missing-resource-requests", BASE_PATH, "requests: {cpu: 100m, memory: 128Mi}",
     "requests: {cpu: 100m}", 1, 26, NULL, NULL},
    /* issue 7: pod specs */
    {"k8s-host-namespace", BASE_PATH, "      serviceAccountName: api\n",
     "      serviceAccountName: api\n      hostNetwork: true\n      hostPID: true\n", 2, 17, NULL,
     NULL},
    {"k8s-host-namespace", BASE_PATH, "      serviceAccountName: api\n",
     "      serviceAccountName: api\n      hostNetwork: false\n", 0, 0, NULL, NULL},
    {"k8s-host-path", BASE_PATH, "{name: tmp, emptyDir: {}}",
     "{name: sock, hostPath: {path: /var/run/docker.sock}}", 1, 24, NULL, NULL},
    {"k8s-host-path", BASE_PATH, "{name: tmp, emptyDir: {}}",
     "{name: logs, hostPath: {path: /var/log/app}}", 1, 24, NULL, NULL},
    {"k8s-service-account-token-automount", BASE_PATH,
     "      automountServiceAccountToken: false\n", "", 1, 16, NULL, NULL},
    {"k8s-service-account-token-automount", BASE_PATH,
     "      automountServiceAccountToken: false\n", "      automountServiceAccountToken: true\n", 0,
     0, NULL, NULL},
    {"k8s-service-account-token-automount", BASE_PATH,
     "      automountServiceAccountToken: false\n", "", 0, 0, "",
     "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: "
     "shop}\nautomountServiceAccountToken: false\n"},
    {"k8s-service-account-token-automount", BASE_PATH,
     "      automountServiceAccountToken: false\n", "", 1, 16, "",
     "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: other, namespace: "
     "shop}\nautomountServiceAccountToken: false\n"},
    {"k8s-default-service-account", BASE_PATH, "      serviceAccountName: api\n", "", 1, 15, NULL,
     NULL},
    {"k8s-default-service-account", BASE_PATH, "serviceAccountName: api",
     "serviceAccountName: default", 1, 16, NULL, NULL},
    /* issue 7: objects */
    {"k8s-missing-pdb", BASE_PATH, "replicas: 1", "replicas: 3", 1, 7, NULL, NULL},
    {"k8s-missing-pdb", BASE_PATH, "replicas: 1", "replicas: 3", 0, 0, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: "
     "shop}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: api}\n"},
    {"k8s-missing-pdb", BASE_PATH, "replicas: 1", "replicas: 3", 1, 7, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: "
     "other}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: api}\n"},
    {"k8s-missing-pdb", BASE_PATH, "  replicas: 1\n", "", 1, 2, "",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api, namespace: "
     "shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  "
     "minReplicas: 2\n  maxReplicas: 6\n"},
    {"k8s-missing-pdb", BASE_PATH, "  replicas: 1\n", "", 0, 0, "",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api, namespace: "
     "shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: api}\n  "
     "minReplicas: 2\n  maxReplicas: 6\n"},
    {"k8s-pdb-blocks-eviction", BASE_PATH, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  "
     "maxUnavailable: 0\n  selector:\n    matchLabels: {app: api}\n",
     1, 51, NULL, NULL},
    {"k8s-pdb-blocks-eviction", BASE_PATH, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  "
     "minAvailable: 1\n  selector:\n    matchLabels: {app: api}\n",
     1, 51, NULL, NULL},
    {"k8s-pdb-blocks-eviction", BASE_PATH, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  "
     "minAvailable: 1\n  selector:\n    matchLabels: {app: other}\n",
     0, 0, NULL, NULL},
    {"k8s-pdb-blocks-eviction", BASE_PATH, "replicas: 1", "replicas: 3", 0, 0, "",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  "
     "minAvailable: 2\n  selector:\n    matchLabels: {app: api}\n"},
    {"k8s-single-replica", PROD_PATH, "metadata:\n  name: api\n", "metadata:\n  name: api\n", 1, 7,
     NULL, NULL},
    {"k8s-single-replica", BASE_PATH, "replicas: 1", "replicas: 1", 0, 0, NULL, NULL},
    {"k8s-single-replica", "k8s/overlays/production-like/api/d.yaml", "replicas: 1", "replicas: 1",
     0, 0, NULL, NULL},
    {"k8s-default-namespace", BASE_PATH, "namespace: shop", "namespace: default", 1, 5, NULL, NULL},
    {"k8s-default-namespace", BASE_PATH, "  namespace: shop\n", "", 0, 0, NULL, NULL},
    {"k8s-rbac-wildcard", BASE_PATH, "",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n  - "
     "apiGroups: ['']\n    resources: ['*']\n    verbs: [get, '*']\n",
     2, 52, NULL, NULL},
    {"k8s-rbac-wildcard", BASE_PATH, "",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n  - "
     "apiGroups: ['*']\n    resources: [configmaps]\n    verbs: [get]\n",
     0, 0, NULL, NULL},
    {"k8s-cluster-admin-binding", BASE_PATH, "",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "
     "b}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: "
     "cluster-admin\nsubjects: []\n",
     1, 53, NULL, NULL},
    {"k8s-cluster-admin-binding", BASE_PATH, "",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef:\n "
     " kind: ClusterRole\n  name: view\n",
     0, 0, NULL, NULL},
    {"k8s-deprecated-api-version", BASE_PATH, "apiVersion: apps/v1", "apiVersion: apps/v1beta2", 1,
     1, NULL, NULL},
    {"k8s-deprecated-api-version", BASE_PATH, "",
     "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n", 1, 47, NULL,
     NULL},
    {"k8s-deprecated-api-version", BASE_PATH, "",
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n", 0, 0, NULL, NULL},
    {"k8s-selector-label-mismatch", BASE_PATH, "        app: api\n", "        app: api-server\n", 1,
     8, NULL, NULL},
    {"k8s-selector-label-mismatch", BASE_PATH, "        app: api\n",
     "        app: api\n        tier: web\n", 0, 0, NULL, NULL},
};

Test(k8s, every_rule_fires_and_holds_back)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct rule_case *c = &cases[i];
        char *text = edit(c->from, c->to);
        if (c->from2) {
            char *t2 = edit_in(text, c->from2, c->to2);
            free(text);
            text = t2;
        }
        int line = 0;
        int n = t_scan_one(c->path, text, c->rule, &line);
        cr_expect_eq(n, c->count, "case %zu (%s): %d finding(s), want %d", i, c->rule, n, c->count);
        if (c->line && n)
            cr_expect_eq(line, c->line, "case %zu (%s): line %d, want %d", i, c->rule, line,
                         c->line);
        free(text);
    }
}

Test(k8s, the_hardened_manifest_is_clean)
{
    char *dir = t_tmpdir();
    t_write(dir, BASE_PATH, good);
    struct scan s;
    t_scan(&s, dir);
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        cr_expect(strncmp(f->rule_id, "k8s-", 4) != 0, "unexpected %s at line %d: %s", f->rule_id,
                  f->line, f->message);
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* Kustomize strategic-merge patches: partial Deployments are not blamed for what they leave
 * to the base, but what they do write is judged. */
Test(k8s, patch_fragments_only_judged_on_what_they_write)
{
    static const char patch[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: api\n"
        "          resources:\n            limits: {cpu: '2', memory: 1Gi}\n";
    static const char *const quiet[] = {
        "k8s-missing-liveness-probe",
        "k8s-missing-readiness-probe",
        "k8s-run-as-root",
        "k8s-missing-resource-requests",
        "k8s-default-service-account",
        "k8s-service-account-token-automount",
        "k8s-no-seccomp-profile",
        "k8s-allow-privilege-escalation",
        "k8s-image-latest-or-untagged",
    };
    /* a patch is what a kustomization uses as one */
    char *dir = t_tmpdir();
    t_write(dir, "k8s/overlays/prod/api/patch-resources.yaml", patch);
    t_write(dir, "k8s/overlays/prod/api/kustomization.yaml",
            "resources: []\npatches:\n  - path: patch-resources.yaml\n");
    struct scan s;
    t_scan(&s, dir);
    for (size_t i = 0; i < ARRAY_LEN(quiet); i++)
        cr_expect_eq(t_count(&s, quiet[i], "k8s/overlays/prod/api/patch-resources.yaml", 0), 0,
                     "%s fired on a patch", quiet[i]);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    /* the same document that no kustomization uses is a whole object, judged whole */
    cr_expect_eq(t_scan_one("k8s/api/deployment.yaml", patch, "k8s-missing-liveness-probe", NULL),
                 1, "a whole Deployment without an image is still judged");
    static const char replicas[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n";
    int line = 0;
    cr_expect_eq(t_scan_one("k8s/overlays/prod/api/patch-replicas.yaml", replicas,
                            "k8s-single-replica", &line),
                 1);
    cr_expect_eq(line, 6);
    cr_expect_eq(t_scan_one("k8s/overlays/dev/api/patch-replicas.yaml", replicas,
                            "k8s-single-replica", NULL),
                 0);
    cr_expect_eq(
        t_scan_one("k8s/overlays/prod/api/patch-replicas.yaml", replicas, "k8s-missing-pdb", NULL),
        0);
}

Test(k8s, digest_note_is_a_warning_in_production)
{
    char *text = edit("ghcr.io/acme/api:1.4.2@" DIGEST, "ghcr.io/acme/api:1.4.2");
    static const struct {
        const char *path;
        enum severity sev;
    } want[] = {
        {BASE_PATH, SEV_NOTE}, {PROD_PATH, SEV_WARNING}, {"deploy/live/api.yaml", SEV_WARNING}};
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        char *dir = t_tmpdir();
        t_write(dir, want[i].path, text);
        struct scan s;
        t_scan(&s, dir);
        int seen = 0;
        for (size_t j = 0; j < s.findings.v.len; j++) {
            const struct finding *f = s.findings.v.items[j];
            if (strcmp(f->rule_id, "k8s-image-not-pinned-by-digest") != 0)
                continue;
            seen++;
            cr_expect_eq(f->severity, want[i].sev, "%s: severity %d", want[i].path, f->severity);
        }
        cr_expect_eq(seen, 1, "%s", want[i].path);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
    free(text);
}

Test(k8s, critical_host_path_is_an_error_and_secret_is_masked)
{
    char *text =
        edit("{name: tmp, emptyDir: {}}", "{name: etc, hostPath: {path: /etc/kubernetes}}");
    char *dir = t_tmpdir();
    t_write(dir, BASE_PATH, text);
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "k8s-host-path", NULL, 24), 1);
    for (size_t j = 0; j < s.findings.v.len; j++) {
        const struct finding *f = s.findings.v.items[j];
        if (strcmp(f->rule_id, "k8s-host-path") == 0)
            cr_expect_eq(f->severity, SEV_ERROR);
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    free(text);

    text = edit("            - name: LOG_LEVEL\n              value: info\n",
                "            - name: API_TOKEN\n              value: \"tok-9Fq2Lx7Wm3Zb\"\n");
    dir = t_tmpdir();
    t_write(dir, BASE_PATH, text);
    t_scan(&s, dir);
    int seen = 0;
    for (size_t j = 0; j < s.findings.v.len; j++) {
        const struct finding *f = s.findings.v.items[j];
        if (strcmp(f->rule_id, "k8s-secret-in-env-literal") != 0)
            continue;
        seen++;
        cr_expect_eq(f->mask_col, 23);
        cr_expect_eq(f->mask_len, (int)strlen("tok-9Fq2Lx7Wm3Zb"));
        cr_expect_null(strstr(f->message, "tok-not"), "the value leaked into the message");
        cr_expect(!f->excerpt || !strstr(f->excerpt, "not-a-real"), "excerpt not masked: %s",
                  f->excerpt);
    }
    cr_expect_eq(seen, 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    free(text);
}

/* ---- the loader ---- */

Test(k8s, image_references_parse)
{
    static const struct {
        const char *raw, *registry, *repository, *tag, *digest;
    } cases_img[] = {
        {"nginx", NULL, "nginx", NULL, NULL},
        {"nginx:1.27", NULL, "nginx", "1.27", NULL},
        {"team/app:2", NULL, "team/app", "2", NULL},
        {"ghcr.io/acme/api:1.4.2", "ghcr.io", "acme/api", "1.4.2", NULL},
        {"registry.internal.example.com:5000/team/app", "registry.internal.example.com:5000",
         "team/app", NULL, NULL},
        {"registry.internal.example.com:5000/team/app:1.2.3", "registry.internal.example.com:5000",
         "team/app", "1.2.3", NULL},
        {"localhost/app:dev", "localhost", "app", "dev", NULL},
        {"localhost:5000/app", "localhost:5000", "app", NULL, NULL},
        {"app@" DIGEST, NULL, "app", NULL, DIGEST},
        {"ghcr.io/a/b:v1@" DIGEST, "ghcr.io", "a/b", "v1", DIGEST},
        {"app:", NULL, "app", NULL, NULL},
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < ARRAY_LEN(cases_img); i++) {
        struct k8s_image im;
        k8s_image_parse(&im, a, cases_img[i].raw);
#define SAME(field)                                                                                \
    do {                                                                                           \
        if (cases_img[i].field)                                                                    \
            cr_expect(im.field &&strcmp(im.field, cases_img[i].field) == 0,                        \
                      "%s: " #field " '%s', want '%s'", cases_img[i].raw,                          \
                      im.field ? im.field : "(null)", cases_img[i].field);                         \
        else                                                                                       \
            cr_expect_null(im.field, "%s: " #field " '%s', want none", cases_img[i].raw,           \
                           im.field);                                                              \
    } while (0)
        SAME(registry);
        SAME(repository);
        SAME(tag);
        SAME(digest);
#undef SAME
    }
    arena_free(a);
}

static void load_text(struct unit *u, const char *text)
{
    static struct srcfile sf = {.path = "m.yaml", .display = "m.yaml", .kind = FK_K8S};
    memset(u, 0, sizeof(*u));
    u->file = &sf;
    u->kind = FK_K8S;
    u->arena = arena_new();
    model_unit_load(u, text, strlen(text));
}

static void unload(struct unit *u)
{
    findings_release(&u->diags);
    vec_release(&u->k8s_objects);
    arena_free(u->arena);
}

Test(k8s, loader_models_kinds_lists_and_cronjobs)
{
    struct unit u;
    load_text(&u,
              "apiVersion: v1\nkind: List\nitems:\n"
              "  - apiVersion: v1\n    kind: Service\n    metadata: {name: web}\n"
              "    spec:\n      selector: {app: web}\n      ports: [{name: http, port: 80}]\n"
              "  - apiVersion: batch/v1\n    kind: CronJob\n    metadata: {name: nightly}\n"
              "    spec:\n      schedule: '@daily'\n      jobTemplate:\n        spec:\n"
              "          template:\n            metadata: {labels: {app: nightly}}\n"
              "            spec:\n              initContainers:\n"
              "                - {name: wait, image: busybox:1.36}\n"
              "              containers:\n"
              "                - name: run\n                  image: ghcr.io/acme/job:3\n"
              "                  env:\n                    - name: DB_PASSWORD\n"
              "                      valueFrom:\n                        secretKeyRef: "
              "{name: db, key: password}\n"
              "---\n"
              "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n"
              "rules:\n  - {apiGroups: [''], resources: [pods, secrets], verbs: [get]}\n"
              "---\n"
              "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
              "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 2\n"
              "  maxReplicas: 5\n"
              "---\n"
              "just: a mapping\n");
    cr_assert_eq(u.k8s_objects.len, 4);
    const struct k8s_object *svc = u.k8s_objects.items[0];
    cr_assert_str_eq(svc->kind, "Service");
    cr_assert_eq(svc->extra->nsvc_ports, 1);
    cr_assert_eq(svc->extra->svc_ports[0].number, 80);
    cr_assert_str_eq(k8s_kvs_get(&svc->selector, "app"), "web");
    const struct k8s_object *cj = u.k8s_objects.items[1];
    cr_assert(k8s_object_is_workload(cj));
    cr_assert_not_null(cj->pod);
    cr_assert_eq(cj->fragment, 0);
    cr_assert_eq(cj->pod->ncontainers, 1);
    cr_assert_eq(cj->pod->ninit, 1);
    const struct k8s_container *c = cj->pod->containers[0];
    cr_assert_str_eq(c->name, "run");
    cr_assert_eq(c->loc.line, 23);
    cr_assert_str_eq(c->image.tag, "3");
    cr_assert_eq(c->nenv, 1);
    cr_assert_str_eq(c->env[0].secret_name, "db");
    cr_assert_null(c->env[0].value);
    cr_assert_not(c->env[0].has_value, "valueFrom, no value:");
    cr_assert(cj->pod->init_containers[0]->init);
    cr_assert_str_eq(k8s_kvs_get(&cj->template_labels, "app"), "nightly");
    const struct k8s_object *role = u.k8s_objects.items[2];
    cr_assert_eq(role->extra->nrbac_resources, 2);
    cr_assert_str_eq(role->extra->rbac_resources[1], "secrets");
    const struct k8s_object *hpa = u.k8s_objects.items[3];
    cr_assert_str_eq(hpa->extra->scale_name, "web");
    cr_assert_eq(hpa->extra->min_replicas, 2);
    unload(&u);
}

Test(k8s, loader_survives_odd_shapes)
{
    static const char *const odd[] = {
        "apiVersion: apps/v1\nkind: Deployment\nspec: 3\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers: {name: x}\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers: [3, [a], {name: x, image: [1], ports: 7, env: {a: b}}]\n",
        "apiVersion: v1\nkind: List\nitems: 4\n",
        "apiVersion: [1]\nkind: Pod\n",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: x\n      image: a\n"
        "      securityContext: {capabilities: {add: [{x: 1}], drop: 5}, runAsUser: abc}\n"
        "      livenessProbe: ~\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(odd); i++) {
        struct unit u;
        load_text(&u, odd[i]);
        unload(&u);
        cr_expect_geq(t_scan_one(BASE_PATH, odd[i], NULL, NULL), 0);
    }
    struct unit u;
    load_text(&u, odd[2]);
    const struct k8s_object *o = u.k8s_objects.items[0];
    cr_assert_eq(o->pod->ncontainers, 1);
    cr_assert_null(o->pod->containers[0]->image_raw);
    cr_assert_eq(o->fragment, 1, "a container without an image is a patch");
    unload(&u);
}

Test(k8s, selectors)
{
    struct k8s_kv sel[] = {{"app", "api", {0, 0}}},
                  lab[] = {{"app", "api", {0, 0}}, {"tier", "web", {0, 0}}};
    struct k8s_kvs s = {sel, 1}, l = {lab, 2}, empty = {NULL, 0};
    cr_assert(k8s_selector_matches(&s, &l));
    cr_assert_not(k8s_selector_matches(&l, &s));
    cr_assert_not(k8s_selector_matches(&empty, &l), "an empty selector selects nothing");
}

Test(k8s, common_vocabulary_is_shared_and_exact)
{
    /* Sorted for bsearch: every word finds itself. */
    static const char *const words[] = {"", "Deployment", "apps/v1", "app.kubernetes.io/name",
                                        "TCP", "RuntimeDefault", "ALL", "watch", "*"};
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        const char *c = k8s_str_common(words[i]);
        cr_assert_not_null(c, "'%s' is common", words[i]);
        cr_assert_str_eq(c, words[i]);
        cr_assert_eq(c, k8s_str_common(words[i]), "one copy");
    }
    cr_assert_null(k8s_str_common("Deploymen"));
    cr_assert_null(k8s_str_common("deployment"));
    cr_assert_null(k8s_str_common("payments-api"));
    cr_assert_null(k8s_str_common(NULL));
}

/* Shared constants (common strings, absent probes and securityContexts, empty lists) read
 * exactly as copies did: values, tri-states and positions. */
Test(k8s, shared_parts_read_like_copies)
{
    struct unit u, v;
    const char *text = "apiVersion: apps/v1\n"                                /* 1 */
                       "kind: Deployment\n"                                  /* 2 */
                       "metadata:\n"                                         /* 3 */
                       "  name: api\n"                                       /* 4 */
                       "  labels: {app.kubernetes.io/name: api, team: \"\"}\n" /* 5 */
                       "spec:\n"                                             /* 6 */
                       "  template:\n"                                       /* 7 */
                       "    spec:\n"                                         /* 8 */
                       "      containers:\n"                                 /* 9 */
                       "        - name: api\n"                               /* 10 */
                       "          image: ghcr.io/acme/api:1.2\n"             /* 11 */
                       "          readinessProbe:\n"                         /* 12 */
                       "            httpGet: {path: /readyz, port: http}\n"  /* 13 */
                       "          securityContext:\n"                        /* 14 */
                       "            runAsUser: 7\n"                          /* 15 */
                       "            capabilities: {drop: [ALL]}\n"           /* 16 */
                       "        - name: side\n"                              /* 17 */
                       "          image: busybox\n";                         /* 18 */
    load_text(&u, text);
    load_text(&v, text);
    cr_assert_eq(u.k8s_objects.len, 1);
    const struct k8s_object *o = u.k8s_objects.items[0], *p = v.k8s_objects.items[0];
    cr_assert_str_eq(o->kind, "Deployment");
    cr_assert_str_eq(o->api_version, "apps/v1");
    cr_assert_eq(o->kind, p->kind, "kinds are one constant");
    cr_assert_eq(o->labels.len, 2);
    cr_assert_str_eq(o->labels.items[0].key, "app.kubernetes.io/name");
    cr_assert_str_eq(o->labels.items[0].value, "api");
    cr_assert_eq(o->labels.items[0].loc.line, 5);
    cr_assert_eq(o->labels.items[0].loc.col, 12);
    cr_assert_str_eq(k8s_kvs_get(&o->labels, "team"), "");
    cr_assert_eq(o->automount_token, -1);
    cr_assert_eq(o->fragment, 0);
    const struct k8s_container *a = o->pod->containers[0], *b = o->pod->containers[1];
    cr_assert_eq(a->image.raw, a->image_raw, "the parsed image keeps the container's text");
    cr_assert_str_eq(a->image.raw, "ghcr.io/acme/api:1.2");
    cr_assert_str_eq(a->image.repository, "acme/api");
    cr_assert_str_eq(a->image.registry, "ghcr.io");
    cr_assert_str_eq(a->image.tag, "1.2");
    cr_assert_null(a->image.digest);
    cr_assert_str_eq(b->image.repository, "busybox");
    cr_assert_null(b->image.registry);
    cr_assert(a->readiness->present);
    cr_assert_str_eq(a->readiness->handler, "httpGet");
    cr_assert_str_eq(a->readiness->path, "/readyz");
    cr_assert_str_eq(a->readiness->port, "http");
    cr_assert_eq(a->readiness->loc.line, 12);
    cr_assert_eq(a->readiness->loc.col, 11);
    cr_assert_not(a->liveness->present);
    cr_assert_null(a->liveness->signature);
    cr_assert(a->sc->present);
    cr_assert_eq(a->sc->run_as_user, 7);
    cr_assert_eq(a->sc->run_as_user_loc.line, 15);
    cr_assert_eq(a->sc->privileged, -1);
    cr_assert_eq(a->sc->ncap_drop, 1);
    cr_assert_str_eq(a->sc->cap_drop[0], "ALL");
    cr_assert_null(a->sc->cap_drop[1]);
    cr_assert_eq(a->sc->ncap_add, 0);
    cr_assert_null(a->sc->cap_add[0]);
    /* The second container sets nothing: shared absent parts, all unset. */
    cr_assert_not(b->sc->present);
    cr_assert_eq(b->sc->privileged, -1);
    cr_assert_eq(b->sc->allow_privilege_escalation, -1);
    cr_assert_eq(b->sc->run_as_non_root, -1);
    cr_assert_eq(b->sc->read_only_root_fs, -1);
    cr_assert_eq(b->sc->run_as_user, -1);
    cr_assert_null(b->sc->seccomp);
    cr_assert_null(b->sc->cap_add[0]);
    cr_assert_null(b->sc->cap_drop[0]);
    cr_assert_not(b->readiness->present || b->liveness->present || b->startup->present);
    cr_assert_eq(b->nenv, 0);
    cr_assert_eq(b->nports, 0);
    cr_assert_null(b->env_from_secrets[0]);
    cr_assert_null(b->env_from_configmaps[0]);
    cr_assert_null(b->mount_names[0]);
    cr_assert_eq(b->image.raw, b->image_raw);
    cr_assert_not(o->pod->sc->present);
    cr_assert_eq(o->pod->sc->run_as_non_root, -1);
    cr_assert_eq(o->pod->ninit, 0);
    cr_assert_eq(o->pod->nvolumes, 0);
    cr_assert_null(o->pod->image_pull_secrets[0]);
    unload(&u);
    unload(&v);
}

Test(k8s, pooled_text_is_one_copy_across_units)
{
    const char *text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: pooled-api\n"
                       "  namespace: pooled-ns\n  labels: {team: pooled-team}\n"
                       "spec:\n  selector: {app: pooled-api}\n";
    struct unit u, v;
    load_text(&u, text);
    load_text(&v, text);
    const struct k8s_object *a = u.k8s_objects.items[0], *b = v.k8s_objects.items[0];
    cr_assert_str_eq(a->name, "pooled-api");
    cr_assert_str_eq(a->namespace, "pooled-ns");
    cr_assert_eq(a->name, b->name, "one copy for both files");
    cr_assert_eq(a->namespace, b->namespace);
    cr_assert_str_eq(k8s_kvs_get(&a->labels, "team"), "pooled-team");
    cr_assert_eq(a->labels.items[0].value, b->labels.items[0].value);
    cr_assert_eq(a->labels.items[0].loc.line, 6);
    cr_assert_eq(a->selector.items[0].loc.line, 8);
    cr_assert_eq(k8s_str_pooled("pooled-api"), a->name);
    cr_assert_null(k8s_str_pooled(NULL));
    unload(&u);
    unload(&v);
    /* The text outlives the units it came from. */
    cr_assert_str_eq(k8s_str_pooled("pooled-ns"), "pooled-ns");
}
