/* GitHub Actions loader: the YAML documents of a workflow or an action.yml into struct
 * gha_workflow — triggers in every form `on:` takes, permissions, jobs, steps with `uses`
 * parsed, and the exact source position of every script so checks can point inside it.
 * Keys GitHub rejects become problems on the workflow; nothing here ever fails. */
#include "gha.h"

#include <stdlib.h>
#include <string.h>

struct ld {
    struct unit *u;
    struct arena *a;
    const char *data;
    size_t len;
    size_t *lines; /* byte offset of each line's start, 0-based */
    int nlines;
    struct vec problems; /* struct gha_problem* (heap, copied at the end) */
    struct strmap strs;  /* the strings kept: each distinct one is stored once per file */
};

/* `n` bytes at `p` as a string in `a`; with `strs`, one copy per distinct string. */
static const char *dup_n(struct arena *a, struct strmap *strs, const char *p, size_t n)
{
    if (!strs)
        return arena_strndup(a, p, n);
    const char *k = strmap_getn(strs, p, n);
    if (!k) {
        k = arena_strndup(a, p, n);
        strmap_put(strs, k, (void *)k);
    }
    return k;
}

static const char *keep_n(struct ld *ld, const char *p, size_t n)
{
    return dup_n(ld->a, &ld->strs, p, n);
}

static const char *keep(struct ld *ld, const char *s)
{
    return keep_n(ld, s, strlen(s));
}

/* The empty NULL-terminated list and its places, shared by every empty list of the model
 * (never written: lists are filled only when they have items). */
static const char *no_strings[1];
static struct loc no_locs[1];

/* ---- source positions ---- */

static void lines_index(struct ld *ld)
{
    size_t n = 1;
    for (size_t i = 0; i < ld->len; i++)
        if (ld->data[i] == '\n')
            n++;
    ld->lines = xmalloc(n * sizeof(*ld->lines));
    ld->lines[0] = 0;
    ld->nlines = 1;
    for (size_t i = 0; i < ld->len; i++)
        if (ld->data[i] == '\n')
            ld->lines[ld->nlines++] = i + 1;
}

/* [*s, *e) of 1-based line `line` without its newline; 0 or -1 when out of range. */
static int line_get(const struct ld *ld, int line, const char **s, const char **e)
{
    if (line < 1 || line > ld->nlines)
        return -1;
    *s = ld->data + ld->lines[line - 1];
    const char *end = line < ld->nlines ? ld->data + ld->lines[line] - 1 : ld->data + ld->len;
    if (end > *s && end[-1] == '\r')
        end--;
    *e = end;
    return 0;
}

/* A scalar's value as its source text when the source cannot be found. */
static const char *node_text(const struct ynode *n, size_t *len)
{
    *len = strlen(n->s);
    return n->s;
}

static int line_indent(const char *s, const char *e, int *blank)
{
    int n = 0;
    while (s + n < e && s[n] == ' ')
        n++;
    const char *p = s + n;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    *blank = p == e;
    return n;
}

/* The source text of a scalar value (`*len` bytes, not copied) and where its first character
 * is. Block scalars start on the first non-blank line after the indicator and end at the last
 * line indented at least as much; flow scalars start at the node (after an opening quote). */
static const char *scalar_src(struct ld *ld, const struct ynode *n, struct loc *at, size_t *len)
{
    const char *s, *e;
    at->line = n->line;
    at->col = n->col;
    if (n->block) {
        int first = 0, indent = 0, last = 0, blank, parent = 0;
        if (n->len && line_get(ld, n->line, &s, &e) == 0)
            parent = line_indent(s, e, &blank);
        for (int l = n->line + 1; n->len && l <= ld->nlines && l <= n->end_line; l++) {
            if (line_get(ld, l, &s, &e) != 0)
                break;
            int ind = line_indent(s, e, &blank);
            if (blank)
                continue;
            if (!first) {
                if (ind <= parent)
                    break;
                first = l;
                indent = ind;
            } else if (ind < indent) {
                break;
            }
            last = l;
        }
        if (!first) {
            at->line = n->line + 1;
            at->col = 1;
            *len = 0;
            return "";
        }
        const char *ls, *le;
        line_get(ld, first, &s, &e);
        line_get(ld, last, &ls, &le);
        at->line = first;
        at->col = indent + 1;
        *len = (size_t)(le - (s + indent));
        return s + indent;
    }
    if (line_get(ld, n->line, &s, &e) != 0 || n->col - 1 > e - s)
        return node_text(n, len);
    const char *p = s + n->col - 1;
    char q = n->quoted && p < e && (*p == '"' || *p == '\'') ? *p : 0;
    if (q) {
        p++;
        at->col++;
    }
    if (n->end_line <= n->line && !q)
        return node_text(n, len);
    if (n->end_line <= n->line) {
        /* The source between the quotes, escapes as written, so columns stay exact. */
        const char *c = p;
        while (c < e) {
            if (q == '"' && *c == '\\' && c + 1 < e) {
                c += 2;
                continue;
            }
            if (*c == q && !(q == '\'' && c + 1 < e && c[1] == q))
                break;
            c += *c == q ? 2 : 1;
        }
        *len = (size_t)(c - p);
        return p;
    }
    const char *ls, *le;
    if (line_get(ld, n->end_line, &ls, &le) != 0)
        return node_text(n, len);
    *len = (size_t)(le - p);
    return p;
}

