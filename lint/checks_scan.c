/* Rules about the scan itself. Parse errors, duplicate keys, skipped files and symlinks are
 * reported by the loaders and discovery; these entries give them a place in the catalogue
 * (severity, explanation, config overrides) without a check of their own. */
#include "checks.h"

const struct check_def lint_checks_scan[] = {
    {.name = "reported-by-loader"},
    {0},
};
