/* GitHub Actions: the loader on tricky input (every form of on:, runs-on, environment,
 * needs; script positions in block and flow scalars; uses parsing) and, for every gha rule,
 * true positives at their exact line and near misses that must stay silent. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/gha.h"
#include "lint/config.h"
#include "testlib.h"

#define WF ".github/workflows/w.yml"

/* ---- uses parsing ---- */

struct uses_case {
    const char *raw;
    enum gha_ref_kind kind;
    const char *owner, *repo, *path, *ref;
    int reusable;
};

static const struct uses_case uses_cases[] = {
    {"actions/checkout@v4", GHA_REF_TAG, "actions", "checkout", NULL, "v4", 0},
    {"docker/login-action@343f7c4344506bcbf9b4de18042ae17996df046d", GHA_REF_SHA, "docker",
     "login-action", NULL, "343f7c4344506bcbf9b4de18042ae17996df046d", 0},
    {"docker/login-action@343f7c4", GHA_REF_SHORT_SHA, "docker", "login-action", NULL, "343f7c4",
     0},
    {"aquasecurity/trivy-action@0.17.0", GHA_REF_TAG, "aquasecurity", "trivy-action", NULL,
     "0.17.0", 0},
    {"acme/tools@main", GHA_REF_BRANCH, "acme", "tools", NULL, "main", 0},
    {"acme/tools@release/v1", GHA_REF_BRANCH, "acme", "tools", NULL, "release/v1", 0},
    {"github/codeql-action/upload-sarif@v3", GHA_REF_TAG, "github", "codeql-action", "upload-sarif",
     "v3", 0},
    {"acme/workflows/.github/workflows/deploy.yml@v2", GHA_REF_TAG, "acme", "workflows",
     ".github/workflows/deploy.yml", "v2", 1},
    {"./.github/actions/setup", GHA_REF_LOCAL, NULL, NULL, "./.github/actions/setup", NULL, 0},
    {"./.github/workflows/reuse.yml", GHA_REF_LOCAL, NULL, NULL, "./.github/workflows/reuse.yml",
     NULL, 1},
    {"docker://alpine:3.19", GHA_REF_DOCKER, NULL, NULL, "alpine:3.19", NULL, 0},
    {"acme/tools@${{ inputs.ref }}", GHA_REF_EXPR, "acme", "tools", NULL, "${{ inputs.ref }}", 0},
    {"acme/tools", GHA_REF_NONE, "acme", "tools", NULL, NULL, 0},
};

static void str_eq_or_null(const char *got, const char *want, const char *what, const char *raw)
{
    if (!want)
        cr_expect_null(got, "%s: %s should be NULL, is '%s'", raw, what, got);
    else
        cr_expect(got && strcmp(got, want) == 0, "%s: %s is '%s', want '%s'", raw, what,
                  got ? got : "(null)", want);
}

Test(gha, uses_is_parsed_into_parts_and_ref_kind)
{
    struct arena *a = arena_new();
    for (size_t i = 0; i < ARRAY_LEN(uses_cases); i++) {
        const struct uses_case *c = &uses_cases[i];
        struct gha_uses u;
        gha_uses_parse(&u, a, c->raw);
        cr_expect_eq(u.kind, c->kind, "%s: kind %s, want %s", c->raw, gha_ref_kind_name(u.kind),
                     gha_ref_kind_name(c->kind));
        str_eq_or_null(u.owner, c->owner, "owner", c->raw);
        str_eq_or_null(u.repo, c->repo, "repo", c->raw);
        str_eq_or_null(u.path, c->path, "path", c->raw);
        str_eq_or_null(u.ref, c->ref, "ref", c->raw);
        cr_expect_eq(u.reusable, c->reusable, "%s: reusable", c->raw);
    }
    cr_expect_str_eq(gha_ref_kind_name(GHA_REF_SHORT_SHA), "short-sha");
    arena_free(a);
}

/* ---- the loader ---- */

struct loaded {
    struct scan s;
    char *dir;
};

static const struct gha_workflow *load_one(struct loaded *l, const char *rel, const char *text)
{
    l->dir = t_tmpdir();
    t_write(l->dir, rel, text);
    t_scan(&l->s, l->dir);
    for (size_t i = 0; i < l->s.model.units.len; i++) {
        const struct unit *u = l->s.model.units.items[i];
        if (u->workflows.len)
            return u->workflows.items[0];
    }
    cr_assert_fail("no workflow loaded from %s", rel);
    return NULL;
}

static void loaded_release(struct loaded *l)
{
    lint_scan_release(&l->s);
    t_rmtree(l->dir);
    free(l->dir);
}

static const char wf_forms[] =
    "name: forms\n"                                                    /* 1 */
    "on:\n"                                                            /* 2 */
    "  push:\n"                                                        /* 3 */
    "    branches: [main, 'release/**']\n"                             /* 4 */
    "    tags: ['v*']\n"                                               /* 5 */
    "  pull_request:\n"                                                /* 6 */
    "    types: [opened, synchronize]\n"                               /* 7 */
    "  schedule:\n"                                                    /* 8 */
    "    - cron: '30 4 * * 1-5'\n"                                     /* 9 */
    "  workflow_dispatch:\n"                                           /* 10 */
    "    inputs:\n"                                                    /* 11 */
    "      target: {type: choice, options: [a, b]}\n"                  /* 12 */
    "      note: {description: free text}\n"                           /* 13 */
    "permissions: read-all\n"                                          /* 14 */
    "concurrency: {group: forms, cancel-in-progress: true}\n"          /* 15 */
    "jobs:\n"                                                          /* 16 */
    "  build:\n"                                                       /* 17 */
    "    runs-on: [self-hosted, linux]\n"                              /* 18 */
    "    timeout-minutes: 10\n"                                        /* 19 */
    "    container:\n"                                                 /* 20 */
    "      image: node:20\n"                                           /* 21 */
    "      credentials: {username: u, password: '${{ secrets.P }}'}\n" /* 22 */
    "    services:\n"                                                  /* 23 */
    "      db: {image: 'postgres:16'}\n"                               /* 24 */
    "    steps:\n"                                                     /* 25 */
    "      - name: block\n"                                            /* 26 */
    "        run: |\n"                                                 /* 27 */
    "          echo one\n"                                             /* 28 */
    "\n"                                                               /* 29 */
    "            echo two ${{ github.sha }}\n"                         /* 30 */
    "        env: {A: b}\n"                                            /* 31 */
    "      - run: \"echo quoted\"\n"                                   /* 32 */
    "      - run: echo plain\n"                                        /* 33 */
    "          continued\n"                                            /* 34 */
    "  deploy:\n"                                                      /* 35 */
    "    needs: build\n"                                               /* 36 */
    "    runs-on: {group: deployers, labels: [linux, x64]}\n"          /* 37 */
    "    environment: {name: production, url: 'https://x'}\n"          /* 38 */
    "    permissions: {contents: read, id-token: write}\n"             /* 39 */
    "    steps: [{uses: ./.github/actions/deploy}]\n"                  /* 40 */
    "  call:\n"                                                        /* 41 */
    "    needs: [build, deploy]\n"                                     /* 42 */
    "    uses: acme/wf/.github/workflows/x.yml@v1\n"                   /* 43 */
    "    secrets: inherit\n";                                          /* 44 */

