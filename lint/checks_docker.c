/* Built-in checks for Dockerfiles and docker-compose. */
#include "checks.h"

const struct check_def lint_checks_docker[] = {
    {0},
};