/* scalar_src, kept in the unit's arena. */
static const char *scalar_span(struct ld *ld, const struct ynode *n, struct loc *at)
{
    size_t len;
    const char *p = scalar_src(ld, n, at, &len);
    return keep_n(ld, p, len);
}

/* A block script's source text rebuilt from the script: each non-empty line after the first
 * indented by `indent` spaces, the trailing line breaks dropped. */
static void run_source_build(struct strbuf *sb, const char *run, int indent)
{
    size_t n = strlen(run);
    while (n && run[n - 1] == '\n')
        n--;
    const char *p = run, *end = run + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        sb_add(sb, p, (size_t)(next - p));
        p = next;
        for (int k = 0; nl && *p != '\n' && k < indent; k++)
            sb_addc(sb, ' ');
    }
}

const char *gha_step_run_source(const struct gha_step *st, struct strbuf *sb)
{
    if (st->run_raw || !st->run)
        return st->run_raw;
    sb_reset(sb);
    run_source_build(sb, st->run, st->run_col - 1);
    return sb_str(sb);
}

/* The step's script and its source text. A block whose source is the script indented again
 * (the usual `run: |`) keeps only the script: gha_step_run_source rebuilds the rest. */
static void run_load(struct ld *ld, struct gha_step *st, const struct ynode *v)
{
    struct loc at;
    size_t len;
    const char *src = scalar_src(ld, v, &at, &len);
    st->run = keep(ld, v->s);
    st->run_line = at.line;
    st->run_col = at.col;
    if (v->block && at.col > 1) {
        struct strbuf sb = STRBUF_INIT;
        run_source_build(&sb, st->run, at.col - 1);
        int same = sb.len == len && memcmp(sb_str(&sb), src, len) == 0;
        sb_release(&sb);
        if (same)
            return;
    }
    st->run_raw = keep_n(ld, src, len);
}

struct loc gha_text_loc(struct loc start, const char *raw, size_t off)
{
    struct loc l = start;
    size_t bol = 0;
    int first = 1;
    for (size_t i = 0; i < off && raw[i]; i++) {
        if (raw[i] == '\n') {
            l.line++;
            bol = i + 1;
            first = 0;
        }
    }
    l.col = first ? start.col + (int)off : (int)(off - bol) + 1;
    return l;
}

/* ---- small helpers ---- */

static struct loc loc_of(const struct ynode *n)
{
    struct loc l = {n ? n->line : 0, n ? n->col : 0};
    return l;
}

static const char *str_copy(struct ld *ld, const struct ynode *n)
{
    return n && n->kind == YN_SCALAR ? keep(ld, n->s) : NULL;
}

