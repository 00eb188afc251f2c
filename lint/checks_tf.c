/* Built-in checks for Terraform, over the model of model/tf.h. A value that cannot be known
 * without evaluating Terraform (a variable without default, a module output, a function
 * call, a conditional) is unknown, and a check whose verdict depends on it stays silent.
 * Checks that join resources across files (S3 settings split into separate resources,
 * providers pinned in another file) run once over the whole model. */
#include "checks.h"
#include "secrets_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "model/tf.h"

/* ---- helpers ---- */

/* "aws_s3_bucket.logs", "module.vpc", ...: in a per-thread buffer, copied by lint_report. */
static const char *entity_name(struct lint_ctx *ctx, const struct tf_block *tb)
{
    static _Thread_local char buf[256];
    (void)ctx;
    if (tb->kind == TF_MODULE)
        snprintf(buf, sizeof(buf), "module.%s", tb->name);
    else if (tb->kind == TF_DATA)
        snprintf(buf, sizeof(buf), "data.%s.%s", tb->type, tb->name);
    else if (tb->kind == TF_RESOURCE)
        snprintf(buf, sizeof(buf), "%s.%s", tb->type, tb->name);
    else if (tb->kind == TF_VARIABLE)
        snprintf(buf, sizeof(buf), "var.%s", tb->name);
    else if (tb->kind == TF_PROVIDER)
        snprintf(buf, sizeof(buf), "provider.%s", tb->type);
    else
        snprintf(buf, sizeof(buf), "%s", tb->hcl->type);
    return buf;
}

static int is_resource(const struct tf_block *tb, const char *type)
{
    return tb->kind == TF_RESOURCE && strcmp(tb->type, type) == 0;
}

/* 1 true, 0 false, -1 absent, -2 unknown. */
static int attr_bool(const struct hcl_block *b, const char *name)
{
    const struct hcl_attr *at = hcl_attr_get(b, name);
    if (!at)
        return -1;
    const struct hcl_value *v = hcl_value_eval(at->value);
    if (v->kind == HV_BOOL)
        return v->b;
    if (v->kind == HV_STRING && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0))
        return v->str[0] == 't';
    return -2;
}

static const char *attr_str(const struct hcl_block *b, const char *name)
{
    const struct hcl_value *v = hcl_value_get(b, name);
    return v && v->kind == HV_STRING ? v->str : NULL;
}

/* A number attribute: 0 and *out set when literal, -1 absent, -2 unknown. */
static int attr_num(const struct hcl_block *b, const char *name, double *out)
{
    const struct hcl_attr *at = hcl_attr_get(b, name);
    if (!at)
        return -1;
    const struct hcl_value *v = hcl_value_eval(at->value);
    if (v->kind == HV_NUMBER) {
        *out = v->num;
        return 0;
    }
    if (v->kind == HV_STRING) {
        char *end;
        *out = strtod(v->str, &end);
        if (end != v->str && *end == '\0')
            return 0;
    }
    return -2;
}

/* Lowers a finding's severity to warning (the catalogue gives the rule's highest one). */
static void sev_lower(struct finding *f)
{
    if (f && f->severity > SEV_WARNING)
        f->severity = SEV_WARNING;
}

/* ---- tf-s3-public-acl ---- */

static void s3_public_acl(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (!is_resource(tb, "aws_s3_bucket") && !is_resource(tb, "aws_s3_bucket_acl"))
            continue;
        const struct hcl_attr *at = hcl_attr_get(tb->hcl, "acl");
        const struct hcl_value *v = at ? hcl_value_eval(at->value) : NULL;
        if (!v || v->kind != HV_STRING || !lint_param_list_has(ctx->rule, "acls", v->str))
            continue;
        lint_report(ctx, at->line, at->col, entity_name(ctx, tb),
                    "S3 bucket ACL '%s' makes the objects readable by anyone", v->str);
    }
}

/* ---- S3 settings that may live in separate resources (on_model) ---- */

/* Which bucket a separate resource's `bucket` attribute designates: "dir\nNAME" for a
 * reference to aws_s3_bucket.NAME, "\nNAME-LITERAL" for a literal bucket name, or
 * "dir\n*" when it cannot be known (it may be any bucket of that directory). */
