/* opsbook's Kustomize render against the reference renderer, `kubectl kustomize`, where
 * kubectl is installed (the test says it did not run otherwise): for every kustomization of
 * examples/ (and of OPSBOOK_KUSTOMIZE_ROOTS, a colon-separated list of more trees, such as
 * the real-repository set), the objects both render must be the same kinds, namespaces,
 * names and container images; where kubectl refuses to build, opsbook must say the render is
 * incomplete. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/k8s.h"
#include "model/kustomize.h"
#include "parse/yml.h"
#include "testlib.h"

/* "Kind ns/name [images]" of one object, for set comparison. */
static char *object_key(const char *kind, const char *ns, const char *name, const char *images)
{
    return xasprintf("%s %s/%s [%s]", kind ? kind : "?", ns && *ns ? ns : "",
                     name ? name : "?", images ? images : "*");
}

static void images_of(struct strbuf *sb, const struct ynode *podspec)
{
    static const char *const lists[] = {"initContainers", "containers"};
    for (size_t l = 0; l < 2; l++) {
        const struct ynode *cs = yml_get(podspec, lists[l]);
        for (size_t i = 0; cs && cs->kind == YN_SEQ && i < cs->len; i++) {
            const char *im = yml_str(yml_get(cs->items[i], "image"));
            sb_addf(sb, "%s%s", sb->len ? " " : "", im ? im : "-");
        }
    }
}

/* kubectl's render of `dir` as keys in `out`; returns kubectl's exit status. */
static int kubectl_render(struct vec *out, const char *dir)
{
    char *text = NULL;
    char *cmd = xasprintf("kubectl kustomize '%s' 2>/dev/null", dir);
    int rc = t_run(cmd, &text);
    free(cmd);
    if (rc == 0 && text) {
        struct arena *a = arena_new();
        struct findings diags = {VEC_INIT};
        struct yfile yf;
        yml_parse(&yf, a, "kubectl", text, strlen(text), &diags, NULL);
        for (size_t d = 0; d < yf.ndocs; d++) {
            const struct ynode *root = yf.docs[d].root;
            if (!root)
                continue;
            const struct ynode *md = yml_get(root, "metadata");
            const char *kind = yml_str(yml_get(root, "kind"));
            const struct ynode *spec = yml_get(root, "spec"), *pod = NULL;
            if (kind && strcmp(kind, "Pod") == 0)
                pod = spec;
            else if (kind && strcmp(kind, "CronJob") == 0)
                pod = yml_path(spec, "jobTemplate.spec.template.spec");
            else
                pod = yml_path(spec, "template.spec");
            struct strbuf im = STRBUF_INIT;
            if (pod)
                images_of(&im, pod);
            vec_push(out, object_key(kind, yml_str(yml_get(md, "namespace")),
                                     yml_str(yml_get(md, "name")), pod ? sb_str(&im) : NULL));
            sb_release(&im);
        }
        findings_release(&diags);
        arena_free(a);
    }
    free(text);
    return rc;
}

static void opsbook_render(struct vec *out, const struct kustomization *k)
{
    for (size_t i = 0; i < k->objects.len; i++) {
        const struct kz_object *ob = k->objects.items[i];
        struct strbuf im = STRBUF_INIT;
        const struct k8s_podspec *pod = ob->obj ? ob->obj->pod : NULL;
        for (size_t c = 0; pod && c < pod->ninit; c++)
            sb_addf(&im, "%s%s", im.len ? " " : "", pod->init_containers[c]->image_raw
                                                       ? pod->init_containers[c]->image_raw
                                                       : "-");
        for (size_t c = 0; pod && c < pod->ncontainers; c++)
            sb_addf(&im, "%s%s", im.len ? " " : "",
                    pod->containers[c]->image_raw ? pod->containers[c]->image_raw : "-");
        vec_push(out, object_key(ob->kind, ob->namespace, ob->name, pod ? sb_str(&im) : NULL));
        sb_release(&im);
    }
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Equal when the sorted lists match, an image list of "*" (opsbook keeps no typed view)
 * matching any. */
static int same(struct vec *a, struct vec *b)
{
    if (a->len != b->len)
        return 0;
    for (size_t i = 0; i < a->len; i++) { /* compare without images where one side has none */
        const char *x = a->items[i], *y = b->items[i];
        const char *bx = strchr(x, '['), *by = strchr(y, '[');
        if (strcmp(x, y) == 0)
            continue;
        if ((bx - x) != (by - y) || strncmp(x, y, (size_t)(bx - x)) != 0)
            return 0;
        if (strcmp(bx, "[*]") && strcmp(by, "[*]"))
            return 0;
    }
    return 1;
}

static void free_keys(struct vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        free(v->items[i]);
    vec_release(v);
}

/* Compares every kustomization under `root`; counts into *agree and *total. */
static void compare_tree(const char *root, int *agree, int *total)
{
    struct scan s;
    t_scan(&s, root);
    for (size_t i = 0; i < s.model.units.len; i++) {
        const struct unit *u = s.model.units.items[i];
        for (size_t j = 0; j < u->kustomizations.len; j++) {
            const struct kustomization *k = u->kustomizations.items[j];
            if (k->component)
                continue; /* kubectl builds a Component only as part of another */
            char *dir = path_join(root, k->dir);
            struct vec want = VEC_INIT, got = VEC_INIT;
            int rc = kubectl_render(&want, dir);
            (*total)++;
            if (rc != 0) {
                int said = t_count(&s, "kustomize-render-incomplete", k->path, 0) +
                           t_count(&s, "kustomize-resource-missing", k->path, 0) +
                           t_count(&s, "kustomize-remote-base", k->path, 0);
                if (said)
                    (*agree)++;
                else
                    cr_expect_fail("%s: kubectl kustomize fails, opsbook renders it whole",
                                   dir);
            } else {
                opsbook_render(&got, k);
                qsort(want.items, want.len, sizeof(void *), key_cmp);
                qsort(got.items, got.len, sizeof(void *), key_cmp);
                if (same(&want, &got)) {
                    (*agree)++;
                } else {
                    for (size_t w = 0; w < want.len || w < got.len; w++)
                        fprintf(stderr, "  kubectl: %-60s opsbook: %s\n",
                                w < want.len ? (char *)want.items[w] : "",
                                w < got.len ? (char *)got.items[w] : "");
                    cr_expect_fail("%s: the renders differ (see stderr)", dir);
                }
            }
            free_keys(&want);
            free_keys(&got);
            free(dir);
        }
    }
    lint_scan_release(&s);
}

Test(kustomize_kubectl, renders_agree_with_kubectl_kustomize, .timeout = 300)
{
    if (t_run("command -v kubectl >/dev/null 2>&1", NULL) != 0)
        cr_skip_test("kubectl is not installed: the differential test did not run");
    int agree = 0, total = 0;
    static const char *const examples[] = {"examples/platform", "examples/clean"};
    for (size_t i = 0; i < ARRAY_LEN(examples); i++) {
        char *root = path_join(t_root(), examples[i]);
        compare_tree(root, &agree, &total);
        free(root);
    }
    const char *more = getenv("OPSBOOK_KUSTOMIZE_ROOTS");
    char *list = more ? xstrdup(more) : NULL;
    char *save = NULL;
    for (char *r = list ? strtok_r(list, ":", &save) : NULL; r; r = strtok_r(NULL, ":", &save))
        compare_tree(r, &agree, &total);
    free(list);
    fprintf(stderr, "kubectl kustomize: %d of %d kustomizations agree\n", agree, total);
    cr_expect_gt(total, 5);
}
