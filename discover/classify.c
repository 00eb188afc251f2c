/* File classification: first by path (the cheap and usual case), then by a look at the
 * content for YAML whose path says nothing, and for files named on the command line. */
#include "discover.h"

#include <string.h>

static const char *const kind_names[FK__COUNT] = {
    [FK_UNKNOWN] = "unknown",       [FK_TEXT] = "text",
    [FK_YAML] = "yaml",             [FK_WORKFLOW] = "github-workflow",
    [FK_ACTION] = "github-action",  [FK_K8S] = "kubernetes",
    [FK_KUSTOMIZATION] = "kustomization", [FK_HELM_CHART] = "helm-chart",
    [FK_HELM_TEMPLATE] = "helm-template", [FK_HELM_VALUES] = "helm-values",
    [FK_DOCKERFILE] = "dockerfile", [FK_COMPOSE] = "docker-compose",
    [FK_TERRAFORM] = "terraform",   [FK_MARKDOWN] = "markdown",
    [FK_BINARY] = "binary",
};

const char *file_kind_name(enum file_kind k)
{
    return k >= 0 && k < FK__COUNT ? kind_names[k] : "unknown";
}

static int is_yaml_ext(const char *ext)
{
    return strcmp(ext, ".yml") == 0 || strcmp(ext, ".yaml") == 0;
}

static int under_workflows(const char *path)
{
    const char *p = strstr(path, ".github/workflows/");
    return p && (p == path || p[-1] == '/') && !strchr(p + strlen(".github/workflows/"), '/');
}

enum file_kind discover_classify_path(const char *path)
{
    const char *base = path_base(path);
    const char *ext = path_ext(path);

    if (is_yaml_ext(ext)) {
        if (under_workflows(path))
            return FK_WORKFLOW;
        if (strcmp(base, "action.yml") == 0 || strcmp(base, "action.yaml") == 0)
            return FK_ACTION;
        if (strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0)
            return FK_KUSTOMIZATION;
        if (strcmp(base, "Chart.yaml") == 0)
            return FK_HELM_CHART;
        if (str_startswith(base, "docker-compose") || str_startswith(base, "compose.") ||
            str_startswith(base, "compose-"))
            return FK_COMPOSE;
        return FK_UNKNOWN;
    }
    if (strcmp(base, "Kustomization") == 0)
        return FK_KUSTOMIZATION;
    if (strcmp(base, "Dockerfile") == 0 || str_startswith(base, "Dockerfile.") ||
        strcmp(ext, ".dockerfile") == 0 || strcmp(base, "Containerfile") == 0 ||
        str_startswith(base, "Containerfile."))
        return FK_DOCKERFILE;
    if (strcmp(ext, ".tf") == 0 || strcmp(ext, ".tfvars") == 0)
        return FK_TERRAFORM;
    if (strcmp(ext, ".md") == 0 || strcmp(ext, ".markdown") == 0)
        return FK_MARKDOWN;
    return FK_UNKNOWN;
}

/* A key at the start of a line (column 1), e.g. "jobs:" — cheap and good enough to tell what
 * a YAML file is; the loader decides for real. */
static int has_top_key(const char *data, size_t len, const char *key)
{
    size_t n = strlen(key);
    const char *p = data, *end = data + len;
    while (p < end) {
        if ((size_t)(end - p) > n && memcmp(p, key, n) == 0 && p[n] == ':')
            return 1;
        if ((size_t)(end - p) > n + 2 && (p[0] == '"' || p[0] == '\'') &&
            memcmp(p + 1, key, n) == 0 && p[n + 1] == p[0] && p[n + 2] == ':')
            return 1;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static int looks_binary(const char *data, size_t len)
{
    size_t n = len < 8192 ? len : 8192;
    return memchr(data, '\0', n) != NULL;
}

enum file_kind discover_classify_content(enum file_kind kind, const char *path, int named,
                                         const char *data, size_t len)
{
    if (looks_binary(data, len))
        return FK_BINARY;
    if (kind != FK_UNKNOWN)
        return kind;
    int yaml = is_yaml_ext(path_ext(path));
    if (!yaml && !named)
        return FK_TEXT;
    /* A named file is judged by its content wherever it lives. */
    if (has_top_key(data, len, "jobs") && has_top_key(data, len, "on"))
        return FK_WORKFLOW;
    if (has_top_key(data, len, "apiVersion") && has_top_key(data, len, "kind"))
        return FK_K8S;
    if (named && has_top_key(data, len, "runs") && has_top_key(data, len, "name"))
        return yaml ? FK_ACTION : FK_TEXT;
    return yaml ? FK_YAML : FK_TEXT;
}