static void problem(struct ld *ld, const struct ynode *at, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void problem(struct ld *ld, const struct ynode *at, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    struct gha_problem *p = xcalloc(1, sizeof(*p));
    p->msg = keep(ld, sb_str(&sb));
    p->loc = loc_of(at);
    sb_release(&sb);
    vec_push(&ld->problems, p);
}

static int in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* Reports every key of `map` that is not in `known`. Returns how many there were. */
static size_t keys_check(struct ld *ld, const struct ynode *map, const char *const *known,
                         const char *where)
{
    size_t bad = 0;
    for (size_t i = 0; yml_is_map(map) && i < map->len; i++) {
        const char *k = yml_str(map->pairs[i].key);
        if (k && in_list(k, known))
            continue;
        problem(ld, map->pairs[i].key, "unknown key '%s' in %s", k ? k : "?", where);
        bad++;
    }
    return bad;
}

/* A scalar or a sequence of scalars as a NULL-terminated array (and its locations). */
static const char **list_copy(struct ld *ld, const struct ynode *n, size_t *count,
                              struct loc **locs)
{
    if (!n) {
        *count = 0;
        if (locs)
            *locs = no_locs;
        return no_strings;
    }
    size_t cap = n && n->kind == YN_SEQ ? n->len : 1;
    const char **out = arena_alloc(ld->a, (cap + 1) * sizeof(*out));
    struct loc *l = locs ? arena_alloc(ld->a, (cap + 1) * sizeof(*l)) : NULL;
    size_t k = 0;
    if (n && n->kind == YN_SCALAR) {
        if (l)
            l[k] = loc_of(n);
        out[k++] = keep(ld, n->s);
    }
    for (size_t i = 0; n && n->kind == YN_SEQ && i < n->len; i++) {
        if (n->items[i]->kind != YN_SCALAR)
            continue;
        if (l)
            l[k] = loc_of(n->items[i]);
        out[k++] = keep(ld, n->items[i]->s);
    }
    *count = k;
    if (locs)
        *locs = l;
    return out;
}

static void kvs_load(struct ld *ld, struct gha_kvs *out, const struct ynode *map)
{
    if (!yml_is_map(map))
        return;
    out->items = arena_alloc(ld->a, (map->len ? map->len : 1) * sizeof(*out->items));
    for (size_t i = 0; i < map->len; i++) {
        const struct ynode *k = map->pairs[i].key, *v = map->pairs[i].val;
        struct gha_kv *kv = &out->items[out->len++];
        kv->key = k->kind == YN_SCALAR ? keep(ld, k->s) : "";
        kv->loc = loc_of(k);
        kv->vloc = loc_of(v);
        if (v && v->kind == YN_SCALAR) {
            kv->value = keep(ld, v->s);
            kv->raw = scalar_span(ld, v, &kv->vloc);
        }
    }
}

const struct gha_kv *gha_kvs_get(const struct gha_kvs *kvs, const char *key)
{
    for (size_t i = 0; kvs && i < kvs->len; i++)
        if (strcmp(kvs->items[i].key, key) == 0)
            return &kvs->items[i];
    return NULL;
}

static void perms_load(struct ld *ld, struct gha_perms *out, const struct ypair *p)
{
    if (!p)
        return;
    out->present = 1;
    out->loc = loc_of(p->key);
    if (p->val && p->val->kind == YN_SCALAR)
        out->all = keep(ld, p->val->s);
    else if (yml_is_map(p->val) && p->val->len == 0)
        out->all = "{}";
    else if (!p->val || p->val->kind == YN_NULL)
        out->all = "{}";
    else
        kvs_load(ld, &out->scopes, p->val);
}

/* ---- uses ---- */

static const char *const ref_kind_names[] = {
    [GHA_REF_NONE] = "none",   [GHA_REF_SHA] = "sha",         [GHA_REF_SHORT_SHA] = "short-sha",
    [GHA_REF_TAG] = "tag",     [GHA_REF_BRANCH] = "branch",   [GHA_REF_DOCKER] = "docker",
    [GHA_REF_LOCAL] = "local", [GHA_REF_EXPR] = "expression",
};

const char *gha_ref_kind_name(enum gha_ref_kind k)
{
    return (size_t)k < ARRAY_LEN(ref_kind_names) ? ref_kind_names[k] : "?";
}

/* v1, 1.2.3, v2.0.0-rc.1: a version tag rather than a branch name. */
static int looks_like_version(const char *r)
{
    if (*r == 'v' || *r == 'V')
        r++;
    if (*r < '0' || *r > '9')
        return 0;
    while ((*r >= '0' && *r <= '9') || *r == '.')
        r++;
    return *r == '\0' || *r == '-' || *r == '+';
}

static enum gha_ref_kind ref_classify(const char *ref)
{
    size_t n = strlen(ref);
    if (strstr(ref, "${{"))
        return GHA_REF_EXPR;
    if (n == 40 && str_is_hex(ref, n))
        return GHA_REF_SHA;
    if (n >= 7 && n < 40 && str_is_hex(ref, n))
        return GHA_REF_SHORT_SHA;
    if (looks_like_version(ref))
        return GHA_REF_TAG;
    return GHA_REF_BRANCH;
}

static int is_workflow_path(const char *p)
{
    return p && (str_endswith(p, ".yml") || str_endswith(p, ".yaml"));
}

/* gha_uses_parse, with each string stored once per file when `strs` is given. */
static void uses_parse(struct gha_uses *out, struct arena *a, struct strmap *strs,
                       const char *raw)
{
    memset(out, 0, sizeof(*out));
    if (!raw)
        return;
    out->raw = dup_n(a, strs, raw, strlen(raw));
    if (str_startswith(raw, "docker://")) {
        out->kind = GHA_REF_DOCKER;
        out->path = out->raw + 9;
        return;
    }
    if (str_startswith(raw, "./") || str_startswith(raw, "../") || strcmp(raw, ".") == 0) {
        out->kind = GHA_REF_LOCAL;
        out->path = out->raw;
        out->reusable = is_workflow_path(raw);
        return;
    }
    const char *at = strchr(raw, '@');
    size_t left = at ? (size_t)(at - raw) : strlen(raw);
    const char *slash = memchr(raw, '/', left);
    if (slash) {
        out->owner = dup_n(a, strs, raw, (size_t)(slash - raw));
        const char *rs = slash + 1;
        const char *s2 = memchr(rs, '/', (size_t)(raw + left - rs));
        out->repo = dup_n(a, strs, rs, (size_t)((s2 ? s2 : raw + left) - rs));
        if (s2 && s2 + 1 < raw + left)
            out->path = dup_n(a, strs, s2 + 1, (size_t)(raw + left - s2 - 1));
    } else {
        out->repo = dup_n(a, strs, raw, left);
    }
    out->reusable = is_workflow_path(out->path);
    if (strstr(raw, "${{")) {
        out->kind = GHA_REF_EXPR;
        if (at)
            out->ref = out->raw + (at + 1 - raw);
        return;
    }
    if (!at) {
        out->kind = GHA_REF_NONE;
        return;
    }
    out->ref = out->raw + (at + 1 - raw); /* a suffix of raw */
    out->kind = ref_classify(out->ref);
}

void gha_uses_parse(struct gha_uses *out, struct arena *a, const char *raw)
{
    uses_parse(out, a, NULL, raw);
}

/* ---- triggers ---- */

static const char *const known_events[] = {
    "branch_protection_rule",
    "check_run",
    "check_suite",
    "create",
    "delete",
    "deployment",
    "deployment_status",
    "discussion",
    "discussion_comment",
    "fork",
    "gollum",
    "image_version",
    "issue_comment",
    "issues",
    "label",
    "merge_group",
    "milestone",
    "page_build",
    "project",
    "project_card",
    "project_column",
    "public",
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
    "pull_request_target",
    "push",
    "registry_package",
    "release",
    "repository_dispatch",
    "schedule",
    "status",
    "watch",
    "workflow_call",
    "workflow_dispatch",
    "workflow_run",
    NULL,
};

static void filters_add(struct ld *ld, struct vec *v, const struct ynode *n)
{
    size_t k;
    const char **l = list_copy(ld, n, &k, NULL);
    for (size_t i = 0; i < k; i++)
        vec_push(v, (void *)l[i]);
}

static const char **vec_to_list(struct ld *ld, struct vec *v, size_t *count)
{
    if (!v->len) {
        *count = 0;
        vec_release(v);
        return no_strings;
    }
    const char **out = arena_alloc(ld->a, (v->len + 1) * sizeof(*out));
    for (size_t i = 0; i < v->len; i++)
        out[i] = v->items[i];
    *count = v->len;
    vec_release(v);
    return out;
}

static void inputs_load(struct ld *ld, struct gha_trigger *t, const struct ynode *inputs)
{
    if (!yml_is_map(inputs))
        return;
    kvs_load(ld, &t->inputs, inputs);
    for (size_t i = 0; i < t->inputs.len; i++) {
        const struct ynode *def = inputs->pairs[i].val;
        const char *type = yml_str(yml_get(def, "type"));
        t->inputs.items[i].value = keep(ld, type ? type : "string");
        t->inputs.items[i].raw = NULL;
    }
}

static void trigger_load(struct ld *ld, struct gha_trigger *t, const struct ynode *key,
                         const struct ynode *val)
{
    t->event = keep(ld, key->s);
    t->loc = loc_of(key);
    if (!in_list(t->event, known_events))
        problem(ld, key, "'%s' is not an event GitHub knows", t->event);
    struct vec br = VEC_INIT;
    filters_add(ld, &br, yml_get(val, "branches"));
    filters_add(ld, &br, yml_get(val, "tags"));
    t->branches = vec_to_list(ld, &br, &t->nbranches);
    inputs_load(ld, t, yml_get(val, "inputs"));
    size_t nc = yml_is_seq(val) ? val->len : 0;
    t->crons = nc ? arena_alloc(ld->a, (nc + 1) * sizeof(*t->crons)) : no_strings;
    t->cron_locs = nc ? arena_alloc(ld->a, (nc + 1) * sizeof(*t->cron_locs)) : no_locs;
    if (strcmp(t->event, "schedule") == 0 && !yml_is_seq(val))
        problem(ld, key, "schedule: needs a list of '- cron:' entries");
    for (size_t i = 0; i < nc; i++) {
        const struct ynode *c = yml_get(val->items[i], "cron");
        if (!c || c->kind != YN_SCALAR) {
            problem(ld, val->items[i], "a schedule entry needs a 'cron:' string");
            continue;
        }
        t->cron_locs[t->ncrons] = loc_of(c);
        t->crons[t->ncrons++] = keep(ld, c->s);
    }
}

static void triggers_load(struct ld *ld, struct gha_workflow *wf, const struct ypair *on)
{
    const struct ynode *v = on->val;
    size_t cap = v && (v->kind == YN_SEQ || v->kind == YN_MAP) ? v->len : 1;
    wf->triggers = arena_alloc(ld->a, (cap ? cap : 1) * sizeof(*wf->triggers));
    if (v && v->kind == YN_SCALAR) {
        trigger_load(ld, &wf->triggers[wf->ntriggers++], v, NULL);
    } else if (yml_is_seq(v)) {
        for (size_t i = 0; i < v->len; i++)
            if (v->items[i]->kind == YN_SCALAR)
                trigger_load(ld, &wf->triggers[wf->ntriggers++], v->items[i], NULL);
    } else if (yml_is_map(v)) {
        for (size_t i = 0; i < v->len; i++)
            if (v->pairs[i].key->kind == YN_SCALAR)
                trigger_load(ld, &wf->triggers[wf->ntriggers++], v->pairs[i].key, v->pairs[i].val);
    }
    size_t valid = 0;
    for (size_t i = 0; i < wf->ntriggers; i++)
        valid += in_list(wf->triggers[i].event, known_events);
    if (!valid)
        problem(ld, on->key, "on: names no event that can start the workflow");
}

int gha_workflow_has_trigger(const struct gha_workflow *wf, const char *event)
{
    for (size_t i = 0; i < wf->ntriggers; i++)
        if (strcmp(wf->triggers[i].event, event) == 0)
            return 1;
    return 0;
}

/* ---- steps ---- */

static const char *const step_keys[] = {
    "id",
    "if",
    "name",
    "uses",
    "run",
    "working-directory",
    "shell",
    "with",
    "env",
    "continue-on-error",
    "timeout-minutes",
    NULL,
};

static struct gha_step *step_load(struct ld *ld, const struct ynode *n)
{
    struct gha_step *st = arena_alloc(ld->a, sizeof(*st));
    st->loc = loc_of(n);
    if (!yml_is_map(n)) {
        problem(ld, n, "a step must be a mapping");
        return st;
    }
    keys_check(ld, n, step_keys, "a step");
    st->id = str_copy(ld, yml_get(n, "id"));
    st->name = str_copy(ld, yml_get(n, "name"));
    const struct ynode *cond = yml_get(n, "if");
    st->if_cond = str_copy(ld, cond);
    st->if_loc = loc_of(cond);
    st->shell = str_copy(ld, yml_get(n, "shell"));
    const struct ypair *uses = yml_get_pair(n, "uses");
    const struct ypair *run = yml_get_pair(n, "run");
    if (uses) {
        st->uses_loc = loc_of(uses->key);
        uses_parse(&st->uses, ld->a, &ld->strs, yml_str(uses->val));
        if (!st->uses.raw)
            problem(ld, uses->key, "uses: needs an action reference");
        else if (st->uses.kind == GHA_REF_NONE)
            problem(ld, uses->val, "uses: '%s' has no @ref (GitHub requires one)", st->uses.raw);
    }
    if (run) {
        const struct ynode *v = run->val;
        if (v && v->kind == YN_SCALAR)
            run_load(ld, st, v);
        else
            problem(ld, run->key, "run: must be a string");
    }
    if (uses && run)
        problem(ld, n, "a step has both uses: and run:");
    else if (!uses && !run)
        problem(ld, n, "a step needs uses: or run:");
    kvs_load(ld, &st->with, yml_get(n, "with"));
    kvs_load(ld, &st->env, yml_get(n, "env"));
    return st;
}

static void steps_load(struct ld *ld, struct gha_job *job, const struct ynode *steps)
{
    if (!steps)
        return;
    if (!yml_is_seq(steps)) {
        problem(ld, steps, "steps: must be a list");
        return;
    }
    job->steps = arena_alloc(ld->a, (steps->len + 1) * sizeof(*job->steps));
    for (size_t i = 0; i < steps->len; i++)
        job->steps[job->nsteps++] = step_load(ld, steps->items[i]);
}

/* ---- jobs ---- */

static const char *const job_keys[] = {
    "name",
    "permissions",
    "needs",
    "if",
    "runs-on",
    "snapshot",
    "environment",
    "concurrency",
    "outputs",
    "env",
    "defaults",
    "steps",
    "timeout-minutes",
    "strategy",
    "continue-on-error",
    "container",
    "services",
    "uses",
    "with",
    "secrets",
    NULL,
};

static void runs_on_load(struct ld *ld, struct gha_job *job, const struct ynode *n)
{
    if (!n)
        return;
    job->runs_on_loc = loc_of(n);
    const struct ynode *labels = n;
    if (yml_is_map(n))
        labels = yml_get(n, "labels");
    size_t k;
    const char **l = list_copy(ld, labels, &k, NULL);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < k; i++) {
        if (i)
            sb_addc(&sb, ',');
        sb_adds(&sb, l[i]);
    }
    job->runs_on = keep(ld, sb_str(&sb));
    sb_release(&sb);
}

