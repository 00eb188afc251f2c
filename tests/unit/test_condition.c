/* Declarative conditions: every operator and combinator over hand-built model entities,
 * quantifiers over containers and steps, validation errors with positions and suggestions,
 * and the two policies the README shows (docs/policies/). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lint/config.h"
#include "lint/lint_int.h"
#include "model/gha.h"
#include "model/k8s.h"
#include "testlib.h"

/* A rule whose condition is `yaml` (a mapping with where/require/forbid), in `a`. */
static struct rule *rule_new(struct arena *a, const char *applies_to, const char *yaml)
{
    struct findings diags = {VEC_INIT};
    struct yfile yf;
    char *copy = arena_strdup(a, yaml);
    cr_assert_eq(yml_parse(&yf, a, "policy.yaml", copy, strlen(copy), &diags, NULL), 0);
    cr_assert_eq(diags.v.len, 0);
    findings_release(&diags);
    struct rule *r = arena_alloc(a, sizeof(*r));
    r->id = "test-rule";
    r->title = "test rule";
    r->applies_to = applies_to;
    r->source = "policy.yaml";
    r->condition = yf.docs[0].root;
    r->enabled = 1;
    return r;
}

static struct k8s_kv kv(const char *k, const char *v)
{
    struct k8s_kv x = {k, v, {1, 1}};
    return x;
}

/* A Deployment with labels team=payments, tier=api, replicas 3, and two containers. */
struct fixture {
    struct k8s_object obj;
    struct k8s_podspec pod;
    struct k8s_container web, sidecar;
    struct k8s_security web_sc, sidecar_sc;
    struct k8s_probe web_ready, absent;
    struct k8s_container *ctrs[2];
    struct k8s_kv labels[2];
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->labels[0] = kv("owner", "payments");
    f->labels[1] = kv("tier", "api");
    f->obj.kind = "Deployment";
    f->obj.name = "payments-api";
    f->obj.labels.items = f->labels;
    f->obj.labels.len = 2;
    f->obj.replicas = 3;
    f->obj.pod = &f->pod;
    f->web.name = "web";
    f->web.image_raw = "ghcr.io/nw/payments:1.4.2";
    f->web.image.registry = "ghcr.io";
    f->web.image.tag = "1.4.2";
    f->web.sc = &f->web_sc;
    f->web_sc.run_as_non_root = 1;
    f->web_sc.privileged = -1;
    f->web_sc.run_as_user = 10001;
    f->web.lim_mem = "512Mi";
    f->web.readiness = &f->web_ready;
    f->web_ready.present = 1;
    f->web_ready.handler = "httpGet";
    f->web.liveness = f->web.startup = &f->absent;
    f->sidecar.name = "proxy";
    f->sidecar.image_raw = "envoyproxy/envoy:latest";
    f->sidecar.image.tag = "latest";
    f->sidecar.sc = &f->sidecar_sc;
    f->sidecar_sc.run_as_non_root = -1;
    f->sidecar_sc.privileged = 1;
    f->sidecar_sc.run_as_user = -1;
    f->sidecar.liveness = f->sidecar.readiness = f->sidecar.startup = &f->absent;
    f->ctrs[0] = &f->web;
    f->ctrs[1] = &f->sidecar;
    f->pod.containers = f->ctrs;
    f->pod.ncontainers = 2;
}

