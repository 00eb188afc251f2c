/* docker-compose: the service model (short and long syntaxes, interpolation) and every
 * compose-* rule with true positives and near misses. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/compose.h"
#include "testlib.h"

struct loaded {
    struct srcfile sf;
    struct unit u;
    const struct compose_file *cf;
};

static void load(struct loaded *l, const char *text)
{
    memset(l, 0, sizeof(*l));
    l->sf.path = "docker-compose.yml";
    l->u.file = &l->sf;
    l->u.kind = FK_COMPOSE;
    l->u.arena = arena_new();
    model_unit_load(&l->u, text, strlen(text));
    cr_assert_eq(l->u.compose.len, 1);
    l->cf = l->u.compose.items[0];
}

static void unload(struct loaded *l)
{
    findings_release(&l->u.diags);
    vec_release(&l->u.compose);
    arena_free(l->u.arena);
}

static const struct compose_service *service(const struct loaded *l, const char *name)
{
    for (size_t i = 0; i < l->cf->nservices; i++)
        if (strcmp(l->cf->services[i].name, name) == 0)
            return &l->cf->services[i];
    cr_assert_fail("no service %s", name);
    return NULL;
}

Test(compose, services_in_short_and_long_syntax)
{
    struct loaded l;
    load(&l, "services:\n"
             "  api:\n"
             "    build:\n"
             "      context: ./services/api\n"
             "      dockerfile: Dockerfile.dev\n"
             "    image: api:dev\n"
             "    user: \"10001:10001\"\n"
             "    ports:\n"
             "      - \"127.0.0.1:8080:80/tcp\"\n"
             "      - 9090\n"
             "      - target: 443\n"
             "        published: \"8443\"\n"
             "    environment:\n"
             "      LOG_LEVEL: debug\n"
             "      PASSTHROUGH:\n"
             "    volumes:\n"
             "      - ./src:/app/src:ro\n"
             "      - data:/var/lib/data\n"
             "      - /cache\n"
             "      - type: bind\n"
             "        source: /var/run/docker.sock\n"
             "        target: /var/run/docker.sock\n"
             "        read_only: true\n"
             "    cap_add: [NET_ADMIN, SYS_TIME]\n"
             "    network_mode: host\n"
             "    privileged: false\n"
             "  db:\n"
             "    image: postgres:16.3-alpine\n"
             "    environment:\n"
             "      - POSTGRES_USER=app\n"
             "      - \"POSTGRES_DB=ledger\"\n"
             "      - PGDATA\n");
    cr_assert_eq(l.cf->nservices, 2);
    const struct compose_service *api = service(&l, "api");
    cr_assert(api->has_build);
    cr_assert_str_eq(api->build_context, "./services/api");
    cr_assert_str_eq(api->build_dockerfile, "Dockerfile.dev");
    cr_assert_str_eq(api->user, "10001:10001");
    cr_assert_eq(api->nports, 3);
    cr_assert_str_eq(api->ports[0].host_ip, "127.0.0.1");
    cr_assert_str_eq(api->ports[0].published, "8080");
    cr_assert_str_eq(api->ports[0].target, "80");
    cr_assert_null(api->ports[1].published);
    cr_assert_str_eq(api->ports[2].published, "8443");
    cr_assert_eq(api->nenv, 2);
    cr_assert_null(api->env[1].value);
    cr_assert_eq(api->nvolumes, 4);
    cr_assert_str_eq(api->volumes[0].type, "bind");
    cr_assert(api->volumes[0].read_only);
    cr_assert_str_eq(api->volumes[1].type, "volume");
    cr_assert_null(api->volumes[2].source);
    cr_assert_str_eq(api->volumes[3].source, "/var/run/docker.sock");
    cr_assert(api->volumes[3].read_only);
    cr_assert_eq(api->volumes[3].loc.line, 20);
    cr_assert_eq(api->ncap_add, 2);
    cr_assert_str_eq(api->cap_add[1], "SYS_TIME");
    cr_assert_str_eq(api->network_mode, "host");
    cr_assert_eq(api->privileged, 0);
    const struct compose_service *db = service(&l, "db");
    cr_assert_eq(db->privileged, -1);
    cr_assert_str_eq(db->image.tag, "16.3-alpine");
    cr_assert_eq(db->nenv, 3);
    cr_assert_str_eq(db->env[1].name, "POSTGRES_DB");
    cr_assert_str_eq(db->env[1].value, "ledger");
    cr_assert_eq(db->env[1].value_loc.col, 22);
    cr_assert_null(db->env[2].value);
    unload(&l);
}

Test(compose, interpolation)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"redis:7.2", "redis:7.2"},
        {"redis:${TAG:-7.2}", "redis:7.2"},
        {"redis:${TAG-latest}", "redis:latest"},
        {"redis:${TAG}", NULL},
        {"redis:$TAG", NULL},
        {"redis:${TAG:?set TAG}", NULL},
        {"a$$b", "a$b"},
    };
    struct arena *a = arena_new();
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *got = compose_interpolate(a, cases[i].in);
        if (cases[i].out)
            cr_assert(got && strcmp(got, cases[i].out) == 0, "%s: %s", cases[i].in,
                      got ? got : "(null)");
        else
            cr_assert_null(got, "%s: %s", cases[i].in, got);
    }
    arena_free(a);
}

Test(compose, not_a_compose_file_and_odd_shapes)
{
    static const char *const inputs[] = {
        "",
        "services: []\n",
        "services:\n  a: 1\n  b:\n    ports: 80\n    environment: x\n",
        "services:\n  a:\n    volumes: [{source: 1}, [x]]\n    cap_add: {a: b}\n",
        "services:\n  a:\n    build: {}\n    image: [x]\n    ports: [{}]\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
        struct loaded l;
        load(&l, inputs[i]);
        unload(&l);
    }
}

struct rule_case {
    const char *what, *content, *rule;
    int count, line;
};

#define SVC "services:\n  app:\n"

static const struct rule_case cases[] = {
    /* compose-privileged */
    {"privileged", SVC "    image: a:1\n    privileged: true\n", "compose-privileged", 1, 4},
    {"privileged false", SVC "    image: a:1\n    privileged: false\n", "compose-privileged", 0, 0},
    {"privileged elsewhere", "x-privileged:\n  privileged: true\n" SVC "    image: a:1\n",
     "compose-privileged", 0, 0},
    /* compose-image-latest-or-untagged */
    {"untagged", SVC "    image: redis\n", "compose-image-latest-or-untagged", 1, 3},
    {"latest", SVC "    image: ghcr.io/acme/app:latest\n", "compose-image-latest-or-untagged", 1,
     3},
    {"default latest", SVC "    image: redis:${TAG:-latest}\n", "compose-image-latest-or-untagged",
     1, 3},
    {"port without tag", SVC "    image: registry.example.com:5000/app\n",
     "compose-image-latest-or-untagged", 1, 3},
    {"pinned", SVC "    image: redis:7.2.5-alpine\n", "compose-image-latest-or-untagged", 0, 0},
    {"digest", SVC "    image: redis@sha256:0123abcd\n", "compose-image-latest-or-untagged", 0, 0},
    {"port and tag", SVC "    image: registry.example.com:5000/app:1.2.3\n",
     "compose-image-latest-or-untagged", 0, 0},
    {"built here", SVC "    build: .\n    image: app\n", "compose-image-latest-or-untagged", 0, 0},
    {"variable", SVC "    image: redis:${TAG}\n", "compose-image-latest-or-untagged", 0, 0},
    /* compose-secret-in-environment */
    {"map", SVC "    environment:\n      API_TOKEN: tok-3e9d1c2a7b\n",
     "compose-secret-in-environment", 1, 4},
    {"list", SVC "    environment:\n      - LOG_LEVEL=info\n      - CLIENT_SECRET=abc123xQ9z\n",
     "compose-secret-in-environment", 1, 5},
    {"quoted", SVC "    environment:\n      STRIPE_API_KEY: \"sk-dev-123\"\n",
     "compose-secret-in-environment", 1, 4},
    {"from the environment", SVC "    environment:\n      API_TOKEN: ${API_TOKEN}\n",
     "compose-secret-in-environment", 0, 0},
    {"pass-through", SVC "    environment:\n      - API_TOKEN\n      SECRET_X:\n",
     "compose-secret-in-environment", 0, 0},
    {"file reference", SVC "    environment:\n      DB_PASSWORD_FILE: /run/secrets/db\n",
     "compose-secret-in-environment", 0, 0},
    {"not a secret", SVC "    environment:\n      TOKEN_TTL: 3600\n      LOG_LEVEL: debug\n",
     "compose-secret-in-environment", 0, 0},
    /* compose-docker-socket-mount */
    {"short", SVC "    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
     "compose-docker-socket-mount", 1, 4},
    {"long",
     SVC "    volumes:\n      - type: bind\n        source: /run/docker.sock\n"
         "        target: /var/run/docker.sock\n",
     "compose-docker-socket-mount", 1, 4},
    {"interpolated",
     SVC "    volumes:\n      - ${SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n",
     "compose-docker-socket-mount", 1, 4},
    {"named volume", SVC "    volumes:\n      - docker-data:/var/lib/docker\n",
     "compose-docker-socket-mount", 0, 0},
    {"other socket", SVC "    volumes:\n      - /var/run/postgresql:/var/run/postgresql\n",
     "compose-docker-socket-mount", 0, 0},
};