/* credentials.password when it is a literal (an expression is how it should be done). */
static const char *literal_password(struct ld *ld, const struct ynode *creds, struct loc *at)
{
    const struct ynode *pw = yml_get(creds, "password");
    if (!pw || pw->kind != YN_SCALAR || !pw->len || strstr(pw->s, "${{"))
        return NULL;
    *at = loc_of(pw);
    if (pw->quoted && !pw->block)
        at->col++;
    return keep(ld, pw->s);
}

/* The empty containers and call every job without them shares (never written). */
static const struct gha_containers no_containers;
static const struct gha_call no_call;

static struct gha_job *job_new(struct ld *ld)
{
    struct gha_job *job = arena_alloc(ld->a, sizeof(*job));
    job->needs = no_strings;
    job->containers = &no_containers;
    job->call = &no_call;
    return job;
}

static void container_load(struct ld *ld, struct gha_containers *c, const struct ynode *n)
{
    if (!n)
        return;
    c->container_loc = loc_of(n);
    const struct ynode *img = n->kind == YN_SCALAR ? n : yml_get(n, "image");
    c->container_image = str_copy(ld, img);
    if (img)
        c->container_loc = loc_of(img);
    const struct ynode *creds = yml_get(n, "credentials");
    c->container_password = literal_password(ld, creds, &c->container_password_loc);
}

