/* libFuzzer target for every loader: the first byte picks the file kind, the rest is the
 * file. Whatever the input, loading must not crash, hang or leak; problems are findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

static const enum file_kind kinds[] = {
    FK_YAML, FK_WORKFLOW, FK_ACTION, FK_K8S, FK_KUSTOMIZATION, FK_COMPOSE,
    FK_HELM_CHART, FK_DOCKERFILE, FK_TERRAFORM, FK_MARKDOWN, FK_TEXT,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct srcfile file = {.path = "fuzz", .display = "fuzz", .abspath = "fuzz", .root = ""};
    struct unit u = {.file = &file};
    u.kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    u.arena = arena_new();
    /* A private copy without a trailing NUL, so reads past the end are caught. */
    char *copy = xmalloc(size - 1 + 1);
    memcpy(copy, data + 1, size - 1);
    model_unit_load(&u, copy, size - 1);
    free(copy);
    model_unit_release(&u);
    return 0;
}