/* The first step of job deploy (a uses step). */
static const struct gha_step *d_steps_first(const struct gha_workflow *wf)
{
    const struct gha_job *d = gha_job_find(wf, "deploy");
    cr_assert(d && d->nsteps);
    return d->steps[0];
}

Test(gha, loader_reads_every_form)
{
    struct loaded l;
    const struct gha_workflow *wf = load_one(&l, WF, wf_forms);
    cr_assert_eq(wf->ntriggers, 4);
    cr_expect_str_eq(wf->triggers[0].event, "push");
    cr_expect_eq(wf->triggers[0].nbranches, 3);
    cr_expect_str_eq(wf->triggers[1].event, "pull_request");
    cr_expect_eq(wf->triggers[2].ncrons, 1);
    cr_expect_str_eq(wf->triggers[2].crons[0], "30 4 * * 1-5");
    cr_expect_eq(wf->triggers[2].cron_locs[0].line, 9);
    cr_expect_str_eq(gha_kvs_get(&wf->triggers[3].inputs, "target")->value, "choice");
    cr_expect_str_eq(gha_kvs_get(&wf->triggers[3].inputs, "note")->value, "string");
    cr_expect(gha_workflow_has_trigger(wf, "schedule"));
    cr_expect_not(gha_workflow_has_trigger(wf, "release"));
    cr_expect_str_eq(wf->perms.all, "read-all");
    cr_expect_str_eq(wf->concurrency, "forms");
    cr_assert_eq(wf->njobs, 3);

    const struct gha_job *b = gha_job_find(wf, "build");
    cr_assert_not_null(b);
    cr_expect_str_eq(b->runs_on, "self-hosted,linux");
    cr_expect(b->has_timeout);
    cr_expect_str_eq(b->containers->container_image, "node:20");
    cr_expect_null(b->containers->container_password, "an expression is not a literal password");
    cr_expect_eq(b->containers->nservices, 1);
    cr_expect_str_eq(b->containers->service_images[0], "postgres:16");
    cr_assert_eq(b->nsteps, 3);
    const struct gha_step *st = b->steps[0];
    cr_expect_eq(st->run_line, 28, "block script starts on the next line, got %d", st->run_line);
    cr_expect_eq(st->run_col, 11);
    cr_expect_str_eq(st->run, "echo one\n\n  echo two ${{ github.sha }}\n");
    struct strbuf sb = STRBUF_INIT;
    const char *src = gha_step_run_source(st, &sb);
    cr_assert_not_null(src);
    cr_expect_str_eq(src, "echo one\n\n            echo two ${{ github.sha }}");
    struct loc at = gha_text_loc((struct loc){st->run_line, st->run_col}, src,
                                 (size_t)(strstr(src, "${{") - src));
    cr_expect_eq(at.line, 30);
    cr_expect_eq(at.col, 22);
    cr_expect_null(gha_step_run_source(d_steps_first(wf), &sb), "a uses step has no script");
    sb_release(&sb);
    cr_expect_eq(b->steps[1]->run_line, 32);
    cr_expect_eq(b->steps[1]->run_col, 15, "after the opening quote, got %d", b->steps[1]->run_col);
    cr_expect_eq(b->steps[2]->run_line, 33);
    cr_expect_eq(b->steps[2]->run_col, 14);
    cr_expect_str_eq(b->steps[2]->run, "echo plain continued");
    cr_expect_str_eq(gha_kvs_get(&st->env, "A")->value, "b");

    const struct gha_job *d = gha_job_find(wf, "deploy");
    cr_assert_not_null(d);
    cr_expect_str_eq(d->runs_on, "linux,x64");
    cr_expect_str_eq(d->environment, "production");
    cr_expect_str_eq(d->environment_url, "https://x");
    cr_expect_eq(d->perms.scopes.len, 2);
    cr_expect_str_eq(gha_kvs_get(&d->perms.scopes, "id-token")->value, "write");
    cr_assert_eq(d->nneeds, 1);
    cr_expect_str_eq(d->needs[0], "build");
    cr_expect_eq(d->needs_loc[0].line, 36);
    cr_expect_eq(d->steps[0]->uses.kind, GHA_REF_LOCAL);

    const struct gha_job *c = gha_job_find(wf, "call");
    cr_assert_not_null(c);
    cr_expect_eq(c->nneeds, 2);
    cr_expect(c->call->uses.reusable);
    cr_expect(c->call->secrets_inherit);
    cr_expect_eq(c->call->secrets_loc.line, 44);
    cr_expect_eq(wf->nproblems, 0, "a valid workflow has no problems (first: %s)",
                 wf->nproblems ? wf->problems[0].msg : "");
    loaded_release(&l);
}

