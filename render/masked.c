/* The last step of every report: what a renderer wrote is masked (core/redact.h) before it
 * leaves the process, so no path through a renderer can show a secret the scan found. */
#include <stdlib.h>

#include "render.h"

int render_masked(FILE *out, const struct scan *s, const struct render_opts *o, render_fn fn)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return -1;
    int rc = fn(mem, s, o);
    if (fclose(mem) != 0)
        rc = -1;
    if (rc == 0) {
        redact_buf(s->model.secrets, buf, len);
        if (len && fwrite(buf, 1, len, out) != len)
            rc = -1;
    }
    free(buf);
    return rc;
}
