/* Kustomize rendering of overlays through a scan: transformers, origins of rendered fields,
 * patch files, remote bases, cycles, threads, the same finding from several overlays
 * reported once. The tree operations are in test_kustomize_tree.c. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/kustomize.h"
#include "model/linked.h"
#include "testlib.h"

static const char base_kust[] =
    "resources: [deployment.yaml, service.yaml]\n";
static const char base_deploy[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
    "  selector: {matchLabels: {app: api}}\n"
    "  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n"
    "        - name: api\n          image: ghcr.io/acme/api:1.0.0\n";
static const char base_svc[] =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n";

static const struct kustomization *kust_at(const struct scan *s, const char *path)
{
    const struct linked_model *lm = s->model.linked;
    for (size_t i = 0; lm && i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        if (strcmp(k->path, path) == 0)
            return k;
    }
    cr_assert_fail("no kustomization %s", path);
    return NULL;
}

Test(kustomize, overlay_transformers_and_origins)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml", base_kust);
    t_write(dir, "k8s/base/deployment.yaml", base_deploy);
    t_write(dir, "k8s/base/service.yaml", base_svc);
    t_write(dir, "k8s/overlays/prod/kustomization.yaml",
            "resources: [../../base]\n"           /* 1 */
            "namespace: shop\n"                   /* 2 */
            "namePrefix: prod-\n"                 /* 3 */
            "commonLabels: {env: prod}\n"         /* 4 */
            "images:\n"                           /* 5 */
            "  - name: ghcr.io/acme/api\n"        /* 6 */
            "    newName: registry.acme.io/api\n" /* 7 */
            "    newTag: 1.2.3\n"                 /* 8 */
            "replicas:\n  - {name: api, count: 4}\n"
            "patches:\n  - path: probe.yaml\n");
    t_write(dir, "k8s/overlays/prod/probe.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          readinessProbe: {httpGet: {path: /ready, port: 8080}}\n");
    struct scan s;
    t_scan(&s, dir);
    const struct kustomization *k = kust_at(&s, "k8s/overlays/prod/kustomization.yaml");
    cr_assert_str_eq(k->env, "prod");
    cr_assert_eq(k->objects.len, 2);
    const struct kz_object *d = linked_rendered_find(k, "Deployment", "api");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->name, "prod-api");
    cr_assert_str_eq(d->namespace, "shop");
    /* The rendered trees are freed once typed: the typed view is what lasts. */
    cr_assert_null(d->root);
    cr_assert_not_null(d->obj);
    cr_assert_eq(d->obj->replicas, 4);
    cr_assert_str_eq(k8s_kvs_get(&d->obj->template_labels, "env"), "prod");
    cr_assert_str_eq(k8s_kvs_get(&d->obj->selector, "env"), "prod");
    const struct k8s_container *c = d->obj->pod->containers[0];
    cr_assert_str_eq(c->image_raw, "registry.acme.io/api:1.2.3");
    cr_assert(c->readiness->present);
    const char *path;
    int line;
    kz_loc_resolve(d, c->image_loc.line, &path, &line);
    cr_assert_str_eq(path, "k8s/overlays/prod/kustomization.yaml");
    cr_assert_eq(line, 8);
    kz_loc_resolve(d, c->readiness->loc.line, &path, &line);
    cr_assert_str_eq(path, "k8s/overlays/prod/probe.yaml");
    cr_assert_eq(line, 9);
    kz_loc_resolve(d, c->loc.line, &path, &line);
    cr_assert_str_eq(path, "k8s/base/deployment.yaml");
    cr_assert_eq(line, 11);
    const struct kz_object *svc = linked_rendered_find(k, "Service", "api");
    cr_assert_str_eq(k8s_kvs_get(&svc->obj->selector, "env"), "prod");
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", NULL, 0), 0);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(kustomize, remote_bases_cycles_and_unmatched_patches_are_diagnostics)
{
    char *dir = t_tmpdir();
    t_write(dir, "a/kustomization.yaml",
            "resources:\n  - ../b\n  - github.com/acme/platform//base?ref=v1\n  - svc.yaml\n"
            "patches:\n  - path: nothing.yaml\n"
            "helmCharts:\n  - name: redis\n");
    t_write(dir, "a/svc.yaml", base_svc);
    t_write(dir, "a/nothing.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: gone}\n");
    t_write(dir, "b/kustomization.yaml", "resources:\n  - ../a\n");
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", "a/kustomization.yaml", 3), 1,
                 "remote base");
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", "a/kustomization.yaml", 6), 1,
                 "patch matching nothing");
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", "a/kustomization.yaml", 7), 1,
                 "helmCharts not rendered");
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", NULL, 0), 4, "and one cycle");
    const struct kustomization *k = kust_at(&s, "a/kustomization.yaml");
    cr_assert(k->objects.len >= 1, "what can be rendered still renders");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* A base renders once for itself and again for every overlay that includes it (its trees
 * are freed in between): each render must build the same objects, its patch included, and
 * an entry skipped as a cycle stays skipped when the folder renders again. */
