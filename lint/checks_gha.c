/* Built-in checks for GitHub Actions workflows and composite actions, one per rule of
 * policies/gha.yaml. They read the typed model (model/gha.h); positions inside scripts come
 * from each value's source text, so a finding points at the `${{ … }}` or the command line
 * itself rather than at the key that holds it. */
#include "checks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/gha.h"

#define FOR_EACH_WF(ctx, wf)                                                                  \
    for (size_t wf##_i = 0; wf##_i < (ctx)->unit->workflows.len; wf##_i++)                   \
        for (const struct gha_workflow *wf = (ctx)->unit->workflows.items[wf##_i]; wf; wf = NULL)

/* ---- shared predicates ---- */

static int in_whole(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int istarts(const char *s, const char *prefix)
{
    return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int icontains(const char *s, const char *needle)
{
    return s && str_icasestr(s, strlen(s), needle) != NULL;
}

static int uses_is(const struct gha_uses *u, const char *owner, const char *repo)
{
    return u->raw && u->owner && u->repo && strcasecmp(u->owner, owner) == 0 &&
           strcasecmp(u->repo, repo) == 0;
}

static int kv_is(const struct gha_kvs *kvs, const char *key, const char *value)
{
    const struct gha_kv *kv = gha_kvs_get(kvs, key);
    return kv && kv->value && strcasecmp(kv->value, value) == 0;
}

/* Triggers that run with a write token and secrets on events outsiders can cause. */
static int wf_privileged(const struct gha_workflow *wf)
{
    return gha_workflow_has_trigger(wf, "pull_request_target") ||
           gha_workflow_has_trigger(wf, "workflow_run");
}

/* Calls fn for each logical line of a script (backslash continuations joined, comments
 * skipped), with the line's start position. */
typedef void (*line_fn)(struct lint_ctx *ctx, const char *line, struct loc at, void *ud);

static void script_lines(struct lint_ctx *ctx, const char *raw, struct loc start, line_fn fn,
                         void *ud)
{
    if (!raw)
        return;
    struct strbuf sb = STRBUF_INIT;
    size_t off = 0, n = strlen(raw);
    struct loc at = start;
    int open = 0;
    while (off <= n) {
        const char *nl = memchr(raw + off, '\n', n - off);
        size_t end = nl ? (size_t)(nl - raw) : n;
        const char *s = raw + off;
        size_t len = end - off;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
            len--;
        size_t lead = 0;
        while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (!open) {
            at = gha_text_loc(start, raw, off + lead);
            sb_reset(&sb);
        }
        int comment = !open && lead < len && s[lead] == '#';
        open = !comment && len && s[len - 1] == '\\';
        if (!comment)
            sb_add(&sb, s, open ? len - 1 : len);
        if (!open && sb.len)
            fn(ctx, sb.buf, at, ud);
        if (!nl)
            break;
        off = end + 1;
    }
    if (open && sb.len)
        fn(ctx, sb.buf, at, ud);
    sb_release(&sb);
}

/* The whitespace-separated words of a command line (at most 64). */
static size_t words_split(const char *line, char words[][48], size_t max)
{
    size_t k = 0;
    while (*line && k < max) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line)
            break;
        size_t n = 0;
        while (line[n] && line[n] != ' ' && line[n] != '\t')
            n++;
        size_t c = n < 47 ? n : 47;
        memcpy(words[k], line, c);
        words[k][c] = '\0';
        k++;
        line += n;
    }
    return k;
}

static int word_ends_command(const char *w)
{
    return strcmp(w, "|") == 0 || strcmp(w, "||") == 0 || strcmp(w, "&&") == 0 ||
           strcmp(w, ";") == 0;
}

struct deploy_cmd {
    const char *tool, *verb, *verb2;
};

static const struct deploy_cmd deploy_cmds[] = {
    {"kubectl", "apply", NULL},  {"kubectl", "replace", NULL}, {"kubectl", "set", "image"},
    {"kubectl", "rollout", "restart"}, {"helm", "upgrade", NULL},  {"helm", "install", NULL},
    {"terraform", "apply", NULL}, {"terraform", "destroy", NULL}, {"argocd", "app", "sync"},
};

/* 1 when a command line deploys (kubectl apply, helm upgrade, terraform apply, argocd app
 * sync, …); a --dry-run is not a deploy. */
static int line_deploys(const char *line)
{
    if (strstr(line, "--dry-run"))
        return 0;
    char words[64][48];
    size_t n = words_split(line, words, 64);
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(words[i], '/');
        base = base ? base + 1 : words[i];
        for (size_t c = 0; c < ARRAY_LEN(deploy_cmds); c++) {
            if (strcmp(base, deploy_cmds[c].tool) != 0)
                continue;
            int verb = 0;
            for (size_t j = i + 1; j < n && !word_ends_command(words[j]); j++) {
                if (!verb && strcmp(words[j], deploy_cmds[c].verb) == 0)
                    verb = 1;
                else if (verb && (!deploy_cmds[c].verb2 ||
                                  strcmp(words[j], deploy_cmds[c].verb2) == 0))
                    return 1;
                else if (verb && words[j][0] != '-')
                    break;
            }
            if (verb && !deploy_cmds[c].verb2)
                return 1;
        }
    }
    return 0;
}

static void deploy_line_cb(struct lint_ctx *ctx, const char *line, struct loc at, void *ud)
{
    (void)ctx;
    (void)at;
    if (line_deploys(line))
        *(int *)ud = 1;
}

/* Actions that deploy somewhere by themselves. */
static const char *const deploy_actions[] = {
    "azure/k8s-deploy", "azure/webapps-deploy", "aws-actions/amazon-ecs-deploy-task-definition",
    "google-github-actions/deploy-cloudrun", "google-github-actions/deploy-appengine",
    "actions/deploy-pages", NULL,
};

static int step_deploy_action(const struct gha_step *st)
{
    for (const char *const *a = deploy_actions; *a; a++) {
        const char *slash = strchr(*a, '/');
        char owner[64];
        size_t n = (size_t)(slash - *a);
        memcpy(owner, *a, n);
        owner[n] = '\0';
        if (uses_is(&st->uses, owner, slash + 1))
            return 1;
    }
    return 0;
}

/* A job that deploys: its id starts with deploy or apply, or a step runs a deploy command. */
static int job_deploys(struct lint_ctx *ctx, const struct gha_job *job, int *by_command)
{
    int cmd = 0;
    for (size_t i = 0; i < job->nsteps; i++) {
        const struct gha_step *st = job->steps[i];
        if (st->run_raw)
            script_lines(ctx, st->run_raw, (struct loc){st->run_line, st->run_col},
                         deploy_line_cb, &cmd);
        if (step_deploy_action(st) && !uses_is(&st->uses, "actions", "deploy-pages"))
            cmd = 1;
    }
    if (by_command)
        *by_command = cmd;
    return cmd || istarts(job->id, "deploy") || istarts(job->id, "apply");
}

static int job_pages_only(const struct gha_job *job, int by_command)
{
    if (by_command)
        return 0;
    if (job->environment && strcmp(job->environment, "github-pages") == 0)
        return 1;
    for (size_t i = 0; i < job->nsteps; i++)
        if (uses_is(&job->steps[i]->uses, "actions", "deploy-pages"))
            return 1;
    return 0;
}

static int prod_word(const char *s)
{
    return icontains(s, "prod") || icontains(s, "live");
}

static int job_production(const struct gha_workflow *wf, const struct gha_job *job)
{
    if (prod_word(job->id) || prod_word(job->name) || prod_word(wf->name) ||
        prod_word(job->environment))
        return 1;
    for (size_t i = 0; i < job->nsteps; i++)
        if (job->steps[i]->run && icontains(job->steps[i]->run, "prod"))
            return 1;
    return 0;
}

/* ---- gha-action-not-pinned-to-sha ---- */

static int uses_unpinned(const struct gha_uses *u)
{
    if (!u->raw || !u->owner)
        return 0;
    if (strcasecmp(u->owner, "actions") == 0 || strcasecmp(u->owner, "github") == 0)
        return 0;
    return u->kind == GHA_REF_TAG || u->kind == GHA_REF_BRANCH || u->kind == GHA_REF_SHORT_SHA;
}

static void report_unpinned(struct lint_ctx *ctx, const struct gha_uses *u, struct loc at)
{
    static const char *const why[] = {
        [GHA_REF_TAG] = "a tag, which its owner can move",
        [GHA_REF_BRANCH] = "a branch, which changes with every push",
        [GHA_REF_SHORT_SHA] = "a short SHA, which GitHub resolves like a branch or tag name",
    };
    struct finding *f = lint_report(ctx, at.line, at.col, u->raw,
                                    "'%s' is pinned to %s; pin it to a full commit SHA", u->raw,
                                    why[u->kind]);
    if (u->kind == GHA_REF_BRANCH)
        f->raise = 1;
}

static void check_not_pinned(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (uses_unpinned(&job->uses))
                report_unpinned(ctx, &job->uses, job->uses_loc);
            for (size_t s = 0; s < job->nsteps; s++)
                if (uses_unpinned(&job->steps[s]->uses))
                    report_unpinned(ctx, &job->steps[s]->uses, job->steps[s]->uses_loc);
        }
    }
}

