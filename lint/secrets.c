/* The secrets scanner. */
#include "checks.h"

const struct check_def lint_checks_secrets[] = {
    {0},
};