Test(kustomize, a_base_renders_the_same_for_every_overlay_and_cycles_stay_cut)
{
    char *dir = t_tmpdir();
    t_write(dir, "base/kustomization.yaml",
            "resources: [deployment.yaml]\nnamePrefix: base-\npatches:\n  - path: probe.yaml\n");
    t_write(dir, "base/deployment.yaml", base_deploy);
    t_write(dir, "base/probe.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          readinessProbe: {httpGet: {path: /ready, port: 8080}}\n");
    t_write(dir, "dev/kustomization.yaml", "resources: [../base]\nnamespace: dev\n");
    t_write(dir, "prod/kustomization.yaml", "resources: [../base]\nnamespace: prod\n");
    t_write(dir, "all/kustomization.yaml", "resources: [../dev, ../prod]\n");
    t_write(dir, "x/kustomization.yaml", "resources: [../y, dx.yaml]\n");
    t_write(dir, "x/dx.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dx}\n");
    t_write(dir, "y/kustomization.yaml", "resources: [../x, dy.yaml]\n");
    t_write(dir, "y/dy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dy}\n");
    t_write(dir, "z/kustomization.yaml", "resources: [../y]\n");
    struct scan s;
    t_scan(&s, dir);
    const struct kustomization *all = kust_at(&s, "all/kustomization.yaml");
    cr_assert_eq(all->objects.len, 2);
    const char *ns[] = {"dev", "prod"};
    for (size_t i = 0; i < 2; i++) {
        const struct kz_object *o = all->objects.items[i];
        cr_assert_str_eq(o->name, "base-api");
        cr_assert_str_eq(o->base_name, "api");
        cr_assert_str_eq(o->namespace, ns[i]);
        cr_assert_not_null(o->obj);
        const struct k8s_container *c = o->obj->pod->containers[0];
        cr_assert(c->readiness->present, "the base's patch applies in every render");
        const char *path;
        int line;
        kz_loc_resolve(o, c->readiness->loc.line, &path, &line);
        cr_assert_str_eq(path, "base/probe.yaml");
        cr_assert_eq(line, 9);
        kz_loc_resolve(o, o->line, &path, &line);
        cr_assert_str_eq(path, "base/deployment.yaml");
        cr_assert_eq(line, 1);
    }
    /* x renders first and includes y, which finds x rendering: y keeps only dy. */
    cr_assert_eq(kust_at(&s, "x/kustomization.yaml")->objects.len, 2);
    cr_assert_eq(kust_at(&s, "y/kustomization.yaml")->objects.len, 1);
    const struct kustomization *z = kust_at(&s, "z/kustomization.yaml");
    cr_assert_eq(z->objects.len, 1, "y rendered again for z still leaves x out");
    cr_assert_str_eq(((const struct kz_object *)z->objects.items[0])->name, "dy");
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", "y/kustomization.yaml", 1), 1);
    cr_assert_eq(t_count(&s, "kustomize-render-incomplete", NULL, 0), 1, "reported once");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(kustomize, one_finding_for_a_base_line_in_several_overlays)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
    t_write(dir, "k8s/base/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          image: ghcr.io/acme/api:latest\n");
    t_write(dir, "k8s/overlays/prod/kustomization.yaml", "resources: [../../base]\n");
    t_write(dir, "k8s/overlays/live/kustomization.yaml", "resources: [../../base]\n");
    t_write(dir, "k8s/overlays/dev/kustomization.yaml", "resources: [../../base]\n");
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "delivery-prod-mutable-image-tag", NULL, 0), 1);
    const struct finding *f = NULL;
    for (size_t i = 0; i < s.findings.v.len; i++)
        if (strcmp(((struct finding *)s.findings.v.items[i])->rule_id,
                   "delivery-prod-mutable-image-tag") == 0)
            f = s.findings.v.items[i];
    cr_assert_str_eq(f->path, "k8s/base/deployment.yaml");
    cr_assert_eq(f->line, 10);
    cr_assert_str_eq(f->overlays, "live,prod");  /* both rank as production: by name */
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* The k8s rules judged through overlays (lint/overlays.c). */
static struct scan *probe_repo(struct scan *s, int overlays_with_probe, const char *prod_patch)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
    t_write(dir, "k8s/base/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\n"
            "spec:\n  template:\n    spec:\n      containers:\n"
            "        - name: api\n"                                  /* line 10 */
            "          image: ghcr.io/acme/api:1.0.0\n"
            "          livenessProbe: {httpGet: {path: /livez, port: 8080}}\n"
            "          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n");
    const char *envs[] = {"dev", "staging", "prod"};
    for (int i = 0; i < 3; i++) {
        char *k = xasprintf("k8s/overlays/%s/kustomization.yaml", envs[i]);
        char *p = xasprintf("k8s/overlays/%s/probe.yaml", envs[i]);
        int probe = i < overlays_with_probe;
        int patch = i == 2 && prod_patch;
        char *body = xasprintf("resources: [../../base]\n%s%s%s",
                               probe || patch ? "patches:\n" : "",
                               probe ? "  - path: probe.yaml\n" : "",
                               patch ? "  - path: limits.yaml\n" : "");
        t_write(dir, k, body);
        if (probe)
            t_write(dir, p, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
                            "spec:\n  template:\n    spec:\n      containers:\n"
                            "        - name: api\n          readinessProbe: {httpGet: "
                            "{path: /ready, port: 8080}}\n");
        if (patch)
            t_write(dir, "k8s/overlays/prod/limits.yaml", prod_patch);
        free(k);
        free(p);
        free(body);
    }
    t_scan(s, dir);
    t_rmtree(dir);
    free(dir);
    return s;
}