static void bucket_key(struct strbuf *out, const struct tf_block *tb)
{
    const struct hcl_attr *at = hcl_attr_get(tb->hcl, "bucket");
    const struct hcl_value *v = at ? at->value : NULL;
    sb_reset(out);
    if (v && v->kind == HV_REF && str_startswith(v->str, "aws_s3_bucket.")) {
        const char *n = v->str + strlen("aws_s3_bucket.");
        sb_addf(out, "%s\n%.*s", tb->dir, (int)strcspn(n, ".[ "), n);
        return;
    }
    v = hcl_value_eval(v);
    if (v && v->kind == HV_STRING)
        sb_addf(out, "\n%s", v->str);
    else
        sb_addf(out, "%s\n*", tb->dir);
}

struct s3_cover {
    struct strmap keys;
    struct arena *a;
    int account_wide; /* aws_s3_account_public_access_block exists */
};

/* Collects what the resources of `type` cover; `ok` decides whether one counts. */
static void s3_cover_build(struct s3_cover *c, const struct model *m, const char *type,
                           int (*ok)(const struct tf_block *))
{
    struct strbuf key = STRBUF_INIT;
    c->a = arena_new();
    memset(&c->keys, 0, sizeof(c->keys));
    c->account_wide = 0;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_TERRAFORM)
            continue;
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            if (is_resource(tb, "aws_s3_account_public_access_block"))
                c->account_wide = 1;
            if (!is_resource(tb, type) || (ok && !ok(tb)))
                continue;
            bucket_key(&key, tb);
            strmap_put(&c->keys, arena_strdup(c->a, sb_str(&key)), (void *)1);
        }
    }
    sb_release(&key);
}

static int s3_cover_has(const struct s3_cover *c, const struct tf_block *bucket)
{
    struct strbuf key = STRBUF_INIT;
    int has = 0;
    sb_addf(&key, "%s\n%s", bucket->dir, bucket->name);
    has = strmap_get(&c->keys, sb_str(&key)) != NULL;
    sb_reset(&key);
    sb_addf(&key, "%s\n*", bucket->dir);
    has = has || strmap_get(&c->keys, sb_str(&key)) != NULL;
    const char *lit = attr_str(bucket->hcl, "bucket");
    if (!has && lit) {
        sb_reset(&key);
        sb_addf(&key, "\n%s", lit);
        has = strmap_get(&c->keys, sb_str(&key)) != NULL;
    }
    sb_release(&key);
    return has;
}

static void s3_cover_release(struct s3_cover *c)
{
    strmap_release(&c->keys);
    arena_free(c->a);
}

/* Calls fn for every aws_s3_bucket of the model. */
static void s3_buckets_each(struct lint_ctx *ctx, const struct s3_cover *c,
                            void (*fn)(struct lint_ctx *, const struct unit *,
                                       const struct tf_block *, const struct s3_cover *))
{
    for (size_t i = 0; i < ctx->model->units.len; i++) {
        const struct unit *u = ctx->model->units.items[i];
        if (u->kind != FK_TERRAFORM)
            continue;
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            if (is_resource(tb, "aws_s3_bucket"))
                fn(ctx, u, tb, c);
        }
    }
}

static void s3_encryption_one(struct lint_ctx *ctx, const struct unit *u, const struct tf_block *tb,
                              const struct s3_cover *c)
{
    if (hcl_block_child(tb->hcl, "server_side_encryption_configuration") || s3_cover_has(c, tb))
        return;
    lint_report_at(ctx, u, tb->hcl->line, tb->hcl->col, entity_name(ctx, tb),
                   "S3 bucket '%s' has no server-side encryption configuration", tb->name);
}

static void s3_no_encryption(struct lint_ctx *ctx)
{
    struct s3_cover c;
    s3_cover_build(&c, ctx->model, "aws_s3_bucket_server_side_encryption_configuration", NULL);
    s3_buckets_each(ctx, &c, s3_encryption_one);
    s3_cover_release(&c);
}

/* A versioning resource counts unless its status is a literal other than "Enabled". */
static int versioning_ok(const struct tf_block *tb)
{
    const struct hcl_block *vc = hcl_block_child(tb->hcl, "versioning_configuration");
    const struct hcl_value *st = vc ? hcl_value_get(vc, "status") : NULL;
    return !st || st->kind != HV_STRING || strcmp(st->str, "Enabled") == 0;
}

