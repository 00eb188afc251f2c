/* The built-in check tables, one per domain (lint-internal). */
#ifndef OPSBOOK_LINT_CHECKS_H
#define OPSBOOK_LINT_CHECKS_H

#include "lint.h"

extern const struct check_def lint_checks_scan[];     /* checks_scan.c */
extern const struct check_def lint_checks_gha[];      /* checks_gha.c */
extern const struct check_def lint_checks_k8s[];      /* checks_k8s.c */
extern const struct check_def lint_checks_k8s_model[]; /* checks_k8s_model.c */
extern const struct check_def lint_checks_secrets[];  /* secrets.c */
extern const struct check_def lint_checks_tf[];       /* checks_tf.c */
extern const struct check_def lint_checks_docker[];   /* checks_docker.c */
extern const struct check_def lint_checks_docs[];     /* checks_docs.c */
extern const struct check_def lint_checks_linked[];   /* checks_linked.c */

/* Shared by checks_k8s.c and checks_k8s_model.c. */
struct k8s_object;
int k8s_kind_is(const struct k8s_object *o, const char *kind);
/* "Kind/name" into buf (n bytes), cut to fit. */
void k8s_object_entity(char *buf, size_t n, const struct k8s_object *o);

#endif
