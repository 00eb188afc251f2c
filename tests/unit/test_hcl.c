/* parse/hcl and the Terraform model on tricky input: heredocs, templates, for expressions,
 * dynamic blocks, count/for_each, the three comment styles, syntax errors in the middle of a
 * file, module sources, and var./local. resolution across files. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/tf.h"
#include "parse/hcl.h"
#include "testlib.h"

struct parsed {
    struct arena *a;
    struct hcl_file hf;
    struct findings diags;
};

static void parse(struct parsed *p, const char *text)
{
    p->a = arena_new();
    p->diags.v = (struct vec)VEC_INIT;
    hcl_parse(&p->hf, p->a, "t.tf", text, strlen(text), &p->diags);
}

static void done(struct parsed *p)
{
    findings_release(&p->diags);
    arena_free(p->a);
}

static const struct hcl_value *top(const struct parsed *p, const char *name)
{
    const struct hcl_attr *at = hcl_attr_get(p->hf.root, name);
    cr_assert_not_null(at, "no attribute %s", name);
    return at->value;
}

Test(hcl, literals_and_positions)
{
    struct parsed p;
    parse(&p, "s = \"a\\\"b\\n$${x}\"\nn = 42\nm = -1.5\nb = false\nz = null\n"
              "l = [\"0.0.0.0/0\", 1, true]\nmp = { k = \"v\", \"q w\" = 2 }\n");
    cr_assert_eq(p.diags.v.len, 0);
    cr_assert_eq(top(&p, "s")->kind, HV_STRING);
    cr_assert_str_eq(top(&p, "s")->str, "a\"b\n${x}");
    cr_assert_eq(top(&p, "n")->kind, HV_NUMBER);
    cr_assert_eq(top(&p, "n")->num, 42);
    cr_assert_eq(top(&p, "m")->kind, HV_NUMBER);
    cr_assert_eq(top(&p, "m")->num, -1.5);
    cr_assert_eq(top(&p, "b")->kind, HV_BOOL);
    cr_assert_eq(top(&p, "b")->b, 0);
    cr_assert_eq(top(&p, "z")->kind, HV_NULL);
    const struct hcl_value *l = top(&p, "l");
    cr_assert_eq(l->kind, HV_LIST);
    cr_assert_eq(l->n, 3);
    cr_assert_str_eq(l->items[0]->str, "0.0.0.0/0");
    cr_assert_eq(l->items[0]->line, 6);
    cr_assert_eq(l->items[0]->col, 6);
    const struct hcl_value *mp = top(&p, "mp");
    cr_assert_eq(mp->kind, HV_MAP);
    cr_assert_str_eq(hcl_map_get(mp, "k")->str, "v");
    cr_assert_eq(hcl_map_get(mp, "q w")->num, 2);
    cr_assert_eq(hcl_attr_get(p.hf.root, "mp")->line, 7);
    done(&p);
}

Test(hcl, heredocs_plain_and_indented)
{
    struct parsed p;
    parse(&p, "a = <<EOF\n  keep\n    indent\nEOF\n"
              "b = <<-EOT\n    {\n      \"k\": 1\n    }\n    EOT\n"
              "c = <<-EOT\n  hi ${var.x}\n  EOT\n");
    cr_assert_eq(p.diags.v.len, 0);
    cr_assert_eq(top(&p, "a")->kind, HV_STRING);
    cr_assert_str_eq(top(&p, "a")->str, "  keep\n    indent\n");
    cr_assert_str_eq(top(&p, "b")->str, "{\n  \"k\": 1\n}\n");
    cr_assert_eq(top(&p, "c")->kind, HV_TEMPLATE, "interpolation makes it a template");
    done(&p);
}

Test(hcl, templates_references_and_calls)
{
    struct parsed p;
    parse(&p, "a = \"${var.name}-logs\"\nb = \"${var.cidr}\"\nc = var.x\n"
              "d = aws_s3_bucket.logs.id\ne = local.m[\"k\"]\n"
              "f = \"%{ if var.on }yes%{ else }no%{ endif }\"\n"
              "g = jsonencode({ Statement = [{ Action = \"*\" }] })\n"
              "h = var.env == \"prod\" ? 1 : 0\n");
    cr_assert_eq(p.diags.v.len, 0);
    cr_assert_eq(top(&p, "a")->kind, HV_TEMPLATE);
    cr_assert_eq(top(&p, "b")->kind, HV_REF, "\"${x}\" is x itself");
    cr_assert_str_eq(top(&p, "b")->str, "var.cidr");
    cr_assert_str_eq(top(&p, "c")->str, "var.x");
    cr_assert_str_eq(top(&p, "d")->str, "aws_s3_bucket.logs.id");
    cr_assert_eq(top(&p, "e")->kind, HV_REF);
    cr_assert_eq(top(&p, "f")->kind, HV_TEMPLATE);
    const struct hcl_value *g = top(&p, "g");
    cr_assert_eq(g->kind, HV_CALL);
    cr_assert_str_eq(g->str, "jsonencode");
    cr_assert_eq(g->n, 1);
    const struct hcl_value *st = hcl_map_get(g->items[0], "Statement");
    cr_assert_eq(st->kind, HV_LIST);
    cr_assert_str_eq(hcl_map_get(st->items[0], "Action")->str, "*");
    cr_assert_eq(top(&p, "h")->kind, HV_UNKNOWN, "a conditional is unknown");
    cr_assert_str_eq(top(&p, "h")->str, "var.env == \"prod\" ? 1 : 0");
    done(&p);
}

Test(hcl, for_expressions_dynamic_blocks_count_and_comments)
{
    struct parsed p;
    parse(&p, "# hash comment\n"
              "// slash comment\n"
              "/* block\n   comment */\n"
              "resource \"aws_security_group\" \"web\" {\n"
              "  count = 2 # trailing\n"
              "  name  = [for s in var.names : upper(s) if s != \"\"]\n"
              "  tags  = { for k, v in var.tags : k => v }\n"
              "  dynamic \"ingress\" {\n"
              "    for_each = var.rules\n"
              "    content {\n"
              "      from_port   = ingress.value.port /* inline */\n"
              "      cidr_blocks = [\"10.0.0.0/8\"]\n"
              "    }\n"
              "  }\n"
              "}\n"
              "resource \"aws_s3_bucket\" \"b\" {\n"
              "  for_each = toset([\"a\", \"b\"])\n"
              "  bucket   = each.key\n"
              "}\n");
    cr_assert_eq(p.diags.v.len, 0);
    cr_assert_eq(p.hf.root->nblocks, 2);
    const struct hcl_block *sg = p.hf.root->blocks[0];
    cr_assert_str_eq(sg->type, "resource");
    cr_assert_eq(sg->nlabels, 2);
    cr_assert_str_eq(sg->labels[0], "aws_security_group");
    cr_assert_str_eq(sg->labels[1], "web");
    cr_assert_eq(sg->line, 5);
    cr_assert_eq(sg->end_line, 16);
    cr_assert_eq(hcl_value_get(sg, "count")->num, 2);
    cr_assert_eq(hcl_value_get(sg, "name")->kind, HV_UNKNOWN);
    cr_assert_eq(hcl_value_get(sg, "tags")->kind, HV_UNKNOWN);
    const struct hcl_block *dyn = hcl_block_child(sg, "dynamic");
    cr_assert_not_null(dyn);
    cr_assert_str_eq(dyn->labels[0], "ingress");
    const struct hcl_block *content = hcl_block_child(dyn, "content");
    cr_assert_not_null(content);
    cr_assert_eq(hcl_value_get(content, "from_port")->kind, HV_REF);
    cr_assert_str_eq(hcl_value_get(content, "cidr_blocks")->items[0]->str, "10.0.0.0/8");
    cr_assert_eq(hcl_attr_get(content, "cidr_blocks")->line, 13);
    const struct hcl_block *b = p.hf.root->blocks[1];
    cr_assert_eq(hcl_value_get(b, "for_each")->kind, HV_CALL);
    done(&p);
}