static const struct finding *find_rule(const struct scan *s, const char *rule)
{
    for (size_t i = 0; i < s->findings.v.len; i++)
        if (strcmp(((struct finding *)s->findings.v.items[i])->rule_id, rule) == 0)
            return s->findings.v.items[i];
    return NULL;
}

Test(kustomize, a_probe_every_overlay_adds_is_not_missing)
{
    struct scan s;
    probe_repo(&s, 3, NULL);
    cr_expect_eq(t_count(&s, "k8s-missing-readiness-probe", NULL, 0), 0);
    lint_scan_release(&s);
    probe_repo(&s, 2, NULL);
    const struct finding *f = find_rule(&s, "k8s-missing-readiness-probe");
    cr_assert_not_null(f, "prod does not add it");
    cr_expect_str_eq(f->path, "k8s/base/deployment.yaml");
    cr_expect_eq(f->line, 10);
    cr_expect_str_eq(f->overlays, "prod");
    lint_scan_release(&s);
}

Test(kustomize, a_limit_only_prod_removes_is_a_prod_finding)
{
    struct scan s;
    probe_repo(&s, 3, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
                      "spec:\n  template:\n    spec:\n      containers:\n"
                      "        - name: api\n          resources:\n            limits: null\n");
    const struct finding *f = find_rule(&s, "k8s-missing-resource-limits");
    cr_assert_not_null(f);
    cr_expect_eq(t_count(&s, "k8s-missing-resource-limits", NULL, 0), 1);
    cr_expect_str_eq(f->overlays, "prod");
    cr_expect_str_eq(f->path, "k8s/overlays/prod/limits.yaml", "at the patch that drops it");
    cr_expect_eq(f->line, 8);
    cr_expect_eq(t_count(&s, NULL, "k8s/overlays/prod/limits.yaml", 0), 1,
                 "the container's other findings stay on the base line");
    cr_expect_gt(t_count(&s, "k8s-no-seccomp-profile", "k8s/base/deployment.yaml", 10), 0);
    lint_scan_release(&s);
}

/* ---- a base with several overlays: rendered once, copied per overlay ---- */

static const char shop_deploy[] =
    "apiVersion: apps/v1\n"                          /* 1 */
    "kind: Deployment\n"                             /* 2 */
    "metadata:\n"                                    /* 3 */
    "  name: api\n"                                  /* 4 */
    "spec:\n"                                        /* 5 */
    "  replicas: 2\n"                                /* 6 */
    "  selector: {matchLabels: {app: api}}\n"        /* 7 */
    "  template:\n"                                  /* 8 */
    "    metadata: {labels: {app: api}}\n"           /* 9 */
    "    spec:\n"                                    /* 10 */
    "      containers:\n"                            /* 11 */
    "        - name: api\n"                          /* 12 */
    "          image: ghcr.io/acme/api:1.0.0\n"      /* 13 */
    "          env: [{name: A, value: '1'}]\n"       /* 14 */
    "          resources: {limits: {cpu: 500m}}\n";  /* 15 */

