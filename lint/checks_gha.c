/* Built-in checks for GitHub Actions workflows and composite actions, one per rule of
 * policies/gha.yaml. They read the typed model (model/gha.h); positions inside scripts come
 * from each value's source text, so a finding points at the `${{ … }}` or the command line
 * itself rather than at the key that holds it. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks_gha.h"

/* ---- shared predicates ---- */

int lint_gha_in_list(const char *s, const char *const *list)
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

int lint_gha_icontains(const char *s, const char *needle)
{
    return s && str_icasestr(s, strlen(s), needle) != NULL;
}

int lint_gha_uses_is(const struct gha_uses *u, const char *owner, const char *repo)
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
int lint_gha_privileged(const struct gha_workflow *wf)
{
    return gha_workflow_has_trigger(wf, "pull_request_target") ||
           gha_workflow_has_trigger(wf, "workflow_run");
}

int lint_gha_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Calls fn for each logical line of a script (backslash continuations joined, comments
 * skipped), with the line's start position. */
void lint_gha_script_lines(struct lint_ctx *ctx, const char *raw, struct loc start,
                           lint_gha_line_fn fn, void *ud)
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
size_t lint_gha_words(const char *line, char words[][48], size_t max)
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
    {"kubectl", "apply", NULL},        {"kubectl", "replace", NULL},   {"kubectl", "set", "image"},
    {"kubectl", "rollout", "restart"}, {"helm", "upgrade", NULL},      {"helm", "install", NULL},
    {"terraform", "apply", NULL},      {"terraform", "destroy", NULL}, {"argocd", "app", "sync"},
};

/* 1 when a command line deploys (kubectl apply, helm upgrade, terraform apply, argocd app
 * sync, …); a --dry-run is not a deploy. */
static int line_deploys(const char *line)
{
    if (strstr(line, "--dry-run"))
        return 0;
    char words[64][48];
    size_t n = lint_gha_words(line, words, 64);
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
                else if (verb &&
                         (!deploy_cmds[c].verb2 || strcmp(words[j], deploy_cmds[c].verb2) == 0))
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
    "azure/k8s-deploy",
    "azure/webapps-deploy",
    "aws-actions/amazon-ecs-deploy-task-definition",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-appengine",
    "actions/deploy-pages",
    NULL,
};

static int step_deploy_action(const struct gha_step *st)
{
    for (const char *const *a = deploy_actions; *a; a++) {
        const char *slash = strchr(*a, '/');
        char owner[64];
        size_t n = (size_t)(slash - *a);
        memcpy(owner, *a, n);
        owner[n] = '\0';
        if (lint_gha_uses_is(&st->uses, owner, slash + 1))
            return 1;
    }
    return 0;
}

/* A throwaway cluster on the runner (kind, minikube, k3d): applying to it tests, not deploys. */
static int job_local_cluster(const struct gha_job *job)
{
    static const char *const markers[] = {
        "kind create cluster", "minikube start", "k3d cluster create", "ctlptl create", NULL,
    };
    for (size_t i = 0; i < job->nsteps; i++) {
        const struct gha_step *st = job->steps[i];
        if (lint_gha_uses_is(&st->uses, "helm", "kind-action") ||
            lint_gha_uses_is(&st->uses, "medyagh", "setup-minikube") ||
            lint_gha_uses_is(&st->uses, "AbsaOSS", "k3d-action"))
            return 1;
        for (const char *const *m = markers; st->run && *m; m++)
            if (strstr(st->run, *m))
                return 1;
    }
    return 0;
}

/* A job that deploys: its id starts with deploy or apply, or a step runs a deploy command
 * (against something other than a cluster the job created on the runner). */
static int job_deploys(struct lint_ctx *ctx, const struct gha_job *job, int *by_command)
{
    int cmd = 0;
    size_t nsteps = job_local_cluster(job) ? 0 : job->nsteps;
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < nsteps; i++) {
        const struct gha_step *st = job->steps[i];
        lint_gha_script_lines(ctx, gha_step_run_source(st, &sb),
                              (struct loc){st->run_line, st->run_col}, deploy_line_cb, &cmd);
        if (step_deploy_action(st) && !lint_gha_uses_is(&st->uses, "actions", "deploy-pages"))
            cmd = 1;
    }
    sb_release(&sb);
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
        if (lint_gha_uses_is(&job->steps[i]->uses, "actions", "deploy-pages"))
            return 1;
    return 0;
}