/* ---- gha-deploy-without-environment ---- */

static void check_deploy_env(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (wf->is_action)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (job->uses.raw || job->environment || !job_deploys(ctx, job, NULL))
                continue;
            struct finding *f =
                lint_report(ctx, job->loc.line, job->loc.col, job->id,
                            "job '%s' deploys but has no environment: no approval or "
                            "protection rule can gate it", job->id);
            if (job_production(wf, job))
                f->raise = 1;
        }
    }
}

/* ---- gha-default-permissions ---- */

static void check_default_perms(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (wf->is_action || wf->perms.present || !wf->njobs)
            continue;
        size_t covered = 0;
        for (size_t j = 0; j < wf->njobs; j++)
            covered += wf->jobs[j]->perms.present;
        if (covered == wf->njobs)
            continue;
        lint_report(ctx, 1, 1, wf->name,
                    "no top-level permissions: the GITHUB_TOKEN of %zu job(s) gets the "
                    "repository's default scopes", wf->njobs - covered);
    }
}

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

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
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
        if (!isalpha((unsigned char)s[i]) || (i && (ident_char(s[i - 1]) || s[i - 1] == '.'))) {
            i++;
            continue;
        }
        size_t st = i;
        while (i < n && (ident_char(s[i]) || s[i] == '.' || s[i] == '*' || s[i] == '[')) {
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
typedef void (*expr_fn)(struct lint_ctx *ctx, const char *expr, size_t n, struct loc at,
                        void *ud);

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
    const char *found;          /* the first untrusted reference */
    char buf[256];
    int depth;
};

