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
    /* A document's extension says what it is before a name does: Dockerfile.md is a page
     * about a Dockerfile, Dockerfile.tf a module. */
    if (strcmp(ext, ".md") == 0 || strcmp(ext, ".markdown") == 0)
        return FK_MARKDOWN;
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

/* 1 when `key` stands in data as a mapping key however it is written: at the start of a
 * line, indented, after a byte-order mark, quoted, with spaces before the colon, or inside a
 * flow mapping or JSON object (`{apiVersion: v1, …}`, `{"kind": "Pod"}`). Cheap and
 * generous: the loader decides for real, and a Pod written some other way must not slip
 * past every rule because this look missed it. */
static int has_key(const char *data, size_t len, const char *key)
{
    size_t n = strlen(key);
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *at = memmem(p, (size_t)(end - p), key, n);
        if (!at)
            return 0;
        p = at + 1;
        const char *b = at, *e = at + n;
        char q = 0;
        if (b > data && (b[-1] == '"' || b[-1] == '\'')) {
            q = b[-1];
            b--;
        }
        while (b > data && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        int starts = b == data || b[-1] == '\n' || b[-1] == '\r' || b[-1] == '{' ||
                     b[-1] == ',' || (b - data == 3 && !memcmp(data, "\xef\xbb\xbf", 3));
        if (!starts)
            continue;
        if (q) {
            if (e >= end || *e != q)
                continue;
            e++;
        }
        while (e < end && (*e == ' ' || *e == '\t'))
            e++;
        if (e < end && *e == ':')
            return 1;
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
    /* A manifest kept as JSON is a manifest: the YAML loader reads JSON. */
    if (!yaml && strcmp(path_ext(path), ".json") == 0)
        return has_key(data, len, "apiVersion") && has_key(data, len, "kind") ? FK_K8S
                                                                              : FK_TEXT;
    if (!yaml && !named)
        return FK_TEXT;
    /* A named file is judged by its content wherever it lives. */
    if (has_key(data, len, "jobs") && has_key(data, len, "on"))
        return FK_WORKFLOW;
    if (has_key(data, len, "apiVersion") && has_key(data, len, "kind"))
        return FK_K8S;
    if (named && has_key(data, len, "runs") && has_key(data, len, "name"))
        return yaml ? FK_ACTION : FK_TEXT;
    return yaml ? FK_YAML : FK_TEXT;
}

int discover_is_opsbook_report(const char *data, size_t len)
{
    /* Each begins as render/ writes it; the name is near the start in all three. */
    static const char *const starts[] = {
        "{\n  \"tool\": {\n    \"name\": \"opsbook\",",
        "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"opsbook\"",
    };
    static const char header[] = OPSBOOK_REPORT_HEADER "\n";
    if (len >= sizeof(header) - 1 && memcmp(data, header, sizeof(header) - 1) == 0)
        return 1;
    for (size_t i = 0; i < ARRAY_LEN(starts); i++) {
        size_t n = strlen(starts[i]);
        if (len < n || memcmp(data, starts[i], n) != 0)
            continue;
        if (i != 1)
            return 1;
        /* SARIF: any tool may write that start; the driver's name says which. */
        static const char driver[] = "\"driver\": {\n          \"name\": \"opsbook\"";
        size_t head = len < 512 ? len : 512;
        return memmem(data, head, driver, sizeof(driver) - 1) != NULL;
    }
    return 0;
}