static int job_production(const struct model *m, const struct gha_workflow *wf,
                          const struct gha_job *job)
{
    if (model_text_mentions_production(m, job->id) ||
        model_text_mentions_production(m, job->name) ||
        model_text_mentions_production(m, wf->name) ||
        model_text_mentions_production(m, job->environment))
        return 1;
    for (size_t i = 0; i < job->nsteps; i++)
        if (model_text_mentions_production(m, job->steps[i]->run))
            return 1;
    return 0;
}

/* ---- gha-action-not-pinned-to-sha ---- */

/* What `pins:` in the configuration asks of owner/repo: the value of the first glob that
 * matches it ("sha", "ref": a tag will do, "any"), else "sha": every action, GitHub's own
 * included, is pinned to a full commit SHA. */
static const char *pin_policy(const struct rule *r, const struct gha_uses *u)
{
    const struct ynode *pins = lint_param(r, "pins");
    char full[512];
    snprintf(full, sizeof(full), "%s/%s", u->owner, u->repo ? u->repo : "");
    for (size_t i = 0; pins && pins->kind == YN_MAP && i < pins->len; i++) {
        const char *glob = yml_str(pins->pairs[i].key), *mode = yml_str(pins->pairs[i].val);
        if (glob && mode && fnmatch(glob, full, FNM_CASEFOLD) == 0)
            return mode;
    }
    return "sha";
}

static int uses_unpinned(const struct rule *r, const struct gha_uses *u)
{
    if (!u->raw || !u->owner)
        return 0;
    const char *mode = pin_policy(r, u);
    if (strcmp(mode, "any") == 0)
        return 0;
    if (u->kind == GHA_REF_BRANCH || u->kind == GHA_REF_SHORT_SHA)
        return 1;
    return u->kind == GHA_REF_TAG && strcmp(mode, "ref") != 0;
}

static void report_unpinned(struct lint_ctx *ctx, const struct gha_uses *u, struct loc at)
{
    static const char *const why[] = {
        [GHA_REF_TAG] = "a tag, which its owner can move",
        [GHA_REF_BRANCH] = "a branch, which changes with every push",
        [GHA_REF_SHORT_SHA] = "a short SHA, which GitHub resolves like a branch or tag name",
    };
    struct finding *f =
        lint_report(ctx, at.line, at.col, u->raw,
                    "'%s' is pinned to %s; pin it to a full commit SHA", u->raw, why[u->kind]);
    if (u->kind == GHA_REF_BRANCH)
        lint_finding_escalate(f);
}

static void check_not_pinned(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (uses_unpinned(ctx->rule, &job->call->uses))
                report_unpinned(ctx, &job->call->uses, job->call->uses_loc);
            for (size_t s = 0; s < job->nsteps; s++)
                if (uses_unpinned(ctx->rule, &job->steps[s]->uses))
                    report_unpinned(ctx, &job->steps[s]->uses, job->steps[s]->uses_loc);
        }
    }
}

/* ---- gha-deploy-without-environment ---- */

static void check_deploy_env(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        if (wf->is_action)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (job->call->uses.raw || job->environment || !job_deploys(ctx, job, NULL))
                continue;
            struct finding *f =
                lint_report(ctx, job->loc.line, job->loc.col, job->id,
                            "job '%s' deploys but has no environment: no approval or "
                            "protection rule can gate it",
                            job->id);
            if (job_production(ctx->model, wf, job))
                lint_finding_escalate(f);
        }
    }
}

/* ---- gha-default-permissions ---- */

static void check_default_perms(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        if (wf->is_action || wf->perms.present || !wf->njobs)
            continue;
        size_t covered = 0;
        for (size_t j = 0; j < wf->njobs; j++)
            covered += wf->jobs[j]->perms.present;
        if (covered == wf->njobs)
            continue;
        lint_report(ctx, 1, 1, wf->name,
                    "no top-level permissions: the GITHUB_TOKEN of %zu job(s) gets the "
                    "repository's default scopes",
                    wf->njobs - covered);
    }
}

/* ---- gha-dangerous-trigger ---- */

static const char *const head_refs[] = {
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.head_ref",
    "refs/pull/",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "pull_request.merge_commit_sha",
    "pull_request.head.repo.full_name",
    "workflow_run.head_repository",
    NULL,
};

static int mentions_head(const char *s)
{
    for (const char *const *p = head_refs; s && *p; p++)
        if (lint_gha_icontains(s, *p))
            return 1;
    return 0;
}

