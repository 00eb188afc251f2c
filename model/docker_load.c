/* Dockerfile loader: the parser's instructions into stages. Each instruction kind has a
 * handler in one table; a handler that finds the arguments malformed reports a parse-error at
 * the instruction and the file is still modelled. Variables in FROM and USER are expanded from
 * ARG and ENV where their values are literal, and left unknown otherwise. */
#include "docker.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

void docker_image_parse(struct docker_image *out, struct arena *a, const char *raw)
{
    memset(out, 0, sizeof(*out));
    out->raw = arena_strdup(a, raw);
    char *s = arena_strdup(a, raw);
    char *at = strchr(s, '@');
    if (at) {
        *at = '\0';
        out->digest = at[1] ? at + 1 : NULL;
    }
    /* The first component is a registry when it has a '.' or ':' or is "localhost". */
    char *slash = strchr(s, '/');
    char *name = s;
    if (slash) {
        size_t n = (size_t)(slash - s);
        if (memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && memcmp(s, "localhost", 9) == 0)) {
            out->registry = arena_strndup(a, s, n);
            name = slash + 1;
        }
    }
    /* A tag is after the last ':' of the path part (a registry port was split off above). */
    char *colon = strrchr(name, ':');
    if (colon && !strchr(colon, '/')) {
        *colon = '\0';
        out->tag = colon[1] ? colon + 1 : NULL;
    }
    out->repository = name;
}

const struct docker_stage *docker_final_stage(const struct dockerfile *df)
{
    return df->nstages ? &df->stages[df->nstages - 1] : NULL;
}

/* Loader state: the stage being built collects its parts in vectors of scratch items. The
 * parser's instructions live in scratch memory too: what the model keeps is copied into the
 * unit's arena, each distinct string once. */
struct dload {
    struct unit *u;
    struct arena *tmp;          /* the instructions, the items before flattening */
    struct strmap strs;         /* the strings kept, to store each once */
    struct dockerfile *df;
    struct vec stages;       /* struct docker_stage* */
    struct vec global_args;  /* struct docker_var* */
    struct docker_stage *st; /* current stage, NULL before the first FROM */
    struct vec users, runs, copies, vars, exposes;
    struct strmap stage_scope;  /* name -> latest struct docker_var* of this stage */
    struct strmap global_scope; /* the same for ARGs before the first FROM */
    struct strmap aliases;      /* lower-case stage name -> index + 1 */
};

/* `s` as a string of the model: one copy per distinct string and file. NULL stays NULL. */
static const char *keep(struct dload *ld, const char *s)
{
    if (!s)
        return NULL;
    const char *k = strmap_get(&ld->strs, s);
    if (!k) {
        k = arena_strdup(ld->u->arena, s);
        strmap_put(&ld->strs, k, (void *)k);
    }
    return k;
}

/* `s` kept: a pointer into `whole` when it is its end (a tag or digest of an image). */
static const char *suffix_keep(struct dload *ld, const char *whole, const char *s)
{
    if (!s)
        return NULL;
    size_t wn = strlen(whole), n = strlen(s);
    if (n <= wn && strcmp(whole + wn - n, s) == 0)
        return whole + wn - n;
    return keep(ld, s);
}

static void diag(struct dload *ld, const struct dockerfile_instr *in, const char *msg)
{
    findings_add(&ld->u->diags, finding_new("parse-error", SEV_ERROR, ld->u->file->path, in->line,
                                            in->col, "%s: %s", in->keyword, msg));
}

static struct loc word_loc(const struct dockerfile_instr *in, size_t off)
{
    struct loc l;
    dockerfile_pos(in, off, &l.line, &l.col);
    return l;
}

/* Copies a vector of scratch items of `size` bytes into one arena array (NULL when empty). */
static void *flatten(struct arena *a, struct vec *v, size_t size, uint32_t *n)
{
    char *arr = v->len ? arena_alloc(a, v->len * size) : NULL;
    for (size_t i = 0; i < v->len; i++)
        memcpy(arr + i * size, v->items[i], size);
    *n = (uint32_t)v->len;
    vec_release(v);
    return arr;
}

