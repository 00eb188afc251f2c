/* Secrets are never shown: the one masking routine (core/redact.c) as a table, then a real
 * Git repository holding eleven kinds of secret in every place a secret ends up (workflow,
 * job and step names, manifests, a Secret's stringData, .env, Terraform defaults and module
 * sources, an Argo CD repoURL, a Kustomize remote base, a Dockerfile ENV, a Markdown heading
 * and body, two on one line, one only in history), scanned in every format, with and
 * without --history, as the model and as the site: no 8-byte stretch of any secret's random
 * part may appear in anything written or printed, file names included. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "testlib.h"

/* ---- the routine ---- */

struct redact_case {
    const char *secret;
    const char *input;
    const char *expect;
};

static const struct redact_case redact_cases[] = {
    /* the value itself, and in a longer text */
    {"ghp_f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf", "token ghp_f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf.",
     "token ****************************************."},
    /* lower-cased, as in a heading's anchor id */
    {"ghp_f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf",
     "id=\"rotate-ghp_f1yahxpfjttuddeksEU2ac13fa61esyhd1nf\"",
     "id=\"rotate-****************************************\""},
    /* cut short: a stretch of 8 is enough */
    {"ghp_f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf", "name: deploy ghp_f1YaHxpF…",
     "name: deploy ************…"},
    /* a JSON-escaped PEM body: the escapes stay, the base64 goes */
    {"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhki\\nG9w0BAQEFAASCBKcwggSjAgEA\\n",
     "\"k\": \"MIIEvQIBADANBgkqhki\\nG9w0BAQEFAASCBKcwggSjAgEA\\n\"",
     "\"k\": \"*******************\\n*************************\\n\""},
    /* HTML entities and percent escapes around it are kept whole */
    {"Pg5Hn8Ks2Mq7Wr4Xt9", "a&amp;Pg5Hn8Ks2Mq7Wr4Xt9&lt;%41Pg5Hn8Ks2Mq7",
     "a&amp;******************&lt;%41************"},
    /* words of ordinary text are never masked, even when a secret contains them */
    {"password-production-2024", "the production password", "the production password"},
    /* too short to mask elsewhere */
    {"abc123", "abc123 abc123", "abc123 abc123"},
    /* nothing known: nothing changes */
    {"", "AKIAQX7RZ4M2LWP5TB3K", "AKIAQX7RZ4M2LWP5TB3K"},
};

Test(redact, the_table)
{
    for (size_t i = 0; i < ARRAY_LEN(redact_cases); i++) {
        const struct redact_case *c = &redact_cases[i];
        struct redact *r = redact_new();
        redact_add(r, c->secret, strlen(c->secret));
        char *buf = xstrdup(c->input);
        redact_str(r, buf);
        cr_expect_str_eq(buf, c->expect, "case %zu: %s", i, c->input);
        free(buf);
        redact_free(r);
    }
}

Test(redact, many_secrets_from_threads_and_a_bound)
{
    struct redact *r = redact_new();
    char v[64];
    for (int i = 0; i < 300000; i++) {
        int n = snprintf(v, sizeof(v), "Key%07dXyZ%07d", i, i * 7);
        redact_add(r, v, (size_t)n);
    }
    cr_expect_gt(redact_count(r), 1000u);
    cr_expect_leq(redact_count(r), 2u << 20, "the set is bounded");
    char s[] = "x Key0000042XyZ0000294 y";
    redact_str(r, s);
    cr_expect_str_eq(s, "x ******************** y");
    redact_free(r);
}

/* ---- the repository ---- */