static int wf_checks_out_head(const struct gha_workflow *wf)
{
    for (size_t j = 0; j < wf->njobs; j++) {
        const struct gha_job *job = wf->jobs[j];
        for (size_t s = 0; s < job->nsteps; s++) {
            const struct gha_step *st = job->steps[s];
            if (lint_gha_uses_is(&st->uses, "actions", "checkout")) {
                const struct gha_kv *ref = gha_kvs_get(&st->with, "ref");
                const struct gha_kv *repo = gha_kvs_get(&st->with, "repository");
                if ((ref && mentions_head(ref->value)) || (repo && mentions_head(repo->value)))
                    return 1;
            }
            if (st->run && (lint_gha_icontains(st->run, "gh pr checkout") ||
                            (lint_gha_icontains(st->run, "git fetch") && mentions_head(st->run))))
                return 1;
        }
    }
    return 0;
}

static void check_dangerous_trigger(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
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
                lint_finding_escalate(f);
        }
    }
}

/* ---- gha-write-all-permissions ---- */

static void report_write_all(struct lint_ctx *ctx, const struct gha_perms *p, const char *who)
{
    if (p->present && p->all && strcmp(p->all, "write-all") == 0)
        lint_report(ctx, p->loc.line, p->loc.col, who,
                    "permissions: write-all gives the token of %s every write scope; list only "
                    "the scopes it needs",
                    who);
}

static void check_write_all(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        report_write_all(ctx, &wf->perms, "every job");
        for (size_t j = 0; j < wf->njobs; j++)
            report_write_all(ctx, &wf->jobs[j]->perms, wf->jobs[j]->id);
    }
}

/* ---- gha-secrets-inherit ---- */

static void check_secrets_inherit(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (!job->call->secrets_inherit)
                continue;
            int remote = job->call->uses.raw && job->call->uses.kind != GHA_REF_LOCAL;
            struct finding *f = lint_report(
                ctx, job->call->secrets_loc.line, job->call->secrets_loc.col, job->id,
                "secrets: inherit passes every secret of this repository to '%s'%s; pass the "
                "ones it uses by name",
                job->call->uses.raw ? job->call->uses.raw : job->id,
                remote ? ", a workflow in another repository" : "");
            if (remote)
                lint_finding_escalate(f);
        }
    }
}

/* ---- gha-checkout-persist-credentials ---- */

static int path_covers_workspace(const char *v)
{
    static const char *const whole[] = {
        ".",
        "./",
        "*",
        "./*",
        "**",
        "./**",
        "${{ github.workspace }}",
        "${{ github.workspace }}/",
        "${{github.workspace}}",
        NULL,
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
        if (lint_gha_in_list(s, whole))
            return 1;
        v += n;
        if (*v)
            v++;
    }
    return 0;
}

/* 1 when an upload-artifact step includes hidden files, so .git/config goes into the
 * artifact: include-hidden-files: true, or a release before v4.4, which had no such filter.
 * A SHA pin says nothing about the version and is given the benefit of the doubt. */
static int artifact_keeps_hidden(const struct gha_step *st)
{
    if (kv_is(&st->with, "include-hidden-files", "true"))
        return 1;
    if (st->uses.kind != GHA_REF_TAG)
        return 0;
    const char *v = st->uses.ref + (*st->uses.ref == 'v' || *st->uses.ref == 'V');
    char *end = NULL;
    long major = strtol(v, &end, 10);
    long minor = end && *end == '.' ? strtol(end + 1, NULL, 10) : -1;
    return major < 4 || (major == 4 && minor >= 0 && minor < 4);
}

static int step_uploads_workspace(const struct gha_step *st)
{
    if (!lint_gha_uses_is(&st->uses, "actions", "upload-artifact") || !artifact_keeps_hidden(st))
        return 0;
    const struct gha_kv *path = gha_kvs_get(&st->with, "path");
    return path_covers_workspace(path ? path->value : NULL);
}