static void s3_versioning_one(struct lint_ctx *ctx, const struct unit *u, const struct tf_block *tb,
                              const struct s3_cover *c)
{
    const struct hcl_block *inl = hcl_block_child(tb->hcl, "versioning");
    if (inl) {
        int en = attr_bool(inl, "enabled");
        if (en == 0) {
            const struct hcl_attr *at = hcl_attr_get(inl, "enabled");
            lint_report_at(ctx, u, at->line, at->col, entity_name(ctx, tb),
                           "S3 bucket '%s' has versioning disabled", tb->name);
        }
        if (en != -1)
            return;
    }
    if (s3_cover_has(c, tb))
        return;
    lint_report_at(ctx, u, tb->hcl->line, tb->hcl->col, entity_name(ctx, tb),
                   "S3 bucket '%s' has no versioning enabled", tb->name);
}

static void s3_no_versioning(struct lint_ctx *ctx)
{
    struct s3_cover c;
    s3_cover_build(&c, ctx->model, "aws_s3_bucket_versioning", versioning_ok);
    s3_buckets_each(ctx, &c, s3_versioning_one);
    s3_cover_release(&c);
}

static void s3_pab_one(struct lint_ctx *ctx, const struct unit *u, const struct tf_block *tb,
                       const struct s3_cover *c)
{
    if (c->account_wide || s3_cover_has(c, tb))
        return;
    lint_report_at(ctx, u, tb->hcl->line, tb->hcl->col, entity_name(ctx, tb),
                   "S3 bucket '%s' has no aws_s3_bucket_public_access_block", tb->name);
}

static void s3_pab_missing(struct lint_ctx *ctx)
{
    struct s3_cover c;
    s3_cover_build(&c, ctx->model, "aws_s3_bucket_public_access_block", NULL);
    s3_buckets_each(ctx, &c, s3_pab_one);
    s3_cover_release(&c);
}

/* ---- tf-sg-open-ingress ---- */

static int cidr_is_open(const char *s)
{
    return strcmp(s, "0.0.0.0/0") == 0 || strcmp(s, "::/0") == 0;
}

/* Functions whose result holds the CIDRs of their arguments. */
static const char *const cidr_passthrough[] = {"concat", "distinct", "flatten", "tolist",
                                               "toset",  "compact",  "sort"};

/* The value (a string, a list of strings, or a list function over them) holds an open CIDR. */
static int cidr_walk(const struct hcl_value *v, int depth)
{
    v = hcl_value_eval(v);
    if (!v || depth > 32) /* local.a = [local.a] must end */
        return 0;
    if (v->kind == HV_STRING)
        return cidr_is_open(v->str);
    int pass = v->kind == HV_LIST;
    for (size_t i = 0; v->kind == HV_CALL && i < ARRAY_LEN(cidr_passthrough); i++)
        pass |= strcmp(v->str, cidr_passthrough[i]) == 0;
    for (size_t i = 0; pass && i < v->n; i++)
        if (cidr_walk(v->items[i], depth + 1))
            return 1;
    return 0;
}

static int value_has_open_cidr(const struct hcl_value *v)
{
    return cidr_walk(v, 0);
}

/* 1 when the rule's port range is known and holds no sensitive port. */
static int ports_harmless(const struct rule *r, const struct hcl_block *b, const char *proto_key)
{
    double from, to;
    const char *proto = attr_str(b, proto_key);
    if (proto && (strcmp(proto, "-1") == 0 || strcmp(proto, "all") == 0))
        return 0;
    if (attr_num(b, "from_port", &from) != 0 || attr_num(b, "to_port", &to) != 0)
        return 0;
    const struct ynode *ports = lint_param(r, "sensitive-ports");
    for (size_t i = 0; ports && ports->kind == YN_SEQ && i < ports->len; i++) {
        long long p;
        if (yml_int(ports->items[i], &p) == 0 && p >= from && p <= to)
            return 0;
    }
    return 1;
}

static void sg_report(struct lint_ctx *ctx, const struct tf_block *tb, const struct hcl_block *b,
                      const struct hcl_attr *at, const char *proto_key)
{
    struct finding *f = lint_report(ctx, at->line, at->col, entity_name(ctx, tb),
                                    "ingress open to the whole internet (%s)", at->name);
    if (ports_harmless(ctx->rule, b, proto_key))
        sev_lower(f);
}

static const char *const sg_cidr_attrs[] = {"cidr_blocks", "ipv6_cidr_blocks"};