static void services_load(struct ld *ld, struct gha_containers *c, const struct ynode *n)
{
    if (!yml_is_map(n))
        return;
    size_t cap = n->len + 1;
    c->service_images = arena_alloc(ld->a, cap * sizeof(*c->service_images));
    c->service_locs = arena_alloc(ld->a, cap * sizeof(*c->service_locs));
    c->service_passwords = arena_alloc(ld->a, cap * sizeof(*c->service_passwords));
    c->service_password_locs = arena_alloc(ld->a, cap * sizeof(*c->service_password_locs));
    for (size_t i = 0; i < n->len; i++) {
        const struct ynode *svc = n->pairs[i].val;
        const struct ynode *img = svc && svc->kind == YN_SCALAR ? svc : yml_get(svc, "image");
        size_t k = c->nservices++;
        c->service_images[k] = str_copy(ld, img);
        c->service_locs[k] = loc_of(img ? img : n->pairs[i].key);
        c->service_passwords[k] =
            literal_password(ld, yml_get(svc, "credentials"), &c->service_password_locs[k]);
    }
}

/* uses:, secrets: and with: of a job. */
static void call_load(struct ld *ld, struct gha_job *job, const struct ynode *n,
                      const struct ypair *uses)
{
    const struct ypair *secrets = yml_get_pair(n, "secrets");
    const struct ynode *with = yml_get(n, "with");
    if (!uses && !secrets && !with)
        return;
    struct gha_call *c = arena_alloc(ld->a, sizeof(*c));
    job->call = c;
    if (uses) {
        c->uses_loc = loc_of(uses->key);
        uses_parse(&c->uses, ld->a, &ld->strs, yml_str(uses->val));
        c->uses.reusable = 1;
    }
    if (secrets) {
        c->secrets_loc = loc_of(secrets->key);
        const char *s = yml_str(secrets->val);
        c->secrets_inherit = s && strcmp(s, "inherit") == 0;
        if (s && !c->secrets_inherit)
            problem(ld, secrets->val, "secrets: must be 'inherit' or a mapping");
        kvs_load(ld, &c->secrets, secrets->val);
    }
    kvs_load(ld, &c->with, with);
}

