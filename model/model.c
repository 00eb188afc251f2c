/* Loading one file into the model: pick the parser by the file's kind, hand the parsed
 * document to the format's loader, and free the parser's tree right after. */
#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argocd.h"
#include "compose.h"
#include "doc.h"
#include "docker.h"
#include "gha.h"
#include "helm.h"
#include "k8s.h"
#include "kustomize.h"
#include "linked.h"
#include "tf.h"

static int kind_is_yaml(enum file_kind k)
{
    switch (k) {
    case FK_YAML:
    case FK_WORKFLOW:
    case FK_ACTION:
    case FK_K8S:
    case FK_KUSTOMIZATION:
    case FK_HELM_CHART:
    case FK_HELM_VALUES:
    case FK_COMPOSE:
        return 1;
    default:
        return 0;
    }
}

/* The Secret names ExternalSecret documents create (spec.target.name), which other files'
 * secret references may name. */
static void secret_targets_collect(struct unit *u, const struct yfile *yf)
{
    for (size_t i = 0; i < yf->ndocs; i++) {
        const struct ynode *doc = yf->docs[i].root;
        const char *kind = yml_is_map(doc) ? yml_str(yml_get(doc, "kind")) : NULL;
        const char *t = kind && strcmp(kind, "ExternalSecret") == 0
                            ? yml_str(yml_path(doc, "spec.target.name"))
                            : NULL;
        if (t)
            vec_push(&u->secret_targets, arena_strdup(u->arena, t));
    }
}

void model_unit_load_parsed(struct unit *u, const struct yfile *yf, const char *data,
                            size_t len)
{
    switch (u->kind) {
    case FK_WORKFLOW:
    case FK_ACTION:
        gha_load(u, yf, data, len);
        break;
    case FK_K8S:
        k8s_load(u, yf);
        argocd_load(u, yf);
        secret_targets_collect(u, yf);
        break;
    case FK_YAML:
        secret_targets_collect(u, yf);   /* Kustomize parses it again if a patch */
        break;
    case FK_KUSTOMIZATION:
        kustomize_load(u, yf);
        break;
    case FK_HELM_CHART:
    case FK_HELM_VALUES:
        helm_load(u, yf);
        break;
    case FK_COMPOSE:
        compose_load(u, yf);
        break;
    default:
        break;
    }
}

static void load_yaml(struct unit *u, const char *data, size_t len)
{
    struct arena *tmp = arena_new();
    struct yfile yf;
    yml_parse(&yf, tmp, u->file->path, data, len, &u->diags, NULL);
    model_unit_load_parsed(u, &yf, data, len);
    arena_free(tmp);
}

void model_unit_load(struct unit *u, const char *data, size_t len)
{
    if (kind_is_yaml(u->kind))
        load_yaml(u, data, len);
    else if (u->kind == FK_MARKDOWN)
        doc_load(u, data, len);
    else if (u->kind == FK_TERRAFORM)
        tf_load(u, data, len);
    else if (u->kind == FK_DOCKERFILE)
        docker_load(u, data, len);
}

void model_unit_release(struct unit *u)
{
    findings_release(&u->diags);
    findings_release(&u->found);
    vec_release(&u->workflows);
    vec_release(&u->k8s_objects);
    vec_release(&u->tf_blocks);
    vec_release(&u->dockerfiles);
    vec_release(&u->compose);
    vec_release(&u->docs);
    kustomize_unit_release(u);
    vec_release(&u->kustomizations);
    vec_release(&u->ignores);
    vec_release(&u->secret_targets);
    vec_release(&u->secret_values);
    vec_release(&u->argo_apps);
    vec_release(&u->helm);
    free(u->text);
    u->text = NULL;
    arena_free(u->arena);
    u->arena = NULL;
}

static void unit_free(struct unit *u)
{
    model_unit_release(u);
    free(u);
}

void model_for_each_root(struct model *m, void (*fn)(struct model *root, void *arg), void *arg)
{
    /* Units are in discover order, sorted by root first: each root's are contiguous. */
    for (uint32_t i = 0; i < m->units.len;) {
        const char *root = ((const struct unit *)m->units.items[i])->file->root;
        uint32_t j = i + 1;
        while (j < m->units.len &&
               strcmp(((const struct unit *)m->units.items[j])->file->root, root) == 0)
            j++;
        struct model sub = *m;
        sub.units = (struct vec){&m->units.items[i], j - i, j - i};
        fn(&sub, arg);
        i = j;
    }
}

void model_release(struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++)
        unit_free(m->units.items[i]);
    vec_release(&m->units);
    discover_files_free(&m->files);
    findings_release(&m->diags);
    linked_model_free(m->linked);
    m->linked = NULL;
    vec_release(&m->production);
    redact_free(m->secrets);
    m->secrets = NULL;
}

const char *const model_production_defaults[] = {"prod", "production", "prd", "live", NULL};

/* The production names in force: the configured ones, or the defaults. */
static const char *const *production_names(const struct model *m, size_t *n)
{
    if (m && m->production.len) {
        *n = m->production.len;
        return (const char *const *)m->production.items;
    }
    *n = ARRAY_LEN(model_production_defaults) - 1;
    return model_production_defaults;
}

static int production_name(const struct model *m, const char *s, size_t n)
{
    size_t count;
    const char *const *names = production_names(m, &count);
    for (size_t i = 0; i < count; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0)
            return 1;
    return 0;
}

int model_env_is_production(const struct model *m, const char *name)
{
    return name && production_name(m, name, strlen(name));
}

int model_path_is_production(const struct model *m, const char *path)
{
    for (const char *p = path; p && *p;) {
        size_t n = strcspn(p, "/");
        if (p[n] == '/' && production_name(m, p, n))
            return 1;
        p += n;
        if (*p == '/')
            p++;
    }
    return 0;
}

/* 1 when `name` occurs in `text` (case-insensitive) with no letter or digit either side. */
static int mentions_word(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; n && (p = strcasestr(p, name)) != NULL; p++) {
        int before = p > text && isalnum((unsigned char)p[-1]);
        int after = isalnum((unsigned char)p[n]);
        if (!before && !after)
            return 1;
    }
    return 0;
}

int model_text_mentions_production(const struct model *m, const char *text)
{
    size_t count;
    const char *const *names = production_names(m, &count);
    for (size_t i = 0; text && i < count; i++)
        if (mentions_word(text, names[i]))
            return 1;
    return 0;
}