static void sg_rule_block(struct lint_ctx *ctx, const struct tf_block *tb,
                          const struct hcl_block *b)
{
    for (size_t k = 0; k < ARRAY_LEN(sg_cidr_attrs); k++) {
        const struct hcl_attr *at = hcl_attr_get(b, sg_cidr_attrs[k]);
        if (at && value_has_open_cidr(at->value))
            sg_report(ctx, tb, b, at, "protocol");
    }
}

static void sg_open_ingress(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (is_resource(tb, "aws_security_group")) {
            for (size_t j = 0; j < tb->hcl->nblocks; j++) {
                const struct hcl_block *b = tb->hcl->blocks[j];
                if (strcmp(b->type, "ingress") == 0) {
                    sg_rule_block(ctx, tb, b);
                } else if (strcmp(b->type, "dynamic") == 0 && b->nlabels &&
                           strcmp(b->labels[0], "ingress") == 0) {
                    const struct hcl_block *content = hcl_block_child(b, "content");
                    if (content)
                        sg_rule_block(ctx, tb, content);
                }
            }
        } else if (is_resource(tb, "aws_security_group_rule")) {
            const char *type = attr_str(tb->hcl, "type");
            if (type && strcmp(type, "ingress") == 0)
                sg_rule_block(ctx, tb, tb->hcl);
        } else if (is_resource(tb, "aws_vpc_security_group_ingress_rule")) {
            static const char *const keys[] = {"cidr_ipv4", "cidr_ipv6"};
            for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
                const struct hcl_attr *at = hcl_attr_get(tb->hcl, keys[k]);
                if (at && value_has_open_cidr(at->value))
                    sg_report(ctx, tb, tb->hcl, at, "ip_protocol");
            }
        }
    }
}

/* ---- RDS ---- */

static int rds_type(const struct rule *r, const struct tf_block *tb)
{
    return tb->kind == TF_RESOURCE && lint_param_list_has(r, "resources", tb->type);
}

/* Reports a boolean that must be `want`: absent (when `absent_bad`) at the resource line,
 * a literal of the wrong value at its line; unknown says nothing. Returns the finding. */
static struct finding *bool_require(struct lint_ctx *ctx, const struct tf_block *tb,
                                    const struct hcl_block *b, const char *name, int want,
                                    int absent_bad, const char *what)
{
    int v = attr_bool(b, name);
    if (v == -2 || v == want || (v == -1 && !absent_bad))
        return NULL;
    if (v == -1)
        return lint_report(ctx, b->line, b->col, entity_name(ctx, tb), "%s: %s is not set", what,
                           name);
    const struct hcl_attr *at = hcl_attr_get(b, name);
    return lint_report(ctx, at->line, at->col, entity_name(ctx, tb), "%s: %s = %s", what, name,
                       v ? "true" : "false");
}

static void rds_unencrypted(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (!rds_type(ctx->rule, tb) || hcl_attr_get(tb->hcl, "replicate_source_db"))
            continue;
        bool_require(ctx, tb, tb->hcl, "storage_encrypted", 1, 1,
                     "database storage is not encrypted");
    }
}

static void rds_public(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (rds_type(ctx->rule, tb))
            bool_require(ctx, tb, tb->hcl, "publicly_accessible", 0, 0,
                         "database reachable from the internet");
    }
}

static void rds_deletion(struct lint_ctx *ctx)
{
    int prod = model_path_is_production(ctx->model, ctx->unit->file->path);
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (!rds_type(ctx->rule, tb))
            continue;
        struct finding *f = bool_require(ctx, tb, tb->hcl, "deletion_protection", 1, 1,
                                         "database can be deleted by one apply");
        if (!prod)
            sev_lower(f);
    }
}

static void rds_backup(struct lint_ctx *ctx)
{
    long long min = lint_param_int(ctx->rule, "min-days", 7);
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (!rds_type(ctx->rule, tb) || hcl_attr_get(tb->hcl, "replicate_source_db"))
            continue;
        double days;
        int r = attr_num(tb->hcl, "backup_retention_period", &days);
        if (r == -1)
            lint_report(ctx, tb->hcl->line, tb->hcl->col, entity_name(ctx, tb),
                        "backup_retention_period is not set (AWS keeps 1 day); keep at least %lld",
                        min);
        else if (r == 0 && days < (double)min)
            lint_report(ctx, hcl_attr_get(tb->hcl, "backup_retention_period")->line,
                        hcl_attr_get(tb->hcl, "backup_retention_period")->col, entity_name(ctx, tb),
                        "backups are kept %g day(s); keep at least %lld", days, min);
    }
}