Test(condition, operators_over_a_k8s_object)
{
    static const struct {
        const char *cond;
        int violates;
    } cases[] = {
        {"require: {field: labels.owner, exists: true}", 0},
        {"require: {field: labels.team, exists: true}", 1},
        {"forbid: {field: labels.team, exists: true}", 0},
        {"require: {field: labels.team, absent: true}", 0},
        {"require: {field: namespace, absent: true}", 0},
        {"require: {field: kind, equals: Deployment}", 0},
        {"require: {field: kind, equals: StatefulSet}", 1},
        {"require: {field: labels.tier, in: [api, worker]}", 0},
        {"require: {field: labels.tier, in: [web]}", 1},
        {"require: {field: name, matches: '^payments-'}", 0},
        {"require: {field: name, matches: '^[a-z]+$'}", 1},
        {"require: {field: replicas, ge: 2}", 0},
        {"require: {field: replicas, gt: 3}", 1},
        {"require: {field: replicas, lt: 10}", 0},
        {"require: {field: replicas, le: 2}", 1},
        {"require: {all: [{field: kind, equals: Deployment}, {field: replicas, ge: 2}]}", 0},
        {"require: {all: [{field: kind, equals: Deployment}, {field: replicas, ge: 5}]}", 1},
        {"require: {any: [{field: replicas, ge: 5}, {field: labels.owner, exists: true}]}", 0},
        {"require: {any: [{field: replicas, ge: 5}, {field: labels.x, exists: true}]}", 1},
        {"forbid: {not: {field: labels.owner, exists: true}}", 0},
        {"where: {field: kind, equals: Service}\nrequire: {field: replicas, ge: 99}", 0},
        {"where: {field: kind, equals: Deployment}\nrequire: {field: replicas, ge: 99}", 1},
        /* quantifiers over containers */
        {"require: {field: containers, every: {field: run-as-non-root, equals: 'true'}}", 1},
        {"require: {field: containers, some: {field: run-as-non-root, equals: 'true'}}", 0},
        {"forbid: {field: containers, some: {field: privileged, equals: 'true'}}", 1},
        {"forbid: {field: containers, some: {field: image-tag, equals: latest}}", 1},
        {"require: {field: containers, every: {field: image-registry, equals: ghcr.io}}", 1},
        {"require: {field: containers, some: {field: readiness-probe, equals: httpGet}}", 0},
        {"require: {field: containers, every: {field: limits.memory, exists: true}}", 1},
        {"require: {field: containers, some: {field: run-as-user, ge: 10000}}", 0},
        {"require: {field: init-containers, every: {field: privileged, equals: 'true'}}", 0},
        {"forbid: {field: init-containers, exists: true}", 0},
        {"require: {field: containers, exists: true}", 0},
    };
    struct fixture fx;
    fixture_init(&fx);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct arena *a = arena_new();
        struct rule *r = rule_new(a, "k8s-object", cases[i].cond);
        struct errbuf err = {{0}, 0};
        cr_assert_eq(lint_condition_validate(r, &err), 0, "case %zu: %s", i, err.msg);
        int hit = -1;
        cr_assert_eq(lint_condition_eval(r, &fx.obj, &hit), 0);
        cr_expect_eq(hit, cases[i].violates, "case %zu: %s", i, cases[i].cond);
        arena_free(a);
    }
}

