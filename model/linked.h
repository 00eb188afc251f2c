/* The linked model: derived Service and Environment entities and the typed edges between
 * entities (selects, scales, protects, deploys, builds-image, overlays, documents, links-to).
 * Built once by model_link() from the units' entities and the rendered overlays; it is what
 * `opsbook model` prints and what the site draws. Everything lives in its own arena. */
#ifndef OPSBOOK_LINKED_H
#define OPSBOOK_LINKED_H

#include "argocd.h"
#include "gha.h"
#include "k8s.h"
#include "kustomize.h"
#include "model.h"

enum edge_kind {
    EDGE_SELECTS, EDGE_SCALES, EDGE_PROTECTS, EDGE_DEPLOYS, EDGE_BUILDS_IMAGE, EDGE_OVERLAYS,
    EDGE_DOCUMENTS, EDGE_LINKS_TO,
};
const char *linked_edge_kind_name(enum edge_kind k);

/* Entity ids are "<type>:<path>#<name>" (k8s objects, jobs, apps), "service:<name>",
 * "environment:<name>", "image:<repository>". */
struct edge {
    const char *from, *to;        /* interned: one copy per id in the model's arena */
    const char *path;             /* where the edge is written */
    enum edge_kind kind;
    int line;
};

/* A reference to a k8s object of a unit. */
struct obj_ref {
    const struct unit *unit;
    const struct k8s_object *obj;
};

/* What runs in one environment for a service. */
struct svc_env {
    const char *env;
    const char **images;          /* NULL-terminated image references, deduplicated */
    const char **image_paths;     /* where each image reference is written */
    int *image_lines;
    size_t nimages;
    const char *overlay;          /* the kustomization that renders it there */
    const char *deployed_by;      /* an Argo CD app or workflow job id, or NULL */
};

struct service {
    const char *name, *id;
    struct obj_ref workload;
    struct vec selected_by;       /* struct obj_ref*: Services */
    struct vec routes;            /* struct obj_ref*: Ingresses routing to its Services */
    struct vec hpas, pdbs, netpols;   /* struct obj_ref* */
    struct vec images;            /* const char*: images as written in the base */
    struct vec dockerfiles;       /* const char*: paths */
    struct vec build_jobs;        /* const char*: job ids that build its images */
    struct vec deployers;         /* const char*: apps and jobs that deploy it */
    struct vec envs;              /* struct svc_env*, in promotion order */
};

struct environment {
    const char *name, *id;
    int production;
    int rank;                     /* promotion order: dev 0 < test 1 < qa 2 < staging 3 < prod 4 */
    struct vec aliases;           /* const char*: other names of it ("production" for prod) */
    struct vec sources;           /* const char*: "overlay:…", "workflow:…", "argocd:…",
                                     "terraform:…" */
    struct vec gates;             /* const char*: "github-environment", "manual-sync", … */
    int auto_sync, manual_sync;   /* Argo CD apps into it, automated or not */
    int workflow_jobs;            /* workflow jobs that name it as environment */
    int reviewers;                /* a Terraform github_repository_environment sets reviewers */
};

struct linked_model {
    struct arena *arena;
    struct vec services;          /* struct service*, by name */
    struct vec environments;      /* struct environment*, in promotion order */
    struct vec edges;             /* struct edge* */
    struct vec kustomizations;    /* struct kustomization*, by path */
    struct vec apps;              /* struct argo_app*, by file and line */
    struct vec charts;            /* struct helm_chart* */
};

/* Builds the linked model from the loaded, rendered units. Owned by the caller. */
struct linked_model *linked_model_build(struct model *m);
void linked_model_free(struct linked_model *lm);

/* 1 when `name` or its canonical name ("production" -> "prod") is a production name of
 * the model (configured, or model_production_defaults). */
int linked_env_is_production(const struct model *m, const char *name);
/* Rank of an environment name in the default promotion order (unknown names: 2). */
int linked_env_rank(const char *name);
const struct environment *linked_env_find(const struct linked_model *lm, const char *name);

/* Environments (service.c / environment.c build steps, used by linked_model_build). */
void linked_environments_build(struct linked_model *lm, struct model *m);
void linked_services_build(struct linked_model *lm, struct model *m);

/* The workload objects of `k`'s rendered output for a base workload, in the order rendered. */
const struct kz_object *linked_rendered_find(const struct kustomization *k, const char *kind,
                                             const char *base_name);

#endif
