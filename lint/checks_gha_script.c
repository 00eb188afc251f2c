/* GitHub Actions checks that read inside values: `${{ … }}` expressions (script injection,
 * the whole secrets context) and the command lines of run scripts (insecure workflow
 * commands, writes to GITHUB_ENV, curl piped into a shell). Positions come from each value's
 * source text, so findings point at the expression or command itself. */
#include "checks_gha.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- expressions ---- */

/* Untrusted contexts from GitHub's security hardening guide (and the same fields of events
 * that carry them under another name); '*' matches one path segment. */
static const char *const untrusted[] = {
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.head_commit.committer.email",
    "github.event.head_commit.committer.name",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.pull_request.labels.*.name",
    "github.event.issue.labels.*.name",
    "github.event.label.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.head_ref",
    NULL,
};

/* Normalises a context reference: lower case, [0] and ['x'] as .* and .x. */
static void ref_normalise(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 < cap; i++) {
        char c = s[i];
        if (c == '[') {
            size_t j = i + 1;
            if (j < n && (s[j] == '\'' || s[j] == '"')) {
                char q = s[j++];
                out[k++] = '.';
                while (j < n && s[j] != q && k + 3 < cap)
                    out[k++] = (char)tolower((unsigned char)s[j++]);
                while (j < n && s[j] != ']')
                    j++;
            } else {
                out[k++] = '.';
                out[k++] = '*';
                while (j < n && s[j] != ']')
                    j++;
            }
            i = j;
            continue;
        }
        out[k++] = (char)tolower((unsigned char)c);
    }
    out[k] = '\0';
}

/* 1 when reference r is the untrusted path p or an object that contains it (whole
 * github.event.pull_request, say). */
static int ref_matches(const char *r, const char *p)
{
    while (*r && *p) {
        size_t rn = strcspn(r, "."), pn = strcspn(p, ".");
        if (!(pn == 1 && *p == '*') && !(rn == 1 && *r == '*') &&
            (rn != pn || strncmp(r, p, rn) != 0))
            return 0;
        r += rn;
        p += pn;
        if (*r == '.')
            r++;
        if (*p == '.')
            p++;
        if (!*r)
            return 1;
    }
    return !*r && !*p;
}

static int ref_untrusted(const char *r)
{
    int segs = 1;
    for (const char *p = r; *p; p++)
        segs += *p == '.';
    if (segs < 2)
        return 0;
    for (const char *const *p = untrusted; *p; p++)
        if (ref_matches(r, *p))
            return 1;
    return 0;
}

/* Calls fn for each context reference (github.x.y, env.X, inputs.y, secrets[…]) in the
 * expression [s, s+n). Stops and returns 1 when fn does. */
typedef int (*ref_fn)(const char *ref, void *ud);

static int expr_refs(const char *s, size_t n, ref_fn fn, void *ud)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\'') {
            i++;
            while (i < n && s[i] != '\'')
                i++;
            i++;
            continue;
        }
        if (!isalpha((unsigned char)s[i]) ||
            (i && (lint_gha_ident_char(s[i - 1]) || s[i - 1] == '.'))) {
            i++;
            continue;
        }
        size_t st = i;
        while (i < n && (lint_gha_ident_char(s[i]) || s[i] == '.' || s[i] == '*' || s[i] == '[')) {
            if (s[i] == '[') {
                while (i < n && s[i] != ']')
                    i++;
            }
            i++;
        }
        if (i > n)
            i = n;
        char ref[256];
        ref_normalise(ref, sizeof(ref), s + st, i - st);
        if (i < n && s[i] == '(')
            continue; /* a function name */
        if (fn(ref, ud))
            return 1;
    }
    return 0;
}

/* Calls fn for each ${{ … }} in text; positions via gha_text_loc. */
typedef void (*expr_fn)(struct lint_ctx *ctx, const char *expr, size_t n, struct loc at, void *ud);