/* ---- versions ---- */

static void module_unpinned(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (tb->kind != TF_MODULE)
            continue;
        const struct tf_module_source *s = tb->source;
        if (s->kind == TF_SRC_REGISTRY && !s->has_version)
            lint_report(ctx, s->line, s->col, entity_name(ctx, tb),
                        "registry module '%s' has no version: every init may fetch a new release",
                        s->address);
        else if (s->kind == TF_SRC_GIT && !s->ref)
            lint_report(ctx, s->line, s->col, entity_name(ctx, tb),
                        "git module '%s' has no ?ref=: it follows the default branch", s->address);
        else if (s->kind == TF_SRC_GIT && lint_param_list_has(ctx->rule, "branches", s->ref))
            lint_report(ctx, s->line, s->col, entity_name(ctx, tb),
                        "git module '%s' is pinned to the branch '%s', not a tag or commit",
                        s->address, s->ref);
    }
}

/* Calls fn for every entry of every required_providers block of `u`. */
static void required_each(struct lint_ctx *ctx, const struct unit *u,
                          void (*fn)(struct lint_ctx *, const struct unit *,
                                     const struct tf_block *, const char *, const struct hcl_attr *,
                                     void *),
                          void *arg)
{
    for (size_t j = 0; j < u->tf_blocks.len; j++) {
        const struct tf_block *tb = u->tf_blocks.items[j];
        if (tb->kind != TF_TERRAFORM)
            continue;
        for (size_t k = 0; k < tb->hcl->nblocks; k++) {
            const struct hcl_block *rp = tb->hcl->blocks[k];
            if (strcmp(rp->type, "required_providers") != 0)
                continue;
            for (size_t a = 0; a < rp->nattrs; a++)
                fn(ctx, u, tb, rp->attrs[a]->name, rp->attrs[a], arg);
        }
    }
}

static void required_check(struct lint_ctx *ctx, const struct unit *u, const struct tf_block *tb,
                           const char *name, const struct hcl_attr *at, void *arg)
{
    (void)arg;
    const struct hcl_value *v = at->value;
    if (v->kind != HV_MAP || hcl_map_get(v, "version"))
        return; /* a string is the old version-only form; other forms are unknown */
    lint_report_at(ctx, u, at->line, at->col, entity_name(ctx, tb),
                   "provider '%s' has no version constraint in required_providers", name);
}

static void provider_unpinned(struct lint_ctx *ctx)
{
    const struct model *m = ctx->model;
    struct strmap declared = STRMAP_INIT;
    struct arena *a = arena_new();
    struct strbuf key = STRBUF_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_TERRAFORM)
            continue;
        required_each(ctx, u, required_check, NULL);
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            if (tb->kind != TF_TERRAFORM)
                continue;
            for (size_t k = 0; k < tb->hcl->nblocks; k++) {
                const struct hcl_block *rp = tb->hcl->blocks[k];
                if (strcmp(rp->type, "required_providers") != 0)
                    continue;
                for (size_t n = 0; n < rp->nattrs; n++) {
                    sb_reset(&key);
                    sb_addf(&key, "%s\n%s", tb->dir, rp->attrs[n]->name);
                    strmap_put(&declared, arena_strdup(a, sb_str(&key)), (void *)1);
                }
            }
        }
    }
    /* A provider block whose provider no required_providers of its directory pins. */
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_TERRAFORM)
            continue;
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            if (tb->kind != TF_PROVIDER || hcl_attr_get(tb->hcl, "version"))
                continue;
            sb_reset(&key);
            sb_addf(&key, "%s\n%s", tb->dir, tb->type);
            if (strmap_get(&declared, sb_str(&key)))
                continue;
            lint_report_at(ctx, u, tb->hcl->line, tb->hcl->col, entity_name(ctx, tb),
                           "provider '%s' is not pinned: no required_providers entry with a "
                           "version in this directory",
                           tb->type);
        }
    }
    sb_release(&key);
    strmap_release(&declared);
    arena_free(a);
}

/* ---- backend ---- */

static void backend_unencrypted(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (tb->kind != TF_TERRAFORM || !tb->backend || strcmp(tb->type, "s3") != 0)
            continue;
        bool_require(ctx, tb, tb->backend, "encrypt", 1, 1,
                     "the state (which holds secrets) is stored unencrypted");
    }
}