static void stage_close(struct dload *ld)
{
    struct docker_stage *st = ld->st;
    struct arena *a = ld->u->arena;
    if (!st)
        return;
    st->users = flatten(a, &ld->users, sizeof(*st->users), &st->nusers);
    st->runs = flatten(a, &ld->runs, sizeof(*st->runs), &st->nruns);
    st->copies = flatten(a, &ld->copies, sizeof(*st->copies), &st->ncopies);
    st->vars = flatten(a, &ld->vars, sizeof(*st->vars), &st->nvars);
    st->exposes = flatten(a, &ld->exposes, sizeof(*st->exposes), &st->nexposes);
    strmap_release(&ld->stage_scope);
    ld->stage_scope = (struct strmap)STRMAP_INIT;
    ld->st = NULL;
}

/* The value of variable `name` (n bytes) in the current scope, or NULL when unknown. Inside a
 * stage, a global ARG is visible only when the stage declares it again (`ARG NAME`). */
static const char *var_lookup(struct dload *ld, const char *name, size_t n)
{
    if (ld->st) {
        const struct docker_var *v = strmap_getn(&ld->stage_scope, name, n);
        if (!v)
            return NULL;
        if (v->value)
            return v->literal ? v->value : NULL;
    }
    const struct docker_var *g = strmap_getn(&ld->global_scope, name, n);
    return g && g->value && g->literal ? g->value : NULL;
}

/* Expands $NAME, ${NAME}, ${NAME:-word} and ${NAME:+word}. NULL when a value is unknown. */
static const char *expand(struct dload *ld, const char *s, char escape)
{
    if (!strchr(s, '$'))
        return s;
    struct strbuf sb = STRBUF_INIT;
    const char *result = NULL;
    for (size_t i = 0; s[i];) {
        if (s[i] == escape && s[i + 1] == '$') {
            sb_addc(&sb, '$');
            i += 2;
            continue;
        }
        if (s[i] != '$') {
            sb_addc(&sb, s[i++]);
            continue;
        }
        i++;
        int braced = s[i] == '{';
        if (braced)
            i++;
        size_t ns = i;
        while (isalnum((unsigned char)s[i]) || s[i] == '_')
            i++;
        size_t nn = i - ns;
        const char *val = nn ? var_lookup(ld, s + ns, nn) : NULL;
        if (braced) {
            const char *close = strchr(s + i, '}');
            if (!close || nn == 0)
                goto out;
            if (s[i] == ':' && (s[i + 1] == '-' || s[i + 1] == '+')) {
                const char *word =
                    arena_strndup(ld->tmp, s + i + 2, (size_t)(close - (s + i + 2)));
                if (s[i + 1] == '-')
                    val = val && *val ? val : word;
                else
                    val = val && *val ? word : "";
            } else if (s + i != close) {
                goto out; /* other modifiers: not evaluated */
            }
            i = (size_t)(close - s) + 1;
        }
        if (!val)
            goto out;
        sb_adds(&sb, val);
    }
    result = keep(ld, sb_str(&sb));
out:
    sb_release(&sb);
    return result;
}

/* Index of the first word that is not a --flag. */
static size_t skip_flags(const struct dockerfile_instr *in)
{
    size_t i = 0;
    while (i < in->nwords && str_startswith(in->words[i].text, "--"))
        i++;
    return i;
}

/* The value of flag --name= among the leading flags, or NULL. */
static const char *flag_value(const struct dockerfile_instr *in, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < skip_flags(in); i++) {
        const char *t = in->words[i].text + 2;
        if (strncmp(t, name, n) == 0 && t[n] == '=')
            return t + n + 1;
    }
    return NULL;
}

