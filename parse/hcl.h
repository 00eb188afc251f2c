/* hcl: HCL (Terraform's language) through tree-sitter into a positioned tree of blocks,
 * attributes and expression values, allocated in a caller's arena. Literal expressions keep
 * a typed value; references, templates and unknown expressions keep their source text. A
 * collection keeps its items only, not its own text again. */
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

/* 32 bytes: the fields that no kind uses together share their place, so read a field only
 * for the kinds it is documented for. */
struct hcl_value {
    int line, col; /* 1-based start of the expression */
    union {
        uint32_t n;   /* HV_LIST, HV_MAP, HV_CALL: number of items (and keys) */
        uint32_t len; /* HV_STRING: bytes of its source text (up to a NUL byte), quotes
                       * included */
    };
    enum hcl_kind kind : 8;
    unsigned quoted : 1;    /* HV_STRING: the source text starts with '"' */
    unsigned multiline : 1; /* HV_STRING: the source text spans more than one line */
    unsigned b : 1;         /* HV_BOOL */
    union {
        const char *str;   /* HV_STRING value, HV_REF / HV_TEMPLATE / HV_UNKNOWN source text,
                            * HV_CALL name; NULL for HV_NULL, HV_NUMBER, HV_BOOL, HV_LIST */
        const char **keys; /* HV_MAP keys */
    };
    union {
        double num;                       /* HV_NUMBER */
        struct hcl_value **items;         /* HV_LIST, HV_MAP values, HV_CALL arguments */
        const struct hcl_value *resolved; /* HV_REF to var./local.: what it resolves to */
    };
};

struct hcl_attr {
    const char *name;
    int line, col;
    struct hcl_value *value;
};

struct hcl_block {
    const char *type;    /* "resource", "ingress", "dynamic", ... */
    const char **labels; /* NULL when there are none */
    struct hcl_attr **attrs;   /* in source order; NULL when there are none */
    struct hcl_block **blocks; /* nested blocks in source order; NULL when none */
    int line, col, end_line;
    uint32_t nlabels, nattrs, nblocks;
};

struct hcl_file {
    struct hcl_block *root; /* the file's body: top-level attributes and blocks */
    int errors;             /* number of syntax errors reported */
};

/* Parses `data` as HCL into `out`, everything allocated in `a`. Every syntax error (an ERROR
 * or MISSING node) becomes a `parse-error` finding in `diags` at its line and column; the
 * blocks around it are still returned. A file over tree-sitter's budget (16 MiB, or lines
 * of over 4 KiB that add up to more than 1 MiB) is not parsed: a `file-skipped` finding says
 * why. Never fails; the tree-sitter tree is freed before
 * returning and nothing points into `data`. Each thread keeps one tree-sitter parser for
 * all its calls (freed when the thread exits). */
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