/* ---- tf-hardcoded-secret ---- */

static int name_is_secret(const struct rule *r, const char *name)
{
    char low[128];
    size_t n = strlen(name);
    if (n >= sizeof(low))
        return 0;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
    const struct ynode *l = lint_param(r, "not-names");
    for (size_t i = 0; l && l->kind == YN_SEQ && i < l->len; i++) {
        const char *w = yml_str(l->items[i]);
        if (w && (w[0] == '_' ? str_endswith(low, w) : strstr(low, w) != NULL))
            return 0;
    }
    l = lint_param(r, "names");
    for (size_t i = 0; l && l->kind == YN_SEQ && i < l->len; i++) {
        const char *w = yml_str(l->items[i]);
        if (w && strstr(low, w))
            return 1;
    }
    return str_endswith(low, "_key") || strcmp(low, "apikey") == 0;
}

static int is_string(const struct hcl_value *v)
{
    return v && v->kind == HV_STRING;
}

static int value_is_secret_literal(const struct hcl_value *v)
{
    return is_string(v) && secrets_value_plausible(v->str);
}

static void secret_report(struct lint_ctx *ctx, const char *entity, const struct hcl_attr *at,
                          const struct hcl_value *v, const char *what, const char *name)
{
    struct finding *f = lint_report(ctx, v->line, at->col, entity,
                                    "%s '%s' holds a literal secret; pass it in from a secret "
                                    "store",
                                    what, name);
    if (v->quoted && v->len >= 2 && !v->multiline) { /* "…" on one line: mask inside */
        f->col = v->col;
        f->mask_col = v->col + 1;
        f->mask_len = (int)(v->len - 2);
    }
}

/* Map entries named like secrets, e.g. a Lambda's environment variables. */
static void secret_map_walk(struct lint_ctx *ctx, const char *entity, const struct hcl_attr *at,
                            const struct hcl_value *v, int depth)
{
    if (!v || depth > 32)
        return;
    for (size_t i = 0; (v->kind == HV_MAP || v->kind == HV_LIST) && i < v->n; i++) {
        const struct hcl_value *it = v->items[i];
        if (v->kind == HV_MAP && is_string(it) && name_is_secret(ctx->rule, v->keys[i]) &&
            value_is_secret_literal(it)) {
            struct hcl_attr key = {v->keys[i], it->line, it->col, NULL};
            secret_report(ctx, entity, &key, it, "map entry", v->keys[i]);
        } else {
            secret_map_walk(ctx, entity, at, it, depth + 1);
        }
    }
}

static void secret_walk(struct lint_ctx *ctx, const char *entity, const struct hcl_block *b,
                        int depth)
{
    if (depth > 32)
        return;
    for (size_t i = 0; i < b->nattrs; i++) {
        const struct hcl_attr *at = b->attrs[i];
        if (is_string(at->value) && name_is_secret(ctx->rule, at->name) &&
            value_is_secret_literal(at->value))
            secret_report(ctx, entity, at, at->value, "attribute", at->name);
        else
            secret_map_walk(ctx, entity, at, at->value, 0);
    }
    for (size_t i = 0; i < b->nblocks; i++)
        secret_walk(ctx, entity, b->blocks[i], depth + 1);
}

static void hardcoded_secret(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        const char *ent = entity_name(ctx, tb);
        char entity[256];
        snprintf(entity, sizeof(entity), "%s", ent);
        if (tb->kind == TF_VARIABLE) {
            const struct hcl_attr *def = hcl_attr_get(tb->hcl, "default");
            if (def && is_string(def->value) && name_is_secret(ctx->rule, tb->name) &&
                value_is_secret_literal(def->value))
                secret_report(ctx, entity, def, def->value, "the default of variable", tb->name);
            continue;
        }
        secret_walk(ctx, entity, tb->hcl, 0);
    }
}

/* ---- tf-eks-public-endpoint ---- */

