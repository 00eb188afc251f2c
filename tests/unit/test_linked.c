/* Linked-model rules: for every rule a true positive and a near miss, as small repositories
 * of a few files each, walked by one test; then the derived model (services, environments in
 * promotion order, edges), Argo CD loading and Helm. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/argocd.h"
#include "model/helm.h"
#include "model/linked.h"
#include "testlib.h"

#define MAX_FILES 4

struct linked_case {
    const char *name;
    const char *files[MAX_FILES][2];   /* path, content */
    const char *rule;
    int want;                          /* findings of the rule */
    const char *path;                  /* where the first one is (NULL: not checked) */
    int line;
};

#define DEPLOY(name, labels)                                                                  \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " name "\nspec:\n"             \
    "  selector: {matchLabels: " labels "}\n  template:\n    metadata: {labels: " labels "}\n"  \
    "    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/" name   \
    ":1.0.0\n"

static const char app_prod[] =
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-prod\n"
    "spec:\n  project: shop\n  source:\n    repoURL: https://github.com/acme/shop.git\n"
    "    targetRevision: v1.2.0\n    path: k8s/overlays/prod\n"
    "  destination: {server: https://kubernetes.default.svc, namespace: shop}\n";

static const char wf_gated[] =
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n"
    "  build:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    "  deploy-prod:\n    needs: build\n    environment: production\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: kubectl apply -k k8s/overlays/prod\n";

