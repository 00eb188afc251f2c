/* Built-in checks for k8s. */
#include "checks.h"

const struct check_def lint_checks_k8s[] = {
    {0},
};
