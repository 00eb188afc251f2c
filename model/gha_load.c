/* GitHub Actions loader: YAML documents of a workflow or action into struct gha_workflow. */
#include "gha.h"

void gha_load(struct unit *u, const struct yfile *yf)
{
    (void)u;
    (void)yf;
}