static void exprs_each(struct lint_ctx *ctx, const char *raw, struct loc start, expr_fn fn,
                       void *ud)
{
    for (const char *p = raw ? strstr(raw, "${{") : NULL; p; p = strstr(p + 3, "${{")) {
        const char *e = strstr(p + 3, "}}");
        size_t n = e ? (size_t)(e - (p + 3)) : strlen(p + 3);
        fn(ctx, p + 3, n, gha_text_loc(start, raw, (size_t)(p - raw)), ud);
        if (!e)
            break;
    }
}

/* ---- gha-script-injection ---- */

struct inj {
    const struct gha_workflow *wf;
    const struct gha_job *job;
    const struct gha_step *step;
    const char *found; /* the first untrusted reference */
    char buf[256];
    int depth;
};

static int ref_untrusted_in(const char *ref, struct inj *in);
static int expr_boolean(const char *e, size_t n);

/* 1 when an expression ${{ … }} of the text `v` has a reference fn accepts; with
 * `skip_boolean`, comparisons (which yield only true or false) do not count. */
static int value_refs(const char *v, int skip_boolean, ref_fn fn, void *ud)
{
    for (const char *p = v ? strstr(v, "${{") : NULL; p; p = strstr(p + 3, "${{")) {
        const char *e = strstr(p + 3, "}}");
        size_t n = e ? (size_t)(e - (p + 3)) : strlen(p + 3);
        if (!(skip_boolean && expr_boolean(p + 3, n)) && expr_refs(p + 3, n, fn, ud))
            return 1;
    }
    return 0;
}

/* 1 when `name` is set in kvs from an untrusted context, 0 when set otherwise, -1 when kvs
 * does not set it (a wider scope decides). */
static int env_value_untrusted(const struct gha_kvs *kvs, const char *name, struct inj *in)
{
    for (size_t i = 0; kvs && i < kvs->len; i++) {
        if (strcasecmp(kvs->items[i].key, name) != 0)
            continue;
        return kvs->items[i].value &&
               value_refs(kvs->items[i].value, 0, (ref_fn)ref_untrusted_in, in);
    }
    return -1;
}

static int dispatch_input_untrusted(const struct gha_workflow *wf, const char *name)
{
    for (size_t t = 0; t < wf->ntriggers; t++) {
        if (strcmp(wf->triggers[t].event, "workflow_dispatch") != 0)
            continue;
        const struct gha_kv *kv = gha_kvs_get(&wf->triggers[t].inputs, name);
        if (kv && kv->value && strcmp(kv->value, "string") == 0)
            return 1;
    }
    return 0;
}

static int ref_untrusted_in(const char *ref, struct inj *in)
{
    if (ref_untrusted(ref)) {
        if (!in->found) {
            snprintf(in->buf, sizeof(in->buf), "%s", ref);
            in->found = in->buf;
        }
        return 1;
    }
    const char *input = str_startswith(ref, "inputs.")                ? ref + 7
                        : str_startswith(ref, "github.event.inputs.") ? ref + 20
                                                                      : NULL;
    if (input && !strchr(input, '.') && dispatch_input_untrusted(in->wf, input)) {
        if (!in->found) {
            snprintf(in->buf, sizeof(in->buf), "%s (a free-text workflow_dispatch input)", ref);
            in->found = in->buf;
        }
        return 1;
    }
    if (str_startswith(ref, "env.") && in->depth < 2) {
        const char *name = ref + 4;
        in->depth++;
        /* The innermost scope that sets the variable decides: a step's static value hides
         * the job's untrusted one, as the runner resolves it. */
        int bad = env_value_untrusted(in->step ? &in->step->env : NULL, name, in);
        if (bad < 0)
            bad = env_value_untrusted(&in->job->env, name, in);
        if (bad < 0)
            bad = env_value_untrusted(&in->wf->env, name, in);
        bad = bad > 0;
        in->depth--;
        if (bad) {
            snprintf(in->buf, sizeof(in->buf), "%s (set from an untrusted context)", ref);
            in->found = in->buf;
        }
        return bad;
    }
    return 0;
}

