/* parse/yml: positions, documents, aliases and their bound, merge keys, duplicates, errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "parse/yml.h"
#include "testlib.h"

struct parsed {
    struct arena *a;
    struct yfile yf;
    struct findings diags;
    int rc;
};

static void parse(struct parsed *p, const char *text, const struct yml_limits *lim)
{
    p->a = arena_new();
    p->diags.v = (struct vec)VEC_INIT;
    p->rc = yml_parse(&p->yf, p->a, "t.yaml", text, strlen(text), &p->diags, lim);
}

static void done(struct parsed *p)
{
    findings_release(&p->diags);
    arena_free(p->a);
}

Test(yml, positions_of_keys_and_values)
{
    struct parsed p;
    parse(&p, "a: 1\nb:\n  c: [x, y]\n  d:\n    - e: f\n", NULL);
    cr_assert_eq(p.rc, 0);
    cr_assert_eq(p.yf.ndocs, 1);
    const struct ynode *root = p.yf.docs[0].root;
    const struct ynode *c = yml_path(root, "b.c");
    cr_assert_eq(c->kind, YN_SEQ);
    cr_assert_eq(c->line, 3);
    cr_assert_eq(c->col, 6);
    cr_assert_str_eq(yml_str(c->items[1]), "y");
    cr_assert_eq(c->items[1]->col, 10);
    const struct ynode *e = yml_get(yml_path(root, "b.d")->items[0], "e");
    cr_assert_eq(e->line, 5);
    cr_assert_eq(e->col, 10);
    cr_assert_eq(yml_get_pair(root, "b")->key->line, 2);
    done(&p);
}

Test(yml, scalars_null_bool_int_quoted)
{
    struct parsed p;
    parse(&p, "n: ~\nq: \"true\"\nt: yes\ni: 42\ns: 'null'\nblock: |\n  x\n  y\n", NULL);
    const struct ynode *r = p.yf.docs[0].root;
    cr_assert_eq(yml_get(r, "n")->kind, YN_NULL);
    cr_assert_null(yml_str(yml_get(r, "n")));
    cr_assert_eq(yml_bool(yml_get(r, "q")), -1, "quoted true is a string");
    cr_assert_eq(yml_bool(yml_get(r, "t")), 1);
    long long v = 0;
    cr_assert_eq(yml_int(yml_get(r, "i"), &v), 0);
    cr_assert_eq(v, 42);
    cr_assert_str_eq(yml_str(yml_get(r, "s")), "null");
    cr_assert_str_eq(yml_str(yml_get(r, "block")), "x\ny\n");
    cr_assert(yml_get(r, "block")->block);
    done(&p);
}

Test(yml, several_documents_and_empty_ones)
{
    struct parsed p;
    parse(&p, "a: 1\n---\n---\nkind: B\n...\n", NULL);
    cr_assert_eq(p.yf.ndocs, 3);
    cr_assert_null(p.yf.docs[1].root);
    cr_assert_eq(p.yf.docs[2].line, 3);
    cr_assert_str_eq(yml_str(yml_get(p.yf.docs[2].root, "kind")), "B");
    done(&p);
}

Test(yml, aliases_share_and_merge_keys_apply)
{
    struct parsed p;
    parse(&p,
          "base: &b\n  image: app:1\n  port: 80\n"
          "svc:\n  <<: *b\n  port: 8080\n"
          "list: [*b, *b]\n",
          NULL);
    cr_assert_eq(p.diags.v.len, 0);
    const struct ynode *r = p.yf.docs[0].root;
    cr_assert_str_eq(yml_str(yml_path(r, "svc.image")), "app:1");
    cr_assert_str_eq(yml_str(yml_path(r, "svc.port")), "8080", "explicit keys win");
    cr_assert_eq(yml_get(r, "list")->items[0], yml_get(r, "base"));
    done(&p);
}

Test(yml, alias_bomb_is_a_diagnostic_not_a_blowup)
{
    /* Nine levels of ten aliases each: a billion nodes once expanded. */
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
        sb_addf(&sb, "a%d: &a%d [", i, i);
        for (int j = 0; j < 10; j++)
            sb_addf(&sb, "%s*a%d", j ? ", " : "", i - 1);
        sb_adds(&sb, "]\n");
    }
    struct parsed p;
    struct yml_limits lim = {.max_nodes = 100000};
    parse(&p, sb.buf, &lim);
    cr_assert_geq(p.diags.v.len, 1);
    const struct finding *f = p.diags.v.items[0];
    cr_assert_str_eq(f->rule_id, "parse-error");
    cr_assert(strstr(f->message, "alias") != NULL);
    cr_assert_gt(f->line, 1);
    sb_release(&sb);
    done(&p);
}