Test(hcl, syntax_error_in_the_middle_keeps_the_blocks_around_it)
{
    static const char *const cases[] = {
        "resource \"a\" \"before\" {\n  x = 1\n}\n\nresource \"b\" \"broken\" {\n  y = \n}\n\n"
        "resource \"c\" \"after\" {\n  z = 3\n}\n",
        "resource \"a\" \"before\" {\n  x = 1\n}\n\nresource \"b\" \"broken\" {\n  y = [1, 2\n}\n\n"
        "resource \"c\" \"after\" {\n  z = 3\n}\n",
        "resource \"a\" \"before\" {\n  x = 1\n}\n\n@@@ garbage here\n\n"
        "resource \"c\" \"after\" {\n  z = 3\n}\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct parsed p;
        parse(&p, cases[i]);
        cr_assert_geq(p.diags.v.len, 1, "case %zu: an error is reported", i);
        const struct finding *f = p.diags.v.items[0];
        cr_assert_str_eq(f->rule_id, "parse-error");
        cr_assert(f->line >= 5 && f->line <= 7, "case %zu: error on line %d", i, f->line);
        cr_assert_gt(f->col, 0);
        int before = 0, after = 0;
        for (size_t j = 0; j < p.hf.root->nblocks; j++) {
            const struct hcl_block *b = p.hf.root->blocks[j];
            if (b->nlabels == 2 && strcmp(b->labels[1], "before") == 0 &&
                hcl_value_get(b, "x")->num == 1)
                before = 1;
            if (b->nlabels == 2 && strcmp(b->labels[1], "after") == 0 &&
                hcl_value_get(b, "z")->num == 3)
                after = 1;
        }
        cr_assert(before, "case %zu: the block before the error is modelled", i);
        cr_assert(after, "case %zu: the block after the error is modelled", i);
        done(&p);
    }
}