Test(gha, loader_reads_on_as_string_and_list_and_composite_actions)
{
    struct loaded l;
    const struct gha_workflow *wf =
        load_one(&l, WF, "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n");
    cr_assert_eq(wf->ntriggers, 1);
    cr_expect_str_eq(wf->triggers[0].event, "push");
    loaded_release(&l);

    wf = load_one(&l, WF,
                  "on: [push, pull_request]\njobs:\n  a:\n    runs-on: x\n"
                  "    steps: [{run: make}]\n");
    cr_assert_eq(wf->ntriggers, 2);
    cr_expect_str_eq(wf->triggers[1].event, "pull_request");
    loaded_release(&l);

    wf = load_one(&l, ".github/actions/setup/action.yml",
                  "name: setup\ndescription: d\nruns:\n  using: composite\n  steps:\n"
                  "    - uses: acme/cache@v1\n    - run: echo hi\n      shell: bash\n");
    cr_expect(wf->is_action);
    cr_expect_eq(wf->nproblems, 0, "runs.using is there");
    cr_assert_eq(wf->njobs, 1);
    cr_expect_str_eq(wf->jobs[0]->id, "steps");
    cr_assert_eq(wf->jobs[0]->nsteps, 2);
    cr_expect_str_eq(wf->jobs[0]->steps[1]->shell, "bash");
    loaded_release(&l);
}