/* 1 when an expression can only yield true or false (a comparison or a contains() test
 * with no && or ||, which return an operand): nothing of the value reaches the script. */
static int expr_boolean(const char *e, size_t n)
{
    int cmp = 0;
    size_t i = 0;
    while (i < n && (e[i] == ' ' || e[i] == '!'))
        i++;
    if ((n - i >= 9 && strncasecmp(e + i, "contains(", 9) == 0) ||
        (n - i >= 11 && strncasecmp(e + i, "startsWith(", 11) == 0) ||
        (n - i >= 9 && strncasecmp(e + i, "endsWith(", 9) == 0))
        cmp = 1;
    for (i = 0; i < n; i++) {
        if (e[i] == '\'') {
            while (++i < n && e[i] != '\'')
                ;
            continue;
        }
        if ((e[i] == '&' || e[i] == '|') && i + 1 < n && e[i + 1] == e[i])
            return 0;
        if (e[i] == '<' || e[i] == '>' || (e[i] == '=' && i + 1 < n && e[i + 1] == '='))
            cmp = 1;
        if (e[i] == '!' && i + 1 < n && e[i + 1] == '=')
            cmp = 1;
    }
    return cmp;
}

static void inj_expr(struct lint_ctx *ctx, const char *expr, size_t n, struct loc at, void *ud)
{
    struct inj *in = ud;
    in->found = NULL;
    if (expr_boolean(expr, n) || !expr_refs(expr, n, (ref_fn)ref_untrusted_in, in))
        return;
    lint_report(ctx, at.line, at.col, in->step && in->step->name ? in->step->name : in->job->id,
                "'%s' is expanded into the script before it runs: whoever controls it can run "
                "commands; pass it through env: and use the variable",
                in->found);
}

void lint_gha_check_script_injection(struct lint_ctx *ctx)
{
    struct strbuf sb = STRBUF_INIT;
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                struct inj in = {.wf = wf, .job = job, .step = st};
                const char *src = gha_step_run_source(st, &sb);
                if (src)
                    exprs_each(ctx, src, (struct loc){st->run_line, st->run_col}, inj_expr, &in);
                const struct gha_kv *script = gha_kvs_get(&st->with, "script");
                if (script && lint_gha_uses_is(&st->uses, "actions", "github-script"))
                    exprs_each(ctx, script->raw, script->vloc, inj_expr, &in);
            }
        }
    }
    sb_release(&sb);
}

/* ---- gha-script-injection across files: inputs of local actions and workflows ---- */

/* An input of a local composite action or reusable workflow that a caller fills from an
 * untrusted context. */
struct tainted {
    const struct unit *target;
    const char *input;
    const struct unit *caller;
    struct loc at;            /* the caller's with: value */
    char ref[256];            /* the untrusted reference it passes */
};

/* The unit a local `uses:` names among one root's units by path: a composite action's folder
 * (its action.yml or action.yaml) or a reusable workflow's file. Local paths are relative to
 * the repository's root, whatever the calling file. */
static const struct unit *local_target(const struct strmap *paths, const struct gha_uses *u)
{
    if (u->kind != GHA_REF_LOCAL || !u->path)
        return NULL;
    char *p = path_normalize(u->path);
    const struct unit *t = NULL;
    if (u->reusable) {
        t = strmap_get(paths, p);
    } else {
        static const char *const names[] = {"action.yml", "action.yaml"};
        for (size_t i = 0; !t && i < ARRAY_LEN(names); i++) {
            char *f = *p ? xasprintf("%s/%s", p, names[i]) : xstrdup(names[i]);
            t = strmap_get(paths, f);
            free(f);
        }
    }
    free(p);
    return t;
}

/* A reference to one of a target's tainted inputs, and the first one found. */
struct input_hit {
    const struct vec *ts;
    const struct tainted *hit;
};

