/* Built-in checks for Terraform. */
#include "checks.h"

const struct check_def lint_checks_tf[] = {
    {0},
};