Test(hcl, hostile_input_does_not_crash)
{
    static const char *const cases[] = {
        "",
        "\n\n",
        "{",
        "}",
        "a = ",
        "resource",
        "x = <<EOF\nnever closed\n",
        "a = \"unterminated\n",
        "\xff\xfe\x00garbage",
        "a = [[[[[[[[[[[[[[[[[[[[[[[[[[",
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct parsed p;
        p.a = arena_new();
        p.diags.v = (struct vec)VEC_INIT;
        size_t len = i == 8 ? 10 : strlen(cases[i]);
        hcl_parse(&p.hf, p.a, "t.tf", cases[i], len, &p.diags);
        cr_assert_not_null(p.hf.root);
        done(&p);
    }
    /* Deep nesting stays bounded. */
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "a = ");
    for (int i = 0; i < 5000; i++)
        sb_addc(&sb, '[');
    for (int i = 0; i < 5000; i++)
        sb_addc(&sb, ']');
    sb_addc(&sb, '\n');
    struct parsed p;
    p.a = arena_new();
    p.diags.v = (struct vec)VEC_INIT;
    hcl_parse(&p.hf, p.a, "t.tf", sb.buf, sb.len, &p.diags);
    cr_assert_eq(hcl_attr_get(p.hf.root, "a")->value->kind, HV_LIST);
    done(&p);
    sb_release(&sb);
}

/* A long repetition (the items of a list, the attributes and blocks of a body) is a chain of
 * hidden nodes as deep as it is long in the trees opsbook parses, which are not balanced
 * (tools/ts_runtime.c): every item is still there, in order, at its place. */