/* The random part of each secret: none of its 8-byte stretches may be shown. */
static const char *const random_parts[] = {
    "QX7RZ4M2LWP5TB3K",                                                  /* AWS key id */
    "U89K1D5a0HECbLMQsNcCGctd76LCNUH1lS+2wLfK",                          /* its secret key */
    "f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf",                              /* GitHub PAT */
    "FPb9jTo6z5xcIcQPzMuEGQ80YRP10eougTfI",                              /* one in history */
    "AczD4UDDqcdbTmBQq79GygZn",                                          /* Slack */
    "hAOgshDBj1zpi4i4zBGozlxQF0l3",                                      /* Stripe live */
    "AnQB2bFtKsh2eWYtVFpI",                                              /* stringData */
    "PEnLCGiFJfWOQgUQudDf",                                              /* Terraform default */
    "ZFUWdGvIkgTxzszeom",                                                /* database URL */
    "6AbaCQYAhIcXhsCAIdB89Sr6wnyclVKmtexpDSA3lxl7kettuA1fToZ0HpXyT4V3",  /* PEM */
    "cSykBX0hB0RfZScs1EPvZhWfZ5esavyL0dgpaqOkM5s2K0ksfMHM4OjHWN9cpoQZ",
    "I5LBIb8azk1tCR0nIbOvV1LUBuzfkJacmIynp//TcaiG1pQ19WEzNuCxwXTjsdAs",
    "0lHL2RPYzQF6dcSc400lsEFcwfvHCU+e/qFO81VQFL0b0aA3taBrdmzEZJb6hPNO",
    "QFEfKsGPSpFk/gMFIYtKhSWbBTkPRU2NFoylq2xqzuB7FAs2KemDVLDhnblmuseX",  /* GCP key */
    "3UNDuwRSY1EM0tSn1W+TsWF23xz3iW0nbF7OT6ixKkmVRJhA3nI3EPj26FVJUO4l",
    "FRbFl4MTuVlXR/qtmVZLyeQLGuSNNr23WaINK5V/MQOMg7v/T1BciR8cIe++UWFM",
    "ZOWIQIBjzSNwnb1L-VVzz1uXNkN-y5hNF4hXhpQjyzW",                       /* JWT signature */
};

#define PAT "ghp_f1YaHxpFjttuDDekSEU2aC13Fa61ESYhD1Nf"
#define SLACK "xoxb-1306010624-329038311246-AczD4UDDqcdbTmBQq79GygZn"
#define STRIPE "sk_live_hAOgshDBj1zpi4i4zBGozlxQF0l3"
#define DBURL "postgres://app:ZFUWdGvIkgTxzszeom@db.internal:5432/app"
#define JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZXBsb3kiLCJpYXQiOjE3MDAwMDAwMDB9." \
            "ZOWIQIBjzSNwnb1L-VVzz1uXNkN-y5hNF4hXhpQjyzW"

static const struct {
    const char *path, *text;
} secret_files[] = {
    {".github/workflows/release.yml",
     "name: release " PAT "\n"
     "on: push\n"
     "permissions: {}\n"
     "jobs:\n"
     "  " "sk_live_hAOgshDBj1zpi4i4zBGozlxQF0l3" ":\n"
     "    runs-on: ubuntu-latest\n"
     "    steps:\n"
     "      - name: notify " SLACK "\n"
     "        run: curl -H 'Authorization: Bearer " JWT "' https://hooks.internal/x\n"
     "        env:\n"
     "          DATABASE_URL: " DBURL "\n"},
    {"k8s/secret.yaml",
     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
     "  db-password: AnQB2bFtKsh2eWYtVFpI\n"},
    {"k8s/deploy.yaml",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
     "  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n"
     "    spec:\n      containers:\n        - name: api\n          image: acme/api:1.0\n"
     "          env:\n            - name: AWS_ACCESS_KEY_ID\n"
     "              value: AKIAQX7RZ4M2LWP5TB3K\n"},
    {"k8s/kustomization.yaml",
     "resources:\n  - secret.yaml\n  - deploy.yaml\n"
     "  - https://x-access-token:" PAT "@github.com/acme/base?ref=v1\n"},
    {"argocd/app.yaml",
     "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\n"
     "spec:\n  source:\n"
     "    repoURL: https://deploy:ZFUWdGvIkgTxzszeom@git.internal/acme/gitops.git\n"
     "    path: k8s\n  destination:\n    namespace: api\n"},
    {"infra/main.tf",
     "variable \"db_password\" {\n  type    = string\n  default = \"PEnLCGiFJfWOQgUQudDf\"\n}\n"
     "module \"net\" {\n"
     "  source = \"git::https://oauth2:" PAT "@github.com/acme/net.git?ref=v1\"\n}\n"},
    {".env",
     "AWS_ACCESS_KEY_ID=AKIAQX7RZ4M2LWP5TB3K\n"
     "aws_key2=U89K1D5a0HECbLMQsNcCGctd76LCNUH1lS+2wLfK\n"
     "SLACK=" SLACK " STRIPE=" STRIPE "\n"},
    {"keys/deploy.pem",
     "-----BEGIN RSA PRIVATE KEY-----\n"
     "6AbaCQYAhIcXhsCAIdB89Sr6wnyclVKmtexpDSA3lxl7kettuA1fToZ0HpXyT4V3\n"
     "cSykBX0hB0RfZScs1EPvZhWfZ5esavyL0dgpaqOkM5s2K0ksfMHM4OjHWN9cpoQZ\n"
     "I5LBIb8azk1tCR0nIbOvV1LUBuzfkJacmIynp//TcaiG1pQ19WEzNuCxwXTjsdAs\n"
     "0lHL2RPYzQF6dcSc400lsEFcwfvHCU+e/qFO81VQFL0b0aA3taBrdmzEZJb6hPNO\n"
     "-----END RSA PRIVATE KEY-----\n"},
    {"keys/sa.json",
     "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n"
     "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
     "QFEfKsGPSpFk/gMFIYtKhSWbBTkPRU2NFoylq2xqzuB7FAs2KemDVLDhnblmuseX\\n"
     "3UNDuwRSY1EM0tSn1W+TsWF23xz3iW0nbF7OT6ixKkmVRJhA3nI3EPj26FVJUO4l\\n"
     "FRbFl4MTuVlXR/qtmVZLyeQLGuSNNr23WaINK5V/MQOMg7v/T1BciR8cIe++UWFM\\n"
     "-----END PRIVATE KEY-----\\n\",\n"
     "  \"client_email\": \"ci@acme-prod.iam.gserviceaccount.com\"\n}\n"},
    {"docs/runbook.md",
     "# Runbook\n\n## Rotate " PAT "\n\nThe database is at " DBURL ".\n\n"
     "Call the hook with `" JWT "`.\n\n[repo](https://x:" PAT "@github.com/acme/api)\n"},
    {"Dockerfile", "FROM alpine:3.19\nENV STRIPE_API_KEY=" STRIPE "\nUSER 1000\n"},
};