static void eks_public(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        const struct hcl_block *b = NULL;
        const char *pub = NULL, *cidrs = NULL;
        int absent_public = 0;
        if (is_resource(tb, "aws_eks_cluster")) {
            b = hcl_block_child(tb->hcl, "vpc_config");
            pub = "endpoint_public_access";
            cidrs = "public_access_cidrs";
            absent_public = 1; /* the API's default is a public endpoint */
        } else if (tb->kind == TF_MODULE && tb->source->address &&
                   strstr(tb->source->address, "terraform-aws-modules/eks")) {
            b = tb->hcl;
            pub = "cluster_endpoint_public_access";
            cidrs = "cluster_endpoint_public_access_cidrs";
        }
        if (!b)
            continue;
        int v = attr_bool(b, pub);
        if (!(v == 1 || (v == -1 && absent_public)))
            continue;
        const struct hcl_attr *ca = hcl_attr_get(b, cidrs);
        if (ca && !value_has_open_cidr(ca->value))
            continue; /* restricted, or unknown */
        const struct hcl_attr *pa = hcl_attr_get(b, pub);
        lint_report(ctx, pa ? pa->line : b->line, pa ? pa->col : b->col, entity_name(ctx, tb),
                    "the EKS API endpoint is public to the whole internet");
    }
}

/* ---- tf-kms-key-rotation-disabled ---- */

static void kms_rotation(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (!is_resource(tb, "aws_kms_key"))
            continue;
        const char *spec = attr_str(tb->hcl, "customer_master_key_spec");
        const char *usage = attr_str(tb->hcl, "key_usage");
        if ((spec && strcmp(spec, "SYMMETRIC_DEFAULT") != 0) ||
            (usage && strcmp(usage, "ENCRYPT_DECRYPT") != 0) ||
            (hcl_attr_get(tb->hcl, "customer_master_key_spec") && !spec))
            continue; /* asymmetric and HMAC keys cannot rotate; unknown specs say nothing */
        bool_require(ctx, tb, tb->hcl, "enable_key_rotation", 1, 1, "the KMS key is never rotated");
    }
}

/* ---- tf-iam-wildcard-action ---- */

static int action_is_wild(const char *s)
{
    return strcmp(s, "*") == 0 || strcmp(s, "*:*") == 0;
}

/* A statement map (HCL value of jsonencode) allowing "*". */
static void hcl_statement_check(struct lint_ctx *ctx, const struct tf_block *tb,
                                const struct hcl_value *st)
{
    st = hcl_value_eval(st);
    if (!st || st->kind != HV_MAP)
        return;
    const struct hcl_value *eff = hcl_value_eval(hcl_map_get(st, "Effect"));
    if (eff && eff->kind == HV_STRING && strcmp(eff->str, "Deny") == 0)
        return;
    const struct hcl_value *act = hcl_value_eval(hcl_map_get(st, "Action"));
    int wild = 0;
    if (act && act->kind == HV_STRING)
        wild = action_is_wild(act->str);
    for (size_t i = 0; act && act->kind == HV_LIST && i < act->n; i++) {
        const struct hcl_value *a = hcl_value_eval(act->items[i]);
        wild |= a->kind == HV_STRING && action_is_wild(a->str);
    }
    if (wild)
        lint_report(ctx, act->line, act->col, entity_name(ctx, tb),
                    "policy statement allows every action (\"*\")");
}

static void hcl_policy_check(struct lint_ctx *ctx, const struct tf_block *tb,
                             const struct hcl_value *doc)
{
    const struct hcl_value *sts = hcl_value_eval(hcl_map_get(doc, "Statement"));
    if (sts && sts->kind == HV_MAP)
        hcl_statement_check(ctx, tb, sts);
    for (size_t i = 0; sts && sts->kind == HV_LIST && i < sts->n; i++)
        hcl_statement_check(ctx, tb, sts->items[i]);
}

static int json_statement_wild(json_t *st)
{
    const char *eff = json_string_value(json_object_get(st, "Effect"));
    if (eff && strcmp(eff, "Deny") == 0)
        return 0;
    json_t *act = json_object_get(st, "Action");
    if (json_is_string(act))
        return action_is_wild(json_string_value(act));
    size_t i;
    json_t *a;
    json_array_foreach(act, i,
                       a) if (json_is_string(a) && action_is_wild(json_string_value(a))) return 1;
    return 0;
}

/* A policy written as a JSON string (heredoc or quoted). */
static void json_policy_check(struct lint_ctx *ctx, const struct tf_block *tb,
                              const struct hcl_attr *at, const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        return;
    json_t *sts = json_object_get(doc, "Statement");
    int wild = json_is_object(sts) && json_statement_wild(sts);
    size_t i;
    json_t *st;
    json_array_foreach(sts, i, st) wild |= json_statement_wild(st);
    if (wild)
        lint_report(ctx, at->line, at->col, entity_name(ctx, tb),
                    "policy statement allows every action (\"*\")");
    json_decref(doc);
}