static int input_ref(const char *ref, void *ud)
{
    struct input_hit *q = ud;
    for (size_t i = 0; str_startswith(ref, "inputs.") && i < q->ts->len; i++) {
        const struct tainted *t = q->ts->items[i];
        if (strcmp(ref + 7, t->input) == 0) {
            q->hit = t;
            return 1;
        }
    }
    return 0;
}

/* 1 when a with: value passes on a reference fn accepts (not a comparison's result). */
static int with_taint(const struct gha_kv *kv, ref_fn fn, void *ud)
{
    return value_refs(kv->raw ? kv->raw : kv->value, 1, fn, ud);
}

/* Adds the taint of input `input` of `target` unless it is known: the first caller wins,
 * and a chain of actions that call each other ends. */
static void tainted_push(struct vec *ts, const struct unit *target, const char *input,
                         const struct unit *caller, struct loc at, const char *ref)
{
    for (size_t i = 0; i < ts->len; i++) {
        const struct tainted *t = ts->items[i];
        if (t->target == target && strcmp(t->input, input) == 0)
            return;
    }
    struct tainted *t = xcalloc(1, sizeof(*t));
    *t = (struct tainted){target, input, caller, at, {0}};
    snprintf(t->ref, sizeof(t->ref), "%s", ref);
    vec_push(ts, t);
}

/* One pass over the local calls of a unit: what taints the inputs it passes. */
struct taint_pass {
    struct vec *ts;
    const struct unit *caller;
    const struct tainted *from;   /* NULL: untrusted contexts; else this input of the caller */
};

static void call_taint(const struct unit *target, const struct gha_kvs *with, struct inj *in,
                       struct taint_pass *tp)
{
    for (size_t i = 0; i < with->len; i++) {
        const struct gha_kv *kv = &with->items[i];
        if (!tp->from) {
            in->found = NULL;
            if (with_taint(kv, (ref_fn)ref_untrusted_in, in))
                tainted_push(tp->ts, target, kv->key, tp->caller, kv->vloc, in->found);
            continue;
        }
        const struct tainted *one[] = {tp->from};
        const struct vec from = {(void **)one, 1, 1};
        struct input_hit q = {&from, NULL};
        if (with_taint(kv, input_ref, &q)) {
            char ref[256];
            snprintf(ref, sizeof(ref), "inputs.%.60s, which carries %.160s", tp->from->input,
                     tp->from->ref);
            tainted_push(tp->ts, target, kv->key, tp->caller, kv->vloc, ref);
        }
    }
}

/* call_taint for each local action step and local reusable-workflow call of `u`. */
static void calls_taint(const struct unit *u, const struct strmap *paths, struct taint_pass *tp)
{
    for (size_t w = 0; w < u->workflows.len; w++) {
        const struct gha_workflow *wf = u->workflows.items[w];
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            struct inj in = {.wf = wf, .job = job};
            const struct unit *t = local_target(paths, &job->call->uses);
            if (t)
                call_taint(t, &job->call->with, &in, tp);
            for (size_t s = 0; s < job->nsteps; s++) {
                in.step = job->steps[s];
                if ((t = local_target(paths, &in.step->uses)) != NULL)
                    call_taint(t, &in.step->with, &in, tp);
            }
        }
    }
}

static void input_expr(struct lint_ctx *ctx, const char *expr, size_t n, struct loc at, void *ud)
{
    struct input_hit q = {ud, NULL};
    if (expr_boolean(expr, n) || !expr_refs(expr, n, input_ref, &q))
        return;
    const struct tainted *t = q.hit;
    lint_report_at(ctx, t->target, at.line, at.col, NULL,
                   "'inputs.%s' is expanded into the script before it runs, and %s:%d passes "
                   "it '%s': whoever controls that can run commands; pass it through env: and "
                   "use the variable",
                   t->input, t->caller->file->display, t->at.line, t->ref);
}

