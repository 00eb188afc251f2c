/* hcl: HCL (Terraform's language) through tree-sitter into a positioned tree of blocks,
 * attributes and expression values, allocated in a caller's arena. Literal expressions keep
 * a typed value; everything else keeps its source text and is `unknown`. */
#ifndef OPSBOOK_HCL_H
#define OPSBOOK_HCL_H

#include "core/core.h"
#include "core/finding.h"

enum hcl_kind {
    HV_UNKNOWN = 0, /* an expression we do not evaluate (operation, conditional, for, splat) */
    HV_NULL,
    HV_STRING, /* a quoted string or heredoc without interpolation */
    HV_NUMBER,
    HV_BOOL,
    HV_LIST,     /* tuple: items[0..n) */
    HV_MAP,      /* object: keys[i] = items[i] */
    HV_REF,      /* a traversal such as var.name or aws_s3_bucket.logs.id: str is its text */
    HV_TEMPLATE, /* a string with interpolations or directives: str is its source text */
    HV_CALL,     /* a function call: str is the function name, items its arguments */
};

struct hcl_value {
    enum hcl_kind kind;
    int line, col;            /* 1-based start of the expression */
    const char *text;         /* source text of the whole expression */
    const char *str;          /* HV_STRING value, HV_REF / HV_TEMPLATE text, HV_CALL name */
    double num;               /* HV_NUMBER */
    int b;                    /* HV_BOOL */
    struct hcl_value **items; /* HV_LIST, HV_MAP values, HV_CALL arguments */
    const char **keys;        /* HV_MAP keys */
    size_t n;
    const struct hcl_value *resolved; /* HV_REF to var./local.: what it resolves to, or NULL */
};

struct hcl_attr {
    const char *name;
    int line, col;
    struct hcl_value *value;
};

struct hcl_block {
    const char *type; /* "resource", "ingress", "dynamic", ... */
    const char **labels;
    size_t nlabels;
    int line, col, end_line;
    struct hcl_attr **attrs; /* in source order */
    size_t nattrs;
    struct hcl_block **blocks; /* nested blocks in source order */
    size_t nblocks;
};

struct hcl_file {
    struct hcl_block *root; /* the file's body: top-level attributes and blocks */
    int errors;             /* number of syntax errors reported */
};

/* Parses `data` as HCL into `out`, everything allocated in `a`. Every syntax error (an ERROR
 * or MISSING node) becomes a `parse-error` finding in `diags` at its line and column; the
 * blocks around it are still returned. Never fails; the tree-sitter tree is freed before
 * returning and nothing points into `data`. */
void hcl_parse(struct hcl_file *out, struct arena *a, const char *path, const char *data,
               size_t len, struct findings *diags);

/* The attribute `name` of a block, or NULL (the last one when repeated). */
const struct hcl_attr *hcl_attr_get(const struct hcl_block *b, const char *name);
/* The value of attribute `name`, following a resolved var./local. reference; NULL if absent. */
const struct hcl_value *hcl_value_get(const struct hcl_block *b, const char *name);
/* Follows var./local. resolution: the value a reference stands for, or `v` itself. */
const struct hcl_value *hcl_value_eval(const struct hcl_value *v);
/* The value of key `key` in a map value, or NULL. */
const struct hcl_value *hcl_map_get(const struct hcl_value *v, const char *key);
/* The first nested block of type `type`, or NULL. */
const struct hcl_block *hcl_block_child(const struct hcl_block *b, const char *type);

#endif