static const struct linked_case cases[] = {
    {"plain Secret", {{"k8s/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                                     "stringData:\n  url: postgres://db\n"}},
     "k8s-plain-secret-committed", 1, "k8s/s.yaml", 4},
    {"Secret without data, ExternalSecret", {{"k8s/s.yaml", "apiVersion: v1\nkind: Secret\n"
        "metadata: {name: tls}\ntype: kubernetes.io/tls\n---\napiVersion: external-secrets.io/"
        "v1beta1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n  data: []\n"}},
     "k8s-plain-secret-committed", 0, NULL, 0},
    {"secretGenerator from a committed file",
     {{"k/kustomization.yaml", "secretGenerator:\n  - name: db\n    envs:\n      - db.env\n"},
      {"k/db.env", "DB_HOST=db\n"}},
     "k8s-plain-secret-committed", 1, "k/kustomization.yaml", 4},
    {"secretGenerator from an ignored file",
     {{"k/kustomization.yaml", "secretGenerator:\n  - name: db\n    envs:\n      - db.env\n"}},
     "k8s-plain-secret-committed", 0, NULL, 0},
    {"Service selecting nothing", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
                                   {"k/s.yaml", "apiVersion: v1\nkind: Service\nmetadata: "
                                                "{name: api}\nspec:\n  selector: {app: apii}\n"}},
     "k8s-service-selects-nothing", 1, "k/s.yaml", 5},
    {"Service selecting a subset", {{"k/d.yaml", DEPLOY("api", "{app: api, tier: web}")},
                                    {"k/s.yaml", "apiVersion: v1\nkind: Service\nmetadata: "
                                                 "{name: api}\nspec:\n  selector: {app: api}\n"}},
     "k8s-service-selects-nothing", 0, NULL, 0},
    {"Service without selector", {{"k/s.yaml", "apiVersion: v1\nkind: Service\nmetadata: "
                                               "{name: ext}\nspec:\n  type: ExternalName\n"}},
     "k8s-service-selects-nothing", 0, NULL, 0},
    {"HPA on a missing workload", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/h.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: "
                     "{name: api}\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: "
                     "apy\n  maxReplicas: 3\n"}},
     "k8s-hpa-target-missing", 1, "k/h.yaml", 5},
    {"HPA on its workload", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/h.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: "
                     "{name: api}\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: "
                     "api\n  maxReplicas: 3\n"}},
     "k8s-hpa-target-missing", 0, NULL, 0},
    {"PDB selecting nothing", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/p.yaml", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\n"
                     "spec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n"}},
     "k8s-pdb-selects-nothing", 1, "k/p.yaml", 6},
    {"PDB selecting its pods", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/p.yaml", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\n"
                     "spec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: api}\n"}},
     "k8s-pdb-selects-nothing", 0, NULL, 0},
    {"workload outside the policies", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/w.yaml", DEPLOY("web", "{app: web}")},
        {"k/n.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: "
                     "{name: web}\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"}},
     "k8s-no-network-policy", 1, "k/d.yaml", 4},
    {"default-deny covers all", {{"k/d.yaml", DEPLOY("api", "{app: api}")},
        {"k/n.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: "
                     "{name: deny}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n"}},
     "k8s-no-network-policy", 0, NULL, 0},
    {"no NetworkPolicy anywhere", {{"k/d.yaml", DEPLOY("api", "{app: api}")}},
     "k8s-no-network-policy", 0, NULL, 0},
    {"secret ref undefined", {{"k/d.yaml", DEPLOY("api", "{app: api}")
        "          env:\n            - name: DB_URL\n              valueFrom:\n"
        "                secretKeyRef: {name: api-db, key: url}\n"}},
     "k8s-secret-ref-undefined", 1, "k/d.yaml", 14},
    {"secret ref to an ExternalSecret target", {{"k/d.yaml", DEPLOY("api", "{app: api}")
        "          env:\n            - name: DB_URL\n              valueFrom:\n"
        "                secretKeyRef: {name: api-db, key: url}\n"},
        {"k/e.yaml", "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:"
                     " {name: api-db-sync}\nspec:\n  target: {name: api-db}\n"}},
     "k8s-secret-ref-undefined", 0, NULL, 0},
    {"missing resource", {{"k/kustomization.yaml", "resources:\n  - d.yaml\n  - ../gone\n"},
                          {"k/d.yaml", DEPLOY("api", "{app: api}")}},
     "kustomize-resource-missing", 1, "k/kustomization.yaml", 3},
    {"file, folder and remote resources",
     {{"k/kustomization.yaml", "resources:\n  - d.yaml\n  - ../b\n"
                               "  - https://github.com/acme/x//base?ref=v1\n"},
      {"k/d.yaml", DEPLOY("api", "{app: api}")}, {"b/kustomization.yaml", "resources: []\n"}},
     "kustomize-resource-missing", 0, NULL, 0},
    {"Argo path missing", {{"argocd/prod.yaml", app_prod},
                           {"argocd/dev.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: "
                            "Application\nmetadata: {name: shop-dev}\nspec:\n  project: shop\n"
                            "  source:\n    repoURL: https://github.com/acme/shop.git\n"
                            "    path: k8s/overlays/dev\n"},
                           {"k8s/overlays/dev/kustomization.yaml", "resources: []\n"}},
     "argocd-path-missing", 1, "argocd/prod.yaml", 10},
    {"Argo path present", {{"argocd/prod.yaml", app_prod},
                           {"k8s/overlays/prod/kustomization.yaml", "resources: []\n"}},
     "argocd-path-missing", 0, NULL, 0},
    {"prod auto sync", {{"argocd/prod.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: "
        "Application\nmetadata: {name: shop-prod}\nspec:\n  project: shop\n  source: {path: x}\n"
        "  syncPolicy:\n    automated: {prune: true}\n"}},
     "argocd-prod-auto-sync", 1, "argocd/prod.yaml", 8},
    {"staging auto sync, prod manual", {{"argocd/staging.yaml", "apiVersion: argoproj.io/"
        "v1alpha1\nkind: Application\nmetadata: {name: shop-staging}\nspec:\n  project: shop\n"
        "  syncPolicy:\n    automated: {prune: true}\n"}, {"argocd/prod.yaml", app_prod}},
     "argocd-prod-auto-sync", 0, NULL, 0},
    {"prod tracks a branch", {{"argocd/apps.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: "
        "ApplicationSet\nmetadata: {name: shop}\nspec:\n  generators:\n    - list:\n"
        "        elements:\n          - {env: prod, rev: main}\n          - {env: dev, rev: main}"
        "\n  template:\n    metadata: {name: 'shop-{{env}}'}\n    spec:\n      project: shop\n"
        "      source:\n        path: 'k8s/overlays/{{env}}'\n        targetRevision: '{{rev}}'"
        "\n"}},
     "argocd-prod-floating-revision", 1, "argocd/apps.yaml", 16},
    {"prod pinned to a tag", {{"argocd/prod.yaml", app_prod}},
     "argocd-prod-floating-revision", 0, NULL, 0},
    {"default project", {{"argocd/a.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: "
                                           "Application\nmetadata: {name: a}\nspec:\n"
                                           "  project: default\n"}},
     "argocd-default-project", 1, "argocd/a.yaml", 5},
    {"team project", {{"argocd/prod.yaml", app_prod}}, "argocd-default-project", 0, NULL, 0},
    {"prod deploy without tests", {{".github/workflows/d.yml",
        "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: npm test\n  deploy:\n    environment: production\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n"}},
     "delivery-prod-deploy-not-gated-by-tests", 1, ".github/workflows/d.yml", 8},
    {"prod deploy after tests, transitively", {{".github/workflows/d.yml", wf_gated}},
     "delivery-prod-deploy-not-gated-by-tests", 0, NULL, 0},
    {"prod deploy on a successful workflow_run", {{".github/workflows/d.yml",
        "on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  deploy:\n"
        "    if: github.event.workflow_run.conclusion == 'success'\n    environment: prod\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n"}},
     "delivery-prod-deploy-not-gated-by-tests", 0, NULL, 0},
    {"prod runs a branch tag", {{"k8s/base/kustomization.yaml", "resources: [d.yaml]\n"},
        {"k8s/base/d.yaml", DEPLOY("api", "{app: api}")},
        {"k8s/overlays/prod/kustomization.yaml", "resources: [../../base]\nimages:\n"
                                                 "  - name: ghcr.io/acme/api\n    newTag: main\n"}},
     "delivery-prod-mutable-image-tag", 1, "k8s/overlays/prod/kustomization.yaml", 4},
    {"prod runs a version, dev a branch",
     {{"k8s/base/kustomization.yaml", "resources: [d.yaml]\n"},
      {"k8s/base/d.yaml", DEPLOY("api", "{app: api}")},
      {"k8s/overlays/prod/kustomization.yaml", "resources: [../../base]\nimages:\n"
                                               "  - name: ghcr.io/acme/api\n    newTag: 1.4.0\n"},
      {"k8s/overlays/dev/kustomization.yaml", "resources: [../../base]\nimages:\n"
                                              "  - name: ghcr.io/acme/api\n    newTag: main\n"}},
     "delivery-prod-mutable-image-tag", 0, NULL, 0},
    {"prod environment without reviewers in code", {{".github/workflows/d.yml", wf_gated}},
     "delivery-prod-approval-unverified", 1, ".github/workflows/d.yml", 14},
    {"reviewers managed in Terraform", {{".github/workflows/d.yml", wf_gated},
        {"terraform/github/envs.tf", "resource \"github_repository_environment\" \"prod\" {\n"
         "  repository  = \"shop\"\n  environment = \"production\"\n"
         "  reviewers {\n    teams = [1]\n  }\n}\n"}},
     "delivery-prod-approval-unverified", 0, NULL, 0},
};