static const char replicas_patch[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: %d\n";

/* dev, staging and prod overlays of one base (staging with an images: entry, prod with a
 * limits patch and an environment folder that only lists it), plus `extra` files. */
static void shop_repo(struct scan *s, const char *const *extra)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml",
            "resources: [deployment.yaml, service.yaml]\nlabels:\n  - pairs: {team: shop}\n");
    t_write(dir, "k8s/base/deployment.yaml", shop_deploy);
    t_write(dir, "k8s/base/service.yaml", base_svc);
    const char *envs[] = {"dev", "staging", "prod"};
    for (int i = 0; i < 3; i++) {
        char *k = xasprintf("k8s/overlays/%s/api/kustomization.yaml", envs[i]);
        char *r = xasprintf("k8s/overlays/%s/api/replicas.yaml", envs[i]);
        char *body = xasprintf("resources: [../../../base]\nnamespace: shop-%s\npatches:\n"
                               "  - path: replicas.yaml\n%s%s",
                               envs[i], i == 2 ? "  - path: limits.yaml\n" : "",
                               i == 1 ? "images:\n  - name: ghcr.io/acme/api\n"
                                        "    newTag: 2.0.0\n" : "");
        char *rp = xasprintf(replicas_patch, 2 * i + 1);
        t_write(dir, k, body);
        t_write(dir, r, rp);
        free(k);
        free(r);
        free(body);
        free(rp);
    }
    t_write(dir, "k8s/overlays/prod/api/limits.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: api\n"
            "          resources: {limits: {cpu: '2'}}\n");
    t_write(dir, "k8s/overlays/prod/kustomization.yaml", "resources: [./api]\n");
    for (size_t i = 0; extra && extra[i]; i += 2)
        t_write(dir, extra[i], extra[i + 1]);
    t_scan(s, dir);
    t_rmtree(dir);
    free(dir);
}

static void expect_at(const struct kz_object *o, int enc_line, const char *path, int line)
{
    const char *p;
    int l;
    kz_loc_resolve(o, enc_line, &p, &l);
    cr_expect_str_eq(p, path);
    cr_expect_eq(l, line, "%s: line %d, not %d", path, l, line);
}

Test(kustomize, each_overlay_of_a_base_renders_its_own_values_and_origins)
{
    struct scan s;
    shop_repo(&s, NULL);
    const char *envs[] = {"dev", "staging", "prod"};
    const char *images[] = {"ghcr.io/acme/api:1.0.0", "ghcr.io/acme/api:2.0.0",
                            "ghcr.io/acme/api:1.0.0"};
    const char *limits[] = {"500m", "500m", "2"};
    const struct kz_object *prod = NULL;
    for (int i = 0; i < 3; i++) {
        char *path = xasprintf("k8s/overlays/%s/api/kustomization.yaml", envs[i]);
        char *ns = xasprintf("shop-%s", envs[i]);
        const struct kustomization *k = kust_at(&s, path);
        cr_assert_eq(k->objects.len, 2);
        const struct kz_object *d = linked_rendered_find(k, "Deployment", "api");
        cr_assert_not_null(d);
        cr_assert_not_null(d->obj);
        cr_expect_str_eq(d->namespace, ns);
        cr_expect_str_eq(d->obj->namespace, ns);
        cr_expect_eq(d->obj->replicas, 2 * i + 1);
        cr_expect_str_eq(k8s_kvs_get(&d->obj->labels, "team"), "shop");
        expect_at(d, d->obj->namespace_loc.line, path, 2);
        const struct k8s_container *c = d->obj->pod->containers[0];
        cr_expect_str_eq(c->image_raw, images[i]);
        cr_expect_str_eq(c->lim_cpu, limits[i]);
        expect_at(d, c->loc.line, "k8s/base/deployment.yaml", 12);
        expect_at(d, c->image_loc.line, i == 1 ? path : "k8s/base/deployment.yaml",
                  i == 1 ? 7 : 13);
        cr_expect_eq(c->nenv, 1);
        expect_at(d, c->env[0].loc.line, "k8s/base/deployment.yaml", 14);
        cr_expect_str_eq(c->env[0].value, "1");
        const struct kz_object *svc = linked_rendered_find(k, "Service", "api");
        cr_assert_not_null(svc->obj);
        cr_expect_str_eq(svc->obj->namespace, ns);
        cr_expect_str_eq(k8s_kvs_get(&svc->obj->selector, "app"), "api");
        expect_at(svc, svc->obj->selector_loc.line, "k8s/base/service.yaml", 6);
        if (i == 2)
            prod = d;
        free(path);
        free(ns);
    }
    /* The environment's folder lists the overlay: its objects are the overlay's. */
    const struct kustomization *root = kust_at(&s, "k8s/overlays/prod/kustomization.yaml");
    cr_assert_eq(root->objects.len, 2);
    const struct kz_object *rd = linked_rendered_find(root, "Deployment", "api");
    cr_assert_not_null(rd);
    cr_expect_eq(rd->obj, prod->obj, "the typed view is shared, not built again");
    cr_expect_eq(rd->k, root);
    cr_expect_str_eq(rd->namespace, "shop-prod");
    expect_at(rd, rd->obj->pod->containers[0]->loc.line, "k8s/base/deployment.yaml", 12);
    /* The base's own objects are recorded; nothing reads a typed view of them. */
    const struct kustomization *base = kust_at(&s, "k8s/base/kustomization.yaml");
    cr_assert_eq(base->objects.len, 2);
    cr_expect_null(((const struct kz_object *)base->objects.items[0])->obj);
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete", NULL, 0), 0);
    /* A base line's finding is reported once, naming every environment it renders in. */
    const struct finding *f = find_rule(&s, "k8s-no-seccomp-profile");
    cr_assert_not_null(f);
    cr_expect_eq(t_count(&s, "k8s-no-seccomp-profile", NULL, 0), 1);
    cr_expect_str_eq(f->path, "k8s/base/deployment.yaml");
    cr_expect_str_eq(f->overlays, "dev,staging,prod");
    lint_scan_release(&s);
}

