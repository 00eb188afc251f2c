/* The catalogue is the single source of truth: every rule is complete, every built-in check
 * has an entry that uses it, and every entry names a check that exists. */
#include <criterion/criterion.h>
#include <string.h>

#include "lint/lint.h"

Test(catalogue, loads_and_binds)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    cr_assert_eq(lint_catalogue_bind(&c, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < c.rules.len; i++) {
        const struct rule *r = c.rules.items[i];
        cr_assert_not_null(r->check, "%s has no check", r->id);
        cr_assert_not_null(lint_check_find(r->check), "%s names missing check %s", r->id,
                           r->check);
        cr_assert_not_null(r->example_bad, "%s has no bad example", r->id);
        cr_assert_not_null(r->example_good, "%s has no good example", r->id);
        cr_assert_gt(r->references.len, 0, "%s has no references", r->id);
        cr_assert_not_null(r->applies_to, "%s has no applies-to", r->id);
        cr_assert_not_null(r->severity_rationale, "%s does not say why it has its severity",
                           r->id);
    }
    lint_catalogue_release(&c);
}

Test(catalogue, every_builtin_check_is_used_by_a_rule)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    for (const struct check_def *const *t = lint_builtin_tables; *t; t++)
        for (const struct check_def *d = *t; d->name; d++) {
            int used = 0;
            for (size_t i = 0; i < c.rules.len && !used; i++) {
                const struct rule *r = c.rules.items[i];
                used = r->check && strcmp(r->check, d->name) == 0;
            }
            cr_assert(used, "built-in check '%s' has no entry in policies/", d->name);
        }
    lint_catalogue_release(&c);
}

Test(catalogue, rule_ids_are_unique_kebab_case)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < c.rules.len; i++) {
        const char *id = ((const struct rule *)c.rules.items[i])->id;
        for (const char *p = id; *p; p++)
            cr_assert((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
                      "rule id '%s' is not kebab-case", id);
    }
    lint_catalogue_release(&c);
}
