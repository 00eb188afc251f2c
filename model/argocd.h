/* Argo CD: Applications and ApplicationSets (list and git-directory generators expanded into
 * the Applications they create), with source, destination and sync policy, each field with
 * its line. Linking ties an application to the manifests at its path when the source is this
 * repository and to the environment it deploys. */
#ifndef OPSBOOK_ARGOCD_H
#define OPSBOOK_ARGOCD_H

#include "kustomize.h"
#include "model.h"

struct argo_app {
    struct unit *unit;
    const char *kind;             /* Application or ApplicationSet */
    const char *name, *project;
    const char *set_name;         /* the ApplicationSet that generates it, else NULL */
    struct loc loc, project_loc;
    const char *repo_url, *path, *target_revision, *chart;
    const char *source_kind;      /* kustomize, helm, directory or plugin */
    struct loc path_loc, revision_loc, repo_loc;
    const char *dest_server, *dest_name, *dest_namespace;
    struct loc dest_loc;
    signed char automated, prune, self_heal;  /* automated 0/1; prune/selfHeal tri-state */
    /* Set by argocd_link(). */
    unsigned char local;          /* the source is this repository */
    unsigned char path_exists;    /* local and the path is a folder or file of the scan */
    struct loc sync_loc, automated_loc;
    const char **sync_options;    /* NULL-terminated */
    const char *git_dir_pattern;  /* git directory generator: path pattern to expand */
    struct loc generator_loc;
    /* Set by argocd_link(). */
    const char *env;              /* environment it deploys to, or NULL */
    struct kustomization *kust;   /* the kustomization at its path, when there is one */
};

/* Models the Argo CD documents of a manifest file into u->argo_apps. */
void argocd_load(struct unit *u, const struct yfile *yf);
/* Expands git generators, decides which sources are this repository and finds their
 * manifests and environments. Called by model_link(). */
void argocd_link(struct model *m);
/* 1 when a revision tracks something that moves: empty, HEAD, a branch, a wildcard. */
int argocd_revision_floating(const char *rev);

#endif