/* Asserts that no 8-byte stretch of a secret's random part is in `text` (case folded:
 * anchors lower-case what they are made of). */
static void expect_no_secret(const char *what, const char *text, size_t len)
{
    char *low = xmalloc(len + 1);
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower((unsigned char)text[i]);
    low[len] = '\0';
    for (size_t s = 0; s < ARRAY_LEN(random_parts); s++) {
        const char *p = random_parts[s];
        size_t n = strlen(p);
        for (size_t i = 0; i + REDACT_WINDOW <= n; i++) {
            char w[REDACT_WINDOW + 1];
            for (size_t k = 0; k < REDACT_WINDOW; k++)
                w[k] = (char)tolower((unsigned char)p[i + k]);
            w[REDACT_WINDOW] = '\0';
            const char *at = memmem(low, len, w, REDACT_WINDOW);
            if (at) {
                size_t off = (size_t)(at - low), a = off > 60 ? off - 60 : 0;
                cr_expect_fail("%s shows '%s' (of secret %zu): …%.*s…", what, w, s,
                               (int)(off + 70 < len ? off + 70 - a : len - a), text + a);
                free(low);
                return;
            }
        }
    }
    free(low);
}

static size_t outputs_checked;

/* Runs an opsbook command in `dir`, checks its standard output and error. */
static void run_checked(const char *dir, const char *args)
{
    char *out = NULL;
    char *cmd = xasprintf("cd '%s' && '%s' %s 2>&1", dir, t_bin(), args);
    int rc = t_run(cmd, &out);
    cr_expect(rc == 0 || rc == 1, "%s: exit %d\n%s", args, rc, out ? out : "");
    expect_no_secret(args, out ? out : "", out ? strlen(out) : 0);
    outputs_checked++;
    free(out);
    free(cmd);
}

/* Checks every file below `dir` and every name in it. */
static void files_checked(const char *dir)
{
    char *list = NULL;
    char *cmd = xasprintf("cd '%s' && find . -print", dir);
    cr_assert_eq(t_run(cmd, &list), 0);
    expect_no_secret("a file name", list, strlen(list));
    free(cmd);
    char *save = NULL;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *path = path_join(dir, line);
        size_t len = 0;
        char *text = t_read(path, &len); /* NULL for a folder */
        if (text) {
            expect_no_secret(path, text, len);
            outputs_checked++;
        }
        free(text);
        free(path);
    }
    free(list);
}