/* Where a target expands its tainted inputs `ts` into a script: run: and github-script's
 * script:, in every job of a reusable workflow or the steps of a composite action. Called
 * once a target, so each place is reported once, naming the first caller. */
static void target_check(struct lint_ctx *ctx, const struct unit *target, const struct vec *ts)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t w = 0; w < target->workflows.len; w++) {
        const struct gha_workflow *wf = target->workflows.items[w];
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                const char *src = gha_step_run_source(st, &sb);
                if (src)
                    exprs_each(ctx, src, (struct loc){st->run_line, st->run_col}, input_expr,
                               (void *)ts);
                const struct gha_kv *script = gha_kvs_get(&st->with, "script");
                if (script && lint_gha_uses_is(&st->uses, "actions", "github-script"))
                    exprs_each(ctx, script->raw, script->vloc, input_expr, (void *)ts);
            }
        }
    }
    sb_release(&sb);
}

/* One scan root: local uses resolve among its files. */
static void inputs_check_root(struct model *m, void *arg)
{
    struct lint_ctx *ctx = arg;
    struct strmap paths = STRMAP_INIT;
    struct vec tainted = VEC_INIT;
    for (size_t i = 0; i < m->units.len; i++) {
        const struct unit *u = m->units.items[i];
        if (u->workflows.len)
            strmap_put(&paths, u->file->path, (void *)u);
    }
    for (size_t i = 0; paths.len && i < m->units.len; i++) {
        struct taint_pass tp = {&tainted, m->units.items[i], NULL};
        calls_taint(tp.caller, &paths, &tp);
    }
    /* An action that passes a tainted input of its own on to another local action or
     * workflow taints that one's input too (each taint once, so a cycle ends). */
    for (size_t i = 0; i < tainted.len; i++) {
        const struct tainted *t = tainted.items[i];
        struct taint_pass tp = {&tainted, t->target, t};
        calls_taint(t->target, &paths, &tp);
    }
    /* Each target once, with every input its callers taint. */
    for (size_t i = 0; i < tainted.len; i++) {
        const struct tainted *t = tainted.items[i];
        int first = 1;
        for (size_t k = 0; first && k < i; k++)
            first = ((const struct tainted *)tainted.items[k])->target != t->target;
        if (!first)
            continue;
        struct vec same = VEC_INIT;
        for (size_t k = i; k < tainted.len; k++)
            if (((const struct tainted *)tainted.items[k])->target == t->target)
                vec_push(&same, tainted.items[k]);
        target_check(ctx, t->target, &same);
        vec_release(&same);
    }
    for (size_t i = 0; i < tainted.len; i++)
        free(tainted.items[i]);
    vec_release(&tainted);
    strmap_release(&paths);
}

void lint_gha_check_input_injection(struct lint_ctx *ctx)
{
    /* inputs_check_root reads the model and changes nothing of it. */
    model_for_each_root((struct model *)ctx->model, inputs_check_root, ctx);
}

/* ---- texts: every scalar value with its position ---- */

typedef void (*text_fn)(struct lint_ctx *ctx, const char *raw, struct loc at, void *ud);

static void kvs_texts(struct lint_ctx *ctx, const struct gha_kvs *kvs, text_fn fn, void *ud)
{
    for (size_t i = 0; i < kvs->len; i++)
        if (kvs->items[i].raw)
            fn(ctx, kvs->items[i].raw, kvs->items[i].vloc, ud);
}