Test(gha, loader_survives_hostile_shapes)
{
    static const char *const texts[] = {
        "on:\njobs:\n",
        "on: {push: [1, 2]}\njobs: [a, b]\n",
        "on: 5\njobs:\n  a: 3\n  b: {steps: 4, needs: {x: 1}, runs-on: {labels: {}}}\n",
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run:\n      - run: [1]\n"
        "      - 7\n      - uses:\n",
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n",
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: >\n"
        "          folded ${{ github.event.issue.title }}\n          text\n",
        "- just\n- a list\n",
        "on: {schedule: {cron: x}}\njobs: {a: {runs-on: x, steps: [{run: y}], "
        "container: {credentials: [1]}, services: {s: 1}}}\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
        char *dir = t_tmpdir();
        t_write(dir, WF, texts[i]);
        struct scan s;
        t_scan(&s, dir);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}

/* ---- rules: true positives and near misses ---- */

struct rule_case {
    const char *rule;
    const char *path; /* NULL: WF */
    const char *text;
    int count; /* findings of `rule` */
    int line;  /* line of the first one (0: not checked) */
};

#define HEAD "name: t\non: push\npermissions: {contents: read}\njobs:\n"
#define JOB "  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n"

static const struct rule_case rule_cases[] = {
    /* gha-action-not-pinned-to-sha */
    {"gha-action-not-pinned-to-sha", NULL, HEAD JOB "      - uses: docker/login-action@v3\n", 1, 9},
    {"gha-action-not-pinned-to-sha", NULL, HEAD JOB "      - uses: acme/x@main\n", 1, 9},
    {"gha-action-not-pinned-to-sha", NULL, HEAD JOB "      - uses: acme/x@343f7c4\n", 1, 9},
    {"gha-action-not-pinned-to-sha", NULL,
     HEAD "  a:\n    uses: acme/wf/.github/workflows/r.yml@v1\n", 1, 6},
    {"gha-action-not-pinned-to-sha", NULL,
     HEAD JOB "      - uses: docker/login-action@343f7c4344506bcbf9b4de18042ae17996df046d # v3\n"
              "      - uses: ./.github/actions/local\n      - uses: docker://alpine:3.19\n",
     0, 0},
    /* GitHub's own actions too, by default (a repository may say otherwise in pins:) */
    {"gha-action-not-pinned-to-sha", NULL, HEAD JOB "      - uses: actions/checkout@v4\n", 1, 9},
    {"gha-action-not-pinned-to-sha", NULL,
     HEAD JOB "      - uses: github/codeql-action/init@v3\n", 1, 9},
    {"gha-action-not-pinned-to-sha", ".github/actions/x/action.yml",
     "name: x\ndescription: d\nruns:\n  using: composite\n  steps:\n    - uses: acme/y@v2\n", 1, 6},

    /* gha-deploy-without-environment */
    {"gha-deploy-without-environment", NULL,
     HEAD "  deploy-dev:\n    runs-on: x\n    steps: [{run: ./deploy.sh}]\n", 1, 5},
    {"gha-deploy-without-environment", NULL,
     HEAD "  ship:\n    runs-on: x\n    steps:\n      - run: |\n          cd k8s\n"
          "          kubectl -n web apply -k .\n",
     1, 5},
    {"gha-deploy-without-environment", NULL,
     HEAD
     "  tf:\n    runs-on: x\n    steps:\n      - run: terraform -chdir=infra apply -auto-approve\n",
     1, 5},
    {"gha-deploy-without-environment", NULL,
     HEAD "  deploy:\n    runs-on: x\n    environment: staging\n    steps: [{run: helm upgrade "
          "--install a c}]\n",
     0, 0},
    {"gha-deploy-without-environment", NULL,
     HEAD
     "  validate:\n    runs-on: x\n    steps:\n      - run: kubectl apply --dry-run=client -k .\n"
     "      - run: terraform plan\n      - run: helm template c\n",
     0, 0},
    {"gha-deploy-without-environment", NULL,
     HEAD "  deploy:\n    uses: ./.github/workflows/deploy.yml\n", 0, 0},
    {"gha-deploy-without-environment", NULL,
     HEAD "  e2e:\n    runs-on: x\n    steps:\n      - uses: helm/kind-action@v1\n"
          "      - run: helm install ingress charts/ingress && kubectl apply -f test/\n",
     0, 0},

    /* gha-default-permissions */
    {"gha-default-permissions", NULL,
     "name: t\non: push\njobs:\n  a: {runs-on: x, steps: [{run: make}]}\n"
     "  b: {runs-on: x, permissions: {contents: read}, steps: [{run: make}]}\n",
     1, 1},
    {"gha-default-permissions", NULL, HEAD JOB "      - run: make\n", 0, 0},
    {"gha-default-permissions", NULL,
     "name: t\non: push\njobs:\n  a: {runs-on: x, permissions: {}, steps: [{run: make}]}\n", 0, 0},
    {"gha-default-permissions", ".github/actions/x/action.yml",
     "name: x\ndescription: d\nruns: {using: composite, steps: [{run: a, shell: bash}]}\n", 0, 0},

    /* gha-script-injection */
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: |\n          echo start\n          echo \"${{ "
              "github.event.pull_request.title }}\"\n",
     1, 11},
    {"gha-script-injection", NULL, HEAD JOB "      - run: echo ${{ github.head_ref }}\n", 1, 9},
    /* the innermost env that sets a variable decides: a step's static foo hides the job's */
    {"gha-script-injection", NULL,
     "name: t\non: push\npermissions: {contents: read}\n"
     "env:\n  bar: ${{ github.event.issue.title }}\n  quux: ${{ github.event.issue.title }}\n"
          "jobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n"
          "    env:\n      foo: ${{ github.event.issue.title }}\n      bar: bar\n    steps:\n"
          "      - run: echo ${{ env.foo }}\n        env:\n          foo: foo\n"
          "      - run: echo ${{ env.bar }}\n",
     0, 0},
    {"gha-script-injection", NULL,
     "name: t\non: push\npermissions: {contents: read}\n"
     "env:\n  quux: ${{ github.event.issue.title }}\njobs:\n  a:\n    runs-on: x\n"
          "    timeout-minutes: 5\n    steps:\n      - run: echo ${{ env.quux }}\n",
     1, 11},
    {"gha-script-injection", NULL, HEAD JOB "      - run: 'echo ''a'' ${{ github.head_ref }}'\n", 1,
     9},
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: >\n          folded\n          ${{ github.event.issue.title }}\n", 1,
     11},
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: echo plain\n          ${{ github.event.review.body }}\n", 1, 10},
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: \"echo\\n\n          ${{ github.event.discussion.title }}\"\n", 1, 10},
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: echo \"${{ github.event.commits[0].author.email }}\"\n", 1, 9},
    {"gha-script-injection", NULL,
     HEAD JOB "      - run: echo '${{ toJSON(github.event.pull_request) }}'\n", 1, 9},
    {"gha-script-injection", NULL,
     HEAD JOB
     "      - run: |\n          echo hi\n          echo ${{ github.event.issue.labels[0].name }}\n",
     1, 11},
    {"gha-script-injection", NULL,
     HEAD JOB "      - uses: actions/github-script@v7\n        with:\n          script: |\n"
              "            const t = \"${{ github.event.comment.body }}\"\n",
     1, 12},
    {"gha-script-injection", NULL,
     HEAD JOB "      - env:\n          T: ${{ github.event.issue.title }}\n"
              "        run: echo \"${{ env.T }}\"\n",
     1, 11},
    {"gha-script-injection", NULL,
     "name: t\non:\n  workflow_dispatch:\n    inputs:\n      msg: {type: string}\n"
     "      env: {type: choice, options: [a]}\npermissions: {}\njobs:\n" JOB
     "      - run: echo ${{ inputs.msg }} ${{ inputs.env }}\n",
     1, 13},
    {"gha-script-injection", NULL,
     HEAD JOB
     "      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n"
     "        run: echo \"$TITLE ${{ github.sha }} ${{ github.event_name }} ${{ matrix.os }}"
     " ${{ github.event.pull_request.number }}\"\n",
     0, 0},
    {"gha-script-injection", NULL,
     HEAD JOB "      - uses: acme/x@343f7c4344506bcbf9b4de18042ae17996df046d\n        with:\n"
              "          title: ${{ github.event.pull_request.title }}\n",
     0, 0},

    {"gha-script-injection", NULL,
     HEAD JOB "      - run: echo ${{ github.event.issue.title != '' }} "
              "${{ contains(github.event.pull_request.body, 'skip') }}\n",
     0, 0},
    {"gha-script-injection", NULL,
     HEAD JOB
     "      - run: echo ${{ github.event.issue.title != '' && github.event.issue.title }}\n",
     1, 9},

    /* gha-dangerous-trigger */
    {"gha-dangerous-trigger", NULL,
     "name: t\non:\n  pull_request_target:\npermissions: {}\njobs:\n" JOB
     "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ "
     "github.event.pull_request.head.sha }}\n",
     1, 3},
    {"gha-dangerous-trigger", NULL,
     "name: t\non:\n  workflow_run:\n    workflows: [ci]\npermissions: {}\njobs:\n" JOB
     "      - run: echo done\n",
     1, 3},
    {"gha-dangerous-trigger", NULL,
     "name: t\non: [pull_request]\npermissions: {}\njobs:\n" JOB "      - run: make\n", 0, 0},

    /* gha-write-all-permissions */
    {"gha-write-all-permissions", NULL,
     "name: t\non: push\npermissions: write-all\njobs:\n" JOB "      - run: make\n", 1, 3},
    {"gha-write-all-permissions", NULL,
     "name: t\non: push\npermissions: read-all\njobs:\n" JOB "      - run: make\n", 0, 0},

    /* gha-secrets-inherit */
    {"gha-secrets-inherit", NULL,
     HEAD "  a:\n    uses: ./.github/workflows/r.yml\n    secrets: inherit\n", 1, 7},
    {"gha-secrets-inherit", NULL,
     HEAD "  a:\n    uses: ./.github/workflows/r.yml\n    secrets:\n      T: ${{ secrets.T }}\n", 0,
     0},

    /* gha-whole-secrets-context */
    {"gha-whole-secrets-context", NULL,
     HEAD JOB "      - run: ./x.sh\n        env:\n          ALL: ${{ toJSON(secrets) }}\n", 1, 11},
    {"gha-whole-secrets-context", NULL,
     HEAD JOB "      - run: echo ${{ secrets[format('K_{0}', matrix.env)] }}\n", 1, 9},
    {"gha-whole-secrets-context", NULL,
     HEAD JOB "      - run: ./x.sh\n        env:\n          K: ${{ secrets.K }}\n"
              "          J: ${{ toJSON(github) }}\n",
     0, 0},

    /* gha-checkout-persist-credentials */
    {"gha-checkout-persist-credentials", NULL,
     HEAD JOB "      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n"
              "        with:\n          path: .\n          include-hidden-files: true\n",
     1, 9},
    {"gha-checkout-persist-credentials", NULL,
     HEAD JOB "      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v3.1.2\n"
              "        with:\n          path: ${{ github.workspace }}\n",
     1, 9},
    {"gha-checkout-persist-credentials", NULL,
     HEAD JOB "      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n"
              "        with:\n          path: .\n      - uses: actions/upload-pages-artifact@v3\n"
              "        with:\n          path: .\n",
     0, 0},
    {"gha-checkout-persist-credentials", NULL,
     "name: t\non: pull_request_target\npermissions: {}\njobs:\n" JOB
     "      - uses: actions/checkout@v4\n",
     1, 9},
    {"gha-checkout-persist-credentials", NULL,
     HEAD JOB
     "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
     "      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n",
     0, 0},
    {"gha-checkout-persist-credentials", NULL,
     HEAD JOB "      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n"
              "        with:\n          path: dist/\n",
     0, 0},

    /* gha-insecure-commands */
    {"gha-insecure-commands", NULL,
     HEAD JOB
     "      - run: echo hi\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n",
     1, 11},
    {"gha-insecure-commands", NULL,
     HEAD JOB "      - run: |\n          echo a\n          echo \"::add-path::/opt/bin\"\n", 1, 11},
    {"gha-insecure-commands", NULL,
     HEAD JOB "      - run: echo /opt/bin >> \"$GITHUB_PATH\"\n        env:\n"
              "          ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n",
     0, 0},

    /* gha-github-env-write-privileged */
    {"gha-github-env-write-privileged", NULL,
     "name: t\non: workflow_run\npermissions: {}\njobs:\n" JOB
     "      - run: |\n          unzip pr.zip\n          echo \"PR=$(cat pr/n)\" >> "
     "\"$GITHUB_ENV\"\n",
     1, 11},
    {"gha-github-env-write-privileged", NULL,
     HEAD JOB "      - run: echo \"V=1\" >> \"$GITHUB_ENV\"\n", 0, 0},

    /* gha-container-image-unpinned */
    {"gha-container-image-unpinned", NULL,
     HEAD
     "  a:\n    runs-on: x\n    container: node\n    services:\n      r: {image: 'redis:latest'}\n"
     "      p: {image: 'postgres:16.2'}\n    steps: [{uses: 'docker://alpine'}]\n",
     3, 7},
    {"gha-container-image-unpinned", NULL,
     HEAD "  a:\n    runs-on: x\n    container: {image: 'registry.example.com:5000/ci/node:20'}\n"
          "    services:\n      r: {image: "
          "'redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}\n"
          "    steps: [{run: make}]\n",
     0, 0},

    /* gha-curl-pipe-shell */
    {"gha-curl-pipe-shell", NULL,
     HEAD JOB "      - run: |\n          set -e\n          curl -fsSL https://x.example.com/i.sh | "
              "sudo bash\n",
     1, 11},
    {"gha-curl-pipe-shell", NULL,
     HEAD JOB "      - run: bash <(wget -qO- https://x.example.com/i.sh)\n", 1, 9},
    {"gha-curl-pipe-shell", NULL,
     HEAD JOB
     "      - run: |\n          curl -fsSL https://x.example.com/i.sh \\\n            | sh\n",
     1, 10},
    {"gha-curl-pipe-shell", NULL,
     HEAD JOB "      - run: |\n          curl -fsSLo i.sh https://x.example.com/v1/i.sh\n"
              "          curl -s https://x.example.com/api | jq .name\n          echo 'x' | "
              "sha256sum -c -\n",
     0, 0},

    /* gha-self-hosted-runner-on-pr */
    {"gha-self-hosted-runner-on-pr", NULL,
     "name: t\non: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n"
     "    timeout-minutes: 5\n    steps: [{run: make}]\n",
     1, 6},
    {"gha-self-hosted-runner-on-pr", NULL,
     "name: t\non: {push: {branches: [main]}}\npermissions: {}\njobs:\n  a:\n"
     "    runs-on: [self-hosted, linux]\n    steps: [{run: make}]\n",
     0, 0},

    /* gha-no-timeout */
    {"gha-no-timeout", NULL, HEAD "  a:\n    runs-on: x\n    steps: [{run: make}]\n", 1, 5},
    {"gha-no-timeout", NULL, HEAD JOB "      - run: make\n", 0, 0},
    {"gha-no-timeout", NULL, HEAD "  a:\n    uses: ./.github/workflows/r.yml\n", 0, 0},

    /* gha-deploy-no-concurrency */
    {"gha-deploy-no-concurrency", NULL,
     HEAD "  apply-prod:\n    runs-on: x\n    environment: prod\n    steps: [{run: terraform apply "
          "-auto-approve}]\n",
     1, 5},
    {"gha-deploy-no-concurrency", NULL,
     HEAD "  apply-prod:\n    runs-on: x\n    environment: prod\n    concurrency: tf-prod\n"
          "    steps: [{run: terraform apply -auto-approve}]\n",
     0, 0},
    {"gha-deploy-no-concurrency", NULL,
     HEAD "  deploy:\n    runs-on: x\n    environment: github-pages\n    steps: [{uses: "
          "actions/deploy-pages@v4}]\n",
     0, 0},

    /* gha-spoofable-bot-check */
    {"gha-spoofable-bot-check", NULL,
     HEAD
     "  a:\n    if: github.actor == 'dependabot[bot]'\n    runs-on: x\n    steps: [{run: make}]\n",
     1, 6},
    {"gha-spoofable-bot-check", NULL,
     HEAD
     "  a:\n    if: github.event.pull_request.user.login == 'dependabot[bot]'\n    runs-on: x\n"
     "    steps: [{run: make, if: \"github.actor_id != '1'\"}]\n",
     0, 0},

    {"gha-spoofable-bot-check", NULL,
     HEAD
     "  a:\n    if: ${{ github.actor != 'dependabot[bot]' && github.actor != 'renovate[bot]' }}\n"
     "    runs-on: x\n    steps: [{run: make}]\n",
     0, 0},
    {"gha-spoofable-bot-check", NULL,
     HEAD JOB "      - run: make\n        if: endsWith(github.triggering_actor, '[bot]')\n",
     1, 10},
    /* a user whose name holds "bot" is not a bot identity */
    {"gha-spoofable-bot-check", NULL,
     HEAD JOB "      - run: make\n        if: github.actor == 'notabot'\n", 0, 0},

    /* gha-hardcoded-container-credentials */
    {"gha-hardcoded-container-credentials", NULL,
     HEAD
     "  a:\n    runs-on: x\n    container:\n      image: r.example.com/b:1\n      credentials:\n"
     "        username: ci\n        password: not-a-real-value\n    steps: [{run: make}]\n",
     1, 11},
    {"gha-hardcoded-container-credentials", NULL,
     HEAD
     "  a:\n    runs-on: x\n    services:\n      s:\n        image: r.example.com/b:1\n        "
     "credentials:\n"
     "          username: ci\n          password: ${{ secrets.REG }}\n    steps: [{run: make}]\n",
     0, 0},

    /* gha-unknown-needs */
    {"gha-unknown-needs", NULL,
     HEAD "  a: {runs-on: x, steps: [{run: a}]}\n  b:\n    needs: [a, bulid]\n    runs-on: x\n"
          "    steps: [{run: b}]\n",
     1, 7},
    {"gha-unknown-needs", NULL,
     HEAD "  a:\n    needs: c\n    runs-on: x\n    steps: [{run: a}]\n  b:\n    needs: a\n"
          "    runs-on: x\n    steps: [{run: a}]\n  c:\n    needs: b\n    runs-on: x\n    steps: "
          "[{run: a}]\n",
     1, 0},
    {"gha-unknown-needs", NULL,
     HEAD "  a: {runs-on: x, steps: [{run: a}]}\n  b: {needs: a, runs-on: x, steps: [{run: a}]}\n"
          "  c: {needs: [a, b], runs-on: x, steps: [{run: a}]}\n",
     0, 0},

    /* gha-invalid-workflow */
    {"gha-invalid-workflow", NULL,
     "name: t\non: push\npermissions: {}\njobz: {}\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n",
     1, 4},
    {"gha-invalid-workflow", NULL, HEAD "  a:\n    runs_on: x\n    steps: [{run: a}]\n", 2, 5},
    {"gha-invalid-workflow", NULL, HEAD JOB "      - run: a\n        uses: acme/x@v1\n", 1, 9},
    {"gha-invalid-workflow", NULL,
     "on: pushh\npermissions: {}\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n", 2, 1},
    {"gha-invalid-workflow", NULL,
     "on:\n  schedule:\n    - cron: '0 25 * * *'\n    - cron: '*/0 * * * *'\n"
     "    - cron: '0 0 * *'\n    - cron: '0 0 31 FEB,DEC SUN-SAT'\n    - cron: '5,10-20/5 */2 1 1 "
     "0'\n"
     "permissions: {}\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n",
     3, 3},
    {"gha-invalid-workflow", NULL, HEAD JOB "      - uses: actions/checkout\n", 1, 9},
    {"gha-invalid-workflow", NULL, "- on: push\n- jobs: {}\n", 1, 1},
    {"gha-invalid-workflow", NULL, "# nothing here yet\n", 1, 1},
    {"gha-invalid-workflow", NULL, "on: [push\n", 0, 0}, /* a parse-error, not both */
    {"gha-invalid-workflow", NULL, HEAD JOB "      - run: make\n        timeout-minutes: 3\n", 0,
     0},
    {"gha-invalid-workflow", ".github/actions/x/action.yml",
     "name: x\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: make\n", 1, 6},
    {"gha-invalid-workflow", ".github/actions/x/action.yml",
     "name: x\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: make\n      shell: "
     "bash\n",
     0, 0},
};