static void check_persist_credentials(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        int privileged = lint_gha_privileged(wf);
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            for (size_t s = 0; s < job->nsteps; s++) {
                const struct gha_step *st = job->steps[s];
                if (!lint_gha_uses_is(&st->uses, "actions", "checkout") ||
                    kv_is(&st->with, "persist-credentials", "false"))
                    continue;
                const char *why = privileged ? "runs on a privileged trigger" : NULL;
                for (size_t k = s + 1; !why && k < job->nsteps; k++)
                    if (step_uploads_workspace(job->steps[k]))
                        why = "later uploads the workspace, .git/config included, as an "
                              "artifact";
                if (why)
                    lint_report(ctx, st->uses_loc.line, st->uses_loc.col, job->id,
                                "actions/checkout keeps the token in .git/config and this job "
                                "%s; set persist-credentials: false",
                                why);
            }
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
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            const struct gha_containers *c = job->containers;
            if (image_floats(c->container_image, dig))
                lint_report(ctx, c->container_loc.line, c->container_loc.col, c->container_image,
                            "job container image '%s' has no fixed version; pin a tag and a "
                            "digest",
                            c->container_image);
            for (size_t k = 0; k < c->nservices; k++)
                if (image_floats(c->service_images[k], dig))
                    lint_report(ctx, c->service_locs[k].line, c->service_locs[k].col,
                                c->service_images[k],
                                "service image '%s' has no fixed version; pin a tag and a "
                                "digest",
                                c->service_images[k]);
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

/* ---- gha-self-hosted-runner-on-pr ---- */

static const char *const pr_events[] = {
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "discussion_comment",
    NULL,
};

static void check_self_hosted_pr(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        const char *ev = NULL;
        for (size_t t = 0; t < wf->ntriggers && !ev; t++)
            if (lint_gha_in_list(wf->triggers[t].event, pr_events))
                ev = wf->triggers[t].event;
        if (!ev)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (!lint_gha_icontains(job->runs_on, "self-hosted"))
                continue;
            lint_report(ctx, job->runs_on_loc.line, job->runs_on_loc.col, job->id,
                        "job '%s' runs on a self-hosted runner in a workflow triggered by %s: "
                        "code from a fork's pull request runs on your machine and can persist "
                        "there",
                        job->id, ev);
        }
    }
}

/* ---- gha-no-timeout ---- */

static void check_no_timeout(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        if (wf->is_action)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            if (job->has_timeout || job->call->uses.raw)
                continue;
            lint_report(ctx, job->loc.line, job->loc.col, job->id,
                        "job '%s' has no timeout-minutes: a hung step holds a runner for six "
                        "hours",
                        job->id);
        }
    }
}

/* ---- gha-deploy-no-concurrency ---- */

static void check_deploy_concurrency(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        if (wf->is_action || wf->concurrency)
            continue;
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            int by_cmd = 0;
            if (job->concurrency || !job_deploys(ctx, job, &by_cmd) || job_pages_only(job, by_cmd))
                continue;
            lint_report(ctx, job->loc.line, job->loc.col, job->id,
                        "deploy job '%s' has no concurrency group: two runs can deploy to the "
                        "same target at once and an older commit can finish last",
                        job->id);
        }
    }
}

/* ---- gha-spoofable-bot-check ---- */

/* 1 when the actor reference at [p, p+n) in condition c is trusted positively: compared
 * with == or tested with contains/startsWith/endsWith without a '!'. An actor != 'x[bot]'
 * that skips a bot trusts nobody. */
static int actor_trusted(const char *c, const char *p, size_t n)
{
    const char *r = p + n;
    while (*r == ' ')
        r++;
    if (r[0] == '=' && r[1] == '=')
        return 1;
    if (r[0] == '!' && r[1] == '=')
        return 0;
    const char *l = p;
    while (l > c && l[-1] == ' ')
        l--;
    if (l - c >= 2 && l[-1] == '=' && (l[-2] == '=' || l[-2] == '!'))
        return l[-2] == '=';
    if (l > c && l[-1] == '(') {
        const char *f = l - 1;
        while (f > c && isalpha((unsigned char)f[-1]))
            f--;
        int test = (l - 1 - f == 8 && strncasecmp(f, "contains", 8) == 0) ||
                   (l - 1 - f == 10 && strncasecmp(f, "startsWith", 10) == 0) ||
                   (l - 1 - f == 8 && strncasecmp(f, "endsWith", 8) == 0);
        return test && !(f > c && f[-1] == '!');
    }
    return 0;
}

static int cond_checks_bot_actor(const char *c)
{
    /* A bot's login ends in "[bot]" (dependabot[bot], renovate[bot]); 'notabot' is a user. */
    if (!c || !lint_gha_icontains(c, "[bot]"))
        return 0;
    for (const char *p = c; (p = strstr(p, "github.")) != NULL; p += 7) {
        const char *r = p + 7;
        size_t n = str_startswith(r, "actor") ? 5 : str_startswith(r, "triggering_actor") ? 16 : 0;
        if (n && !lint_gha_ident_char(r[n]) && actor_trusted(c, p, 7 + n))
            return 1;
    }
    return 0;
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
    if (lint_gha_privileged(wf))
        lint_finding_escalate(f);
}

