/* Kustomize's tree operations in C: strategic merge and JSON 6902 on the tricky cases (a
 * patch that adds a probe, a patch on a container the base lacks, `$patch: delete`, env
 * merged by name, lists replaced, bad JSON pointers). Rendering is in test_kustomize.c. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/kustomize.h"
#include "testlib.h"

static struct ynode *parse(struct arena *a, const char *text)
{
    struct yfile yf;
    struct findings diags = {VEC_INIT};
    yml_parse(&yf, a, "t.yaml", text, strlen(text), &diags, NULL);
    cr_assert_eq(diags.v.len, 0, "test YAML does not parse: %s", text);
    findings_release(&diags);
    cr_assert(yf.ndocs >= 1);
    return yf.docs[0].root;
}

static const char base_doc[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: api\n"
    "  labels: {app: api, tier: backend}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  template:\n"
    "    spec:\n"
    "      securityContext: {runAsNonRoot: true}\n"
    "      containers:\n"
    "        - name: web\n"
    "          image: ghcr.io/acme/api:1.0.0\n"
    "          args: [serve, --port=8080]\n"
    "          env:\n"
    "            - {name: A, value: '1'}\n"
    "            - {name: B, value: '2'}\n"
    "        - name: envoy\n"
    "          image: envoyproxy/envoy:v1.30.1\n";

static const struct ynode *container(const struct ynode *root, const char *name)
{
    const struct ynode *cs = yml_path(root, "spec.template.spec.containers");
    for (size_t i = 0; yml_is_seq(cs) && i < cs->len; i++) {
        const char *n = yml_str(yml_get(cs->items[i], "name"));
        if (n && strcmp(n, name) == 0)
            return cs->items[i];
    }
    return NULL;
}

static size_t ncontainers(const struct ynode *root)
{
    const struct ynode *cs = yml_path(root, "spec.template.spec.containers");
    return yml_is_seq(cs) ? cs->len : 0;
}

static const char *env_value(const struct ynode *c, const char *name)
{
    const struct ynode *env = yml_get(c, "env");
    for (size_t i = 0; yml_is_seq(env) && i < env->len; i++) {
        const char *n = yml_str(yml_get(env->items[i], "name"));
        if (n && strcmp(n, name) == 0)
            return yml_str(yml_get(env->items[i], "value"));
    }
    return NULL;
}

static void notes_free(struct vec *notes)
{
    for (size_t i = 0; i < notes->len; i++)
        free(notes->items[i]);
    vec_release(notes);
}

Test(kustomize, a_patch_that_adds_a_probe_keeps_the_rest_of_the_container)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *patch = parse(a,
        "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n"
        "          livenessProbe:\n            httpGet: {path: /livez, port: 8080}\n");
    struct vec notes = VEC_INIT;
    kz_merge_strategic(a, dst, patch, &notes, NULL);
    const struct ynode *web = container(dst, "web");
    cr_assert_not_null(web);
    cr_assert_str_eq(yml_str(yml_path(web, "livenessProbe.httpGet.path")), "/livez");
    cr_assert_str_eq(yml_str(yml_get(web, "image")), "ghcr.io/acme/api:1.0.0");
    cr_assert_eq(ncontainers(dst), 2);
    cr_assert_eq(notes.len, 0);
    /* The added field keeps the patch's line, the image the base's. */
    cr_assert_eq(yml_get(web, "livenessProbe")->line, 7);
    cr_assert_eq(yml_get(web, "image")->line, 13);
    notes_free(&notes);
    arena_free(a);
}

Test(kustomize, a_patch_on_a_missing_container_appends_it_with_a_note)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *patch = parse(a,
        "spec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n"
        "          resources: {limits: {cpu: 100m}}\n");
    struct vec notes = VEC_INIT;
    kz_merge_strategic(a, dst, patch, &notes, NULL);
    cr_assert_eq(ncontainers(dst), 3);
    const struct ynode *sc = container(dst, "sidecar");
    cr_assert_not_null(sc);
    cr_assert_null(yml_get(sc, "image"), "a patch cannot invent the image");
    cr_assert_eq(notes.len, 1);
    cr_assert_not_null(strstr(notes.items[0], "sidecar"));
    notes_free(&notes);
    /* a sidecar with its image is a usual patch: no note */
    patch = parse(a, "spec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n"
                     "          image: envoyproxy/envoy:v1.30.1\n");
    kz_merge_strategic(a, dst, patch, &notes, NULL);
    cr_assert_eq(ncontainers(dst), 4);
    cr_assert_eq(notes.len, 0, "a sidecar is not a render problem");
    notes_free(&notes);
    arena_free(a);
}

/* An add under a mapping that is not there creates it, as kustomize does. */
Test(kustomize, json6902_add_creates_the_missing_mapping)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *ops =
        parse(a, "- op: add\n  path: /metadata/annotations/team\n  value: core\n");
    char *why = NULL;
    cr_assert_eq(kz_apply_json6902(a, dst, ops, &why), 0, "%s", why ? why : "");
    cr_expect_str_eq(yml_str(yml_path(dst, "metadata.annotations.team")), "core");
    free(why);
    arena_free(a);
}

