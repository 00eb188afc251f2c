/* Helm charts: Chart.yaml metadata and the images a chart's values files name. Templates are
 * Go templates, not YAML: discovery marks them FK_HELM_TEMPLATE and nothing parses them. */
#ifndef OPSBOOK_HELM_H
#define OPSBOOK_HELM_H

#include "model.h"

struct helm_image {
    const char *raw;              /* repository[:tag] as it would be pulled */
    const char *repository, *tag; /* tag NULL when the values leave it to appVersion */
    struct loc loc;
};

/* Chart.yaml (is_values 0) or a values file (is_values 1), in u->helm. */
struct helm_chart {
    int is_values;
    const char *path, *dir;       /* the file and the chart's folder */
    const char *name, *version, *app_version, *type, *description;
    const char **dependencies;    /* NULL-terminated dependency chart names */
    struct loc loc;
    struct helm_image *images;    /* values files: every image found */
    size_t nimages;
};

/* Models Chart.yaml or a values file into u->helm. */
void helm_load(struct unit *u, const struct yfile *yf);

#endif