static int first_line(const struct scan *s, const char *rule, const char **path)
{
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (strcmp(f->rule_id, rule) == 0) {
            *path = f->path;
            return f->line;
        }
    }
    return -1;
}

Test(linked, every_rule_fires_on_its_case_and_not_on_the_near_miss, .timeout = 60)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct linked_case *c = &cases[i];
        char *dir = t_tmpdir();
        for (size_t f = 0; f < MAX_FILES && c->files[f][0]; f++)
            t_write(dir, c->files[f][0], c->files[f][1]);
        struct scan s;
        t_scan(&s, dir);
        int n = t_count(&s, c->rule, NULL, 0);
        if (n != c->want)
            t_dump(&s);
        cr_expect_eq(n, c->want, "%s: %d finding(s) of %s, want %d", c->name, n, c->rule,
                     c->want);
        if (c->path && n > 0) {
            const char *path = NULL;
            int line = first_line(&s, c->rule, &path);
            cr_expect_str_eq(path, c->path, "%s: at %s", c->name, path);
            cr_expect_eq(line, c->line, "%s: line %d, want %d", c->name, line, c->line);
        }
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}

Test(linked, services_environments_and_edges)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml", "resources: [d.yaml, s.yaml, h.yaml]\n");
    t_write(dir, "k8s/base/d.yaml", DEPLOY("api", "{app: api}"));
    t_write(dir, "k8s/base/s.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: api}\n"
                                    "spec:\n  selector: {app: api}\n");
    t_write(dir, "k8s/base/h.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
                                    "metadata: {name: api}\nspec:\n  scaleTargetRef: {kind: "
                                    "Deployment, name: api}\n  maxReplicas: 3\n");
    const char *envs[][2] = {{"staging", "1.1.0-rc.1"}, {"prod", "1.0.0"}, {"dev", "main"}};
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("k8s/overlays/%s/kustomization.yaml", envs[i][0]);
        char *k = xasprintf("resources: [../../base]\nimages:\n  - name: ghcr.io/acme/api\n"
                            "    newTag: %s\n", envs[i][1]);
        t_write(dir, p, k);
        free(p);
        free(k);
    }
    t_write(dir, "argocd/prod.yaml", app_prod);
    t_write(dir, ".github/workflows/d.yml", wf_gated);
    t_write(dir, "terraform/environments/qa/main.tf", "terraform {}\n");
    t_write(dir, "services/api/Dockerfile", "FROM scratch\n");
    struct scan s;
    t_scan(&s, dir);
    const struct linked_model *lm = s.model.linked;
    cr_assert_not_null(lm);
    cr_assert_eq(lm->environments.len, 4);
    const char *order[] = {"dev", "qa", "staging", "prod"};
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(((struct environment *)lm->environments.items[i])->name, order[i]);
    const struct environment *prod = linked_env_find(lm, "production");
    cr_assert_not_null(prod);
    cr_expect(prod->production);
    cr_expect_eq(prod->aliases.len, 1, "production folds into prod");
    cr_expect_eq(prod->gates.len, 2, "github-environment and manual-sync");
    cr_assert_eq(lm->services.len, 1);
    const struct service *svc = lm->services.items[0];
    cr_expect_str_eq(svc->name, "api");
    cr_expect_eq(svc->selected_by.len, 1);
    cr_expect_eq(svc->hpas.len, 1);
    cr_expect_eq(svc->dockerfiles.len, 1);
    cr_assert_eq(svc->envs.len, 3);
    const char *tags[] = {"ghcr.io/acme/api:main", "ghcr.io/acme/api:1.1.0-rc.1",
                          "ghcr.io/acme/api:1.0.0"};
    for (size_t i = 0; i < 3; i++) {
        const struct svc_env *se = svc->envs.items[i];
        cr_assert_eq(se->nimages, 1);
        cr_expect_str_eq(se->images[0], tags[i], "%s runs %s", se->env, se->images[0]);
    }
    cr_expect_not_null(((struct svc_env *)svc->envs.items[2])->deployed_by);
    int kinds[8] = {0};
    for (size_t i = 0; i < lm->edges.len; i++)
        kinds[((struct edge *)lm->edges.items[i])->kind]++;
    cr_expect_eq(kinds[EDGE_SELECTS], 1);
    cr_expect_eq(kinds[EDGE_SCALES], 1);
    cr_expect_eq(kinds[EDGE_DEPLOYS], 2, "the Argo CD app and the workflow job");
    cr_expect_eq(kinds[EDGE_BUILDS_IMAGE], 1);
    cr_expect_eq(kinds[EDGE_OVERLAYS], 3);
    /* Ids are interned: every edge naming the workload holds the same text, one copy; the
     * images of an environment end with NULL right after the last. */
    const char *wid = NULL;
    size_t named = 0;
    for (size_t i = 0; i < lm->edges.len; i++) {
        const struct edge *e = lm->edges.items[i];
        cr_assert_not_null(e->from);
        cr_assert_not_null(e->to);
        cr_assert_not_null(e->path);
        cr_expect_gt(e->line, 0);
        if (strncmp(e->to, "k8s:", 4) != 0)
            continue;
        cr_expect(strstr(e->to, "#Deployment/api") != NULL, "%s", e->to);
        if (wid)
            cr_expect_eq(e->to, wid, "one copy of %s", wid);
        wid = e->to;
        named++;
    }
    cr_expect_eq(named, 2, "the Service selects it, the HPA scales it");
    for (size_t i = 0; i < 3; i++) {
        const struct svc_env *se = svc->envs.items[i];
        cr_expect_null(se->images[se->nimages]);
        cr_expect_gt(se->image_lines[0], 0);
        cr_expect_not_null(se->image_paths[0]);
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(linked, helm_templates_are_not_parsed_and_chart_data_is_modelled)
{
    char *dir = t_tmpdir();
    t_write(dir, "charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.2.0\n"
                                          "appVersion: \"3.0\"\ndependencies:\n  - name: redis\n");
    t_write(dir, "charts/api/values.yaml", "image:\n  repository: ghcr.io/acme/api\n  tag: 3.0.1\n"
                                           "sidecar:\n  image: envoyproxy/envoy:v1.30.1\n");
    t_write(dir, "charts/api/templates/d.yaml",
            "{{- if .Values.enabled }}\nkind: Deployment\n"
            "metadata: {name: {{ .Release.Name }}}\n{{- end }}\n");
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, NULL, NULL, 0), 0, "templates give no parse errors");
    const struct linked_model *lm = s.model.linked;
    cr_assert_eq(lm->charts.len, 2);
    const struct helm_chart *c = lm->charts.items[0], *v = lm->charts.items[1];
    cr_expect_str_eq(c->name, "api");
    cr_expect_str_eq(c->version, "1.2.0");
    cr_expect_str_eq(c->dependencies[0], "redis");
    cr_assert_eq(v->nimages, 2);
    cr_expect_str_eq(v->images[0].raw, "ghcr.io/acme/api:3.0.1");
    cr_expect_str_eq(v->images[1].raw, "envoyproxy/envoy:v1.30.1");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(linked, git_directory_generators_expand_against_the_tree)
{
    char *dir = t_tmpdir();
    t_write(dir, "argocd/set.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: envs}\n"
            "spec:\n  generators:\n    - git:\n        repoURL: https://github.com/acme/shop.git\n"
            "        revision: v2.0.0\n        directories:\n          - path: k8s/overlays/*\n"
            "  template:\n    metadata: {name: 'shop-{{path.basename}}'}\n    spec:\n"
            "      project: shop\n      source:\n        path: '{{path}}'\n"
            "      syncPolicy: {automated: {}}\n");
    t_write(dir, "k8s/overlays/dev/kustomization.yaml", "resources: []\n");
    t_write(dir, "k8s/overlays/prod/kustomization.yaml", "resources: []\n");
    struct scan s;
    t_scan(&s, dir);
    const struct linked_model *lm = s.model.linked;
    cr_assert_eq(lm->apps.len, 2);
    const struct argo_app *a = lm->apps.items[1];
    cr_expect_str_eq(a->path, "k8s/overlays/prod");
    cr_expect_str_eq(a->env, "prod");
    cr_expect(a->local && a->path_exists);
    cr_expect_not_null(a->kust);
    cr_expect_eq(t_count(&s, "argocd-prod-auto-sync", "argocd/set.yaml", 0), 1);
    cr_expect_eq(t_count(&s, "argocd-prod-floating-revision", NULL, 0), 0);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* `opsbook model` output validates against schemas/model.schema.json (ajv, node). */
Test(linked, model_json_matches_its_schema, .timeout = 60)
{
    const char *bin = t_bin();
    char *dir = t_tmpdir();
    const char *ex[] = {"platform", "clean"};
    for (size_t i = 0; i < 2; i++) {
        char *cmd = xasprintf("'%s' model --no-git -o '%s/%s.json' '%s/examples/%s'", bin, dir,
                              ex[i], t_root(), ex[i]);
        cr_assert_eq(t_run(cmd, NULL), 0, "%s", cmd);
        free(cmd);
    }
    char *out = NULL;
    char *cmd = xasprintf("node '%s/tests/tools/validate-json.js' '%s/schemas/model.schema.json' "
                          "'%s/platform.json' '%s/clean.json' 2>&1", t_root(), t_root(), dir, dir);
    int rc = t_run(cmd, &out);
    cr_expect_eq(rc, 0, "model JSON does not match its schema:\n%s", out ? out : "");
    free(out);
    free(cmd);
    /* And a document that breaks the schema is rejected (the validator can fail). */
    t_write(dir, "bad.json", "{\"tool\": {\"name\": \"opsbook\", \"version\": \"0.1.0\"}, "
                             "\"services\": [{\"id\": \"x\"}]}");
    cmd = xasprintf("node '%s/tests/tools/validate-json.js' '%s/schemas/model.schema.json' "
                    "'%s/bad.json' >/dev/null 2>&1", t_root(), t_root(), dir);
    cr_expect_neq(t_run(cmd, NULL), 0);
    free(cmd);
    t_rmtree(dir);
    free(dir);
}

/* Findings of `rule` in the file shown as `display`. */
static int count_at(const struct scan *s, const char *rule, const char *display)
{
    int n = 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        n += strcmp(f->rule_id, rule) == 0 && strcmp(f->display, display) == 0;
    }
    return n;
}