static struct gha_job *job_load(struct ld *ld, const struct ynode *key, const struct ynode *n)
{
    struct gha_job *job = job_new(ld);
    job->id = keep(ld, key->kind == YN_SCALAR ? key->s : "");
    job->loc = loc_of(key);
    if (!yml_is_map(n)) {
        problem(ld, key, "job '%s' must be a mapping", job->id);
        return job;
    }
    keys_check(ld, n, job_keys, "a job");
    job->name = str_copy(ld, yml_get(n, "name"));
    const struct ynode *needs = yml_get(n, "needs");
    if (needs) {
        size_t k;
        job->needs = list_copy(ld, needs, &k, &job->needs_loc);
        job->nneeds = (unsigned)k;
    }
    runs_on_load(ld, job, yml_get(n, "runs-on"));
    const struct ynode *env = yml_get(n, "environment");
    if (env) {
        job->environment_loc = loc_of(env);
        job->environment = str_copy(ld, env->kind == YN_MAP ? yml_get(env, "name") : env);
        job->environment_url = str_copy(ld, yml_get(env, "url"));
        if (!job->environment)
            job->environment = "";
    }
    perms_load(ld, &job->perms, yml_get_pair(n, "permissions"));
    const struct ynode *cond = yml_get(n, "if");
    job->if_cond = str_copy(ld, cond);
    job->if_loc = loc_of(cond);
    const struct ynode *conc = yml_get(n, "concurrency");
    job->concurrency = str_copy(ld, conc && conc->kind == YN_MAP ? yml_get(conc, "group") : conc);
    job->has_timeout = yml_get_pair(n, "timeout-minutes") != NULL;
    const struct ynode *ctr = yml_get(n, "container"), *svcs = yml_get(n, "services");
    if (ctr || yml_is_map(svcs)) {
        struct gha_containers *c = arena_alloc(ld->a, sizeof(*c));
        container_load(ld, c, ctr);
        services_load(ld, c, svcs);
        job->containers = c;
    }
    const struct ypair *uses = yml_get_pair(n, "uses");
    call_load(ld, job, n, uses);
    kvs_load(ld, &job->env, yml_get(n, "env"));
    kvs_load(ld, &job->outputs, yml_get(n, "outputs"));
    steps_load(ld, job, yml_get(n, "steps"));
    if (uses && (yml_get(n, "steps") || yml_get(n, "runs-on")))
        problem(ld, uses->key,
                "a job that calls a reusable workflow cannot have steps: or "
                "runs-on:");
    else if (!uses && !yml_get(n, "runs-on"))
        problem(ld, key, "job '%s' has no runs-on:", job->id);
    else if (!uses && !yml_get(n, "steps"))
        problem(ld, key, "job '%s' has no steps:", job->id);
    return job;
}