Test(gha, every_rule_fires_on_its_cases_and_not_on_near_misses, .timeout = 120)
{
    int failed = 0;
    for (size_t i = 0; i < ARRAY_LEN(rule_cases); i++) {
        const struct rule_case *c = &rule_cases[i];
        int line = 0;
        int n = t_scan_one(c->path ? c->path : WF, c->text, c->rule, &line);
        if (n != c->count || (c->line && line != c->line)) {
            fprintf(stderr, "case %zu (%s): %d finding(s) at line %d, want %d at line %d\n%s\n", i,
                    c->rule, n, line, c->count, c->line, c->text);
            failed++;
        }
    }
    cr_assert_eq(failed, 0, "%d rule case(s) failed (see stderr)", failed);
}

/* Each rule has at least one case that fires and one that must not. */
Test(gha, every_gha_rule_has_a_positive_and_a_near_miss)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < c.rules.len; i++) {
        const struct rule *r = c.rules.items[i];
        if (!str_startswith(r->id, "gha-"))
            continue;
        int pos = 0, neg = 0;
        for (size_t k = 0; k < ARRAY_LEN(rule_cases); k++) {
            if (strcmp(rule_cases[k].rule, r->id) != 0)
                continue;
            pos += rule_cases[k].count > 0;
            neg += rule_cases[k].count == 0;
        }
        cr_expect(pos && neg, "%s needs a true positive and a near miss (%d, %d)", r->id, pos, neg);
    }
    lint_catalogue_release(&c);
}