static int ref_untrusted_in(const char *ref, struct inj *in);

static int env_value_untrusted(const struct gha_kvs *kvs, const char *name, struct inj *in)
{
    for (size_t i = 0; kvs && i < kvs->len; i++) {
        if (strcasecmp(kvs->items[i].key, name) != 0 || !kvs->items[i].value)
            continue;
        const char *v = kvs->items[i].value;
        for (const char *p = strstr(v, "${{"); p; p = strstr(p + 3, "${{")) {
            const char *e = strstr(p + 3, "}}");
            size_t n = e ? (size_t)(e - p - 3) : strlen(p + 3);
            if (expr_refs(p + 3, n, (ref_fn)ref_untrusted_in, in))
                return 1;
        }
        return 0;
    }
    return 0;
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
    const char *input = str_startswith(ref, "inputs.")              ? ref + 7
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
        int bad = env_value_untrusted(in->step ? &in->step->env : NULL, name, in) ||
                  env_value_untrusted(&in->job->env, name, in) ||
                  env_value_untrusted(&in->wf->env, name, in);
        in->depth--;
        if (bad) {
            snprintf(in->buf, sizeof(in->buf), "%s (set from an untrusted context)", ref);
            in->found = in->buf;
        }
        return bad;
    }
    return 0;
}

static void inj_expr(struct lint_ctx *ctx, const char *expr, size_t n, struct loc at, void *ud)
{
    struct inj *in = ud;
    in->found = NULL;
    if (!expr_refs(expr, n, (ref_fn)ref_untrusted_in, in))
        return;
    lint_report(ctx, at.line, at.col, in->step && in->step->name ? in->step->name : in->job->id,
                "'%s' is expanded into the script before it runs: whoever controls it can run "
                "commands; pass it through env: and use the variable",
                in->found);
}

static void check_script_injection(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                struct inj in = {.wf = wf, .job = job, .step = st};
                if (st->run_raw)
                    exprs_each(ctx, st->run_raw, (struct loc){st->run_line, st->run_col},
                               inj_expr, &in);
                const struct gha_kv *script = gha_kvs_get(&st->with, "script");
                if (script && uses_is(&st->uses, "actions", "github-script"))
                    exprs_each(ctx, script->raw, script->vloc, inj_expr, &in);
            }
        }
    }
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
    kvs_texts(ctx, &wf->env, fn, ud);
    for (size_t j = 0; j < wf->njobs; j++) {
        const struct gha_job *job = wf->jobs[j];
        if (job->if_cond)
            fn(ctx, job->if_cond, job->if_loc, ud);
        kvs_texts(ctx, &job->env, fn, ud);
        kvs_texts(ctx, &job->with, fn, ud);
        kvs_texts(ctx, &job->secrets, fn, ud);
        kvs_texts(ctx, &job->outputs, fn, ud);
        for (size_t s = 0; s < job->nsteps; s++) {
            const struct gha_step *st = job->steps[s];
            if (st->if_cond)
                fn(ctx, st->if_cond, st->if_loc, ud);
            if (st->run_raw)
                fn(ctx, st->run_raw, (struct loc){st->run_line, st->run_col}, ud);
            kvs_texts(ctx, &st->with, fn, ud);
            kvs_texts(ctx, &st->env, fn, ud);
        }
    }
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
                "needs", what);
}