Test(hcl, long_repetitions_keep_every_item_in_order)
{
    enum { ITEMS = 60000, ATTRS = 20000, BLOCKS = 5000 };
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "list = [");
    for (int i = 0; i < ITEMS; i++)
        sb_addf(&sb, "%s%d", i ? ", " : "", i);
    sb_adds(&sb, "]\nlocals {\n");
    for (int i = 0; i < ATTRS; i++)
        sb_addf(&sb, "  a%d = \"v%d\"\n", i, i);
    sb_adds(&sb, "}\nresource \"r\" \"s\" {\n");
    for (int i = 0; i < BLOCKS; i++)
        sb_addf(&sb, "  b {\n    x = %d\n  }\n", i);
    sb_adds(&sb, "}\n");
    struct parsed p;
    p.a = arena_new();
    p.diags.v = (struct vec)VEC_INIT;
    hcl_parse(&p.hf, p.a, "t.tf", sb.buf, sb.len, &p.diags);
    cr_assert_eq(p.hf.errors, 0);

    const struct hcl_value *list = top(&p, "list");
    cr_assert_eq(list->kind, HV_LIST);
    cr_assert_eq(list->n, ITEMS);
    for (int i = 0; i < ITEMS; i++)
        cr_assert_eq(list->items[i]->num, i, "item %d is %g", i, list->items[i]->num);

    cr_assert_eq(p.hf.root->nblocks, 2);
    const struct hcl_block *locals = p.hf.root->blocks[0];
    cr_assert_eq(locals->nattrs, ATTRS);
    for (int i = 0; i < ATTRS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "a%d", i);
        cr_assert_str_eq(locals->attrs[i]->name, name);
        cr_assert_eq(locals->attrs[i]->line, i + 3);
    }

    const struct hcl_block *res = p.hf.root->blocks[1];
    cr_assert_eq(res->nblocks, BLOCKS);
    for (int i = 0; i < BLOCKS; i++) {
        cr_assert_eq(hcl_value_get(res->blocks[i], "x")->num, i);
        cr_assert_eq(res->blocks[i]->line, ATTRS + 5 + 3 * i);
    }
    done(&p);
    sb_release(&sb);
}

Test(tf, module_sources)
{
    static const struct {
        const char *src;
        enum tf_source_kind kind;
        const char *address, *ref;
    } cases[] = {
        {"../../modules/api", TF_SRC_LOCAL, "../../modules/api", NULL},
        {"./mod", TF_SRC_LOCAL, "./mod", NULL},
        {"terraform-aws-modules/vpc/aws", TF_SRC_REGISTRY, "terraform-aws-modules/vpc/aws", NULL},
        {"terraform-aws-modules/iam/aws//modules/iam-role", TF_SRC_REGISTRY,
         "terraform-aws-modules/iam/aws//modules/iam-role", NULL},
        {"app.terraform.io/acme/vpc/aws", TF_SRC_REGISTRY, "app.terraform.io/acme/vpc/aws", NULL},
        {"git::https://github.com/acme/mods.git//alarms?ref=v2.1.0", TF_SRC_GIT,
         "git::https://github.com/acme/mods.git//alarms", "v2.1.0"},
        {"git::https://github.com/acme/mods.git?depth=1&ref=abc123", TF_SRC_GIT,
         "git::https://github.com/acme/mods.git", "abc123"},
        {"github.com/acme/mods//x", TF_SRC_GIT, "github.com/acme/mods//x", NULL},
        {"git@github.com:acme/mods.git", TF_SRC_GIT, "git@github.com:acme/mods.git", NULL},
        {"https://example.com/mod.zip", TF_SRC_OTHER, "https://example.com/mod.zip", NULL},
        {"s3::https://s3.amazonaws.com/b/mod.zip", TF_SRC_OTHER,
         "s3::https://s3.amazonaws.com/b/mod.zip", NULL},
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct tf_module_source s;
        memset(&s, 0, sizeof(s));
        tf_source_parse(&s, a, cases[i].src);
        cr_assert_eq(s.kind, cases[i].kind, "%s: kind %d", cases[i].src, s.kind);
        cr_assert_str_eq(s.address, cases[i].address, "%s", cases[i].src);
        if (cases[i].ref)
            cr_assert_str_eq(s.ref, cases[i].ref, "%s", cases[i].src);
        else
            cr_assert_null(s.ref, "%s", cases[i].src);
    }
    arena_free(a);
}

Test(tf, production_paths)
{
    cr_assert(model_path_is_production(NULL, "terraform/environments/prod/main.tf"));
    cr_assert(model_path_is_production(NULL, "live/rds.tf"));
    cr_assert(model_path_is_production(NULL, "envs/production/db/main.tf"));
    cr_assert(model_path_is_production(NULL, "x/prd/main.tf"));
    cr_assert_not(model_path_is_production(NULL, "terraform/environments/preprod/main.tf"));
    cr_assert_not(model_path_is_production(NULL, "terraform/modules/products/main.tf"));
    cr_assert_not(model_path_is_production(NULL, "terraform/environments/dev/main.tf"));
    cr_assert_not(model_path_is_production(NULL, "terraform/prod.tf"),
                  "a file name is not a folder");
    /* A configured list replaces the defaults. */
    struct model m = {0};
    vec_push(&m.production, "live-eu");
    cr_assert(model_path_is_production(&m, "k8s/overlays/live-eu/kustomization.yaml"));
    cr_assert_not(model_path_is_production(&m, "k8s/overlays/prod/kustomization.yaml"));
    cr_assert(model_text_mentions_production(&m, "Deploy to LIVE-EU"));
    cr_assert(model_env_is_production(&m, "Live-EU"));
    vec_release(&m.production);
    cr_assert(model_text_mentions_production(NULL, "deploy-prod"));
    cr_assert_not(model_text_mentions_production(NULL, "products-api"));
    cr_assert_not(model_text_mentions_production(NULL, "preprod"));
}