/* Severity raised per finding where the rule says so, and the secret is masked. */
Test(gha, raised_severities_and_masked_password)
{
    char *dir = t_tmpdir();
    t_write(dir, WF,
            "name: t\non: pull_request_target\npermissions: {}\njobs:\n"
            "  a:\n    runs-on: x\n    timeout-minutes: 5\n"
            "    container:\n      image: r.example.com/b:1\n      credentials:\n"
            "        username: ci\n        password: not-a-real-value\n    steps:\n"
            "      - uses: actions/checkout@v4\n        with:\n"
            "          ref: ${{ github.event.pull_request.head.sha }}\n          "
            "persist-credentials: false\n"
            "      - uses: acme/x@main\n      - uses: acme/y@v1\n");
    struct scan s;
    t_scan(&s, dir);
    int seen = 0;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (strcmp(f->rule_id, "gha-dangerous-trigger") == 0) {
            cr_expect_eq(f->severity, SEV_ERROR, "head checkout on pull_request_target");
            seen++;
        } else if (strcmp(f->rule_id, "gha-action-not-pinned-to-sha") == 0) {
            cr_expect_eq(f->severity, f->line == 18 ? SEV_ERROR : SEV_WARNING,
                         "branch ref is an error, tag a warning (line %d)", f->line);
            seen++;
        } else if (strcmp(f->rule_id, "gha-hardcoded-container-credentials") == 0) {
            cr_expect_null(strstr(f->excerpt, "not-a-real-value"), "excerpt: %s", f->excerpt);
            cr_expect_null(strstr(f->message, "not-a-real-value"));
            cr_expect_eq(f->mask_col, 19);
            seen++;
        }
    }
    cr_expect_eq(seen, 5, "actions/checkout@v4 is judged too");
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* The column of an expression inside a quoted script counts its escapes as written. */
Test(gha, injection_column_is_exact_in_quoted_and_block_scripts)
{
    static const struct {
        const char *step;
        int line, col;
    } cases[] = {
        {"      - run: \"echo \\\"${{ github.head_ref }}\\\"\"\n", 9, 22},
        {"      - run: 'echo ''${{ github.head_ref }}'''\n", 9, 22},
        {"      - run: |\n          echo one\n            echo \"${{ github.head_ref }}\"\n", 11,
         19},
        {"      - run: echo ${{ github.head_ref }}\n", 9, 19},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *dir = t_tmpdir();
        char *text = xasprintf(HEAD JOB "%s", cases[i].step);
        t_write(dir, WF, text);
        struct scan s;
        t_scan(&s, dir);
        int found = 0;
        for (size_t k = 0; k < s.findings.v.len; k++) {
            const struct finding *f = s.findings.v.items[k];
            if (strcmp(f->rule_id, "gha-script-injection") != 0)
                continue;
            found++;
            cr_expect_eq(f->line, cases[i].line, "case %zu: line %d", i, f->line);
            cr_expect_eq(f->col, cases[i].col, "case %zu: col %d", i, f->col);
        }
        cr_expect_eq(found, 1, "case %zu: %d findings", i, found);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
        free(text);
    }
}

