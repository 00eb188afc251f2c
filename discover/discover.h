/* discover: the repository as files. Walks the paths given (honouring .gitignore through
 * libgit2 inside a repository), never follows a symlink out of the scanned root, and
 * classifies each file by its path and a cheap look at its content. */
#ifndef OPSBOOK_DISCOVER_H
#define OPSBOOK_DISCOVER_H

#include "core/core.h"
#include "core/finding.h"

enum file_kind {
    FK_UNKNOWN = 0,     /* not yet classified (needs content) */
    FK_TEXT,            /* other text: scanned for secrets only */
    FK_YAML,            /* YAML that is none of the kinds below */
    FK_WORKFLOW,        /* GitHub Actions workflow */
    FK_ACTION,          /* composite/JS/docker action metadata (action.yml) */
    FK_K8S,             /* YAML with apiVersion + kind documents */
    FK_KUSTOMIZATION,   /* kustomization.yaml */
    FK_HELM_CHART,      /* Chart.yaml */
    FK_HELM_TEMPLATE,   /* templates/ of a chart: Go templates, not YAML */
    FK_HELM_VALUES,     /* values*.yaml beside a Chart.yaml */
    FK_DOCKERFILE,
    FK_COMPOSE,
    FK_TERRAFORM,
    FK_MARKDOWN,
    FK_BINARY,          /* skipped */
    FK__COUNT
};

const char *file_kind_name(enum file_kind k);

struct srcfile {
    char *path;          /* relative to its root, '/' separators */
    char *display;       /* as the user would open it from the working directory */
    char *abspath;       /* what to open */
    char *root;          /* the scan root it was found under (display form) */
    enum file_kind kind;
    int named;           /* named on the command line: classify by content wherever it is */
};

struct discover_opts {
    int no_git;          /* walk plainly even inside a repository */
    uint64_t max_file_size;   /* larger files become a finding; default 64 MiB */
};

/* Walks `paths` (files or directories; "." when npaths is 0) and appends a struct srcfile*
 * per file to `out`, sorted by root then path. Problems with the tree (a symlink loop, a link
 * out of the root, an unreadable directory) become findings in `diags`. Returns 0, or -1
 * with `err` set when a path does not exist. Free with discover_files_free(). */
int discover_walk(struct vec *out, const char *const *paths, size_t npaths,
                  const struct discover_opts *opts, struct findings *diags, struct errbuf *err);
void discover_files_free(struct vec *files);

/* Classifies by path alone; FK_UNKNOWN when the content must decide. */
enum file_kind discover_classify_path(const char *path);
/* Classifies with the content at hand. `kind` is the path verdict. Returns the final kind. */
enum file_kind discover_classify_content(enum file_kind kind, const char *path, int named,
                                         const char *data, size_t len);
/* 1 when the bytes are a report opsbook wrote (JSON, SARIF or JUnit by the way each begins,
 * text and GitHub by their header line):
 * a scan of a tree that holds one does not read it as configuration or for secrets. */
int discover_is_opsbook_report(const char *data, size_t len);

#endif