static const char roots_deploy[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  replicas: 1\n"
    "  selector: {matchLabels: {app: app}}\n  template:\n    metadata: {labels: {app: app}}\n"
    "    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app:1.0.0\n"
    "          resources: {limits: {cpu: 500m, memory: 256Mi}}\n"
    "          livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n%s";
static const char roots_tf[] =
    "variable \"cidr\" {\n  default = \"%s\"\n}\n"
    "resource \"aws_security_group\" \"ssh\" {\n  ingress {\n    from_port = 22\n"
    "    to_port = 22\n    protocol = \"tcp\"\n    cidr_blocks = [var.cidr]\n  }\n}\n";

/* Two scan roots with the same layout: what a file names by path (a kustomization's base
 * and patches, a Terraform variable of its folder) is in its own root, never the other
 * root's file at the same relative path. */
Test(linked, each_scan_root_resolves_its_own_paths, .timeout = 60)
{
    char *dir = t_tmpdir();
    const char *const roots[] = {"a", "b"};
    for (int i = 0; i < 2; i++) {
        int a = i == 0;
        char *p = xasprintf("%s/%s", dir, roots[i]);
        t_write(p, "k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
        char *deploy = xasprintf(roots_deploy, a ? "          readinessProbe: "
                                                   "{httpGet: {path: /ready, port: 8080}}\n"
                                                 : "");
        t_write(p, "k8s/base/deployment.yaml", deploy);
        free(deploy);
        /* a: the overlay removes the probe with a JSON 6902 file, and patches a Service
         * with extra.yaml; b: no patches, and extra.yaml is a Service of its own. */
        t_write(p, "k8s/overlays/prod/kustomization.yaml",
                a ? "resources: [../../base, service.yaml]\npatches:\n"
                    "  - path: ops.yaml\n    target: {kind: Deployment, name: app}\n"
                    "  - path: extra.yaml\n"
                  : "resources: [../../base]\n");
        t_write(p, "k8s/overlays/prod/ops.yaml",
                "- op: remove\n  path: /spec/template/spec/containers/0/readinessProbe\n");
        if (a)
            t_write(p, "k8s/overlays/prod/service.yaml",
                    "apiVersion: v1\nkind: Service\nmetadata: {name: app}\n"
                    "spec:\n  selector: {app: app}\n  ports: [{port: 80}]\n");
        t_write(p, "k8s/overlays/prod/extra.yaml",
                "apiVersion: v1\nkind: Service\nmetadata: {name: app}\n"
                "spec:\n  selector: {app: ghost}\n  ports: [{port: 80}]\n");
        char *tf = xasprintf(roots_tf, a ? "0.0.0.0/0" : "10.0.0.0/8");
        t_write(p, "infra/main.tf", tf);
        free(tf);
        free(p);
    }
    char *ra = xasprintf("%s/a", dir), *rb = xasprintf("%s/b", dir);
    const char *paths[] = {ra, rb};
    struct scan s;
    t_scan_paths(&s, paths, 2);
    char *a_base = xasprintf("%s/k8s/base/deployment.yaml", ra);
    char *b_base = xasprintf("%s/k8s/base/deployment.yaml", rb);
    char *a_kust = xasprintf("%s/k8s/overlays/prod/kustomization.yaml", ra);
    char *b_extra = xasprintf("%s/k8s/overlays/prod/extra.yaml", rb);
    char *a_tf = xasprintf("%s/infra/main.tf", ra), *b_tf = xasprintf("%s/infra/main.tf", rb);
    /* a's overlay renders a's base: the probe it removes is there, and prod lacks it. */
    cr_expect_eq(count_at(&s, "kustomize-render-incomplete", a_kust), 0);
    cr_expect_eq(count_at(&s, "k8s-missing-readiness-probe", a_base), 1);
    cr_expect_eq(count_at(&s, "k8s-missing-readiness-probe", b_base), 1);
    /* b's extra.yaml is a Service of its own, not a's patch: judged, and it selects nothing. */
    cr_expect_eq(count_at(&s, "k8s-service-selects-nothing", b_extra), 1);
    /* Each main.tf's variable is its own root's. */
    cr_expect_eq(count_at(&s, "tf-sg-open-ingress", a_tf), 1);
    cr_expect_eq(count_at(&s, "tf-sg-open-ingress", b_tf), 0);
    lint_scan_release(&s);
    char *const owned[] = {a_base, b_base, a_kust, b_extra, a_tf, b_tf, ra, rb};
    for (size_t i = 0; i < ARRAY_LEN(owned); i++)
        free(owned[i]);
    t_rmtree(dir);
    free(dir);
}

/* An Argo CD source whose repository URL names another scan root's folder is looked up in
 * that root (a GitOps repository and the application repository it deploys, scanned
 * together), its Git directory generators too; otherwise in the app's own root. */
Test(linked, argocd_sources_resolve_in_the_root_their_url_names)
{
    char *dir = t_tmpdir();
    char *gitops = xasprintf("%s/platform", dir), *shop = xasprintf("%s/checkout", dir);
    t_write(gitops, "argocd/shop-prod.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop-prod}\n"
            "spec:\n  project: shop\n  source:\n    repoURL: https://github.com/acme/checkout.git\n"
            "    targetRevision: v1.0.0\n    path: k8s/overlays/prod\n"
            "  destination: {namespace: shop}\n");
    t_write(gitops, "argocd/set.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: envs}\n"
            "spec:\n  generators:\n    - git:\n"
            "        repoURL: https://github.com/acme/checkout.git\n"
            "        revision: v1.0.0\n        directories:\n          - path: k8s/overlays/*\n"
            "  template:\n    metadata: {name: 'shop-{{path.basename}}'}\n    spec:\n"
            "      project: shop\n      source:\n        path: '{{path}}'\n");
    t_write(gitops, "argocd/self.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: addons}\n"
            "spec:\n  project: ops\n  source:\n    repoURL: https://github.com/acme/platform.git\n"
            "    targetRevision: v1.0.0\n    path: addons\n");
    t_write(gitops, "addons/kustomization.yaml", "resources: []\n");
    /* The same folder in the GitOps root, which the shop apps must not take (it sorts after
     * the application root, so a last-wins index by path alone would give it). */
    t_write(gitops, "k8s/overlays/prod/kustomization.yaml", "resources: []\n");
    t_write(shop, "k8s/overlays/dev/kustomization.yaml", "resources: []\n");
    t_write(shop, "k8s/overlays/prod/kustomization.yaml", "resources: []\n");
    const char *paths[] = {gitops, shop};
    struct scan s;
    t_scan_paths(&s, paths, 2);
    const struct linked_model *lm = s.model.linked;
    int seen = 0;
    for (size_t i = 0; i < lm->apps.len; i++) {
        const struct argo_app *a = lm->apps.items[i];
        cr_assert(a->name);
        cr_expect(a->path_exists && a->kust, "%s: %s not found", a->name, a->path);
        if (!a->kust)
            continue;
        const char *root = a->kust->unit->file->root;
        const char *want = strcmp(a->name, "addons") == 0 ? gitops : shop;
        cr_expect(str_endswith(root, want + strlen(dir)), "%s: in %s", a->name, root);
        seen++;
    }
    cr_expect_eq(seen, 4, "shop-prod, addons and the set's dev and prod: %d", seen);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(gitops);
    free(shop);
    free(dir);
}

/* A Service or PDB selects pods: a bare Pod's own labels count, and so do a workload's
 * selector labels where its manifest leaves the pod template out (modelled on test fixtures
 * and old examples seen in public repositories). */
Test(linked, bare_pods_and_template_less_workloads_are_selected)
{
    char *dir = t_tmpdir();
    t_write(dir, "db/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: mysql\n  labels: {name: mysql}\n"
            "spec:\n  containers: [{name: m, image: 'mysql:8.0.36'}]\n");
    t_write(dir, "db/service.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: mysql}\n"
            "spec:\n  selector: {name: mysql}\n  ports: [{port: 3306}]\n");
    t_write(dir, "op/all.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: op, namespace: ops}\n"
            "spec:\n  replicas: 1\n  selector: {matchLabels: {name: op}}\n---\n"
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\n"
            "metadata: {name: op, namespace: ops}\n"
            "spec:\n  minAvailable: 1\n  selector: {matchLabels: {name: op}}\n");
    t_write(dir, "gone/service.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: gone}\n"
            "spec:\n  selector: {name: nobody}\n  ports: [{port: 80}]\n");
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "k8s-service-selects-nothing", "db/service.yaml", 0), 0,
                 "a bare Pod's labels");
    cr_expect_eq(t_count(&s, "k8s-pdb-selects-nothing", "op/all.yaml", 0), 0,
                 "a workload's selector where it has no template");
    cr_expect_eq(t_count(&s, "k8s-service-selects-nothing", "gone/service.yaml", 0), 1,
                 "a selector nothing carries");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}