/* Views share what is the same text at the same positions: a change no origin shows (a JSON
 * 6902 removal) or a changed env value must not be taken from another overlay's view. */
Test(kustomize, overlay_views_share_only_what_is_the_same)
{
    static const char *const extra[] = {
        "k8s/overlays/qa/api/kustomization.yaml",
        "resources: [../../../base]\nnamespace: shop-qa\npatches:\n"
        "  - target: {kind: Deployment, name: api}\n    patch: |-\n"
        "      - {op: remove, path: /spec/template/spec/containers/0/env/0}\n",
        "k8s/overlays/uat/api/kustomization.yaml",
        "resources: [../../../base]\nnamespace: shop-uat\npatches:\n  - path: env.yaml\n",
        "k8s/overlays/uat/api/env.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: api\n"
        "          env: [{name: A, value: '9'}]\n",
        NULL,
    };
    struct scan s;
    shop_repo(&s, extra);
    const struct kz_object *qa = linked_rendered_find(
        kust_at(&s, "k8s/overlays/qa/api/kustomization.yaml"), "Deployment", "api");
    const struct kz_object *uat = linked_rendered_find(
        kust_at(&s, "k8s/overlays/uat/api/kustomization.yaml"), "Deployment", "api");
    const struct kz_object *dev = linked_rendered_find(
        kust_at(&s, "k8s/overlays/dev/api/kustomization.yaml"), "Deployment", "api");
    cr_assert(qa && uat && dev && qa->obj && uat->obj && dev->obj);
    cr_expect_eq(qa->obj->pod->containers[0]->nenv, 0);
    cr_expect_eq(qa->obj->replicas, 2);
    cr_expect_eq(uat->obj->pod->containers[0]->nenv, 1);
    cr_expect_str_eq(uat->obj->pod->containers[0]->env[0].value, "9");
    expect_at(uat, uat->obj->pod->containers[0]->env[0].value_loc.line,
              "k8s/overlays/uat/api/env.yaml", 9);
    cr_expect_str_eq(dev->obj->pod->containers[0]->env[0].value, "1");
    cr_expect_eq(dev->obj->pod->containers[0]->nenv, 1);
    lint_scan_release(&s);
}

/* A JSON 6902 patch in a file is a YAML list of operations, named by patchesJson6902 or by
 * patches with a target: it applies, and what it adds comes from its lines. */