Test(kustomize, patch_delete_removes_a_container_and_a_map)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *patch = parse(a,
        "spec:\n  template:\n    spec:\n      securityContext: {$patch: delete}\n"
        "      $setElementOrder/containers: [{name: web}]\n"
        "      containers:\n        - {name: envoy, $patch: delete}\n"
        "        - {name: ghost, $patch: delete}\n");
    struct vec notes = VEC_INIT;
    kz_merge_strategic(a, dst, patch, &notes, NULL);
    cr_assert_eq(ncontainers(dst), 1);
    cr_assert_null(container(dst, "envoy"));
    cr_assert_null(container(dst, "ghost"), "deleting what is not there adds nothing");
    cr_assert_null(yml_path(dst, "spec.template.spec.securityContext"));
    cr_assert_null(yml_get(yml_path(dst, "spec.template.spec"), "$setElementOrder/containers"),
                   "directives are not copied into the object");
    cr_assert_eq(notes.len, 0);
    notes_free(&notes);
    arena_free(a);
}

Test(kustomize, env_merges_by_name_maps_merge_lists_replace_null_deletes)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *patch = parse(a,
        "metadata:\n  labels: {tier: api, team: payments}\n"
        "spec:\n  replicas: null\n  template:\n    spec:\n      containers:\n"
        "        - name: web\n          args: [serve]\n"
        "          env:\n            - {name: B, value: '3'}\n"
        "            - {name: C, value: '4'}\n");
    struct vec notes = VEC_INIT;
    kz_merge_strategic(a, dst, patch, &notes, NULL);
    const struct ynode *web = container(dst, "web");
    cr_assert_str_eq(env_value(web, "A"), "1");
    cr_assert_str_eq(env_value(web, "B"), "3");
    cr_assert_str_eq(env_value(web, "C"), "4");
    cr_assert_eq(yml_get(web, "env")->len, 3);
    cr_assert_eq(yml_get(web, "args")->len, 1, "args is not merged by key: replaced");
    cr_assert_str_eq(yml_str(yml_path(dst, "metadata.labels.app")), "api");
    cr_assert_str_eq(yml_str(yml_path(dst, "metadata.labels.tier")), "api");
    cr_assert_str_eq(yml_str(yml_path(dst, "metadata.labels.team")), "payments");
    cr_assert_null(yml_path(dst, "spec.replicas"));
    notes_free(&notes);
    arena_free(a);
}

Test(kustomize, json6902_add_replace_remove)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *ops = parse(a,
        "- {op: replace, path: /spec/replicas, value: 5}\n"
        "- {op: add, path: /spec/template/spec/containers/0/readinessProbe,\n"
        "   value: {tcpSocket: {port: 8080}}}\n"
        "- {op: remove, path: /metadata/labels/tier}\n"
        "- {op: add, path: /metadata/annotations, value: {}}\n"
        "- {op: add, path: /metadata/annotations/example.com~1owner, value: payments}\n"
        "- {op: add, path: /spec/template/spec/containers/0/args/-, value: --verbose}\n"
        "- {op: add, path: /spec/template/spec/containers/0/args/0, value: run}\n");
    char *why = NULL;
    cr_assert_eq(kz_apply_json6902(a, dst, ops, &why), 0, "%s", why ? why : "");
    cr_assert_str_eq(yml_str(yml_path(dst, "spec.replicas")), "5");
    cr_assert_not_null(yml_get(container(dst, "web"), "readinessProbe"));
    cr_assert_null(yml_path(dst, "metadata.labels.tier"));
    cr_assert_str_eq(yml_str(yml_get(yml_path(dst, "metadata.annotations"), "example.com/owner")),
                     "payments");
    const struct ynode *args = yml_get(container(dst, "web"), "args");
    cr_assert_eq(args->len, 4);
    cr_assert_str_eq(yml_str(args->items[0]), "run");
    cr_assert_str_eq(yml_str(args->items[3]), "--verbose");
    arena_free(a);
}

Test(kustomize, json6902_bad_paths_fail_and_the_rest_applies)
{
    struct arena *a = arena_new();
    struct ynode *dst = parse(a, base_doc);
    const struct ynode *ops = parse(a,
        "- {op: replace, path: /spec/strategy/type, value: Recreate}\n"
        "- {op: remove, path: /spec/template/spec/containers/7}\n"
        "- {op: move, path: /spec/replicas}\n"
        "- {op: replace, path: /spec/replicas, value: 9}\n");
    char *why = NULL;
    cr_assert_eq(kz_apply_json6902(a, dst, ops, &why), -1);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "/spec/strategy/type"));
    cr_assert_str_eq(yml_str(yml_path(dst, "spec.replicas")), "9");
    cr_assert_eq(ncontainers(dst), 2);
    free(why);
    why = NULL;
    cr_assert_eq(kz_apply_json6902(a, dst, parse(a, "op: add\n"), &why), -1);
    free(why);
    arena_free(a);
}