Test(redact, no_output_shows_a_secret, .timeout = 120)
{
    char *dir = t_tmpdir();
    char *repo = path_join(dir, "repo");
    char *out = path_join(dir, "out");
    t_write(out, ".keep", "");
    t_git(dir, "git init -q -b main repo");
    /* one secret only in history: committed, then deleted */
    t_write(repo, "old/creds.txt", "GITHUB_TOKEN=ghp_FPb9jTo6z5xcIcQPzMuEGQ80YRP10eougTfI\n");
    t_git(repo, "git add -A && git -c commit.gpgsign=false commit -q -m creds");
    t_git(repo, "git rm -q old/creds.txt && git -c commit.gpgsign=false commit -q -m drop");
    for (size_t i = 0; i < ARRAY_LEN(secret_files); i++)
        t_write(repo, secret_files[i].path, secret_files[i].text);
    t_git(repo, "git add -A && git -c commit.gpgsign=false commit -q -m platform");

    static const char *const formats[] = {"text", "json", "sarif", "github", "junit"};
    for (size_t i = 0; i < ARRAY_LEN(formats); i++) {
        char *a = xasprintf("scan --no-ignores --format %s . --output-%s '%s/%s'", formats[i],
                            formats[i], out, formats[i]);
        run_checked(repo, a);
        free(a);
        a = xasprintf("scan --history --format %s . --output-%s '%s/history-%s'", formats[i],
                      formats[i], out, formats[i]);
        run_checked(repo, a);
        free(a);
    }
    char *a = xasprintf("model . -o '%s/model.json'", out);
    run_checked(repo, a);
    free(a);
    run_checked(repo, "model .");
    a = xasprintf("site . -o '%s/site'", out);
    run_checked(repo, a);
    free(a);
    files_checked(out);
    cr_expect_gt(outputs_checked, 40u);

    /* and the scan did find them: the test is not passing on an empty report */
    char *json = NULL;
    char *cmd = xasprintf("cd '%s' && '%s' scan --format json .", repo, t_bin());
    t_run(cmd, &json);
    static const char *const found[] = {"secret-github-token", "secret-slack-token",
                                        "secret-stripe-key", "secret-private-key",
                                        "secret-gcp-service-account-key", "secret-aws-access-key",
                                        "secret-url-credentials", "secret-jwt",
                                        "k8s-plain-secret-committed"};
    for (size_t i = 0; i < ARRAY_LEN(found); i++)
        cr_expect(json && strstr(json, found[i]), "no %s finding", found[i]);
    free(json);
    free(cmd);
    cmd = xasprintf("cd '%s' && '%s' scan --history --format json .", repo, t_bin());
    t_run(cmd, &json);
    cr_expect(json && strstr(json, "old/creds.txt"), "the deleted secret is found in history");
    free(json);
    free(cmd);
    t_rmtree(dir);
    free(repo);
    free(out);
    free(dir);
}

/* Past the 200 findings of one rule in one file, the rest are still masked everywhere. */
Test(redact, secrets_past_the_per_file_cap_are_masked_too, .timeout = 60)
{
    char *dir = t_tmpdir();
    struct strbuf sb = STRBUF_INIT, tokens = STRBUF_INIT;
    for (int i = 0; i < 250; i++) {
        char tok[64];
        snprintf(tok, sizeof(tok), "ghp_%04dAbCdEfGhIjKlMnOpQrStUvWxYz%04dQ", i, 7 * i);
        sb_addf(&sb, "TOKEN_%d=%s\n", i, tok);
        sb_addf(&tokens, "%s\n", tok + 4);
    }
    t_write(dir, "repo/dump.env", sb.buf);
    char *out = NULL;
    char *cmd = xasprintf("cd '%s/repo' && '%s' site --no-git . -o ../site >/dev/null 2>&1; "
                          "'%s' scan --no-git --format json .; cat ../site/src/*.html",
                          dir, t_bin(), t_bin());
    t_run(cmd, &out);
    cr_assert(out && strstr(out, "dump.env"));
    size_t shown = 0;
    char *save = NULL;
    for (char *t = strtok_r(tokens.buf, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
        shown += strstr(out, t) != NULL;
    cr_expect_eq(shown, 0, "%zu of 250 tokens shown", shown);
    free(out);
    free(cmd);
    sb_release(&sb);
    sb_release(&tokens);
    t_rmtree(dir);
    free(dir);
}