Test(kustomize, json6902_patch_files_apply)
{
    static const char ops[] = "- op: replace\n"                                  /* 1 */
                              "  path: /spec/replicas\n"                         /* 2 */
                              "  value: 7\n"                                     /* 3 */
                              "- op: remove\n"                                   /* 4 */
                              "  path: /spec/template/spec/containers/0/env/0\n" /* 5 */
                              "- op: add\n"                                      /* 6 */
                              "  path: /spec/template/spec/containers/0/env/-\n" /* 7 */
                              "  value: {name: B, value: '2'}\n";                /* 8 */
    static const char *const extra[] = {
        "k8s/overlays/qa/api/kustomization.yaml",
        "resources: [../../../base]\nnamespace: shop-qa\npatchesJson6902:\n"
        "  - target: {group: apps, version: v1, kind: Deployment, name: api}\n"
        "    path: ops.yaml\n",
        "k8s/overlays/qa/api/ops.yaml", ops,
        "k8s/overlays/uat/api/kustomization.yaml",
        "resources: [../../../base]\nnamespace: shop-uat\npatches:\n"
        "  - path: ops.yaml\n    target: {kind: Deployment, name: api}\n",
        "k8s/overlays/uat/api/ops.yaml", ops,
        "k8s/overlays/bad/api/kustomization.yaml",
        "resources: [../../../base]\nnamespace: shop-bad\npatches:\n  - path: ops.yaml\n",
        "k8s/overlays/bad/api/ops.yaml", ops,
        NULL,
    };
    struct scan s;
    shop_repo(&s, extra);
    const char *const folders[] = {"k8s/overlays/qa/api", "k8s/overlays/uat/api"};
    for (size_t i = 0; i < ARRAY_LEN(folders); i++) {
        char *kpath = xasprintf("%s/kustomization.yaml", folders[i]);
        char *opath = xasprintf("%s/ops.yaml", folders[i]);
        const struct kz_object *o =
            linked_rendered_find(kust_at(&s, kpath), "Deployment", "api");
        cr_assert(o && o->obj && o->obj->pod, "%s: no rendered Deployment", folders[i]);
        cr_expect_eq(o->obj->replicas, 7, "%s: replicas %lld", folders[i], o->obj->replicas);
        const struct k8s_container *c = o->obj->pod->containers[0];
        cr_assert_eq(c->nenv, 1, "%s: %zu env entries", folders[i], (size_t)c->nenv);
        cr_expect_str_eq(c->env[0].name, "B");
        cr_expect_str_eq(c->env[0].value, "2");
        expect_at(o, c->env[0].value_loc.line, opath, 8);
        free(kpath);
        free(opath);
    }
    /* Without a target, operations apply to nothing, and the entry says so. */
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete", NULL, 0), 1);
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete",
                         "k8s/overlays/bad/api/kustomization.yaml", 4), 1);
    lint_scan_release(&s);
}

/* A base workload without a pod template that overlays fill in: the first overlay's view
 * has a pod where the base's has none, and the second overlay compares with both. */
Test(kustomize, overlays_that_add_the_pod_template_the_base_lacks)
{
    char *dir = t_tmpdir();
    t_write(dir, "base/kustomization.yaml", "resources: [d.yaml]\n");
    t_write(dir, "base/d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
            "  replicas: 2\n");
    const char *const envs[] = {"dev", "prod"};
    for (size_t i = 0; i < ARRAY_LEN(envs); i++) {
        char *k = xasprintf("overlays/%s/kustomization.yaml", envs[i]);
        char *p = xasprintf("overlays/%s/p.yaml", envs[i]);
        t_write(dir, k, "resources: [../../base]\npatches:\n  - path: p.yaml\n");
        t_write(dir, p,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
                "  template:\n    spec:\n      containers:\n        - name: api\n"
                "          image: ghcr.io/acme/api:1.0.0\n");
        free(k);
        free(p);
    }
    struct scan s;
    t_scan(&s, dir);
    for (size_t i = 0; i < ARRAY_LEN(envs); i++) {
        char *k = xasprintf("overlays/%s/kustomization.yaml", envs[i]);
        const struct kz_object *o = linked_rendered_find(kust_at(&s, k), "Deployment", "api");
        cr_assert(o && o->obj && o->obj->pod, "%s: no pod", envs[i]);
        cr_expect_eq(o->obj->pod->ncontainers, 1);
        cr_expect_str_eq(o->obj->pod->containers[0]->image_raw, "ghcr.io/acme/api:1.0.0");
        free(k);
    }
    cr_expect_eq(t_count(&s, "k8s-missing-liveness-probe", "overlays/dev/p.yaml", 0) +
                     t_count(&s, "k8s-missing-liveness-probe", "base/d.yaml", 0),
                 1, "the container every overlay adds is judged once");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* Folders that include nothing of each other's render on the scan's threads: the rendered
 * objects, where their fields come from and the findings are the same on one thread. */
static char *rendering_summary(const char *dir, int threads)
{
    const char *paths[] = {dir};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = threads,
                          .fail_on = SEV_ERROR};
    o.discover.no_git = 1;
    struct errbuf err = {{0}, 0};
    struct scan s;
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    struct strbuf sb = STRBUF_INIT;
    const struct linked_model *lm = s.model.linked;
    for (size_t i = 0; i < lm->kustomizations.len; i++) {
        const struct kustomization *k = lm->kustomizations.items[i];
        for (size_t j = 0; j < k->objects.len; j++) {
            const struct kz_object *ob = k->objects.items[j];
            const char *path;
            int line;
            kz_loc_resolve(ob, ob->line, &path, &line);
            sb_addf(&sb, "%s %s/%s %s %s:%d", k->path, ob->kind, ob->name, ob->namespace,
                    path, line);
            if (ob->obj && ob->obj->pod) {
                const struct k8s_container *c = ob->obj->pod->containers[0];
                kz_loc_resolve(ob, c->image_loc.line, &path, &line);
                sb_addf(&sb, " %s %s:%d %lld", c->image_raw, path, line, ob->obj->replicas);
            }
            sb_addc(&sb, '\n');
        }
    }
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        sb_addf(&sb, "%s %s:%d %s\n", f->rule_id, f->path, f->line,
                f->overlays ? f->overlays : "-");
    }
    lint_scan_release(&s);
    return sb_detach(&sb);
}

