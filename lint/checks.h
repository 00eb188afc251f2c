/* The built-in check tables, one per domain (lint-internal). */
#ifndef OPSBOOK_LINT_CHECKS_H
#define OPSBOOK_LINT_CHECKS_H

#include "lint.h"

extern const struct check_def lint_checks_scan[];     /* checks_scan.c */
extern const struct check_def lint_checks_gha[];      /* checks_gha.c */
extern const struct check_def lint_checks_k8s[];      /* checks_k8s.c */
extern const struct check_def lint_checks_secrets[];  /* secrets.c */
extern const struct check_def lint_checks_tf[];       /* checks_tf.c */
extern const struct check_def lint_checks_docker[];   /* checks_docker.c */
extern const struct check_def lint_checks_docs[];     /* checks_docs.c */
extern const struct check_def lint_checks_linked[];   /* checks_linked.c */

#endif