/* ---- documents ---- */

static const char *const workflow_keys[] = {
    "name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs", NULL,
};
static const char *const action_keys[] = {
    "name", "author", "description", "inputs", "outputs", "runs", "branding", NULL,
};

static void workflow_body(struct ld *ld, struct gha_workflow *wf, const struct ynode *root)
{
    keys_check(ld, root, workflow_keys, "a workflow");
    const struct ypair *on = yml_get_pair(root, "on");
    if (on)
        triggers_load(ld, wf, on);
    else
        problem(ld, root, "a workflow needs on:");
    perms_load(ld, &wf->perms, yml_get_pair(root, "permissions"));
    const struct ynode *conc = yml_get(root, "concurrency");
    wf->concurrency = str_copy(ld, conc && conc->kind == YN_MAP ? yml_get(conc, "group") : conc);
    kvs_load(ld, &wf->env, yml_get(root, "env"));
    const struct ynode *jobs = yml_get(root, "jobs");
    if (!yml_is_map(jobs) || jobs->len == 0) {
        problem(ld, jobs ? jobs : root, "a workflow needs a jobs: mapping with a job");
        wf->jobs = arena_alloc(ld->a, sizeof(*wf->jobs));
        return;
    }
    wf->jobs = arena_alloc(ld->a, (jobs->len + 1) * sizeof(*wf->jobs));
    for (size_t i = 0; i < jobs->len; i++)
        wf->jobs[wf->njobs++] = job_load(ld, jobs->pairs[i].key, jobs->pairs[i].val);
}

