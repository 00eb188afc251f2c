/* Terraform loader and linker: turns the HCL tree of a .tf file into tf_blocks (what kind of
 * block, its type and name, a module's parsed source, the backend), and after every file is
 * loaded resolves var./local. references within each module directory. */
#include "tf.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *word;
    enum tf_block_kind kind;
    int labels; /* how many labels give type/name */
} block_kinds[] = {
    {"resource", TF_RESOURCE, 2},   {"data", TF_DATA, 2},     {"module", TF_MODULE, 1},
    {"variable", TF_VARIABLE, 1},   {"output", TF_OUTPUT, 1}, {"provider", TF_PROVIDER, 1},
    {"terraform", TF_TERRAFORM, 0}, {"locals", TF_LOCALS, 0},
};

/* git sources Terraform recognises without the git:: prefix. */
static const char *const git_prefixes[] = {"git::", "github.com/", "git@", "bitbucket.org/"};
static const char *const other_prefixes[] = {"http://", "https://", "s3::", "gcs::", "hg::"};

void tf_source_parse(struct tf_module_source *out, struct arena *a, const char *s)
{
    if (str_startswith(s, "./") || str_startswith(s, "../") || strcmp(s, ".") == 0 ||
        strcmp(s, "..") == 0) {
        out->kind = TF_SRC_LOCAL;
        out->address = arena_strdup(a, s);
        return;
    }
    const char *q = strchr(s, '?');
    size_t alen = q ? (size_t)(q - s) : strlen(s);
    out->address = arena_strndup(a, s, alen);
    for (size_t i = 0; i < ARRAY_LEN(git_prefixes); i++) {
        if (!str_startswith(s, git_prefixes[i]))
            continue;
        out->kind = TF_SRC_GIT;
        for (const char *p = q; p && *p;) {
            p++;
            if (str_startswith(p, "ref=")) {
                size_t n = strcspn(p + 4, "&");
                out->ref = arena_strndup(a, p + 4, n);
                break;
            }
            p = strchr(p, '&');
        }
        return;
    }
    for (size_t i = 0; i < ARRAY_LEN(other_prefixes); i++) {
        if (str_startswith(s, other_prefixes[i]) || strstr(s, "::")) {
            out->kind = TF_SRC_OTHER;
            return;
        }
    }
    /* Registry: [host/]namespace/name/provider, then an optional //subdir. */
    const char *sub = strstr(out->address, "//");
    size_t n = sub ? (size_t)(sub - out->address) : strlen(out->address);
    int parts = 1, ok = n > 0;
    for (size_t i = 0; i < n; i++) {
        char c = out->address[i];
        if (c == '/')
            parts++;
        else if (c == ':' || c == ' ')
            ok = 0;
    }
    out->kind = ok && (parts == 3 || parts == 4) ? TF_SRC_REGISTRY : TF_SRC_OTHER;
}

/* The source of every block that is not a module with a `source` argument. */
static const struct tf_module_source source_none = {TF_SRC_NONE, 0, 0, 0, NULL, NULL, NULL};

static void module_fill(struct tf_block *tb, struct arena *a)
{
    const struct hcl_attr *src = hcl_attr_get(tb->hcl, "source");
    const struct hcl_attr *ver = hcl_attr_get(tb->hcl, "version");
    if (!src)
        return;
    struct tf_module_source *ms = arena_alloc(a, sizeof(*ms));
    tb->source = ms;
    ms->line = src->line;
    ms->col = src->col;
    if (src->value->kind == HV_STRING)
        tf_source_parse(ms, a, src->value->str);
    else
        ms->kind = TF_SRC_UNKNOWN;
    if (ver) {
        ms->has_version = 1;
        if (ver->value->kind == HV_STRING)
            ms->version = ver->value->str;
    }
}

/* Fills `tb` (zeroed) for the top-level block `hb`. */
static struct tf_block *block_fill(struct tf_block *tb, struct unit *u, const struct hcl_block *hb,
                                   const char *dir)
{
    tb->hcl = hb;
    tb->source = &source_none;
    tb->dir = dir;
    tb->type = "";
    tb->name = "";
    for (size_t i = 0; i < ARRAY_LEN(block_kinds); i++) {
        if (strcmp(hb->type, block_kinds[i].word) != 0)
            continue;
        tb->kind = block_kinds[i].kind;
        if (block_kinds[i].labels == 2 && hb->nlabels >= 2) {
            tb->type = hb->labels[0];
            tb->name = hb->labels[1];
        } else if (block_kinds[i].labels == 1 && hb->nlabels >= 1) {
            if (tb->kind == TF_PROVIDER)
                tb->type = hb->labels[0];
            else
                tb->name = hb->labels[0];
        }
        break;
    }
    if (tb->kind == TF_MODULE)
        module_fill(tb, u->arena);
    if (tb->kind == TF_TERRAFORM) {
        tb->backend = hcl_block_child(hb, "backend");
        if (tb->backend && tb->backend->nlabels)
            tb->type = tb->backend->labels[0];
    }
    return tb;
}