static void policy_attr_check(struct lint_ctx *ctx, const struct tf_block *tb,
                              const struct hcl_block *b)
{
    const struct hcl_attr *at = hcl_attr_get(b, "policy");
    if (!at)
        return;
    const struct hcl_value *v = hcl_value_eval(at->value);
    if (v->kind == HV_CALL && strcmp(v->str, "jsonencode") == 0 && v->n == 1)
        hcl_policy_check(ctx, tb, hcl_value_eval(v->items[0]));
    else if (v->kind == HV_STRING)
        json_policy_check(ctx, tb, at, v->str);
}

static void iam_document_check(struct lint_ctx *ctx, const struct tf_block *tb)
{
    for (size_t k = 0; k < tb->hcl->nblocks; k++) {
        const struct hcl_block *st = tb->hcl->blocks[k];
        if (strcmp(st->type, "statement") != 0)
            continue;
        const char *eff = attr_str(st, "effect");
        if (eff && strcmp(eff, "Deny") == 0)
            continue;
        const struct hcl_attr *at = hcl_attr_get(st, "actions");
        const struct hcl_value *v = at ? hcl_value_eval(at->value) : NULL;
        for (size_t i = 0; v && v->kind == HV_LIST && i < v->n; i++) {
            const struct hcl_value *a = hcl_value_eval(v->items[i]);
            if (a->kind == HV_STRING && action_is_wild(a->str)) {
                lint_report(ctx, at->line, at->col, entity_name(ctx, tb),
                            "policy document statement allows every action (\"*\")");
                break;
            }
        }
    }
}

static void iam_wildcard(struct lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->unit->tf_blocks.len; i++) {
        const struct tf_block *tb = ctx->unit->tf_blocks.items[i];
        if (tb->kind == TF_DATA && strcmp(tb->type, "aws_iam_policy_document") == 0) {
            iam_document_check(ctx, tb);
        } else if (tb->kind == TF_RESOURCE &&
                   lint_param_list_has(ctx->rule, "resources", tb->type)) {
            policy_attr_check(ctx, tb, tb->hcl);
            for (size_t k = 0; k < tb->hcl->nblocks; k++)
                if (strcmp(tb->hcl->blocks[k]->type, "inline_policy") == 0)
                    policy_attr_check(ctx, tb, tb->hcl->blocks[k]);
        }
    }
}

#define TFK KIND(FK_TERRAFORM)

const struct check_def lint_checks_tf[] = {
    {"tf-s3-public-acl", TFK, NULL, NULL, s3_public_acl, NULL, NULL},
    {"tf-s3-no-encryption", TFK, NULL, NULL, NULL, s3_no_encryption, NULL},
    {"tf-s3-no-versioning", TFK, NULL, NULL, NULL, s3_no_versioning, NULL},
    {"tf-s3-public-access-block-missing", TFK, NULL, NULL, NULL, s3_pab_missing, NULL},
    {"tf-sg-open-ingress", TFK, NULL, NULL, sg_open_ingress, NULL, NULL},
    {"tf-rds-unencrypted", TFK, NULL, NULL, rds_unencrypted, NULL, NULL},
    {"tf-rds-publicly-accessible", TFK, NULL, NULL, rds_public, NULL, NULL},
    {"tf-rds-no-deletion-protection", TFK, NULL, NULL, rds_deletion, NULL, NULL},
    {"tf-rds-backup-retention-low", TFK, NULL, NULL, rds_backup, NULL, NULL},
    {"tf-module-version-unpinned", TFK, NULL, NULL, module_unpinned, NULL, NULL},
    {"tf-provider-version-unpinned", TFK, NULL, NULL, NULL, provider_unpinned, NULL},
    {"tf-backend-unencrypted", TFK, NULL, NULL, backend_unencrypted, NULL, NULL},
    {"tf-hardcoded-secret", TFK, NULL, NULL, hardcoded_secret, NULL, NULL},
    {"tf-eks-public-endpoint", TFK, NULL, NULL, eks_public, NULL, NULL},
    {"tf-kms-key-rotation-disabled", TFK, NULL, NULL, kms_rotation, NULL, NULL},
    {"tf-iam-wildcard-action", TFK, NULL, NULL, iam_wildcard, NULL, NULL},
    {0},
};
