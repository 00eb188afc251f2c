/* The Terraform model: one tf_block per top-level block of a .tf file (resource, data,
 * module, variable, output, provider, terraform, locals), over the positioned HCL tree of
 * parse/hcl.h. Values stay as written; var.NAME and local.NAME references are resolved to a
 * variable's default or a local's value of the same module directory by tf_link(). */
#ifndef OPSBOOK_TF_H
#define OPSBOOK_TF_H

#include "model.h"
#include "parse/hcl.h"

enum tf_block_kind {
    TF_OTHER = 0, /* moved, import, check, removed, ...: kept, not interpreted */
    TF_RESOURCE,
    TF_DATA,
    TF_MODULE,
    TF_VARIABLE,
    TF_OUTPUT,
    TF_PROVIDER,
    TF_TERRAFORM,
    TF_LOCALS,
    TF_ATTRIBUTE, /* a top-level attribute (a .tfvars file): hcl has it as its only attr */
};

enum tf_source_kind {
    TF_SRC_NONE = 0, /* no source attribute */
    TF_SRC_UNKNOWN,  /* not a literal string */
    TF_SRC_LOCAL,    /* ./ or ../ path */
    TF_SRC_REGISTRY, /* [host/]namespace/name/provider[//subdir] */
    TF_SRC_GIT,      /* git::, github.com/, git@, bitbucket.org/ */
    TF_SRC_OTHER,    /* http(s) archives, s3::, gcs::, hg:: */
};

/* A module's `source`, parsed. */
struct tf_module_source {
    enum tf_source_kind kind;
    int has_version;     /* a `version` argument exists (literal or not) */
    int line, col;       /* the source attribute */
    const char *address; /* the source without ?query; registry address or repository */
    const char *ref;     /* git: the ?ref= value, or NULL */
    const char *version; /* registry: the `version` argument when a literal, or NULL */
};

struct tf_block {
    enum tf_block_kind kind;
    const char *type; /* resource/data type ("aws_s3_bucket"), provider name, backend
                       * type for terraform blocks, "" otherwise */
    const char *name; /* resource/data/module/variable/output name, "" otherwise */
    const char *dir;  /* the file's directory relative to the root: the module */
    const struct hcl_block *hcl;
    const struct tf_module_source *source; /* TF_MODULE: its source; for the other kinds
                                            * (and a module without one) kind TF_SRC_NONE */
    const struct hcl_block *backend;       /* TF_TERRAFORM: its backend block, or NULL */
};

/* Parses a .tf / .tfvars file into u->tf_blocks; syntax errors go to u->diags. */
void tf_load(struct unit *u, const char *data, size_t len);

/* Parses a module source string (`s` is the literal value). */
void tf_source_parse(struct tf_module_source *out, struct arena *a, const char *s);

/* Resolves var.NAME and local.NAME references of every Terraform unit to the variable's
 * default or the local's value declared in the same directory (cross-file). */
void tf_link(struct model *m);


#endif