/* The model through a real scan: blocks by kind, and var./local. resolved across files of
 * one directory but not from another directory. */
Test(tf, model_and_resolution_across_files)
{
    char *dir = t_tmpdir();
    t_write(dir, "mod/variables.tf",
            "variable \"acl\" {\n  default = \"public-read\"\n}\n"
            "variable \"nodefault\" {\n  type = string\n}\n");
    t_write(dir, "mod/locals.tf", "locals {\n  cidr = \"0.0.0.0/0\"\n  alias = local.cidr\n}\n");
    t_write(dir, "mod/main.tf",
            "terraform {\n  backend \"s3\" {\n    encrypt = true\n  }\n}\n"
            "module \"m\" {\n  source  = \"acme/x/aws\"\n  version = \"1.0.0\"\n}\n"
            "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = var.acl\n}\n"
            "resource \"aws_s3_bucket_acl\" \"b\" {\n  acl = var.nodefault\n}\n"
            "output \"o\" {\n  value = [local.alias]\n}\n");
    t_write(dir, "other/main.tf", "resource \"aws_s3_bucket_acl\" \"c\" {\n  acl = var.acl\n}\n");
    struct scan s;
    t_scan(&s, dir);
    int seen = 0;
    for (size_t i = 0; i < s.model.units.len; i++) {
        const struct unit *u = s.model.units.items[i];
        if (strcmp(u->file->path, "mod/main.tf") == 0) {
            seen++;
            cr_assert_eq(u->tf_blocks.len, 5);
            const struct tf_block *t = u->tf_blocks.items[0];
            cr_assert_eq(t->kind, TF_TERRAFORM);
            cr_assert_str_eq(t->type, "s3");
            cr_assert_not_null(t->backend);
            const struct tf_block *m = u->tf_blocks.items[1];
            cr_assert_eq(m->kind, TF_MODULE);
            cr_assert_str_eq(m->name, "m");
            cr_assert_eq(m->source->kind, TF_SRC_REGISTRY);
            cr_assert_str_eq(m->source->version, "1.0.0");
            cr_assert_eq(m->source->line, 7);
            const struct tf_block *a = u->tf_blocks.items[2];
            cr_assert_eq(a->kind, TF_RESOURCE);
            cr_assert_str_eq(a->type, "aws_s3_bucket_acl");
            cr_assert_str_eq(a->dir, "mod");
            cr_assert_str_eq(hcl_value_get(a->hcl, "acl")->str, "public-read");
            const struct tf_block *b = u->tf_blocks.items[3];
            cr_assert_eq(hcl_value_get(b->hcl, "acl")->kind, HV_REF, "no default: unknown");
            const struct tf_block *o = u->tf_blocks.items[4];
            const struct hcl_value *ov = hcl_value_get(o->hcl, "value");
            cr_assert_str_eq(hcl_value_eval(ov->items[0])->str, "0.0.0.0/0",
                             "local.alias -> local.cidr -> literal");
        } else if (strcmp(u->file->path, "other/main.tf") == 0) {
            seen++;
            const struct tf_block *c = u->tf_blocks.items[0];
            cr_assert_eq(hcl_value_get(c->hcl, "acl")->kind, HV_REF,
                         "another directory's variable does not resolve");
        }
    }
    cr_assert_eq(seen, 2);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* Map keys are the names users write (an identifier, a string, the text of an expression);
 * an unknown expression keeps its source text; a string keeps the shape of its source. */
Test(hcl, keys_unknown_text_and_string_shapes)
{
    struct parsed p;
    parse(&p, "m = { a = 1, \"b c\" = 2, (var.k) = 3, \"${var.x}\" = 4, 5 = 6, \"q\\\"r\" = 7,"
              " x.y = 8 }\n"
              "u = var.a == 1 ? [1] : [2]\n"
              "q = \"a\\\"b\"\n"
              "h = <<EOT\n  x\nEOT\n"
              "resource \"a\\tb\" c {\n}\n");
    cr_assert_eq(p.diags.v.len, 0);
    static const char *const keys[] = {"a", "b c", "var.k", "var.x", "5", "q\"r", "x.y"};
    const struct hcl_value *m = top(&p, "m");
    cr_assert_eq(m->kind, HV_MAP);
    cr_assert_eq(m->n, ARRAY_LEN(keys));
    static const double nums[] = {1, 2, 3, 4, 6, 7, 8};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        cr_expect_str_eq(m->keys[i], keys[i]);
        cr_expect_eq(m->items[i]->num, nums[i]);
    }
    cr_expect_eq(m->items[2]->col, 35);
    const struct hcl_value *u = top(&p, "u");
    cr_expect_eq(u->kind, HV_UNKNOWN);
    cr_expect_str_eq(u->str, "var.a == 1 ? [1] : [2]");
    const struct hcl_value *q = top(&p, "q");
    cr_expect_str_eq(q->str, "a\"b");
    cr_expect_eq(q->len, 6, "the source text, escapes as written and quotes included");
    cr_expect(q->quoted);
    cr_expect(!q->multiline);
    const struct hcl_value *h = top(&p, "h");
    cr_expect_str_eq(h->str, "  x\n");
    cr_expect(!h->quoted);
    cr_expect(h->multiline);
    const struct hcl_block *r = p.hf.root->blocks[0];
    cr_assert_eq(r->nlabels, 2);
    cr_expect_str_eq(r->labels[0], "a\tb");
    cr_expect_str_eq(r->labels[1], "c");
    cr_expect_null(r->attrs);
    cr_expect_eq(r->nattrs, 0);
    done(&p);
}