Test(condition, github_actions_entities)
{
    struct gha_step checkout = {.name = "checkout"}, script = {.name = "deploy"};
    checkout.uses.raw = "actions/checkout@v4";
    checkout.uses.owner = "actions";
    checkout.uses.repo = "checkout";
    checkout.uses.ref = "v4";
    checkout.uses.kind = GHA_REF_TAG;
    script.run = "curl -fsSL https://get.example.com | sh";
    struct gha_step *steps[] = {&checkout, &script};
    struct gha_job build = {.id = "build", .runs_on = "self-hosted,linux", .steps = steps,
                            .nsteps = 2};
    struct gha_job test = {.id = "test", .runs_on = "ubuntu-24.04", .environment = "production"};
    struct gha_job *jobs[] = {&build, &test};
    struct gha_trigger triggers[] = {{.event = "push"}, {.event = "pull_request_target"}};
    struct gha_workflow wf = {.name = "ci", .path = ".github/workflows/ci.yml", .jobs = jobs,
                              .njobs = 2, .triggers = triggers, .ntriggers = 2};
    static const struct {
        const char *type, *cond;
        int which;      /* 0 workflow, 1 build job, 2 test job, 3 checkout step, 4 run step */
        int violates;
    } cases[] = {
        {"gha-job", "forbid: {field: runs-on, in: [self-hosted]}", 1, 1},
        {"gha-job", "forbid: {field: runs-on, in: [self-hosted]}", 2, 0},
        {"gha-job", "forbid: {field: runs-on, equals: linux}", 1, 1},
        {"gha-job", "where: {field: environment, equals: production}\n"
                    "require: {field: timeout-minutes, exists: true}", 2, 1},
        {"gha-job", "where: {field: environment, equals: production}\n"
                    "require: {field: timeout-minutes, exists: true}", 1, 0},
        {"gha-job", "forbid: {field: steps, some: {field: run, matches: 'curl .*[|] *sh'}}", 1, 1},
        {"gha-job", "require: {field: steps, every: {field: ref-kind, in: [sha, local]}}", 1, 1},
        {"gha-step", "require: {field: ref-kind, equals: sha}", 3, 1},
        {"gha-step", "forbid: {field: action, equals: actions/checkout}", 3, 1},
        {"gha-step", "forbid: {field: action, equals: actions/checkout}", 4, 0},
        {"gha-workflow", "forbid: {field: triggers, in: [pull_request_target]}", 0, 1},
        {"gha-workflow", "forbid: {field: jobs, some: {field: runs-on, in: [self-hosted]}}", 0, 1},
        {"gha-workflow", "require: {field: jobs, every: {field: id, matches: '^[a-z]+$'}}", 0, 0},
    };
    const void *ents[] = {&wf, &build, &test, &checkout, &script};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct arena *a = arena_new();
        struct rule *r = rule_new(a, cases[i].type, cases[i].cond);
        struct errbuf err = {{0}, 0};
        cr_assert_eq(lint_condition_validate(r, &err), 0, "case %zu: %s", i, err.msg);
        int hit = -1;
        cr_assert_eq(lint_condition_eval(r, ents[cases[i].which], &hit), 0);
        cr_expect_eq(hit, cases[i].violates, "case %zu: %s", i, cases[i].cond);
        arena_free(a);
    }
}

