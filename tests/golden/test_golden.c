/* Golden tests: scanning each example repository gives exactly the expected findings, and a
 * generated corpus gives exactly its seeded violations for every rule the catalogue has.
 * Expected files: the .expected files in tests/golden/<example>/, one "path:line rule-id" per
 * line ('#' starts a comment); the union of a folder's files is the expectation for that
 * example. */
#include <criterion/criterion.h>
#include "lint/config.h"
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/testlib.h"

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_expected(struct vec *out, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!str_endswith(de->d_name, ".expected"))
            continue;
        char *p = path_join(dir, de->d_name);
        FILE *f = fopen(p, "r");
        cr_assert_not_null(f, "cannot read %s", p);
        char line[1024];
        while (fgets(line, sizeof(line), f)) {
            line[strcspn(line, "\r\n")] = '\0';
            char *hash = strchr(line, '#');
            if (hash)
                *hash = '\0';
            size_t n = strlen(line);
            while (n && line[n - 1] == ' ')
                line[--n] = '\0';
            if (n)
                vec_push(out, xstrdup(line));
        }
        fclose(f);
        free(p);
    }
    closedir(d);
}

/* Compares two sorted lists; prints every difference; returns their number. */
static int diff_lists(struct vec *want, struct vec *got, const char *what)
{
    vec_sort(want, str_cmp);
    vec_sort(got, str_cmp);
    size_t i = 0, j = 0;
    int diffs = 0;
    while (i < want->len || j < got->len) {
        int c = i == want->len ? 1 : j == got->len ? -1 : strcmp(want->items[i], got->items[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            fprintf(stderr, "%s: missing:    %s\n", what, (char *)want->items[i++]);
            diffs++;
        } else {
            fprintf(stderr, "%s: unexpected: %s\n", what, (char *)got->items[j++]);
            diffs++;
        }
    }
    return diffs;
}

static void free_list(struct vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        free(v->items[i]);
    vec_release(v);
}

static void check_example(const char *name)
{
    char *ex = xasprintf("%s/examples/%s", t_root(), name);
    char *exp = xasprintf("%s/tests/golden/%s", t_root(), name);
    struct vec want = VEC_INIT, got = VEC_INIT;
    read_expected(&want, exp);
    struct scan s;
    t_scan(&s, ex);
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        vec_push(&got, xasprintf("%s:%d %s", f->path, f->line, f->rule_id));
    }
    int diffs = diff_lists(&want, &got, name);
    cr_assert_eq(diffs, 0, "examples/%s: %d difference(s) from tests/golden/%s (see stderr)",
                 name, diffs, name);
    cr_assert_gt(s.stats.files_scanned, 0);
    lint_scan_release(&s);
    free_list(&want);
    free_list(&got);
    free(ex);
    free(exp);
}

Test(golden, platform_gives_exactly_the_expected_findings, .timeout = 60)
{
    check_example("platform");
}

Test(golden, clean_has_no_findings, .timeout = 60)
{
    check_example("clean");
}

/* A generated corpus: every seeded violation of a rule we have is found at its line, and
 * nothing else is reported for those rules. */
static void check_corpus(char *gen, const char *args, size_t min_rules)
{
    char *dir = t_tmpdir();
    const char *services = getenv("OPSBOOK_CORPUS_SERVICES");
    char *cmd = xasprintf("python3 '%s' --services %s %s --seed 1 --quiet --force '%s/c' "
                          ">/dev/null", gen, services && *services ? services : "10", args, dir);
    cr_assert_eq(t_run(cmd, NULL), 0, "%s failed", cmd);
    char *corpus = xasprintf("%s/c", dir);
    char *truth = xasprintf("%s/.expected.jsonl", corpus);

    /* The generator's convention: GitHub's own actions may be pinned by tag. */
    t_write(corpus, ".opsbook.yml", "pins: {'actions/*': ref, 'github/*': ref}\n");
    struct config cfg;
    struct scan s;
    t_scan_configured(&s, &cfg, corpus);
    struct vec want = VEC_INIT, got = VEC_INIT;
    FILE *f = fopen(truth, "r");
    cr_assert_not_null(f);
    char line[2048];
    struct strmap seeded = STRMAP_INIT;
    while (fgets(line, sizeof(line), f)) {
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        cr_assert_not_null(o, "bad truth line: %s", line);
        const char *rule = json_string_value(json_object_get(o, "rule"));
        if (lint_rule_find(&s.cat, rule)) {
            vec_push(&want, xasprintf("%s:%lld %s",
                                      json_string_value(json_object_get(o, "file")),
                                      (long long)json_integer_value(json_object_get(o, "line")),
                                      rule));
            if (!strmap_get(&seeded, rule))
                strmap_put(&seeded, lint_rule_find(&s.cat, rule)->id, (void *)1);
        }
        json_decref(o);
    }
    fclose(f);
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *fi = s.findings.v.items[i];
        if (strmap_get(&seeded, fi->rule_id))
            vec_push(&got, xasprintf("%s:%d %s", fi->path, fi->line, fi->rule_id));
    }
    fprintf(stderr, "corpus: %u seeded violations of %zu rules we have\n", want.len,
            seeded.len);
    cr_assert_geq(seeded.len, min_rules, "%s seeded only %zu of the rules we have", gen,
                  seeded.len);
    int diffs = diff_lists(&want, &got, "corpus");
    cr_assert_eq(diffs, 0, "corpus: %d difference(s) from .expected.jsonl (see stderr)", diffs);
    strmap_release(&seeded);
    lint_scan_release(&s);
    config_release(&cfg);
    free_list(&want);
    free_list(&got);
    t_rmtree(dir);
    free(dir);
    free(cmd);
    free(gen);
    free(corpus);
    free(truth);
}

/* Our own generator (tools/gen_corpus.py), always present; at this rate it seeds every rule. */
Test(golden, corpus_ground_truth, .timeout = 300)
{
    check_corpus(xasprintf("%s/tools/gen_corpus.py", t_root()), "--rate 0.4", 17);
}

/* Another generator with the same interface (OPSBOOK_CORPUS_GEN, e.g. the benchmark's
 * generator when it is at hand), as an outside check of ours: skipped, saying so, unless set. */
Test(golden, outside_corpus_ground_truth, .timeout = 300)
{
    const char *gen = getenv("OPSBOOK_CORPUS_GEN");
    if (!gen || !*gen)
        cr_skip_test("outside check not run: OPSBOOK_CORPUS_GEN names no generator");
    check_corpus(xasprintf("%s", gen), "", 1);
}