static void texts_each(struct lint_ctx *ctx, const struct gha_workflow *wf, text_fn fn, void *ud)
{
    struct strbuf sb = STRBUF_INIT;
    kvs_texts(ctx, &wf->env, fn, ud);
    for (size_t j = 0; j < wf->njobs; j++) {
        const struct gha_job *job = wf->jobs[j];
        if (job->if_cond)
            fn(ctx, job->if_cond, job->if_loc, ud);
        kvs_texts(ctx, &job->env, fn, ud);
        kvs_texts(ctx, &job->call->with, fn, ud);
        kvs_texts(ctx, &job->call->secrets, fn, ud);
        kvs_texts(ctx, &job->outputs, fn, ud);
        for (size_t s = 0; s < job->nsteps; s++) {
            const struct gha_step *st = job->steps[s];
            if (st->if_cond)
                fn(ctx, st->if_cond, st->if_loc, ud);
            const char *src = gha_step_run_source(st, &sb);
            if (src)
                fn(ctx, src, (struct loc){st->run_line, st->run_col}, ud);
            kvs_texts(ctx, &st->with, fn, ud);
            kvs_texts(ctx, &st->env, fn, ud);
        }
    }
    sb_release(&sb);
}

/* ---- gha-whole-secrets-context ---- */

static void whole_secrets_expr(struct lint_ctx *ctx, const char *e, size_t n, struct loc at,
                               void *ud)
{
    (void)ud;
    char buf[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof(buf); i++)
        if (e[i] != ' ' && e[i] != '\t')
            buf[k++] = (char)tolower((unsigned char)e[i]);
    buf[k] = '\0';
    const char *what = strstr(buf, "tojson(secrets)") ? "toJSON(secrets)"
                       : strstr(buf, "secrets[")      ? "secrets[…]"
                                                      : NULL;
    if (!what)
        return;
    lint_report(ctx, at.line, at.col, NULL,
                "%s hands every secret of the repository to this step; name the secrets it "
                "needs",
                what);
}

static void whole_secrets_text(struct lint_ctx *ctx, const char *raw, struct loc at, void *ud)
{
    exprs_each(ctx, raw, at, whole_secrets_expr, ud);
}

void lint_gha_check_whole_secrets(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        texts_each(ctx, wf, whole_secrets_text, NULL);
    }
}

/* ---- gha-insecure-commands ---- */

static void insecure_env(struct lint_ctx *ctx, const struct gha_kvs *env)
{
    const struct gha_kv *kv = gha_kvs_get(env, "ACTIONS_ALLOW_UNSECURE_COMMANDS");
    if (kv && kv->value && (strcasecmp(kv->value, "true") == 0 || strcmp(kv->value, "1") == 0))
        lint_report(ctx, kv->loc.line, kv->loc.col, kv->key,
                    "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env and add-path: any "
                    "output a step prints can then set variables and PATH for later steps");
}

static void insecure_line(struct lint_ctx *ctx, const char *line, struct loc at, void *ud)
{
    (void)ud;
    const char *cmd = strstr(line, "::set-env")    ? "::set-env"
                      : strstr(line, "::add-path") ? "::add-path"
                                                   : NULL;
    if (cmd)
        lint_report(ctx, at.line, at.col, cmd,
                    "the %s workflow command is disabled by GitHub for being injectable; write "
                    "to $GITHUB_ENV or $GITHUB_PATH instead",
                    cmd);
}

void lint_gha_check_insecure_commands(struct lint_ctx *ctx)
{
    struct strbuf sb = STRBUF_INIT;
    FOR_EACH_WF(ctx, wf)
    {
        insecure_env(ctx, &wf->env);
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            insecure_env(ctx, &job->env);
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                insecure_env(ctx, &st->env);
                lint_gha_script_lines(ctx, gha_step_run_source(st, &sb),
                                      (struct loc){st->run_line, st->run_col}, insecure_line, NULL);
            }
        }
    }
    sb_release(&sb);
}

/* ---- gha-github-env-write-privileged ---- */

static void env_write_line(struct lint_ctx *ctx, const char *line, struct loc at, void *ud)
{
    (void)ud;
    const char *var = strstr(line, "GITHUB_ENV")    ? "GITHUB_ENV"
                      : strstr(line, "GITHUB_PATH") ? "GITHUB_PATH"
                                                    : NULL;
    if (!var)
        return;
    if (!strchr(line, '>') && !strstr(line, "tee ") && !lint_gha_icontains(line, "Out-File") &&
        !lint_gha_icontains(line, "Add-Content"))
        return;
    lint_report(ctx, at.line, at.col, var,
                "writes to $%s in a workflow that runs on a privileged trigger: a value an "
                "attacker controls becomes an environment variable or PATH entry of every later "
                "step",
                var);
}

