/* Built-in checks for gha. */
#include "checks.h"

const struct check_def lint_checks_gha[] = {
    {0},
};
