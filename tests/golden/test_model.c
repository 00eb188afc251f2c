/* Golden test of the linked model of examples/platform: the service list, the environments
 * in promotion order with their gates, and which image runs in which environment, compared
 * with tests/golden/platform/model.golden (one fact per line, '#' comments). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/linked.h"
#include "tests/unit/testlib.h"

static void summary(struct strbuf *sb, const struct linked_model *lm)
{
    for (size_t i = 0; i < lm->environments.len; i++) {
        const struct environment *e = lm->environments.items[i];
        sb_addf(sb, "environment %zu %s%s", i, e->name, e->production ? " production" : "");
        for (size_t g = 0; g < e->gates.len; g++)
            sb_addf(sb, " gate=%s", (const char *)e->gates.items[g]);
        sb_addc(sb, '\n');
    }
    for (size_t i = 0; i < lm->services.len; i++) {
        const struct service *s = lm->services.items[i];
        sb_addf(sb, "service %s %s %s\n", s->name, s->workload.obj->kind,
                s->workload.unit->file->path);
        for (size_t e = 0; e < s->envs.len; e++) {
            const struct svc_env *se = s->envs.items[e];
            for (size_t k = 0; k < se->nimages; k++)
                sb_addf(sb, "  runs %s %s from %s:%d\n", se->env, se->images[k],
                        se->image_paths[k], se->image_lines[k]);
        }
    }
}

static char *read_golden(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot read %s", path);
    struct strbuf sb = STRBUF_INIT;
    char line[1024];
    while (fgets(line, sizeof(line), f))
        if (line[0] != '#')
            sb_adds(&sb, line);
    fclose(f);
    return sb_detach(&sb);
}

Test(golden, platform_model_services_environments_and_tags, .timeout = 60)
{
    char *ex = xasprintf("%s/examples/platform", t_root());
    char *gold = xasprintf("%s/tests/golden/platform/model.golden", t_root());
    struct scan s;
    t_scan(&s, ex);
    cr_assert_not_null(s.model.linked);
    struct strbuf got = STRBUF_INIT;
    summary(&got, s.model.linked);
    char *want = read_golden(gold);
    if (strcmp(want, sb_str(&got)) != 0)
        fprintf(stderr, "model summary of examples/platform:\n%s", sb_str(&got));
    cr_expect_str_eq(sb_str(&got), want, "the model differs from %s (see stderr)", gold);
    free(want);
    sb_release(&got);
    lint_scan_release(&s);
    free(ex);
    free(gold);
}