void lint_gha_check_github_env_write(struct lint_ctx *ctx)
{
    struct strbuf sb = STRBUF_INIT;
    FOR_EACH_WF(ctx, wf)
    {
        if (!lint_gha_privileged(wf))
            continue;
        for (size_t j = 0; j < wf->njobs; j++)
            for (size_t s = 0; s < wf->jobs[j]->nsteps; s++) {
                const struct gha_step *st = wf->jobs[j]->steps[s];
                lint_gha_script_lines(ctx, gha_step_run_source(st, &sb),
                                      (struct loc){st->run_line, st->run_col}, env_write_line,
                                      NULL);
            }
    }
    sb_release(&sb);
}

/* ---- gha-curl-pipe-shell ---- */

static int word_is_shell(const char *w)
{
    static const char *const shells[] = {"sh", "bash", "zsh", "dash", "ksh", NULL};
    const char *base = strrchr(w, '/');
    return lint_gha_in_list(base ? base + 1 : w, shells);
}

static int line_pipes_download(const char *line)
{
    char words[64][48];
    size_t n = lint_gha_words(line, words, 64);
    int fetched = 0;
    for (size_t i = 0; i < n; i++) {
        const char *w = words[i];
        if (strcmp(w, "curl") == 0 || strcmp(w, "wget") == 0 || str_endswith(w, "/curl") ||
            str_endswith(w, "/wget"))
            fetched = 1;
        if (fetched && strcmp(w, "|") == 0) {
            size_t k = i + 1;
            while (k < n && (strcmp(words[k], "sudo") == 0 || strcmp(words[k], "env") == 0 ||
                             words[k][0] == '-'))
                k++;
            if (k < n && word_is_shell(words[k]))
                return 1;
        }
        /* bash <(curl …) and sh -c "$(curl …)" */
        if (word_is_shell(w) && i + 1 < n) {
            for (size_t k = i + 1; k < n && k < i + 4; k++)
                if (strstr(words[k], "<(curl") || strstr(words[k], "<(wget") ||
                    strstr(words[k], "$(curl") || strstr(words[k], "$(wget"))
                    return 1;
        }
    }
    /* "curl …|sh" written without spaces around the pipe */
    const char *c = strstr(line, "curl ");
    if (!c)
        c = strstr(line, "wget ");
    for (const char *p = c ? strchr(c, '|') : NULL; p; p = strchr(p + 1, '|')) {
        if (p[1] == '|' || (p > line && p[-1] == '|'))
            continue;
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        if (str_startswith(q, "sudo "))
            q += 5;
        while (*q == ' ')
            q++;
        if ((str_startswith(q, "sh") || str_startswith(q, "bash")) &&
            !lint_gha_ident_char(q[str_startswith(q, "sh") ? 2 : 4]))
            return 1;
    }
    return 0;
}

static void curl_line(struct lint_ctx *ctx, const char *line, struct loc at, void *ud)
{
    (void)ud;
    if (line_pipes_download(line))
        lint_report(ctx, at.line, at.col, NULL,
                    "a script downloaded at run time is piped into a shell: whoever controls "
                    "that URL runs code with this job's token and secrets; download a pinned "
                    "version and verify its checksum");
}

void lint_gha_check_curl_pipe(struct lint_ctx *ctx)
{
    struct strbuf sb = STRBUF_INIT;
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++)
            for (size_t s = 0; s < wf->jobs[j]->nsteps; s++) {
                const struct gha_step *st = wf->jobs[j]->steps[s];
                lint_gha_script_lines(ctx, gha_step_run_source(st, &sb),
                                      (struct loc){st->run_line, st->run_col}, curl_line, NULL);
            }
    }
    sb_release(&sb);
}