/* Strings are stored once per file: repeated values, a value and its source text, and an
 * action's ref (a suffix of the reference) must still read as written, with their places. */
Test(gha, shared_strings_keep_values_and_positions)
{
    struct loaded l;
    const struct gha_workflow *wf =
        load_one(&l, WF,
                 "on: push\n"
                 "env:\n"
                 "  A: same\n"
                 "  B: \"sa\\tme\"\n"
                 "  C: 'same'\n"
                 "jobs:\n"
                 "  one:\n"
                 "    runs-on: ubuntu-latest\n"
                 "    steps:\n"
                 "      - uses: actions/checkout@v4\n"
                 "      - uses: actions/checkout@v4\n"
                 "        with:\n"
                 "          ref: same\n"
                 "      - uses: docker://alpine:3.19\n"
                 "      - run: echo same\n");
    cr_assert_eq(wf->env.len, 3);
    const struct gha_kv *a = &wf->env.items[0], *b = &wf->env.items[1], *c = &wf->env.items[2];
    cr_expect_str_eq(a->value, "same");
    cr_expect_str_eq(a->raw, "same");
    cr_expect_eq(a->vloc.col, 6);
    cr_expect_str_eq(b->value, "sa\tme");
    cr_expect_str_eq(b->raw, "sa\\tme", "the source text keeps the escape");
    cr_expect_eq(b->vloc.col, 7, "after the opening quote");
    cr_expect_str_eq(c->value, "same");
    cr_expect_eq(c->vloc.line, 5);
    cr_assert_eq(wf->njobs, 1);
    const struct gha_job *job = wf->jobs[0];
    cr_assert_eq(job->nsteps, 4);
    for (size_t i = 0; i < 2; i++) {
        const struct gha_uses *u = &job->steps[i]->uses;
        cr_expect_str_eq(u->raw, "actions/checkout@v4");
        cr_expect_str_eq(u->owner, "actions");
        cr_expect_str_eq(u->repo, "checkout");
        cr_expect_str_eq(u->ref, "v4");
        cr_expect_eq(u->kind, GHA_REF_TAG);
        cr_expect_eq(job->steps[i]->uses_loc.line, 10 + (int)i);
    }
    const struct gha_kv *ref = gha_kvs_get(&job->steps[1]->with, "ref");
    cr_assert_not_null(ref);
    cr_expect_str_eq(ref->value, "same");
    cr_expect_eq(ref->vloc.line, 13);
    cr_expect_eq(ref->vloc.col, 16);
    cr_expect_str_eq(job->steps[2]->uses.path, "alpine:3.19");
    cr_expect_eq(job->steps[2]->uses.kind, GHA_REF_DOCKER);
    cr_expect_str_eq(job->steps[3]->run, "echo same");
    struct strbuf sb = STRBUF_INIT;
    cr_expect_str_eq(gha_step_run_source(job->steps[3], &sb), "echo same");
    sb_release(&sb);
    cr_expect_eq(job->steps[3]->run_col, 14);
    loaded_release(&l);
}

/* A block script's source text is kept only when it is not the script indented again; either
 * way gha_step_run_source gives the exact source from (run_line, run_col). */
Test(gha, block_script_source_is_exact_whether_kept_or_rebuilt)
{
    static const struct {
        const char *yaml;   /* the step's run: value, from "run:" on */
        const char *source; /* its source text */
        int kept;           /* run_raw stored */
        int line, col;      /* position of the ${{ */
    } cases[] = {
        {"run: |\n          a\n            b ${{ x }}\n", "a\n            b ${{ x }}", 0, 8, 15},
        {"run: |-\n          a\n\n          ${{ x }}\n\n", "a\n\n          ${{ x }}", 0, 9, 11},
        {"run: |+\n          ${{ x }}\n\n", "${{ x }}", 0, 7, 11},
        {"run: |\n          a\n          \n          ${{ x }}\n",
         "a\n          \n          ${{ x }}", 1, 9, 11},
        {"run: |\n          a\n  \n          ${{ x }}\n", "a\n  \n          ${{ x }}", 1, 9, 11},
        {"run: >\n          a\n          ${{ x }}\n", "a\n          ${{ x }}", 1, 8, 11},
        {"run: |\n          a\t${{ x }}\n", "a\t${{ x }}", 0, 7, 13},
        {"run: \"a ${{ x }}\"\n", "a ${{ x }}", 1, 6, 17},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct strbuf y = STRBUF_INIT;
        sb_addf(&y, "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - %s", cases[i].yaml);
        struct loaded l;
        const struct gha_workflow *wf = load_one(&l, WF, sb_str(&y));
        cr_assert_eq(wf->njobs, 1);
        cr_assert_eq(wf->jobs[0]->nsteps, 1);
        const struct gha_step *st = wf->jobs[0]->steps[0];
        struct strbuf sb = STRBUF_INIT;
        const char *src = gha_step_run_source(st, &sb);
        cr_assert_not_null(src, "case %zu", i);
        cr_expect_str_eq(src, cases[i].source, "case %zu", i);
        if (cases[i].kept)
            cr_expect_not_null(st->run_raw, "case %zu: the source is not the script indented", i);
        else
            cr_expect_null(st->run_raw, "case %zu: the source is rebuilt from the script", i);
        const char *e = strstr(src, "${{");
        cr_assert_not_null(e, "case %zu", i);
        struct loc at =
            gha_text_loc((struct loc){st->run_line, st->run_col}, src, (size_t)(e - src));
        cr_expect_eq(at.line, cases[i].line, "case %zu: line %d", i, at.line);
        cr_expect_eq(at.col, cases[i].col, "case %zu: col %d", i, at.col);
        sb_release(&sb);
        sb_release(&y);
        loaded_release(&l);
    }
}

