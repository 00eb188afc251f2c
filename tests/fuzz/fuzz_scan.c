/* libFuzzer target for a whole scan of a small repository: the loaders, the Kustomize
 * render, the linked model, every check and the text, JSON, SARIF and model outputs. The
 * input is up to eight files separated by NUL bytes (a file with a NUL in it would be
 * skipped as binary anyway); the first byte of each picks its path from `names` (modulo
 * their number: tools/fuzz_seeds.sh writes '@' plus the index), so that
 * kustomizations, the files they name, workflows and Argo CD apps meet. Whatever the input,
 * the scan must not crash, hang or leak. */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint/config.h"
#include "model/k8s.h"
#include "render/render.h"

static const char *const names[] = {
    "k8s/base/kustomization.yaml",
    "k8s/base/deployment.yaml",
    "k8s/base/service.yaml",
    "k8s/overlays/prod/kustomization.yaml",
    "k8s/overlays/prod/patch.yaml",
    ".github/workflows/deploy.yml",
    ".github/actions/build/action.yml",
    "argocd/app.yaml",
    "infra/main.tf",
    "infra/variables.tf",
    "services/api/Dockerfile",
    "docker-compose.yml",
    "docs/README.md",
    "charts/api/values.yaml",
    "notes.txt",
    ".opsbook.yml",
};
enum { MAX_FILES = 8 };

static char root[64];

static void mkdir_p(const char *path)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        abort();
}

static void write_file(const char *name, const uint8_t *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, name);
    for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir_p(path);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    if (ftw->level > 0 && remove(path) != 0)
        abort();
    return 0;
}

/* Empties the root (no shell: a fork per input was most of a run's time). */
static void clear(void)
{
    if (nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        abort();
}

static void root_remove(void)
{
    clear();
    rmdir(root);
}

/* The catalogue of a scan with no .opsbook.yml, compiled once for the process: compiling it
 * (every secret pattern through PCRE2's JIT) was most of the rest. */
static struct catalogue *default_catalogue(const struct scan_opts *o)
{
    static struct catalogue cat;
    static int made;
    if (!made) {
        struct errbuf err = {{0}, 0};
        if (lint_catalogue_setup(&cat, o, &err) != 0)
            abort();
        made = 1;
    }
    return &cat;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof(root), "/dev/shm/opsbook-fuzz-%ld", (long)getpid());
        mkdir_p(root);
        atexit(root_remove);
    }
    clear();
    size_t at = 0;
    for (int n = 0; n < MAX_FILES && at < size; n++) {
        const uint8_t *end = memchr(data + at, 0, size - at);
        size_t len = end ? (size_t)(end - (data + at)) : size - at;
        if (len >= 1)
            write_file(names[data[at] % (sizeof(names) / sizeof(names[0]))], data + at + 1,
                       len - 1);
        at += len + 1;
    }
    const char *paths[] = {root};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 1, .fail_on = SEV_ERROR};
    o.discover.no_git = 1;
    struct errbuf err = {{0}, 0};
    struct config cfg;
    if (config_load(&cfg, root, NULL, &err) != 0) {
        config_release(&cfg);   /* a configuration error ends the run, as in the CLI */
        return 0;
    }
    o.config = &cfg;
    if (!cfg.path) {
        struct scan_opts plain = o;
        plain.config = NULL;
        o.catalogue = default_catalogue(&plain);
    }
    struct scan s;
    if (lint_scan_run(&s, &o, &err) != 0) {
        lint_scan_release(&s);
        config_release(&cfg);
        return 0;
    }
    FILE *out = fopen("/dev/null", "w");
    struct render_opts ro = {0, SEV_ERROR};
    render_masked(out, &s, &ro, render_text);
    /* The JSON, SARIF and model outputs write the whole catalogue (150 rules with their help)
     * whatever the input: most of a run's time. One input in four, chosen by its bytes so an
     * input is always treated alike, goes through them. */
    if (hash_bytes(data, size, 0) % 4 == 0) {
        render_masked(out, &s, &ro, render_json);
        render_masked(out, &s, &ro, render_sarif);
        render_masked(out, &s, &ro, render_model_json);
    }
    fclose(out);
    lint_scan_release(&s);
    config_release(&cfg);
    /* Nothing of this run is held any more: the process-wide pools start again empty. */
    finding_intern_reset();
    k8s_str_pool_reset();
    return 0;
}
