/* model: typed entities built from parsed documents. Each scanned file becomes a unit that
 * owns an arena with that file's entities; the model is the ordered list of units plus the
 * views that join them. Loaders live beside this header, one per format (gha.h, k8s.h, …). */
#ifndef OPSBOOK_MODEL_H
#define OPSBOOK_MODEL_H

#include "core/core.h"
#include "core/finding.h"
#include "core/redact.h"
#include "discover/discover.h"
#include "parse/yml.h"

/* Where an entity or field came from. */
struct loc {
    int line, col;
};

/* One scanned file and everything modelled from it. */
struct unit {
    struct srcfile *file;     /* borrowed from the discover list */
    enum file_kind kind;      /* final kind after looking at the content */
    struct arena *arena;      /* this unit's entities and strings */
    struct findings diags;    /* parse errors and other load-time findings */
    struct findings found;    /* findings from checks that ran while the file was open */
    struct vec workflows;     /* struct gha_workflow* (workflows and composite actions) */
    struct vec k8s_objects;   /* struct k8s_object* in document order */
    struct vec tf_blocks;     /* struct tf_block* */
    struct vec dockerfiles;   /* struct dockerfile* */
    struct vec compose;       /* struct compose_file* */
    struct vec docs;          /* struct doc_page* */
    struct vec kustomizations;/* struct kustomization* */
    struct vec ignores;       /* struct inline_ignore*: `opsbook:ignore` comments */
    struct vec secret_targets;/* const char*: spec.target.name of ExternalSecret documents */
    struct vec secret_values; /* const char*: values that are secret by where they stand (a
                                 Secret's data and stringData), masked in every output */
    struct vec argo_apps;     /* struct argo_app*: Argo CD Applications and ApplicationSets */
    struct vec helm;          /* struct helm_chart* / struct helm_values* (see helm.h) */
    uint64_t bytes;
    char *text;               /* the bytes of a file parsed at link, not at load (`defer`),
                                 kept from load to the end of linking */
    size_t text_len;
    unsigned loaded : 1;      /* read and parsed (possibly with diagnostics) */
    unsigned defer : 1;       /* one kustomization names it: parsed by its render, once */
    unsigned patch_file : 1;  /* a kustomization of its scan root names it as a patch */
};

struct model {
    struct vec units;         /* struct unit*, in discover order (root, path) */
    struct vec files;         /* struct srcfile*, owned by the model */
    struct findings diags;    /* discovery findings (symlinks, unreadable directories) */
    struct linked_model *linked; /* services, environments and edges (model/linked.h) */
    struct vec production;    /* const char* (borrowed): environment names that count as
                                 production; empty means model_production_defaults */
    struct redact *secrets;   /* every secret value a check found (lint fills it, every
                                 output masks with it); NULL before a scan */
};

/* The environment names that count as production unless configured (NULL-terminated). */
extern const char *const model_production_defaults[];
/* 1 when `name` (case-insensitive) is a production environment name. */
int model_env_is_production(const struct model *m, const char *name);
/* 1 when a directory component of `path` is a production name ("k8s/overlays/prod/x.yaml",
 * "terraform/environments/production/main.tf"). */
int model_path_is_production(const struct model *m, const char *path);
/* 1 when a word of `text` (split at anything but letters and digits) is a production name:
 * "deploy-prod" and "Deploy to production" do, "products-api" and "preprod" do not. */
int model_text_mentions_production(const struct model *m, const char *text);

/* Parses a unit's bytes by its kind (u->kind) and builds its entities in u->arena. Loaders
 * append to the unit's vectors and report problems as findings in u->diags; they never fail,
 * and keep no pointer into `data` or into parser trees once they return. */
void model_unit_load(struct unit *u, const char *data, size_t len);
/* The same for a YAML file that the caller has parsed into `yf` (the parse's diagnostics
 * already in u->diags), which stays the caller's and unchanged. */
void model_unit_load_parsed(struct unit *u, const struct yfile *yf, const char *data,
                            size_t len);

/* Frees what loading put in `u`: its findings, entity lists, text and arena (not `u`). */
void model_unit_release(struct unit *u);

/* Joins the units once every file is loaded: what refers to what across files (a manifest
 * that a kustomization uses as a patch, the Service that selects a workload, …). Renders
 * Kustomize overlays on up to `threads` threads (0: one per core). A unit loaded with
 * `defer` set (its bytes in u->text; see kustomize_defer_mark) gets its model here, from the
 * render's parse or after the renders; u->text is the caller's to free afterwards. */
void model_link(struct model *m, int threads);

/* Calls fn with the units of each scan root in turn, as a model of their own (its `units`
 * a view into m's, every other field m's): what a file names by a path relative to its
 * root (a kustomization's resources and patches, a Terraform folder's variables, an Argo CD
 * source path) is resolved among its own root's files only, never the same path under
 * another root. fn must not add or remove units. */
void model_for_each_root(struct model *m, void (*fn)(struct model *root, void *arg), void *arg);

/* Frees every unit, the files and the findings. */
void model_release(struct model *m);


#endif