Test(condition, validation_errors)
{
    static const struct {
        const char *type, *cond, *want;
    } cases[] = {
        {"k8s-objekt", "require: {field: kind, exists: true}",
         "applies-to: gha-workflow, gha-job, gha-step, k8s-object or k8s-container, not "
         "'k8s-objekt'; did you mean 'k8s-object'?"},
        {"k8s-object", "require: {field: lables.owner, exists: true}",
         "policy.yaml:1:18: rule test-rule: k8s-object has no field 'lables.owner'"},
        {"k8s-object", "require: {field: nmae, exists: true}", "did you mean 'name'?"},
        {"k8s-object", "require: {field: kind, equal: Deployment}",
         "unknown operator 'equal'; did you mean 'equals'?"},
        {"k8s-object", "require: {field: kind}", "field 'kind' needs exactly one operator"},
        {"k8s-object", "require: {field: kind, equals: a, in: [b]}", "exactly one operator"},
        {"k8s-object", "require: {field: kind, in: Deployment}", "'in' takes a list"},
        {"k8s-object", "require: {field: name, matches: '(['}", "valid POSIX extended"},
        {"k8s-object", "require: {field: replicas, ge: many}", "'ge' takes a number"},
        {"k8s-object", "require: {field: name, some: {field: x, exists: true}}",
         "'some' needs a list of entities"},
        {"k8s-object", "require: {field: containers, equals: web}",
         "'containers' is a list of entities"},
        {"k8s-object", "require: {field: containers, some: {field: imag, exists: true}}",
         "k8s-container has no field 'imag'; did you mean 'image'?"},
        {"k8s-object", "require: {all: {field: kind, exists: true}}", "take a list"},
        {"k8s-object", "require: {every: [a]}", "needs 'field' and one operator"},
        {"k8s-object", "where: {field: kind, exists: true}", "exactly one of require or forbid"},
        {"k8s-object", "require: {field: kind, exists: true}\nforbid: {field: kind, exists: true}",
         "exactly one of require or forbid"},
        {"k8s-object", "require: {field: kind, exists: true}\nwhen: {field: kind, exists: true}",
         "unknown condition key 'when'"},
        {"gha-job", "require: {field: steps, some: {field: kind, exists: true}}",
         "gha-step has no field 'kind'"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct arena *a = arena_new();
        struct rule *r = rule_new(a, cases[i].type, cases[i].cond);
        struct errbuf err = {{0}, 0};
        cr_expect_neq(lint_condition_validate(r, &err), 0, "case %zu should fail", i);
        cr_expect(strstr(err.msg, cases[i].want) != NULL, "case %zu: got '%s'", i, err.msg);
        arena_free(a);
    }
}

/* The README's two examples, loaded from docs/policies/ as a user's policy folder. */
Test(condition, readme_policies)
{
    char *dir = path_join(t_root(), "docs/policies");
    const char *dirs[] = {dir};
    struct catalogue cat;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&cat, dirs, 1, &err), 0, "%s", err.msg);
    cr_assert_eq(lint_conditions_prepare(&cat, &err), 0, "%s", err.msg);

    const struct rule *owner = lint_rule_find(&cat, "team-deployment-owner");
    cr_assert_not_null(owner);
    struct fixture fx;
    fixture_init(&fx);
    int hit = -1;
    cr_assert_eq(lint_condition_eval(owner, &fx.obj, &hit), 0);
    cr_expect_eq(hit, 0, "has an owner label");
    fx.labels[0].key = "team";
    lint_condition_eval(owner, &fx.obj, &hit);
    cr_expect_eq(hit, 1, "no owner label");
    fx.obj.kind = "Service";
    lint_condition_eval(owner, &fx.obj, &hit);
    cr_expect_eq(hit, 0, "only Deployments");

    const struct rule *runner = lint_rule_find(&cat, "team-no-self-hosted-runner");
    cr_assert_not_null(runner);
    cr_expect_eq(runner->severity, SEV_ERROR);
    struct gha_job job = {.id = "build", .runs_on = "self-hosted,linux,x64"};
    lint_condition_eval(runner, &job, &hit);
    cr_expect_eq(hit, 1);
    job.runs_on = "ubuntu-24.04";
    lint_condition_eval(runner, &job, &hit);
    cr_expect_eq(hit, 0);
    job.runs_on = "my-self-hosted-pool"; /* a label is matched whole */
    lint_condition_eval(runner, &job, &hit);
    cr_expect_eq(hit, 0);

    /* Run through the scan's hook, as on_unit checks are: findings land on the entity. */
    struct srcfile file = {.path = (char *)"k8s/app.yaml", .display = (char *)"k8s/app.yaml"};
    struct unit u = {.file = &file, .kind = FK_K8S, .arena = arena_new()};
    fx.obj.kind = "Deployment";
    fx.obj.loc.line = 7;
    fx.obj.loc.col = 1;
    vec_push(&u.k8s_objects, &fx.obj);
    struct findings out = {VEC_INIT};
    struct lint_ctx ctx = {.unit = &u, .out = &out, .cat = &cat};
    lint_conditions_run(&ctx);
    cr_assert_eq(out.v.len, 1);
    const struct finding *f = out.v.items[0];
    cr_expect_str_eq(f->rule_id, "team-deployment-owner");
    cr_expect_eq(f->line, 7);
    cr_expect_str_eq(f->entity, "Deployment/payments-api");
    findings_release(&out);
    vec_release(&u.k8s_objects);
    arena_free(u.arena);
    lint_catalogue_release(&cat);
    free(dir);
}

/* A bad condition in a --policies folder stops the scan with the policy file's position. */
Test(condition, bad_policy_folder_is_a_usage_error)
{
    char *dir = t_tmpdir();
    char *pol = path_join(dir, "policies");
    t_write(pol, "mine.yaml", "category: reliability\nrules:\n  - id: mine\n    title: t\n"
                              "    severity: note\n    applies-to: k8s-object\n"
                              "    description: d\n    remediation: r\n"
                              "    check:\n      condition:\n"
                              "        require: {field: kinds, exists: true}\n");
    t_write(dir, "x.yaml", "a: 1\n");
    char *cmd = xasprintf("'%s' scan --policies '%s' '%s' 2>&1", t_bin(),
                          pol, dir);
    char *out = NULL;
    cr_expect_eq(t_run(cmd, &out), 2);
    cr_expect(strstr(out, "mine.yaml:11:26: rule mine: k8s-object has no field 'kinds'; did "
                          "you mean 'kind'?") != NULL, "%s", out);
    free(out);
    free(cmd);
    free(pol);
    t_rmtree(dir);
    free(dir);
}