Test(kustomize, independent_folders_render_alike_on_any_number_of_threads)
{
    char *dir = t_tmpdir();
    const char *envs[] = {"dev", "staging", "prod"};
    for (int svc = 0; svc < 6; svc++) {
        char *p = xasprintf("k8s/base/s%d/kustomization.yaml", svc);
        t_write(dir, p, "resources: [deployment.yaml]\n");
        free(p);
        p = xasprintf("k8s/base/s%d/deployment.yaml", svc);
        char *body = xasprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s%d\n"
                               "spec:\n  template:\n    spec:\n      containers:\n"
                               "        - name: s%d\n          image: ghcr.io/acme/s%d:1\n",
                               svc, svc, svc);
        t_write(dir, p, body);
        free(p);
        free(body);
        for (int e = 0; e < 3; e++) {
            p = xasprintf("k8s/overlays/%s/s%d/kustomization.yaml", envs[e], svc);
            body = xasprintf("resources: [../../../base/s%d]\nnamespace: %s\n"
                             "replicas:\n  - {name: s%d, count: %d}\n%s%d%s",
                             svc, envs[e], svc, e + svc,
                             e == svc % 3 ? "images:\n  - {name: ghcr.io/acme/s" : "# s", svc,
                             e == svc % 3 ? ", newTag: '2'}\n" : "\n");
            t_write(dir, p, body);
            free(p);
            free(body);
        }
    }
    for (int e = 0; e < 3; e++) {
        char *p = xasprintf("k8s/overlays/%s/kustomization.yaml", envs[e]);
        t_write(dir, p, "resources: [s0, s1, s2, s3, s4, s5]\n");
        free(p);
    }
    char *one = rendering_summary(dir, 1), *four = rendering_summary(dir, 4);
    cr_expect_str_eq(four, one);
    cr_expect_not_null(strstr(one, "k8s/overlays/prod/kustomization.yaml Deployment/s5 prod "
                                   "k8s/base/s5/deployment.yaml:1 ghcr.io/acme/s5:2 "
                                   "k8s/overlays/prod/s5/kustomization.yaml:6 7"));
    free(one);
    free(four);
    t_rmtree(dir);
    free(dir);
}

/* A file that one kustomization names is read once and parsed once: its own model and the
 * render come from the same parse, and its parse diagnostics are reported once, with the
 * line they point at. A file two kustomizations name is read again by the render. */