static void whole_secrets_text(struct lint_ctx *ctx, const char *raw, struct loc at, void *ud)
{
    exprs_each(ctx, raw, at, whole_secrets_expr, ud);
}

static void check_whole_secrets(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        texts_each(ctx, wf, whole_secrets_text, NULL);
    }
}

/* ---- gha-dangerous-trigger ---- */

static const char *const head_refs[] = {
    "github.event.pull_request.head.sha", "github.event.pull_request.head.ref",
    "github.head_ref", "refs/pull/", "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch", "pull_request.merge_commit_sha",
    "pull_request.head.repo.full_name", "workflow_run.head_repository", NULL,
};

static int mentions_head(const char *s)
{
    for (const char *const *p = head_refs; s && *p; p++)
        if (icontains(s, *p))
            return 1;
    return 0;
}

static int wf_checks_out_head(const struct gha_workflow *wf)
{
    for (size_t j = 0; j < wf->njobs; j++) {
        const struct gha_job *job = wf->jobs[j];
        for (size_t s = 0; s < job->nsteps; s++) {
            const struct gha_step *st = job->steps[s];
            if (uses_is(&st->uses, "actions", "checkout")) {
                const struct gha_kv *ref = gha_kvs_get(&st->with, "ref");
                const struct gha_kv *repo = gha_kvs_get(&st->with, "repository");
                if ((ref && mentions_head(ref->value)) || (repo && mentions_head(repo->value)))
                    return 1;
            }
            if (st->run && (icontains(st->run, "gh pr checkout") ||
                            (icontains(st->run, "git fetch") && mentions_head(st->run))))
                return 1;
        }
    }
    return 0;
}

static void check_dangerous_trigger(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        int head = -1;
        for (size_t t = 0; t < wf->ntriggers; t++) {
            const struct gha_trigger *tr = &wf->triggers[t];
            if (strcmp(tr->event, "pull_request_target") != 0 &&
                strcmp(tr->event, "workflow_run") != 0)
                continue;
            if (head < 0)
                head = wf_checks_out_head(wf);
            struct finding *f = lint_report(
                ctx, tr->loc.line, tr->loc.col, tr->event,
                head ? "%s runs with a write token and secrets, and this workflow checks out "
                       "the pull request's code: that code can steal them"
                     : "%s runs with a write token and secrets on events outsiders can cause; "
                       "never build or run the pull request's code here",
                tr->event);
            if (head)
                f->raise = 1;
        }
    }
}

/* ---- gha-write-all-permissions ---- */

static void report_write_all(struct lint_ctx *ctx, const struct gha_perms *p, const char *who)
{
    if (p->present && p->all && strcmp(p->all, "write-all") == 0)
        lint_report(ctx, p->loc.line, p->loc.col, who,
                    "permissions: write-all gives the token of %s every write scope; list only "
                    "the scopes it needs", who);
}

static void check_write_all(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        report_write_all(ctx, &wf->perms, "every job");
        for (size_t j = 0; j < wf->njobs; j++)
            report_write_all(ctx, &wf->jobs[j]->perms, wf->jobs[j]->id);
    }
}

/* ---- gha-secrets-inherit ---- */

static void check_secrets_inherit(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (!job->secrets_inherit)
                continue;
            int remote = job->uses.raw && job->uses.kind != GHA_REF_LOCAL;
            struct finding *f = lint_report(
                ctx, job->secrets_loc.line, job->secrets_loc.col, job->id,
                "secrets: inherit passes every secret of this repository to '%s'%s; pass the "
                "ones it uses by name",
                job->uses.raw ? job->uses.raw : job->id,
                remote ? ", a workflow in another repository" : "");
            if (remote)
                f->raise = 1;
        }
    }
}

/* ---- gha-checkout-persist-credentials ---- */