Test(condition, fields_command_documents_every_entity_type)
{
    char *cmd = xasprintf("'%s' fields", t_bin());
    char *out = NULL;
    cr_assert_eq(t_run(cmd, &out), 0);
    static const char *const want[] = {"gha-workflow\n", "gha-job\n", "gha-step\n",
                                       "k8s-object\n", "k8s-container\n", "  labels.",
                                       "  runs-on "};
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        cr_expect(strstr(out, want[i]) != NULL, "%s missing", want[i]);
    free(out);
    free(cmd);
    /* rules and explain see a user's policies too. */
    cmd = xasprintf("'%s' explain team-deployment-owner --policies '%s/docs/policies'",
                    t_bin(), t_root());
    cr_expect_eq(t_run(cmd, &out), 0);
    cr_expect(str_startswith(out, "team-deployment-owner: Deployment has no owner label\n"), "%s",
              out);
    free(out);
    free(cmd);
}

/* End to end with the Kubernetes loader: the README's owner policy from --policies. */
Test(condition, owner_policy_in_a_scan)
{
    char *dir = t_tmpdir();
    t_write(dir, "k8s/apps.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\n"
            "  labels: {app: payments}\nspec:\n  replicas: 2\n"
            "---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger\n"
            "  labels: {owner: ledger-team}\nspec:\n  replicas: 2\n"
            "---\n"
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: payments-api\n"
            "spec:\n  selector: {app: payments}\n");
    char *pol = path_join(t_root(), "docs/policies");
    const char *paths[] = {dir}, *dirs[] = {pol};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .policy_dirs = dirs,
                          .npolicy_dirs = 1};
    o.discover.no_git = 1;
    struct scan s;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(t_count(&s, "team-deployment-owner", NULL, 0), 1);
    cr_expect_eq(t_count(&s, "team-deployment-owner", "k8s/apps.yaml", 1), 1);
    lint_scan_release(&s);

    /* Disabled in the config: no finding. */
    t_write(dir, ".opsbook.yml", "rules:\n  team-deployment-owner: off\n");
    struct config c;
    cr_assert_eq(config_load(&c, dir, NULL, &err), 0, "%s", err.msg);
    o.config = &c;
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(t_count(&s, "team-deployment-owner", NULL, 0), 0);
    lint_scan_release(&s);
    config_release(&c);
    free(pol);
    t_rmtree(dir);
    free(dir);
}

/* End to end with the GitHub Actions loader: the README's runner policy. */
Test(condition, runner_policy_in_a_scan)
{
    char *dir = t_tmpdir();
    t_write(dir, ".github/workflows/ci.yml",
            "name: ci\non: push\npermissions: {}\njobs:\n"
            "  build:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 10\n"
            "    steps:\n      - run: make\n"
            "  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 10\n"
            "    steps:\n      - run: make test\n");
    char *pol = path_join(t_root(), "docs/policies");
    const char *paths[] = {dir}, *dirs[] = {pol};
    struct scan_opts o = {.paths = paths, .npaths = 1, .threads = 2, .policy_dirs = dirs,
                          .npolicy_dirs = 1};
    o.discover.no_git = 1;
    struct scan s;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_scan_run(&s, &o, &err), 0, "%s", err.msg);
    if (t_count(&s, "team-no-self-hosted-runner", NULL, 0) != 1)
        t_dump(&s);
    cr_expect_eq(t_count(&s, "team-no-self-hosted-runner", NULL, 0), 1);
    cr_expect_eq(t_count(&s, "team-no-self-hosted-runner", ".github/workflows/ci.yml", 5), 1);
    cr_expect(lint_scan_failed(&s, SEV_ERROR), "the policy is an error");
    lint_scan_release(&s);
    free(pol);
    t_rmtree(dir);
    free(dir);
}