Test(compose, rules_fire_on_violations_and_not_on_near_misses)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int line = 0;
        /* A literal secret is reported once: by the secrets scanner when one of its rules
         * knows the value, else by compose-secret-in-environment (its yields-to parameter). */
        const char *match = strcmp(cases[i].rule, "compose-secret-in-environment") == 0
                                ? "compose-secret-in-environment,secret-*"
                                : cases[i].rule;
        int n = t_scan_one("docker-compose.yml", cases[i].content, match, &line);
        cr_expect_eq(n, cases[i].count, "%s / %s: %d findings, want %d", cases[i].rule,
                     cases[i].what, n, cases[i].count);
        if (cases[i].count && n)
            cr_expect_eq(line, cases[i].line, "%s / %s: line %d, want %d", cases[i].rule,
                         cases[i].what, line, cases[i].line);
    }
}

Test(compose, secret_value_is_masked_and_not_in_the_message)
{
    static const struct {
        const char *content;
        int col, len;
    } masks[] = {
        {SVC "    environment:\n      API_TOKEN: tok-3e9d1c2a7b\n", 18, 14},
        {SVC "    environment:\n      - API_TOKEN=tok-3e9d1c2a7b\n", 19, 14},
        {SVC "    environment:\n      - \"API_TOKEN=tok-3e9d1c2a7b\"\n", 20, 14},
    };
    for (size_t c = 0; c < ARRAY_LEN(masks); c++) {
        char *dir = t_tmpdir();
        t_write(dir, "compose.yaml", masks[c].content);
        struct scan s;
        t_scan(&s, dir);
        int seen = 0;
        for (size_t i = 0; i < s.findings.v.len; i++) {
            const struct finding *f = s.findings.v.items[i];
            if (strcmp(f->rule_id, "compose-secret-in-environment") != 0)
                continue;
            seen++;
            cr_expect_eq(f->mask_col, masks[c].col, "case %zu: col %d", c, f->mask_col);
            cr_expect_eq(f->mask_len, masks[c].len, "case %zu: len %d", c, f->mask_len);
            cr_expect_null(strstr(f->message, "3e9d1c2a7b"));
            cr_expect_null(strstr(f->excerpt, "3e9d1c2a7b"), "%s", f->excerpt);
        }
        cr_expect_eq(seen, 1, "case %zu", c);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}