static int path_covers_workspace(const char *v)
{
    static const char *const whole[] = {
        ".", "./", "*", "./*", "**", "./**", "${{ github.workspace }}",
        "${{ github.workspace }}/", "${{github.workspace}}", NULL,
    };
    if (!v)
        return 1; /* upload-artifact needs a path; none given: be safe, not silent */
    char line[512];
    while (*v) {
        size_t n = strcspn(v, "\n");
        size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
        memcpy(line, v, k);
        line[k] = '\0';
        char *s = line;
        while (*s == ' ')
            s++;
        size_t l = strlen(s);
        while (l && s[l - 1] == ' ')
            s[--l] = '\0';
        if (in_whole(s, whole))
            return 1;
        v += n;
        if (*v)
            v++;
    }
    return 0;
}

static void check_persist_credentials(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        int privileged = wf_privileged(wf);
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                if (!uses_is(&st->uses, "actions", "checkout") ||
                    kv_is(&st->with, "persist-credentials", "false"))
                    continue;
                const char *why = privileged ? "runs on a privileged trigger" : NULL;
                for (size_t k = s + 1; !why && k < job->nsteps; k++) {
                    const struct gha_step *up = job->steps[k];
                    if ((uses_is(&up->uses, "actions", "upload-artifact") ||
                         uses_is(&up->uses, "actions", "upload-pages-artifact")) &&
                        path_covers_workspace(gha_kvs_get(&up->with, "path")
                                                  ? gha_kvs_get(&up->with, "path")->value
                                                  : NULL))
                        why = "later uploads the workspace, .git/config included, as an "
                              "artifact";
                }
                if (why)
                    lint_report(ctx, st->uses_loc.line, st->uses_loc.col, job->id,
                                "actions/checkout keeps the token in .git/config and this job "
                                "%s; set persist-credentials: false",
                                why);
            }
        }
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
    const char *cmd = strstr(line, "::set-env") ? "::set-env" : strstr(line, "::add-path")
                                                                    ? "::add-path"
                                                                    : NULL;
    if (cmd)
        lint_report(ctx, at.line, at.col, cmd,
                    "the %s workflow command is disabled by GitHub for being injectable; write "
                    "to $GITHUB_ENV or $GITHUB_PATH instead", cmd);
}

static void check_insecure_commands(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        insecure_env(ctx, &wf->env);
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            insecure_env(ctx, &job->env);
            for (size_t s = 0; s < job->nsteps; s++) {
                insecure_env(ctx, &job->steps[s]->env);
                script_lines(ctx, job->steps[s]->run_raw,
                             (struct loc){job->steps[s]->run_line, job->steps[s]->run_col},
                             insecure_line, NULL);
            }
        }
    }
}

/* ---- gha-github-env-write-privileged ---- */

static void env_write_line(struct lint_ctx *ctx, const char *line, struct loc at, void *ud)
{
    (void)ud;
    const char *var = strstr(line, "GITHUB_ENV") ? "GITHUB_ENV"
                      : strstr(line, "GITHUB_PATH") ? "GITHUB_PATH"
                                                    : NULL;
    if (!var)
        return;
    if (!strchr(line, '>') && !strstr(line, "tee ") && !icontains(line, "Out-File") &&
        !icontains(line, "Add-Content"))
        return;
    lint_report(ctx, at.line, at.col, var,
                "writes to $%s in a workflow that runs on a privileged trigger: a value an "
                "attacker controls becomes an environment variable or PATH entry of every later "
                "step", var);
}

static void check_github_env_write(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (!wf_privileged(wf))
            continue;
        for (size_t j = 0; j < wf->njobs; j++)
            for (size_t s = 0; s < wf->jobs[j]->nsteps; s++) {
                const struct gha_step *st = wf->jobs[j]->steps[s];
                script_lines(ctx, st->run_raw, (struct loc){st->run_line, st->run_col},
                             env_write_line, NULL);
            }
    }
}

/* ---- gha-container-image-unpinned ---- */

/* 1 when an image reference floats: no tag, or latest (or any tag without a digest when
 * digests are required). Expressions are not judged. */
static int image_floats(const char *img, int require_digest)
{
    if (!img || !*img || strstr(img, "${{"))
        return 0;
    if (strstr(img, "@sha256:"))
        return 0;
    if (require_digest)
        return 1;
    const char *last = strrchr(img, '/');
    const char *tag = strchr(last ? last : img, ':');
    return !tag || strcmp(tag + 1, "latest") == 0;
}

