/* Declarative conditions, lint-internal: the entity types a user policy can name and their
 * field tables (condition_fields.c), read by the evaluator (condition.c). */
#ifndef OPSBOOK_CONDITION_INT_H
#define OPSBOOK_CONDITION_INT_H

#include "lint_int.h"
#include "model/model.h"

/* A field's value: a list of strings (a scalar is a list of one) or of sub-entities. */
struct cval {
    struct vec strs; /* const char* */
    struct vec ents; /* const void* of type `etype` */
    const struct etype *etype;
};

struct field {
    const char *name; /* "labels." ends with a dot: a map, the key follows */
    void (*get)(struct cval *out, const void *e, const char *key, struct arena *a);
    const char *doc;
};

struct etype {
    const char *name;
    const struct field *fields;
    struct loc (*where)(const void *e);
    const char *(*label)(const void *e, struct arena *a);
};

/* The entity types, in `opsbook fields` order. */
enum { CONDITION_ETYPES = 5 };
extern const struct etype *const condition_etypes[CONDITION_ETYPES];
extern const struct etype et_gha_workflow, et_gha_job, et_gha_step, et_k8s_object,
    et_k8s_container;

#endif
