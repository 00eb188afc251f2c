/* The YAML loader: libyaml events into a positioned tree (every node has line and column),
 * with all documents of a file, anchors and aliases resolved under an expansion bound, merge
 * keys applied, duplicate keys reported, and hard caps on depth and size. */
#ifndef OPSBOOK_YML_H
#define OPSBOOK_YML_H

#include "core/core.h"
#include "core/finding.h"

enum ynode_kind { YN_NULL, YN_SCALAR, YN_MAP, YN_SEQ };

struct ynode;

struct ypair {
    struct ynode *key;
    struct ynode *val;
};

struct ynode {
    enum ynode_kind kind;
    int line, col;             /* 1-based, where the node starts */
    int end_line;              /* line where the node ends */
    unsigned quoted : 1;       /* scalar written with quotes or as a block: never null/bool */
    unsigned block : 1;        /* scalar written as a | or > block */
    const char *s;             /* scalar text (NUL-terminated), "" for null */
    size_t len;                /* scalar length; number of pairs / items otherwise */
    struct ypair *pairs;       /* YN_MAP */
    struct ynode **items;      /* YN_SEQ */
};

struct ydoc {
    struct ynode *root;        /* NULL for an empty document */
    int line;                  /* line of the document start */
};

struct yfile {
    struct ydoc *docs;
    size_t ndocs;
};

struct yml_limits {
    int max_depth;             /* nesting, default 200 */
    size_t max_nodes;          /* nodes that alias expansion may add to a file, default
                                  2,000,000 (plain nodes are bounded by the file's size) */
};

/* Parses `len` bytes of `data` into `out`, allocating in `a`. Problems become findings in
 * `diags` (rule `parse-error` for invalid YAML or a cap, `yaml-duplicate-key`) positioned in
 * `path`. Documents before an error are kept. Returns 0, or -1 when the file had a fatal
 * syntax error (out still holds the documents read before it). `lim` may be NULL. */
int yml_parse(struct yfile *out, struct arena *a, const char *path, const char *data,
              size_t len, struct findings *diags, const struct yml_limits *lim);

/* Map lookup by key; NULL when `map` is not a map or has no such key. */
struct ynode *yml_get(const struct ynode *map, const char *key);
/* Same, following a dotted path of map keys ("spec.template.spec"). */
struct ynode *yml_path(const struct ynode *node, const char *dotted);
/* The pair (for the key's position) or NULL. */
const struct ypair *yml_get_pair(const struct ynode *map, const char *key);
/* Scalar text, or NULL when the node is not a scalar (null counts as not a scalar). */
const char *yml_str(const struct ynode *n);
/* YAML 1.1/1.2 truthiness of a plain scalar: 1 true, 0 false, -1 neither. */
int yml_bool(const struct ynode *n);
/* Plain integer value; returns 0 and sets *out, or -1. */
int yml_int(const struct ynode *n, long long *out);
int yml_is_map(const struct ynode *n);
int yml_is_seq(const struct ynode *n);

#endif