static void check_container_unpinned(struct lint_ctx *ctx)
{
    int dig = lint_param_int(ctx->rule, "require-digest", 0) != 0;
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (image_floats(job->container_image, dig))
                lint_report(ctx, job->container_loc.line, job->container_loc.col,
                            job->container_image,
                            "job container image '%s' has no fixed version; pin a tag and a "
                            "digest", job->container_image);
            for (size_t k = 0; k < job->nservices; k++)
                if (image_floats(job->service_images[k], dig))
                    lint_report(ctx, job->service_locs[k].line, job->service_locs[k].col,
                                job->service_images[k],
                                "service image '%s' has no fixed version; pin a tag and a "
                                "digest", job->service_images[k]);
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                if (st->uses.kind == GHA_REF_DOCKER && image_floats(st->uses.path, dig))
                    lint_report(ctx, st->uses_loc.line, st->uses_loc.col, st->uses.raw,
                                "step image '%s' has no fixed version; pin a tag and a digest",
                                st->uses.path);
            }
        }
    }
}

/* ---- gha-curl-pipe-shell ---- */

static int word_is_shell(const char *w)
{
    static const char *const shells[] = {"sh", "bash", "zsh", "dash", "ksh", NULL};
    const char *base = strrchr(w, '/');
    return in_whole(base ? base + 1 : w, shells);
}

static int line_pipes_download(const char *line)
{
    char words[64][48];
    size_t n = words_split(line, words, 64);
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
            !ident_char(q[str_startswith(q, "sh") ? 2 : 4]))
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

static void check_curl_pipe(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++)
            for (size_t s = 0; s < wf->jobs[j]->nsteps; s++) {
                const struct gha_step *st = wf->jobs[j]->steps[s];
                script_lines(ctx, st->run_raw, (struct loc){st->run_line, st->run_col},
                             curl_line, NULL);
            }
    }
}

/* ---- gha-self-hosted-runner-on-pr ---- */

static const char *const pr_events[] = {
    "pull_request", "pull_request_target", "pull_request_review",
    "pull_request_review_comment", "issue_comment", "discussion_comment", NULL,
};

static void check_self_hosted_pr(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        const char *ev = NULL;
        for (size_t t = 0; t < wf->ntriggers && !ev; t++)
            if (in_whole(wf->triggers[t].event, pr_events))
                ev = wf->triggers[t].event;
        if (!ev)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (!icontains(job->runs_on, "self-hosted"))
                continue;
            lint_report(ctx, job->runs_on_loc.line, job->runs_on_loc.col, job->id,
                        "job '%s' runs on a self-hosted runner in a workflow triggered by %s: "
                        "code from a fork's pull request runs on your machine and can persist "
                        "there", job->id, ev);
        }
    }
}

/* ---- gha-no-timeout ---- */

static void check_no_timeout(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (wf->is_action)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (job->has_timeout || job->uses.raw)
                continue;
            lint_report(ctx, job->loc.line, job->loc.col, job->id,
                        "job '%s' has no timeout-minutes: a hung step holds a runner for six "
                        "hours", job->id);
        }
    }
}

/* ---- gha-deploy-no-concurrency ---- */

static void check_deploy_concurrency(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (wf->is_action || wf->concurrency)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            int by_cmd = 0;
            if (job->concurrency || !job_deploys(ctx, job, &by_cmd) ||
                job_pages_only(job, by_cmd))
                continue;
            lint_report(ctx, job->loc.line, job->loc.col, job->id,
                        "deploy job '%s' has no concurrency group: two runs can deploy to the "
                        "same target at once and an older commit can finish last", job->id);
        }
    }
}

/* ---- gha-spoofable-bot-check ---- */

static int cond_checks_bot_actor(const char *c)
{
    if (!c)
        return 0;
    int actor = 0;
    for (const char *p = c; (p = strstr(p, "github.")) != NULL; p += 7) {
        const char *r = p + 7;
        size_t n = str_startswith(r, "actor") ? 5 : str_startswith(r, "triggering_actor") ? 16 : 0;
        if (n && !ident_char(r[n]))
            actor = 1;
    }
    return actor && icontains(c, "bot");
}

static void report_bot(struct lint_ctx *ctx, const struct gha_workflow *wf, const char *cond,
                       struct loc at, const char *who)
{
    if (!cond_checks_bot_actor(cond))
        return;
    struct finding *f = lint_report(
        ctx, at.line, at.col, who,
        "github.actor names whoever caused the latest event, not the author of the change: "
        "anyone can make a bot the actor; check github.event.pull_request.user.login");
    if (wf_privileged(wf))
        f->raise = 1;
}