/* The caret and the mask of a literal secret: the value's column, and the bytes between the
 * quotes when it is a one-line quoted string; the attribute's column otherwise. */
Test(tf, secret_mask_covers_the_quoted_value)
{
    static const struct {
        const char *tf;
        int line, col, mask_col, mask_len;
    } cases[] = {
        {"resource \"x_thing\" \"d\" {\n  token = \"hunter2-secret\"\n}\n", 2, 11, 12, 14},
        {"resource \"x_thing\" \"d\" {\n  token = \"a\\\"b-secret\"\n}\n", 2, 11, 12, 11},
        {"resource \"x_thing\" \"d\" {\n  token = <<EOF\nhunter2-secret\nEOF\n}\n", 2, 3, 0, 0},
        {"resource \"aws_lambda_function\" \"f\" {\n  environment {\n    variables = {\n"
         "      API_TOKEN = \"pw-123456\"\n    }\n  }\n}\n",
         4, 19, 20, 9},
        {"variable \"api_token\" {\n  default = \"tok-42Zq\"\n}\n", 2, 13, 14, 8},
    };
    for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
        char *dir = t_tmpdir();
        t_write(dir, "main.tf", cases[c].tf);
        struct scan s;
        t_scan(&s, dir);
        int seen = 0;
        for (size_t i = 0; i < s.findings.v.len; i++) {
            const struct finding *f = s.findings.v.items[i];
            if (strcmp(f->rule_id, "tf-hardcoded-secret") != 0)
                continue;
            seen++;
            cr_expect_eq(f->line, cases[c].line, "case %zu: line %d", c, f->line);
            cr_expect_eq(f->col, cases[c].col, "case %zu: col %d", c, f->col);
            cr_expect_eq(f->mask_col, cases[c].mask_col, "case %zu: mask col %d", c, f->mask_col);
            cr_expect_eq(f->mask_len, cases[c].mask_len, "case %zu: mask len %d", c,
                         f->mask_len);
        }
        cr_expect_eq(seen, 1, "case %zu", c);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}