static char *lower_dup(struct arena *a, const char *s)
{
    char *l = arena_strdup(a, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

static void on_from(struct dload *ld, const struct dockerfile_instr *in)
{
    size_t i = skip_flags(in);
    if (i >= in->nwords) {
        diag(ld, in, "an image is required");
        return;
    }
    stage_close(ld);
    struct docker_stage *st = arena_alloc(ld->tmp, sizeof(*st));
    st->index = (uint32_t)ld->stages.len;
    st->loc = (struct loc){in->line, in->col};
    st->image_text = keep(ld, in->words[i].text);
    st->image_loc = word_loc(in, in->words[i].off);
    st->platform = keep(ld, flag_value(in, "platform"));
    st->parent = -1;
    if (i + 1 < in->nwords) {
        if (i + 3 == in->nwords && str_ieq(in->words[i + 1].text, "AS"))
            st->alias = keep(ld, in->words[i + 2].text);
        else
            diag(ld, in, "expected 'AS name' after the image");
    }
    /* FROM sees only the ARGs declared before the first FROM. */
    ld->st = NULL;
    st->image_expanded = expand(ld, st->image_text, ld->df->ast.escape);
    if (st->image_expanded) {
        st->parent =
            (int)(intptr_t)strmap_get(&ld->aliases, lower_dup(ld->tmp, st->image_expanded)) - 1;
        st->scratch = str_ieq(st->image_expanded, "scratch");
        if (st->parent < 0 && !st->scratch) {
            docker_image_parse(&st->image, ld->tmp, st->image_expanded);
            st->image.raw = keep(ld, st->image.raw);
            st->image.registry = keep(ld, st->image.registry);
            st->image.repository = keep(ld, st->image.repository);
            st->image.tag = suffix_keep(ld, st->image.raw, st->image.tag);
            st->image.digest = suffix_keep(ld, st->image.raw, st->image.digest);
        }
    }
    if (st->alias) {
        char *key = lower_dup(ld->tmp, st->alias);
        if (strmap_get(&ld->aliases, key))
            diag(ld, in, "a stage of this name already exists");
        else
            strmap_put(&ld->aliases, key, (void *)(intptr_t)(st->index + 1));
    }
    vec_push(&ld->stages, st);
    ld->st = st;
}

/* Adds the NAME=value words of ENV or ARG (or the legacy `ENV NAME value` form). */
static void on_vars(struct dload *ld, const struct dockerfile_instr *in, int is_arg)
{
    if (in->nwords == 0) {
        diag(ld, in, "at least one name is required");
        return;
    }
    int legacy = !is_arg && !strchr(in->words[0].text, '=');
    for (size_t i = 0; i < in->nwords; i++) {
        const struct dockerfile_word *w = &in->words[i];
        struct docker_var *v = arena_alloc(ld->tmp, sizeof(*v));
        v->is_arg = is_arg;
        v->loc = word_loc(in, w->off);
        const char *eq = memchr(w->raw, '=', w->raw_len);
        if (legacy) {
            v->name = keep(ld, w->text);
            if (in->nwords < 2) {
                diag(ld, in, "a value is required after the name");
                return;
            }
            size_t off = in->words[1].off;
            v->value = keep(ld, in->args + off);
            v->value_loc = word_loc(in, off);
            v->value_len = (int)strlen(in->args + off);
            i = in->nwords;
        } else if (eq) {
            v->name = keep(ld, arena_strndup(ld->tmp, w->raw, (size_t)(eq - w->raw)));
            const char *tq = strchr(w->text, '=');
            v->value = tq ? keep(ld, tq + 1) : "";
            size_t off = w->off + (size_t)(eq - w->raw) + 1;
            v->value_loc = word_loc(in, off);
            v->value_len = (int)(w->raw_len - (size_t)(eq - w->raw) - 1);
        } else if (is_arg) {
            v->name = keep(ld, w->text);
        } else {
            diag(ld, in, "every name needs '=value' when one of them has it");
            continue;
        }
        if (!*v->name) {
            diag(ld, in, "a name is required before '='");
            continue;
        }
        v->literal = v->value && !strchr(v->value, '$');
        vec_push(ld->st ? &ld->vars : &ld->global_args, v);
        strmap_put(ld->st ? &ld->stage_scope : &ld->global_scope, v->name, v);
    }
}

static void on_env(struct dload *ld, const struct dockerfile_instr *in)
{
    on_vars(ld, in, 0);
}

static void on_arg(struct dload *ld, const struct dockerfile_instr *in)
{
    on_vars(ld, in, 1);
}

static void on_user(struct dload *ld, const struct dockerfile_instr *in)
{
    if (in->nwords != 1) {
        diag(ld, in, "exactly one user[:group] is required");
        return;
    }
    struct docker_user *us = arena_alloc(ld->tmp, sizeof(*us));
    us->user = keep(ld, in->words[0].text);
    us->loc = (struct loc){in->line, in->col};
    const char *x = expand(ld, us->user, ld->df->ast.escape);
    if (x) {
        const char *colon = strchr(x, ':');
        us->name = colon ? keep(ld, arena_strndup(ld->tmp, x, (size_t)(colon - x))) : x;
    }
    vec_push(&ld->users, us);
}

/* The copy of a RUN instruction the model keeps: keyword, positions, arguments (shared with
 * the script when they are all of it), the position map and the heredocs; not the words. */
static const struct dockerfile_instr *run_instr_keep(struct dload *ld,
                                                     const struct dockerfile_instr *in,
                                                     const char *script)
{
    struct arena *a = ld->u->arena;
    struct dockerfile_instr *k = arena_alloc(a, sizeof(*k));
    k->keyword = keep(ld, in->keyword);
    k->line = in->line;
    k->col = in->col;
    k->end_line = in->end_line;
    k->args = strcmp(script, in->args) == 0 ? script : arena_strdup(a, in->args);
    k->json = in->json;
    k->nsegs = in->nsegs;
    k->segs = arena_alloc(a, (in->nsegs ? in->nsegs : 1) * sizeof(*k->segs));
    if (in->nsegs)
        memcpy(k->segs, in->segs, in->nsegs * sizeof(*k->segs));
    k->nheredocs = in->nheredocs;
    if (in->nheredocs) {
        struct dockerfile_heredoc *h = arena_alloc(a, in->nheredocs * sizeof(*h));
        for (size_t i = 0; i < in->nheredocs; i++) {
            h[i] = in->heredocs[i];
            h[i].marker = keep(ld, h[i].marker);
            h[i].body = arena_strdup(a, h[i].body);
        }
        k->heredocs = h;
    }
    return k;
}

static void on_run(struct dload *ld, const struct dockerfile_instr *in)
{
    if (!in->json && skip_flags(in) >= in->nwords && in->nheredocs == 0) {
        diag(ld, in, "a command is required");
        return;
    }
    struct strbuf sb = STRBUF_INIT;
    if (in->json) {
        for (size_t i = 0; i < in->argc; i++) {
            if (i)
                sb_addc(&sb, ' ');
            sb_adds(&sb, in->argv[i]);
        }
    } else {
        sb_adds(&sb, in->args);
    }
    for (size_t i = 0; i < in->nheredocs; i++) {
        sb_addc(&sb, '\n');
        sb_adds(&sb, in->heredocs[i].body);
    }
    struct docker_run *run = arena_alloc(ld->tmp, sizeof(*run));
    run->script = arena_strndup(ld->u->arena, sb_str(&sb), sb.len);
    run->exec_form = in->json;
    run->instr = run_instr_keep(ld, in, run->script);
    run->loc = (struct loc){in->line, in->col};
    sb_release(&sb);
    vec_push(&ld->runs, run);
}

static void on_copy(struct dload *ld, const struct dockerfile_instr *in)
{
    struct arena *a = ld->u->arena;
    struct docker_copy *cp = arena_alloc(ld->tmp, sizeof(*cp));
    cp->is_add = strcmp(in->keyword, "ADD") == 0;
    cp->loc = (struct loc){in->line, in->col};
    cp->from = keep(ld, flag_value(in, "from"));
    cp->checksum = keep(ld, flag_value(in, "checksum"));
    cp->chown = keep(ld, flag_value(in, "chown"));
    size_t first = skip_flags(in);
    size_t n = in->json ? in->argc : in->nwords - first;
    if (n < 2) {
        diag(ld, in, "a source and a destination are required");
        return;
    }
    cp->nsources = (uint32_t)(n - 1);
    /* One piece of the arena: the sources (NULL-terminated), then their places. */
    char *mem = arena_alloc(a, n * (sizeof(*cp->sources) + sizeof(*cp->source_locs)));
    cp->sources = (const char **)mem;
    cp->source_locs = (struct loc *)(mem + n * sizeof(*cp->sources));
    for (size_t i = 0; i < cp->nsources; i++) {
        if (in->json) {
            cp->sources[i] = keep(ld, in->argv[i]);
            const char *p = strstr(in->args, in->argv[i]);
            cp->source_locs[i] = word_loc(in, p && *in->argv[i] ? (size_t)(p - in->args) : 0);
        } else {
            cp->sources[i] = keep(ld, in->words[first + i].text);
            cp->source_locs[i] = word_loc(in, in->words[first + i].off);
        }
    }
    cp->dest = keep(ld, in->json ? in->argv[n - 1] : in->words[first + n - 1].text);
    vec_push(&ld->copies, cp);
}

static void on_healthcheck(struct dload *ld, const struct dockerfile_instr *in)
{
    size_t i = skip_flags(in);
    struct docker_healthcheck *hc = arena_alloc(ld->u->arena, sizeof(*hc));
    hc->loc = (struct loc){in->line, in->col};
    if (i < in->nwords && str_ieq(in->words[i].text, "NONE") && i + 1 == in->nwords) {
        hc->none = 1;
    } else if (i + 1 < in->nwords && str_ieq(in->words[i].text, "CMD")) {
        hc->cmd = keep(ld, in->args + in->words[i + 1].off);
    } else {
        diag(ld, in, "expected 'CMD command' or 'NONE'");
        return;
    }
    ld->st->healthcheck = hc;
}

static void on_expose(struct dload *ld, const struct dockerfile_instr *in)
{
    if (in->nwords == 0) {
        diag(ld, in, "at least one port is required");
        return;
    }
    for (size_t i = 0; i < in->nwords; i++) {
        struct docker_expose *ex = arena_alloc(ld->tmp, sizeof(*ex));
        ex->port = keep(ld, in->words[i].text);
        ex->loc = word_loc(in, in->words[i].off);
        vec_push(&ld->exposes, ex);
    }
}

/* Instructions the rules do not look at: only their arguments are required. */
static void on_other(struct dload *ld, const struct dockerfile_instr *in)
{
    if (!*in->args)
        diag(ld, in, "arguments are required");
}

/* ONBUILD runs in images built FROM this one, not in this image: not modelled. */
static void on_onbuild(struct dload *ld, const struct dockerfile_instr *in)
{
    if (!*in->args)
        diag(ld, in, "an instruction is required");
}

static const struct {
    const char *keyword;
    void (*fn)(struct dload *ld, const struct dockerfile_instr *in);
} handlers[] = {
    {"FROM", on_from},     {"ARG", on_arg},
    {"ENV", on_env},       {"USER", on_user},
    {"RUN", on_run},       {"COPY", on_copy},
    {"ADD", on_copy},      {"HEALTHCHECK", on_healthcheck},
    {"EXPOSE", on_expose}, {"ONBUILD", on_onbuild},
};

void docker_load(struct unit *u, const char *data, size_t len)
{
    struct dockerfile dfl = {0}, *df = &dfl; /* stored with its stages at the end */
    struct dload ld = {.u = u, .df = df, .tmp = arena_new()};
    struct dockerfile_ast ast;
    df->path = u->file->path;
    dockerfile_parse(&ast, ld.tmp, u->file->path, data, len, &u->diags);
    df->ast.escape = ast.escape;
    df->ast.syntax = keep(&ld, ast.syntax);
    df->ast.syntax_line = ast.syntax_line;
    for (size_t i = 0; i < ast.ninstrs; i++) {
        const struct dockerfile_instr *in = &ast.instrs[i];
        void (*fn)(struct dload *, const struct dockerfile_instr *) = on_other;
        for (size_t h = 0; h < ARRAY_LEN(handlers); h++)
            if (strcmp(in->keyword, handlers[h].keyword) == 0)
                fn = handlers[h].fn;
        if (!ld.st && fn != on_from && fn != on_arg) {
            diag(&ld, in, "only ARG may come before the first FROM");
            continue;
        }
        fn(&ld, in);
    }
    stage_close(&ld);
    strmap_release(&ld.global_scope);
    strmap_release(&ld.aliases);
    df->global_args =
        flatten(u->arena, &ld.global_args, sizeof(*df->global_args), &df->nglobal_args);
    /* One piece of the arena: the file, then its stages. */
    df->nstages = (uint32_t)ld.stages.len;
    size_t head = (sizeof(*df) + _Alignof(struct docker_stage) - 1) &
                  ~(_Alignof(struct docker_stage) - 1);
    char *mem = arena_alloc(u->arena, head + (ld.stages.len ? ld.stages.len : 1) *
                                                 sizeof(*df->stages));
    df->stages = (struct docker_stage *)(mem + head);
    for (size_t i = 0; i < ld.stages.len; i++)
        df->stages[i] = *(struct docker_stage *)ld.stages.items[i];
    vec_release(&ld.stages);
    strmap_release(&ld.strs);
    arena_free(ld.tmp);
    memcpy(mem, df, sizeof(*df));
    vec_push(&u->dockerfiles, mem);
}