static void check_spoofable_bot(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            report_bot(ctx, wf, job->if_cond, job->if_loc, job->id);
            for (size_t s = 0; s < job->nsteps; s++)
                report_bot(ctx, wf, job->steps[s]->if_cond, job->steps[s]->if_loc, job->id);
        }
    }
}

/* ---- gha-hardcoded-container-credentials ---- */

static void report_password(struct lint_ctx *ctx, const char *pw, struct loc at,
                            const char *what)
{
    if (!pw)
        return;
    struct finding *f = lint_report(ctx, at.line, at.col, what,
                                    "the %s registry password is written in the workflow; use "
                                    "${{ secrets.NAME }}", what);
    f->mask_col = at.col;
    f->mask_len = (int)strlen(pw);
}

static void check_container_credentials(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            report_password(ctx, job->container_password, job->container_password_loc,
                            "job container");
            for (size_t k = 0; k < job->nservices; k++)
                report_password(ctx, job->service_passwords[k], job->service_password_locs[k],
                                "service container");
        }
    }
}

/* ---- gha-unknown-needs ---- */

static int job_index(const struct gha_workflow *wf, const char *id)
{
    for (size_t i = 0; i < wf->njobs; i++)
        if (strcmp(wf->jobs[i]->id, id) == 0)
            return (int)i;
    return -1;
}

/* Depth-first walk over needs; an edge back to a job on the stack closes a cycle. */
static void needs_walk(struct lint_ctx *ctx, const struct gha_workflow *wf, size_t j,
                       unsigned char *state)
{
    state[j] = 1;
    const struct gha_job *job = wf->jobs[j];
    for (size_t k = 0; k < job->nneeds; k++) {
        int t = job_index(wf, job->needs[k]);
        if (t < 0)
            continue;
        if (state[t] == 1)
            lint_report(ctx, job->needs_loc[k].line, job->needs_loc[k].col, job->id,
                        "job '%s' needs '%s', which needs it back: the jobs wait on each other "
                        "and the workflow is rejected", job->id, job->needs[k]);
        else if (state[t] == 0)
            needs_walk(ctx, wf, (size_t)t, state);
    }
    state[j] = 2;
}

static void check_unknown_needs(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        if (!wf->njobs)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t k = 0; k < job->nneeds; k++)
                if (job_index(wf, job->needs[k]) < 0)
                    lint_report(ctx, job->needs_loc[k].line, job->needs_loc[k].col, job->id,
                                "job '%s' needs '%s', but no job has that id", job->id,
                                job->needs[k]);
        }
        unsigned char *state = xcalloc(wf->njobs, 1);
        for (size_t j = 0; j < wf->njobs; j++)
            if (!state[j])
                needs_walk(ctx, wf, j, state);
        free(state);
    }
}

/* ---- gha-invalid-workflow ---- */

struct cron_field {
    const char *name;
    int lo, hi;
    const char *const *names;   /* symbolic values, index + lo */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const struct cron_field cron_fields[5] = {
    {"minute", 0, 59, NULL},
    {"hour", 0, 23, NULL},
    {"day of month", 1, 31, NULL},
    {"month", 1, 12, month_names},
    {"day of week", 0, 6, day_names},
};

/* Parses one value of a cron field; -1 when it is not a number or name in range. */
static int cron_value(const struct cron_field *f, const char *s, size_t n)
{
    if (!n)
        return -1;
    if (f->names && n == 3) {
        for (int i = 0; f->names[i]; i++)
            if (strncasecmp(s, f->names[i], 3) == 0)
                return f->lo + i;
    }
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 1000)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= f->lo && v <= f->hi ? v : -1;
}

/* 0 when one comma-separated item (*, a, a-b, with an optional /step) is valid. */
static int cron_item(const struct cron_field *f, const char *s, size_t n)
{
    const char *slash = memchr(s, '/', n);
    size_t base = slash ? (size_t)(slash - s) : n;
    if (slash) {
        size_t sn = n - base - 1;
        int step = 0;
        if (!sn)
            return -1;
        for (size_t i = 0; i < sn; i++) {
            if (slash[1 + i] < '0' || slash[1 + i] > '9' || step > 1000)
                return -1;
            step = step * 10 + (slash[1 + i] - '0');
        }
        if (step < 1)
            return -1;
    }
    if (base == 1 && s[0] == '*')
        return 0;
    const char *dash = memchr(s, '-', base);
    if (!dash)
        return cron_value(f, s, base) < 0 ? -1 : 0;
    int a = cron_value(f, s, (size_t)(dash - s));
    int b = cron_value(f, dash + 1, base - (size_t)(dash - s) - 1);
    return a < 0 || b < 0 || a > b ? -1 : 0;
}