/* An alias inside the node it names would make the tree contain itself, and every walker
 * loop forever: it is a diagnostic at the alias, and stands for null. */
Test(yml, an_alias_inside_its_own_anchor_is_a_diagnostic_not_a_cycle)
{
    static const char *const cases[] = {
        "a: &a [*a]\n",
        "a: &a {b: [1, {c: *a}]}\n",
        "x: &x\n  y: &y\n    z: *x\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct parsed p;
        parse(&p, cases[i], NULL);
        cr_assert_eq(p.diags.v.len, 1, "%s: %zu diagnostics", cases[i], (size_t)p.diags.v.len);
        const struct finding *f = p.diags.v.items[0];
        cr_expect_str_eq(f->rule_id, "parse-error");
        cr_expect(strstr(f->message, "would contain itself") != NULL, "%s", f->message);
        /* The tree is finite: a walk to the alias ends at a null. */
        const struct ynode *n = p.yf.docs[0].root;
        for (int depth = 0; n && n->kind != YN_NULL; depth++) {
            cr_assert_lt(depth, 10, "%s: the tree loops", cases[i]);
            n = n->kind == YN_MAP ? n->pairs[n->len - 1].val : n->items[n->len - 1];
        }
        cr_expect_not_null(n);
        done(&p);
    }
    /* An alias after its anchor's node is complete still shares it. */
    struct parsed p;
    parse(&p, "a: &a [1]\nb: {c: *a}\n", NULL);
    cr_expect_eq(p.diags.v.len, 0);
    done(&p);
}

Test(yml, duplicate_keys_are_reported_at_the_second)
{
    struct parsed p;
    parse(&p, "env:\n  A: 1\n  B: 2\n  A: 3\n", NULL);
    cr_assert_eq(p.diags.v.len, 1);
    const struct finding *f = p.diags.v.items[0];
    cr_assert_str_eq(f->rule_id, "yaml-duplicate-key");
    cr_assert_eq(f->line, 4);
    cr_assert_eq(f->col, 3);
    done(&p);
}

Test(yml, syntax_errors_have_positions_and_keep_earlier_documents)
{
    static const struct {
        const char *text;
        int line;
    } cases[] = {
        {"a: 1\n---\nb: [1, 2\n", 4},
        {"a:\n  - x\n y: 2\n", 3},
        {"key: \"unterminated\n", 2},
        {"a: *nope\n", 1},
        {"a: b\nc: \x80\n", 2},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct parsed p;
        parse(&p, cases[i].text, NULL);
        cr_assert_geq(p.diags.v.len, 1, "case %zu", i);
        const struct finding *f = p.diags.v.items[0];
        cr_assert_str_eq(f->rule_id, "parse-error", "case %zu", i);
        cr_assert_eq(f->line, cases[i].line, "case %zu: line %d", i, f->line);
        cr_assert_gt(f->col, 0);
        done(&p);
    }
    struct parsed p;
    parse(&p, "a: 1\n---\nb: [1, 2\n", NULL);
    cr_assert_geq(p.yf.ndocs, 1);
    cr_assert_str_eq(yml_str(yml_get(p.yf.docs[0].root, "a")), "1");
    done(&p);
}

Test(yml, deep_nesting_is_capped)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 5000; i++)
        sb_addc(&sb, '[');
    for (int i = 0; i < 5000; i++)
        sb_addc(&sb, ']');
    struct parsed p;
    parse(&p, sb.buf, NULL);
    cr_assert_eq(p.rc, -1);
    cr_assert(strstr(((struct finding *)p.diags.v.items[0])->message, "nesting") != NULL);
    sb_release(&sb);
    done(&p);
}