Test(kustomize, a_file_one_kustomization_names_is_read_and_parsed_once)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/base/kustomization.yaml", "resources: [deploy.yaml, shared.yaml]\n");
    t_write(dir, "k8s/base/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  name: web\n"
            "spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n"
            "        - name: web\n          image: ghcr.io/acme/web:1.0\n");
    t_write(dir, "k8s/base/shared.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: '1'\n");
    t_write(dir, "k8s/other/kustomization.yaml", "resources: [../base/shared.yaml]\n");
    t_write(dir, "k8s/overlays/prod/kustomization.yaml",
            "resources: [../../base]\npatches:\n  - path: replicas.yaml\n");
    t_write(dir, "k8s/overlays/prod/replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
            "  replicas: 3\n");
    struct scan s;
    t_scan(&s, dir);
    /* Six files loaded; at link only shared.yaml is read again, by each of the two
     * kustomizations that name it. (Later phases read a file again for a late finding's
     * excerpt.) */
    cr_expect_eq(s.stats.files_scanned, 6);
    cr_expect_eq(s.stats.phase_reads[1], 6);
    cr_expect_eq(s.stats.phase_reads[2], 2, "%zu", s.stats.phase_reads[2]);
    cr_expect_eq(t_count(&s, "yaml-duplicate-key", "k8s/base/deploy.yaml", 5), 1);
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (strcmp(f->rule_id, "yaml-duplicate-key") == 0)
            cr_expect_str_eq(f->excerpt, "  name: web");
    }
    for (size_t i = 0; i < s.model.units.len; i++) {
        const struct unit *u = s.model.units.items[i];
        cr_expect_null(u->text, "%s", u->file->path);
        cr_expect_eq(u->defer, 0);
        if (strcmp(u->file->path, "k8s/base/deploy.yaml") == 0 ||
            strcmp(u->file->path, "k8s/overlays/prod/replicas.yaml") == 0 ||
            strcmp(u->file->path, "k8s/base/shared.yaml") == 0)
            cr_expect_eq(u->k8s_objects.len, 1, "%s", u->file->path);
    }
    const struct kustomization *prod = kust_at(&s, "k8s/overlays/prod/kustomization.yaml");
    cr_assert_not_null(prod);
    int found = 0;
    for (size_t i = 0; i < prod->objects.len; i++) {
        const struct kz_object *o = prod->objects.items[i];
        if (o->obj && o->kind && strcmp(o->kind, "Deployment") == 0) {
            cr_expect_eq(o->obj->replicas, 3);
            found++;
        }
    }
    cr_expect_eq(found, 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* A deferred file that no render parsed still gets its model when the model is linked. */
Test(kustomize, a_deferred_file_no_render_parsed_is_loaded_at_link)
{
    static struct srcfile sf = {.path = "m.yaml", .display = "m.yaml", .kind = FK_K8S};
    static const char doc[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                              "  name: b\n";
    struct model m;
    memset(&m, 0, sizeof(m));
    struct unit *u = xcalloc(1, sizeof(*u));
    u->file = &sf;
    u->kind = FK_K8S;
    u->arena = arena_new();
    u->loaded = 1;
    u->defer = 1;
    u->text = xstrdup(doc);
    u->text_len = strlen(doc);
    vec_push(&m.units, u);
    model_link(&m, 1);
    cr_expect_eq(u->defer, 0);
    cr_expect_eq(u->k8s_objects.len, 1);
    cr_expect_eq(u->diags.v.len, 1);
    model_release(&m);
}

/* What kustomize itself accepts is not a render problem: a Component on its own (it is only
 * ever applied by the kustomizations that list it), and a patch whose target selects nothing
 * (the stub of a file generated at bootstrap). A patch without a target that matches nothing
 * still is one. */
Test(kustomize, components_and_empty_targets_are_not_render_problems)
{
    char *dir = t_tmpdir();
    t_write(dir, "components/cache/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n"
            "  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n"
            "      metadata: {name: cart}\n      spec: {replicas: 2}\n");
    t_write(dir, "flux-system/kustomization.yaml",
            "resources: [gotk-components.yaml]\npatches:\n  - patch: |\n      - op: add\n"
            "        path: /spec/template/spec/containers/0/args/-\n        value: --log=json\n"
            "    target: {kind: Deployment, name: \"(kustomize|helm)-controller\"}\n");
    t_write(dir, "flux-system/gotk-components.yaml", "# generated by bootstrap\n");
    t_write(dir, "app/kustomization.yaml",
            "resources: [deploy.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n"
            "      kind: Deployment\n      metadata: {name: gone}\n      spec: {replicas: 2}\n");
    t_write(dir, "app/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n"
            "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n"
            "    spec: {containers: [{name: a, image: 'nginx:1.25.3'}]}\n");
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete", "components/cache/kustomization.yaml",
                         0), 0, "a Component alone");
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete", "flux-system/kustomization.yaml", 0),
                 0, "a target that selects nothing");
    cr_expect_eq(t_count(&s, "kustomize-render-incomplete", "app/kustomization.yaml", 3), 1,
                 "a patch without a target that matches nothing");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}