/* Validates a cron string; on failure writes why into msg and returns -1. */
static int cron_check(const char *cron, char *msg, size_t cap)
{
    char words[64][48];
    size_t n = words_split(cron, words, 64);
    if (n != 5) {
        snprintf(msg, cap, "cron '%.100s' has %zu fields; GitHub needs five (minute hour "
                           "day-of-month month day-of-week)", cron, n);
        return -1;
    }
    for (size_t i = 0; i < 5; i++) {
        const char *w = words[i];
        while (*w) {
            size_t k = strcspn(w, ",");
            if (cron_item(&cron_fields[i], w, k) != 0) {
                snprintf(msg, cap, "cron '%.100s': '%.40s' is not a valid %s (%d-%d)", cron, words[i],
                         cron_fields[i].name, cron_fields[i].lo, cron_fields[i].hi);
                return -1;
            }
            w += k;
            if (*w)
                w++;
            if (!*w && w[-1] == ',') {
                snprintf(msg, cap, "cron '%.100s': '%.40s' ends with a comma", cron, words[i]);
                return -1;
            }
        }
    }
    return 0;
}

static void check_invalid_workflow(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf) {
        for (size_t i = 0; i < wf->nproblems; i++)
            lint_report(ctx, wf->problems[i].loc.line, wf->problems[i].loc.col, NULL, "%s",
                        wf->problems[i].msg);
        for (size_t t = 0; t < wf->ntriggers; t++) {
            const struct gha_trigger *tr = &wf->triggers[t];
            for (size_t c = 0; c < tr->ncrons; c++) {
                char msg[300];
                if (cron_check(tr->crons[c], msg, sizeof(msg)) != 0)
                    lint_report(ctx, tr->cron_locs[c].line, tr->cron_locs[c].col, "schedule",
                                "%s", msg);
            }
        }
    }
}

#define GHA_KINDS (KIND(FK_WORKFLOW) | KIND(FK_ACTION))

const struct check_def lint_checks_gha[] = {
    {.name = "gha-action-not-pinned-to-sha", .kinds = GHA_KINDS, .on_unit = check_not_pinned},
    {.name = "gha-deploy-without-environment", .kinds = GHA_KINDS,
     .on_unit = check_deploy_env},
    {.name = "gha-default-permissions", .kinds = GHA_KINDS, .on_unit = check_default_perms},
    {.name = "gha-script-injection", .kinds = GHA_KINDS, .on_unit = check_script_injection},
    {.name = "gha-dangerous-trigger", .kinds = GHA_KINDS, .on_unit = check_dangerous_trigger},
    {.name = "gha-write-all-permissions", .kinds = GHA_KINDS, .on_unit = check_write_all},
    {.name = "gha-secrets-inherit", .kinds = GHA_KINDS, .on_unit = check_secrets_inherit},
    {.name = "gha-whole-secrets-context", .kinds = GHA_KINDS, .on_unit = check_whole_secrets},
    {.name = "gha-checkout-persist-credentials", .kinds = GHA_KINDS,
     .on_unit = check_persist_credentials},
    {.name = "gha-insecure-commands", .kinds = GHA_KINDS, .on_unit = check_insecure_commands},
    {.name = "gha-github-env-write-privileged", .kinds = GHA_KINDS,
     .on_unit = check_github_env_write},
    {.name = "gha-container-image-unpinned", .kinds = GHA_KINDS,
     .on_unit = check_container_unpinned},
    {.name = "gha-curl-pipe-shell", .kinds = GHA_KINDS, .on_unit = check_curl_pipe},
    {.name = "gha-self-hosted-runner-on-pr", .kinds = GHA_KINDS,
     .on_unit = check_self_hosted_pr},
    {.name = "gha-no-timeout", .kinds = GHA_KINDS, .on_unit = check_no_timeout},
    {.name = "gha-deploy-no-concurrency", .kinds = GHA_KINDS,
     .on_unit = check_deploy_concurrency},
    {.name = "gha-spoofable-bot-check", .kinds = GHA_KINDS, .on_unit = check_spoofable_bot},
    {.name = "gha-hardcoded-container-credentials", .kinds = GHA_KINDS,
     .on_unit = check_container_credentials},
    {.name = "gha-unknown-needs", .kinds = GHA_KINDS, .on_unit = check_unknown_needs},
    {.name = "gha-invalid-workflow", .kinds = GHA_KINDS, .on_unit = check_invalid_workflow},
    {0},
};
