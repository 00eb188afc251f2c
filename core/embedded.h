/* Files embedded into the binary at build time (tools/embed.c): the policy catalogue and the
 * site's static assets, and the config schema. Each table ends with a zeroed entry. */
#ifndef OPSBOOK_EMBEDDED_H
#define OPSBOOK_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *path;    /* as in the source tree, e.g. "policies/k8s.yaml" */
    const char *data;    /* NUL-terminated */
    size_t len;
};

extern const struct embedded_file embedded_policies[];
extern const struct embedded_file embedded_site[];
extern const struct embedded_file embedded_schemas[];   /* schemas/config.schema.json */

#endif