static void check_spoofable_bot(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_job *job = wf->jobs[j];
            report_bot(ctx, wf, job->if_cond, job->if_loc, job->id);
            for (size_t s = 0; s < job->nsteps; s++)
                report_bot(ctx, wf, job->steps[s]->if_cond, job->steps[s]->if_loc, job->id);
        }
    }
}

/* ---- gha-hardcoded-container-credentials ---- */

static void report_password(struct lint_ctx *ctx, const char *pw, struct loc at, const char *what)
{
    if (!pw)
        return;
    struct finding *f = lint_report(ctx, at.line, at.col, what,
                                    "the %s registry password is written in the workflow; use "
                                    "${{ secrets.NAME }}",
                                    what);
    f->mask_col = at.col;
    f->mask_len = (int)strlen(pw);
}

static void check_container_credentials(struct lint_ctx *ctx)
{
    FOR_EACH_WF(ctx, wf)
    {
        for (size_t j = 0; j < wf->njobs; j++) {
            const struct gha_containers *c = wf->jobs[j]->containers;
            report_password(ctx, c->container_password, c->container_password_loc, "job container");
            for (size_t k = 0; k < c->nservices; k++)
                report_password(ctx, c->service_passwords[k], c->service_password_locs[k],
                                "service container");
        }
    }
}

#define GHA_KINDS (KIND(FK_WORKFLOW) | KIND(FK_ACTION))

const struct check_def lint_checks_gha[] = {
    {.name = "gha-action-not-pinned-to-sha", .kinds = GHA_KINDS, .on_unit = check_not_pinned},
    {.name = "gha-deploy-without-environment", .kinds = GHA_KINDS, .on_unit = check_deploy_env},
    {.name = "gha-default-permissions", .kinds = GHA_KINDS, .on_unit = check_default_perms},
    {.name = "gha-script-injection",
     .kinds = GHA_KINDS,
     .on_unit = lint_gha_check_script_injection,
     .on_model = lint_gha_check_input_injection},
    {.name = "gha-dangerous-trigger", .kinds = GHA_KINDS, .on_unit = check_dangerous_trigger},
    {.name = "gha-write-all-permissions", .kinds = GHA_KINDS, .on_unit = check_write_all},
    {.name = "gha-secrets-inherit", .kinds = GHA_KINDS, .on_unit = check_secrets_inherit},
    {.name = "gha-whole-secrets-context",
     .kinds = GHA_KINDS,
     .on_unit = lint_gha_check_whole_secrets},
    {.name = "gha-checkout-persist-credentials",
     .kinds = GHA_KINDS,
     .on_unit = check_persist_credentials},
    {.name = "gha-insecure-commands",
     .kinds = GHA_KINDS,
     .on_unit = lint_gha_check_insecure_commands},
    {.name = "gha-github-env-write-privileged",
     .kinds = GHA_KINDS,
     .on_unit = lint_gha_check_github_env_write},
    {.name = "gha-container-image-unpinned",
     .kinds = GHA_KINDS,
     .on_unit = check_container_unpinned},
    {.name = "gha-curl-pipe-shell", .kinds = GHA_KINDS, .on_unit = lint_gha_check_curl_pipe},
    {.name = "gha-self-hosted-runner-on-pr", .kinds = GHA_KINDS, .on_unit = check_self_hosted_pr},
    {.name = "gha-no-timeout", .kinds = GHA_KINDS, .on_unit = check_no_timeout},
    {.name = "gha-deploy-no-concurrency", .kinds = GHA_KINDS, .on_unit = check_deploy_concurrency},
    {.name = "gha-spoofable-bot-check", .kinds = GHA_KINDS, .on_unit = check_spoofable_bot},
    {.name = "gha-hardcoded-container-credentials",
     .kinds = GHA_KINDS,
     .on_unit = check_container_credentials},
    {.name = "gha-unknown-needs", .kinds = GHA_KINDS, .on_unit = lint_gha_check_unknown_needs},
    {.name = "gha-invalid-workflow",
     .kinds = GHA_KINDS,
     .on_unit = lint_gha_check_invalid_workflow},
    {0},
};
