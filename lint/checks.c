/* The registry of built-in checks: one table per domain, each defined beside its checks.
 * A rule in policies/ names a check here by its `builtin:` name. */
#include "lint.h"

#include "checks.h"

const struct check_def *const lint_builtin_tables[] = {
    lint_checks_scan,
    lint_checks_gha,
    lint_checks_k8s,
    lint_checks_k8s_model,
    lint_checks_secrets,
    lint_checks_tf,
    lint_checks_docker,
    lint_checks_docs,
    lint_checks_linked,
    NULL,
};