/* An input of a local composite action or reusable workflow that a caller fills from an
 * untrusted context is injected where the callee expands it into a script: reported there,
 * naming the caller, also through a wrapper action; trusted values, inputs passed through
 * env:, and comparisons are not. */
Test(gha, injection_through_the_inputs_of_local_actions_and_workflows)
{
    char *dir = t_tmpdir();
    t_write(dir, ".github/workflows/triage.yml",
            "name: triage\non: [pull_request_target, issues]\npermissions: {}\njobs:\n"
            "  greet:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: ./.github/actions/greet\n"                              /* 8 */
            "        with:\n          who: ${{ github.event.pull_request.title }}\n" /* 10 */
            "          sha: ${{ github.sha }}\n"
            "          quiet: ${{ github.event.issue.title == 'x' }}\n"
            "      - uses: ./.github/actions/greet\n"
            "        with:\n          who: ${{ github.event.issue.title }}\n"
            "  label:\n    uses: ./.github/workflows/label.yml\n"
            "    with:\n      title: ${{ github.event.issue.title }}\n"       /* 19 */
            "  wrap:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: ./.github/actions/outer\n"
            "        with: {who: '${{ github.head_ref }}'}\n");
    /* A wrapper that passes its input on (and calls itself: the chain must end). */
    t_write(dir, ".github/actions/outer/action.yml",
            "name: outer\ninputs: {who: {}}\nruns:\n  using: composite\n  steps:\n"
            "    - uses: ./.github/actions/inner\n      with: {name: '${{ inputs.who }}'}\n"
            "    - uses: ./.github/actions/outer\n      with: {who: '${{ inputs.who }}'}\n");
    t_write(dir, ".github/actions/inner/action.yml",
            "name: inner\ninputs: {name: {}}\nruns:\n  using: composite\n  steps:\n"
            "    - run: echo ${{ inputs.name }}\n      shell: bash\n");           /* 6 */
    t_write(dir, ".github/actions/greet/action.yml",
            "name: greet\ninputs:\n  who: {required: true}\n  sha: {}\n  quiet: {}\n"
            "runs:\n  using: composite\n  steps:\n"
            "    - run: echo \"Hello ${{ inputs.who }}\"\n"                     /* 9 */
            "      shell: bash\n"
            "    - run: echo \"$WHO\" ${{ inputs.sha }} ${{ inputs.quiet }}\n"
            "      shell: bash\n      env:\n        WHO: ${{ inputs.who }}\n");
    t_write(dir, ".github/workflows/label.yml",
            "name: label\non:\n  workflow_call:\n    inputs:\n      title: {type: string}\n"
            "permissions: {}\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/github-script@v7\n        with:\n"
            "          script: console.log(\"${{ inputs.title }}\")\n");    /* 13 */
    struct scan s;
    t_scan(&s, dir);
    cr_expect_eq(t_count(&s, "gha-script-injection", NULL, 0), 3);
    cr_expect_eq(t_count(&s, "gha-script-injection", ".github/actions/greet/action.yml", 9), 1);
    cr_expect_eq(t_count(&s, "gha-script-injection", ".github/workflows/label.yml", 13), 1);
    cr_expect_eq(t_count(&s, "gha-script-injection", ".github/actions/inner/action.yml", 6), 1);
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (strcmp(f->rule_id, "gha-script-injection") != 0)
            continue;
        const char *want = f->line == 9    ? ".github/workflows/triage.yml:10 passes it "
                                             "'github.event.pull_request.title'"
                           : f->line == 13 ? ".github/workflows/triage.yml:19 passes it "
                                             "'github.event.issue.title'"
                                           : ".github/actions/outer/action.yml:7 passes it "
                                             "'inputs.who, which carries github.head_ref'";
        cr_expect(strstr(f->message, want) != NULL, "%s", f->message);
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* pins: in .opsbook.yml says which owners a tag will do for, or which are not judged; the
 * first glob that matches wins, and a branch is never a pin. */
Test(gha, pins_by_owner_from_the_configuration)
{
    char *dir = t_tmpdir();
    t_write(dir, ".opsbook.yml",
            "pins:\n  'actions/*': ref\n  'acme/internal-*': any\n  'acme/*': sha\n");
    t_write(dir, WF,
            "name: t\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n"
            "    timeout-minutes: 5\n    steps:\n"
            "      - uses: actions/checkout@v4\n"          /* 9: ref will do */
            "      - uses: actions/cache@main\n"           /* 10: a branch never */
            "      - uses: acme/internal-deploy@v2\n"      /* 11: any */
            "      - uses: acme/build@v1\n"                /* 12: sha */
            "      - uses: docker/login-action@v3\n");     /* 13: the default */
    struct config cfg;
    struct scan s;
    t_scan_configured(&s, &cfg, dir);
    static const int want[] = {0, 1, 0, 1, 1};
    for (int i = 0; i < 5; i++)
        cr_expect_eq(t_count(&s, "gha-action-not-pinned-to-sha", WF, 9 + i), want[i],
                     "line %d", 9 + i);
    lint_scan_release(&s);
    config_release(&cfg);
    t_rmtree(dir);
    free(dir);
}