void tf_load(struct unit *u, const char *data, size_t len)
{
    struct hcl_file hf;
    hcl_parse(&hf, u->arena, u->file->path, data, len, &u->diags);
    char *d = path_dirname(u->file->path);
    const char *dir = arena_strdup(u->arena, d);
    free(d);
    /* All the file's blocks in one piece of the arena. */
    size_t n = hf.root->nblocks + hf.root->nattrs;
    struct tf_block *tbs = n ? arena_alloc(u->arena, n * sizeof(*tbs)) : NULL;
    for (size_t i = 0; i < hf.root->nblocks; i++)
        vec_push(&u->tf_blocks, block_fill(&tbs[i], u, hf.root->blocks[i], dir));
    struct hcl_block *hbs =
        hf.root->nattrs ? arena_alloc(u->arena, hf.root->nattrs * sizeof(*hbs)) : NULL;
    for (size_t i = 0; i < hf.root->nattrs; i++) {
        /* A .tfvars assignment: one pseudo-block per attribute keeps the position. */
        struct hcl_block *hb = &hbs[i];
        hb->type = "";
        hb->labels = NULL;
        hb->attrs = &hf.root->attrs[i];
        hb->nattrs = 1;
        hb->line = hb->end_line = hf.root->attrs[i]->line;
        hb->col = hf.root->attrs[i]->col;
        struct tf_block *tb = block_fill(&tbs[hf.root->nblocks + i], u, hb, dir);
        tb->kind = TF_ATTRIBUTE;
        tb->name = hf.root->attrs[i]->name;
        vec_push(&u->tf_blocks, tb);
    }
}

/* ---- linking ---- */


/* Keys are "dir\nvar.NAME" / "dir\nlocal.NAME" strings in `a`. */
static void names_collect(struct strmap *names, struct arena *a, const struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_TERRAFORM || str_endswith(u->file->path, ".tfvars"))
            continue;
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            if (tb->kind == TF_VARIABLE) {
                const struct hcl_attr *def = hcl_attr_get(tb->hcl, "default");
                if (def)
                    strmap_put(names, arena_sprintf(a, "%s\nvar.%s", tb->dir, tb->name),
                               def->value);
            } else if (tb->kind == TF_LOCALS) {
                for (size_t k = 0; k < tb->hcl->nattrs; k++)
                    strmap_put(names,
                               arena_sprintf(a, "%s\nlocal.%s", tb->dir, tb->hcl->attrs[k]->name),
                               tb->hcl->attrs[k]->value);
            }
        }
    }
}

static void value_resolve(struct hcl_value *v, const struct strmap *names, const char *dir,
                          struct strbuf *key, int depth)
{
    if (!v || depth > 64)
        return;
    if (v->kind == HV_REF && (str_startswith(v->str, "var.") || str_startswith(v->str, "local."))) {
        const char *dot = strchr(v->str, '.');
        if (strchr(dot + 1, '.') || strchr(dot + 1, '[') || strchr(dot + 1, ' '))
            return; /* var.x.y or local.m["k"]: a part of a value, left unknown */
        sb_reset(key);
        sb_addf(key, "%s\n%s", dir, v->str);
        const struct hcl_value *t = strmap_get(names, sb_str(key));
        if (t && t != v)
            v->resolved = t;
        return;
    }
    if (v->kind == HV_LIST || v->kind == HV_MAP || v->kind == HV_CALL)
        for (size_t i = 0; i < v->n; i++)
            value_resolve(v->items[i], names, dir, key, depth + 1);
}

static void block_resolve(const struct hcl_block *b, const struct strmap *names, const char *dir,
                          struct strbuf *key, int depth)
{
    if (depth > 64)
        return;
    for (size_t i = 0; i < b->nattrs; i++)
        value_resolve(b->attrs[i]->value, names, dir, key, 0);
    for (size_t i = 0; i < b->nblocks; i++)
        block_resolve(b->blocks[i], names, dir, key, depth + 1);
}

static void tf_link_root(struct model *m, void *arg)
{
    (void)arg;
    struct arena *a = arena_new();
    struct strmap names = STRMAP_INIT;
    struct strbuf key = STRBUF_INIT;
    names_collect(&names, a, m);
    if (names.len == 0)
        goto out;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->kind != FK_TERRAFORM)
            continue;
        for (size_t j = 0; j < u->tf_blocks.len; j++) {
            const struct tf_block *tb = u->tf_blocks.items[j];
            block_resolve(tb->hcl, &names, tb->dir, &key, 0);
        }
    }
out:
    sb_release(&key);
    strmap_release(&names);
    arena_free(a);
}

void tf_link(struct model *m)
{
    model_for_each_root(m, tf_link_root, NULL);
}