static void action_body(struct ld *ld, struct gha_workflow *wf, const struct ynode *root)
{
    keys_check(ld, root, action_keys, "an action");
    const struct ypair *runs = yml_get_pair(root, "runs");
    wf->jobs = arena_alloc(ld->a, 2 * sizeof(*wf->jobs));
    if (!yml_str(yml_get(runs ? runs->val : NULL, "using")))
        problem(ld, runs ? runs->key : root, "an action needs runs.using");
    const struct ynode *steps = yml_get(runs ? runs->val : NULL, "steps");
    if (!steps)
        return;
    for (size_t i = 0; yml_is_seq(steps) && i < steps->len; i++)
        if (yml_get(steps->items[i], "run") && !yml_get(steps->items[i], "shell"))
            problem(ld, steps->items[i], "a run step of a composite action needs shell:");
    struct gha_job *job = job_new(ld);
    job->id = "steps";
    job->loc = loc_of(runs->key);
    steps_load(ld, job, steps);
    wf->jobs[wf->njobs++] = job;
}

/* A file GitHub would read as a workflow or action that holds no mapping at all (empty, a
 * list, a bare string): one workflow entity carrying that problem, so it is reported. */
static void not_a_workflow(struct ld *ld, const struct yfile *yf)
{
    struct gha_workflow *wf = arena_alloc(ld->a, sizeof(*wf));
    wf->path = ld->u->file->path;
    wf->is_action = ld->u->kind == FK_ACTION;
    wf->loc.line = 1;
    wf->loc.col = 1;
    wf->jobs = arena_alloc(ld->a, sizeof(*wf->jobs));
    wf->problems = arena_alloc(ld->a, sizeof(*wf->problems));
    const struct ynode *root = yf->ndocs ? yf->docs[0].root : NULL;
    wf->problems[0].msg = wf->is_action ? "an action file must be a mapping with runs:"
                                        : "a workflow file must be a mapping with on: and jobs:";
    wf->problems[0].loc.line = root ? root->line : 1;
    wf->problems[0].loc.col = root ? root->col : 1;
    wf->nproblems = 1;
    vec_push(&ld->u->workflows, wf);
}

void gha_load(struct unit *u, const struct yfile *yf, const char *data, size_t len)
{
    struct ld ld = {.u = u, .a = u->arena, .data = data, .len = len};
    lines_index(&ld);
    size_t before = u->workflows.len;
    int broken = 0;
    for (size_t i = 0; i < u->diags.v.len; i++)
        broken |= strcmp(((struct finding *)u->diags.v.items[i])->rule_id, "parse-error") == 0;
    for (size_t d = 0; d < yf->ndocs; d++) {
        const struct ynode *root = yf->docs[d].root;
        if (!yml_is_map(root))
            continue;
        struct gha_workflow *wf = arena_alloc(ld.a, sizeof(*wf));
        wf->path = u->file->path;
        wf->is_action = u->kind == FK_ACTION;
        wf->name = str_copy(&ld, yml_get(root, "name"));
        wf->loc.line = yf->docs[d].line;
        wf->loc.col = 1;
        if (wf->is_action)
            action_body(&ld, wf, root);
        else
            workflow_body(&ld, wf, root);
        /* The document a syntax error cut short is incomplete, not invalid: its parse-error
         * is the finding. */
        int cut = broken && d == yf->ndocs - 1;
        wf->problems = arena_alloc(ld.a, (ld.problems.len + 1) * sizeof(*wf->problems));
        for (size_t i = 0; i < ld.problems.len; i++) {
            if (!cut)
                wf->problems[wf->nproblems++] = *(struct gha_problem *)ld.problems.items[i];
            free(ld.problems.items[i]);
        }
        ld.problems.len = 0;
        vec_push(&u->workflows, wf);
    }
    if (u->workflows.len == before && !broken)
        not_a_workflow(&ld, yf);
    vec_release(&ld.problems);
    strmap_release(&ld.strs);
    free(ld.lines);
}

const struct gha_job *gha_job_find(const struct gha_workflow *wf, const char *id)
{
    for (size_t i = 0; i < wf->njobs; i++)
        if (strcmp(wf->jobs[i]->id, id) == 0)
            return wf->jobs[i];
    return NULL;
}
