/* The secrets scanner: for every rule of policies/secrets.yaml a true positive and a near
 * miss (table-driven, all cases scanned in one directory), the catalogue's own bad and good
 * examples, masking, the value filters, and policy errors. Values are synthetic: sequences
 * such as A1b2C3d4… in the shape of the real format. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lint/secrets_int.h"
#include "tests/unit/testlib.h"

struct secret_case {
    const char *rel; /* file name inside the case's own folder */
    const char *content;
    const char *rule;
    int count; /* findings of `rule` there, and of all secret rules together */
    int line;  /* line of the first one (0: not checked) */
};

#define SEQ "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6"
#define HEX32 "0123456789abcdef0123456789abcdef"
#define PEM_RSA                                                                                    \
    "-----BEGIN RSA PRIVATE KEY-----\n"                                                            \
    "MIIEowIBAAKCAQEA" SEQ "\n"                                                                    \
    "-----END RSA PRIVATE KEY-----\n"

static const struct secret_case cases[] = {
    /* secret-aws-access-key */
    {"env.sh", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA2Q7RZK4W3V5T6Y7U\n",
     "secret-aws-access-key", 1, 2},
    {"cm.yaml", "data:\n  AWS_ACCESS_KEY_ID: ASIA2Q7RZK4W3V5T6Y7U\n", "secret-aws-access-key", 1,
     2},
    {"doc.md", "Use `AKIAIOSFODNN7EXAMPLE` with LocalStack.\n", "secret-aws-access-key", 0, 0},
    {"short.txt", "id: AKIA2Q7RZK4W3V5T6Y\nid2: AKIA2Q7RZK4W3V5T6Y7U8\n", "secret-aws-access-key",
     0, 0},
    /* secret-private-key: every PEM type, one-line JSON, and the near misses */
    {"key.pem", PEM_RSA, "secret-private-key", 1, 1},
    {"tls.yaml",
     "data:\n  tls.key: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEEI" SEQ
     "\n    -----END EC PRIVATE KEY-----\n",
     "secret-private-key", 1, 3},
    {"id",
     "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n"
     "-----END OPENSSH PRIVATE KEY-----\n",
     "secret-private-key", 1, 1},
    /* encrypted with a passphrase: ciphertext, not a key in the clear */
    {"enc.pem",
     "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq\n"
     "-----END ENCRYPTED PRIVATE KEY-----\n",
     "secret-private-key", 0, 0},
    {"legacy.pem",
     "-----BEGIN DSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
     "DEK-Info: AES-128-CBC,0123456789ABCDEF\n\nMIIBuwIBAAKBgQD" SEQ "\n",
     "secret-private-key", 0, 0},
    /* armour written with three dashes */
    {"short.pem",
     "---BEGIN RSA PRIVATE KEY---\nMIIEowIBAAKCAQEA1x7Yd9vQ3hT8pLm2Kq5Rz4Wn6Bc0Xs1Ge3Hy7Jf2Mp\n"
     "---END RSA PRIVATE KEY---\n",
     "secret-private-key", 1, 1},
    /* a SealedSecret holds ciphertext */
    {"sealed.yaml",
     "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n"
     "  encryptedData:\n    password: AgBy8hCi9Qw2Lm7Rt3Vx5Yz1Nb6Kd0Hf4Jg8Ps2Uw9Ea7Tc3Xq5Zr1\n",
     "secret-generic-password", 0, 0},
    /* SOPS ciphertext */
    {"secrets.enc.yaml",
     "db:\n  password: ENC[AES256_GCM,data:Zm9vYmFyYmF6cXV4,iv:abc,tag:def,type:str]\n",
     "secret-generic-password", 0, 0},
    {"pgp.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF" SEQ "\n", "secret-private-key", 1,
     1},
    {"one.json",
     "{\"key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n\"}\n",
     "secret-private-key", 1, 1},
    {"ca.yaml",
     "data:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIDdzCCAl+gAwIBAgIUB" SEQ
     "\n    -----END CERTIFICATE-----\n",
     "secret-private-key", 0, 0},
    {"howto.md",
     "Paste the key between `-----BEGIN PRIVATE KEY-----` and the END line.\n"
     "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n",
     "secret-private-key", 0, 0},
    {"pub.pem",
     "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n-----END PUBLIC KEY-----\n",
     "secret-private-key", 0, 0},
    /* secret-generic-password in source code: an unquoted right-hand side is an
     * expression (a parameter default, an argument, a type), a quoted one a literal */
    {"client.py", "def connect(host, key_password=None,\n            password=password):\n",
     "secret-generic-password", 0, 0},
    {"auth.py", "class Credentials:\n    password: str\n    token = self.password\n",
     "secret-generic-password", 0, 0},
    {"settings.py",
     "DATABASES = {\n    \"default\": {\n        \"PASSWORD\": \"Hq7-vR2mWx9pLk4s\",\n    },\n}\n",
     "secret-generic-password", 1, 3},
    {"db.go", "cfg := Config{\n\tPassword: \"Hq7-vR2mWx9pLk4s\",\n}\n",
     "secret-generic-password", 1, 2},
    /* secret-generic-password: each form of the benchmark, then its decoys */
    {"app.yaml", "database:\n  user: app\n  password: \"Hq7-vR2mWx9pLk4s\"\n",
     "secret-generic-password", 1, 3},
    {"deploy.yaml", "env:\n  - name: SMTP_PASSWORD\n    value: \"Hq7-vR2mWx9pLk4s\"\n",
     "secret-generic-password", 1, 3},
    {"main.tf",
     "resource \"aws_db_instance\" \"db\" {\n  username = \"app\"\n"
     "  password = \"Hq7-vR2mWx9pLk4s\"\n}\n",
     "secret-generic-password", 1, 3},
    {"variables.tf",
     "variable \"smtp_password\" {\n  description = \"Password.\"\n"
     "  type        = string\n  default     = \"Hq7-vR2mWx9pLk4s\"\n}\n",
     "secret-generic-password", 1, 4},
    {"entry.sh", "#!/bin/sh\nexport ADMIN_PASSWORD=\"Hq7-vR2mWx9pLk4s\"\nexec \"$@\"\n",
     "secret-generic-password", 1, 2},
    {"Dockerfile", "FROM alpine:3.20\nENV DB_PASSWORD=Hq7-vR2mWx9pLk4s\nUSER 10001\n",
     "secret-generic-password", 1, 2},
    {"legacy/Dockerfile", "FROM alpine:3.20\nENV DB_PASSWORD Hq7-vR2mWx9pLk4s\n",
     "secret-generic-password", 1, 2},
    {"ci.yml",
     "jobs:\n  t:\n    steps:\n      - env:\n          DB_PASSWORD: \"Hq7-vR2mWx9pLk4s\"\n",
     "secret-generic-password", 1, 5},
    {"run.md", "```bash\nexport DB_PASSWORD='Hq7-vR2mWx9pLk4s'\n```\n", "secret-generic-password",
     1, 2},
    {"conf.json", "{\n  \"password\": \"Hq7-vR2mWx9pLk4s\",\n  \"retries\": 3\n}\n",
     "secret-generic-password", 1, 2},
    {"legacy.env", "DB_HOST=db\nDB_PASSWORD=Hq7-vR2mWx9pLk4s\n", "secret-generic-password", 1, 2},
    {"window.yaml",
     "# rotate the password yearly\n- name: SMTP_PASSWORD\n"
     "  value: \"Hq7-vR2mWx9pLk4s\"\n",
     "secret-generic-password", 1, 3},
    {"merged.yaml",
     "- name: A_PASSWORD\n  value: \"$(A)\"\n- name: B_PASSWORD\n"
     "  value: \"Hq7-vR2mWx9pLk4s\"\n",
     "secret-generic-password", 1, 4},
    {"crlf.yaml", "db:\r\n  password: \"Hq7-vR2mWx9pLk4s\"\r\n  user: app\r\n",
     "secret-generic-password", 1, 2},
    {"long.tf",
     "variable \"admin_password\" {\n  description = \"The admin password\"\n"
     "  type        = string\n  nullable    = false\n  sensitive   = true\n"
     "  validation {\n    condition     = length(var.admin_password) > 12\n"
     "    error_message = \"Too short.\"\n  }\n  default     = \"Hq7-vR2mWx9pLk4s\"\n}\n",
     "secret-generic-password", 1, 10},
    {"ref.yaml",
     "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n"
     "        name: db\n        key: password\n",
     "secret-generic-password", 0, 0},
    {"login.yml",
     "      - uses: docker/login-action@v3\n        with:\n"
     "          password: ${{ secrets.GITHUB_TOKEN }}\n",
     "secret-generic-password", 0, 0},
    {"rds.tf",
     "resource \"aws_db_instance\" \"a\" {\n  manage_master_user_password = true\n}\n"
     "resource \"aws_db_instance\" \"b\" {\n  password = random_password.db.result\n}\n"
     "resource \"aws_db_instance\" \"c\" {\n  password = var.db_password\n}\n",
     "secret-generic-password", 0, 0},
    {"cfg.yaml",
     "database:\n  passwordFile: /var/run/secrets/db/password\n"
     "  password_length: 24\n  password: \"${DB_PASSWORD}\"\n  password:\n",
     "secret-generic-password", 0, 0},
    {"entry2.sh",
     "if [ -r \"$DB_PASSWORD_FILE\" ]; then\n  DB_PASSWORD=\"$(cat \"$DB_PASSWORD_FILE\")\"\n"
     "  export DB_PASSWORD\nfi\nlog \"cannot read DB_PASSWORD_FILE=$DB_PASSWORD_FILE\"\n",
     "secret-generic-password", 0, 0},
    {"vars.tf",
     "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n"
     "variable \"region\" {\n  default = \"eu-west-1\"\n}\n",
     "secret-generic-password", 0, 0},
    {"readme.md",
     "| `DB_PASSWORD` | Secret `db` | rotated |\nPassword: ask the on-call lead\n"
     "password: <your-password>\npassword: changeme\n",
     "secret-generic-password", 0, 0},
    {"code.ts",
     "const c = {\n  password: decoded.password\n};\nlet o = {\n  password: string;\n"
     "  password: getPassword(user),\n  password: opts.password,\n};\n",
     "secret-generic-password", 0, 0},
    {"stats.json", "{\n  \"secret-generic-password\": 27,\n  \"password\": null\n}\n",
     "secret-generic-password", 0, 0},
    /* secret-aws-secret-key */
    {"credentials", "[default]\naws_secret_access_key = q8Vt3nR1kZp9Lw2mX7cY5bH0dJ4fG6sA1eT8uIoP\n",
     "secret-aws-secret-key", 1, 2},
    {"credentials.example",
     "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
     "secret-aws-secret-key", 0, 0},
    /* secret-gcp-service-account-key (and the PEM rule yields to it) */
    {"sa.json",
     "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme\",\n"
     "  \"private_key\": \"-----BEGIN PRIVATE "
     "KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n\"\n}\n",
     "secret-gcp-service-account-key", 1, 4},
    {"sa-empty.json", "{\"type\": \"service_account\", \"private_key\": \"\"}\n",
     "secret-gcp-service-account-key", 0, 0},
    /* secret-google-api-key */
    {"maps.env", "MAPS_KEY=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q\n", "secret-google-api-key", 1,
     1},
    {"maps2.env", "MAPS_KEY=AIzaSyA1b2C3d4E5f6G7h8\n", "secret-google-api-key", 0, 0},
    /* secret-gcp-oauth-client-secret */
    {"oauth.env", "GOOGLE_CLIENT_SECRET=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\n",
     "secret-gcp-oauth-client-secret", 1, 1},
    {"oauth2.env", "GOOGLE_CLIENT_SECRET=GOCSPX-<client-secret>\n",
     "secret-gcp-oauth-client-secret", 0, 0},
    /* secret-azure-storage-key */
    {"az.env",
     "AZ=\"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" SEQ
     "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7==;EndpointSuffix=core.windows.net\"\n",
     "secret-azure-storage-key", 1, 1},
    {"az.tf", "storage_account_key = \"" SEQ "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7==\"\n",
     "secret-azure-storage-key", 1, 1},
    {"az2.env", "AZ=\"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${KEY}\"\n",
     "secret-azure-storage-key", 0, 0},
    /* secret-azure-sas-token */
    {"sas.env",
     "URL=https://acme.blob.core.windows.net/b?sv=2022-11-02&ss=b&sp=rl"
     "&se=2026-01-01T00:00:00Z&sig=" SEQ "%3D\n",
     "secret-azure-sas-token", 1, 1},
    {"sas2.env", "URL=https://acme.blob.core.windows.net/b?sv=2022-11-02&sp=rl&sig=<signature>\n",
     "secret-azure-sas-token", 0, 0},
    /* secret-azure-ad-client-secret */
    {"aad.env", "AZURE_CLIENT_SECRET=A1b2Q~C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9\n",
     "secret-azure-ad-client-secret", 1, 1},
    {"aad2.env", "NOTE=1Q~ short, see docs\n", "secret-azure-ad-client-secret", 0, 0},
    /* secret-digitalocean-token */
    {"do.env", "DIGITALOCEAN_TOKEN=dop_v1_" HEX32 HEX32 "\n", "secret-digitalocean-token", 1, 1},
    {"do2.md", "Tokens look like dop_v1_ and 64 hex digits: dop_v1_" HEX32 "\n",
     "secret-digitalocean-token", 0, 0},
    /* secret-heroku-api-key */
    {"heroku.env", "HEROKU_API_KEY=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\n", "secret-heroku-api-key",
     1, 1},
    {"heroku2.env", "HEROKU_TOKEN=HRKU-AA" SEQ "A1b2C3\n", "secret-heroku-api-key", 1, 1},
    {"ids.env", "REQUEST_ID=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\nHEROKU_APP=ledger\n",
     "secret-heroku-api-key", 0, 0},
    /* secret-github-token */
    {"gh.env", "GH_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n", "secret-github-token", 1, 1},
    {"gh2.yml", "token: ghs_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n", "secret-github-token", 1, 1},
    {"gh3.md", "Tokens start with `ghp_`, `gho_` or `ghs_`: ghp_A1b2C3d4\n", "secret-github-token",
     0, 0},
    /* secret-github-fine-grained-token */
    {"ghpat.env", "TOKEN=github_pat_11A1b2C3d4E5f6G7h8I9j0_" SEQ "A1b2C3d\n",
     "secret-github-fine-grained-token", 1, 1},
    {"ghpat2.md", "Fine-grained tokens start with github_pat_11A1b2C3d4.\n",
     "secret-github-fine-grained-token", 0, 0},
    /* secret-gitlab-token */
    {"gl.env", "GITLAB_TOKEN=glpat-A1b2C3d4E5f6G7h8I9j0\n", "secret-gitlab-token", 1, 1},
    {"gl2.env", "RUNNER=glrt-A1b2C3d4E5f6G7h8I9j0K1\n", "secret-gitlab-token", 1, 1},
    {"gl3.env", "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx\n", "secret-gitlab-token", 0, 0},
    /* secret-npm-token */
    {".npmrc", "//registry.npmjs.org/:_authToken=npm_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n",
     "secret-npm-token", 1, 1},
    {"private/.npmrc", "//npm.internal/:_authToken=" SEQ "\n", "secret-npm-token", 1, 1},
    {"ci/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "secret-npm-token", 0, 0},
    /* secret-pypi-token */
    {".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc" SEQ "\n",
     "secret-pypi-token", 1, 3},
    {"pypi.md", "PyPI tokens start with `pypi-AgEIcHlwaS5vcmc`.\n", "secret-pypi-token", 0, 0},
    /* secret-terraform-cloud-token */
    {"tfrc", "token = \"A1b2C3d4E5f6G7.atlasv1." SEQ "A1b2C3d4E5f6\"\n",
     "secret-terraform-cloud-token", 1, 1},
    {"tfrc2.md", "A token reads like A1b2C3d4E5f6G7.atlasv1.short but longer.\n",
     "secret-terraform-cloud-token", 0, 0},
    /* secret-vault-token */
    {"vault.env", "VAULT_TOKEN=hvs.A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0\n",
     "secret-vault-token", 1, 1},
    {"vault2.env", "VAULT_TOKEN=hvs.short\n", "secret-vault-token", 0, 0},
    /* secret-pulumi-token */
    {"pulumi.env", "PULUMI_ACCESS_TOKEN=pul-" HEX32 "01234567\n", "secret-pulumi-token", 1, 1},
    {"pulumi2.md", "Pulumi tokens are pul- and 40 hex digits, not pul-" HEX32 "\n",
     "secret-pulumi-token", 0, 0},
    /* secret-doppler-token */
    {"doppler.env", "DOPPLER_TOKEN=dp.pt.A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v\n",
     "secret-doppler-token", 1, 1},
    {"doppler2.env", "DOPPLER_TOKEN=dp.pt.A1b2C3d4\n", "secret-doppler-token", 0, 0},
    /* secret-slack-token */
    {"slack.env", "SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-A1b2C3d4E5f6G7h8I9j0K1l2\n",
     "secret-slack-token", 1, 1},
    {"slack2.env", "SLACK_APP_TOKEN=xapp-1-A0123456789-1234567890123-" HEX32 "\n",
     "secret-slack-token", 1, 1},
    {"slack3.md", "Bot tokens look like `xoxb-...`.\n", "secret-slack-token", 0, 0},
    /* secret-slack-webhook */
    {"hook.env",
     "SLACK_WEBHOOK=https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/"
     "A1b2C3d4E5f6G7h8I9j0K1l2\n",
     "secret-slack-webhook", 1, 1},
    {"hook2.md", "Create one at https://hooks.slack.com/services/ in the app settings.\n",
     "secret-slack-webhook", 0, 0},
    /* secret-discord-webhook */
    {"discord.env",
     "HOOK=https://discord.com/api/webhooks/123456789012345678/" SEQ "A1b2C3d4E5f6G7h8\n",
     "secret-discord-webhook", 1, 1},
    {"discord2.env", "HOOK=https://discord.com/api/webhooks/123456789012345678/${TOKEN}\n",
     "secret-discord-webhook", 0, 0},
    /* secret-twilio-api-key */
    {"twilio.env", "TWILIO_AUTH_TOKEN=" HEX32 "\n", "secret-twilio-api-key", 1, 1},
    {"twilio2.env", "# twilio\nTWILIO_API_KEY=SK" HEX32 "\n", "secret-twilio-api-key", 1, 2},
    {"twilio3.env", "TWILIO_ACCOUNT_SID=AC" HEX32 "\n", "secret-twilio-api-key", 0, 0},
    /* secret-sendgrid-api-key */
    {"sg.env",
     "SENDGRID_API_KEY=SG.A1b2C3d4E5f6G7h8I9j0K1.A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v\n",
     "secret-sendgrid-api-key", 1, 1},
    {"sg2.env", "SENDGRID_API_KEY=SG.A1b2C3d4\n", "secret-sendgrid-api-key", 0, 0},
    /* secret-mailgun-api-key */
    {"mg.env", "MAILGUN_API_KEY=key-" HEX32 "\n", "secret-mailgun-api-key", 1, 1},
    {"mg2.yaml", "primary-key-" HEX32 ": 1\nkey-id: 12\n", "secret-mailgun-api-key", 0, 0},
    /* secret-stripe-key */
    {"stripe.env", "STRIPE_SECRET_KEY=sk_live_51H8A1b2C3d4E5f6G7h8I9j0K1\n", "secret-stripe-key", 1,
     1},
    {"stripe2.md", "Test-mode keys such as sk_test_51H8A1b2C3d4E5f6G7h8I9j0K1 are fine.\n",
     "secret-stripe-key", 0, 0},
    /* secret-stripe-webhook-secret */
    {"whsec.env", "STRIPE_WEBHOOK_SECRET=whsec_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6\n",
     "secret-stripe-webhook-secret", 1, 1},
    {"whsec2.env", "STRIPE_WEBHOOK_SECRET=whsec_...\n", "secret-stripe-webhook-secret", 0, 0},
    /* secret-shopify-token */
    {"shop.env", "SHOPIFY_TOKEN=shpat_" HEX32 "\n", "secret-shopify-token", 1, 1},
    {"shop2.env", "SHOPIFY_TOKEN=shpat_0123\n", "secret-shopify-token", 0, 0},
    /* secret-openai-api-key */
    {"oai.env", "OPENAI_API_KEY=sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2\n",
     "secret-openai-api-key", 1, 1},
    {"oai2.env", "OPENAI_API_KEY=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\n",
     "secret-openai-api-key", 1, 1},
    {"oai3.sh", "ls -la sk-proj-short\n", "secret-openai-api-key", 0, 0},
    /* secret-anthropic-api-key */
    {"ant.env", "ANTHROPIC_API_KEY=sk-ant-api03-" SEQ SEQ "AA\n", "secret-anthropic-api-key", 1, 1},
    {"ant2.env", "ANTHROPIC_API_KEY=sk-ant-api03-...\n", "secret-anthropic-api-key", 0, 0},
    /* secret-huggingface-token */
    {"hf.env", "HF_TOKEN=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH\n", "secret-huggingface-token", 1,
     1},
    {"hf2.py", "hf_hub_download_and_cache_the_models = 1\n", "secret-huggingface-token", 0, 0},
    /* secret-databricks-token */
    {"dbx.env", "DATABRICKS_TOKEN=dapi" HEX32 "\n", "secret-databricks-token", 1, 1},
    {"dbx2.env", "DATABRICKS_TOKEN=dapi0123\n", "secret-databricks-token", 0, 0},
    /* secret-datadog-api-key */
    {"dd.env", "DD_API_KEY=" HEX32 "\n", "secret-datadog-api-key", 1, 1},
    {"dd2.env", "DD_SITE=datadoghq.eu\nBUILD=" HEX32 "\n", "secret-datadog-api-key", 0, 0},
    /* secret-new-relic-key */
    {"nr.env", "NEW_RELIC_API_KEY=NRAK-A1B2C3D4E5F6G7H8I9J0K1L2M3N\n", "secret-new-relic-key", 1,
     1},
    {"nr2.env", "NEW_RELIC_API_KEY=NRAK-XXXX\n", "secret-new-relic-key", 0, 0},
    /* secret-grafana-token */
    {"graf.env", "GRAFANA_TOKEN=glsa_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6_0a1b2c3d\n",
     "secret-grafana-token", 1, 1},
    {"graf2.env", "GRAFANA_TOKEN=glsa_short\n", "secret-grafana-token", 0, 0},
    /* secret-sentry-token */
    {"sentry.env", "SENTRY_AUTH_TOKEN=sntryu_" HEX32 HEX32 "\n", "secret-sentry-token", 1, 1},
    {"sentry2.env", "SENTRY_AUTH_TOKEN=sntryu_\n", "secret-sentry-token", 0, 0},
    /* secret-postman-api-key */
    {"pm.env", "POSTMAN_API_KEY=PMAK-0123456789abcdef01234567-" HEX32 "01\n",
     "secret-postman-api-key", 1, 1},
    {"pm2.env", "POSTMAN_API_KEY=PMAK-0123\n", "secret-postman-api-key", 0, 0},
    /* secret-linear-api-key */
    {"lin.env", "LINEAR_API_KEY=lin_api_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0\n",
     "secret-linear-api-key", 1, 1},
    {"lin2.env", "LINEAR_API_KEY=lin_api_\n", "secret-linear-api-key", 0, 0},
    /* secret-dynatrace-token */
    {"dt.env",
     "DT_API_TOKEN=dt0c01.A1B2C3D4E5F6G7H8I9J0K1L2.A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6"
     "Q7R8S9T0U1V2W3X4Y5Z6A1B2C3D4E5F6\n",
     "secret-dynatrace-token", 1, 1},
    {"dt2.env", "DT_API_TOKEN=dt0c01.SHORT\n", "secret-dynatrace-token", 0, 0},
    /* secret-age-secret-key */
    {"keys.txt",
     "# created: 2024-01-01\nAGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2"
     "TVDW0S3JN54KHCE\n",
     "secret-age-secret-key", 1, 2},
    {".sops.yaml",
     "creation_rules:\n  - age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
     "secret-age-secret-key", 0, 0},
    /* secret-putty-private-key */
    {"deploy.ppk",
     "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\n"
     "Public-Lines: 1\nAAAAC3NzaC1lZDI1NTE5AAAAI" SEQ "\nPrivate-Lines: 1\n"
     "AAAAIA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v\nPrivate-MAC: " HEX32 "\n",
     "secret-putty-private-key", 1, 1},
    {"putty.md", "A .ppk file starts with `PuTTY-User-Key-File-3:` and has Private-Lines.\n",
     "secret-putty-private-key", 0, 0},
    /* secret-kubeconfig-credential */
    {"kubeconfig",
     "users:\n- name: ci\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVk" SEQ
     "\n",
     "secret-kubeconfig-credential", 1, 4},
    {"kubeconfig2", "users:\n- name: ci\n  user:\n    token: " SEQ "\n",
     "secret-kubeconfig-credential", 1, 4},
    {"kubeconfig3",
     "users:\n- name: ci\n  user:\n    client-key: /etc/ci/key.pem\n"
     "    token: ${KUBE_TOKEN}\n",
     "secret-kubeconfig-credential", 0, 0},
    /* secret-docker-config-auth */
    {"config.json",
     "{\"auths\": {\"registry.acme.io\": {\"auth\": \"ZGVwbG95OlRxNC13WDhwTG0yWnJWN2s=\"}}}\n",
     "secret-docker-config-auth", 1, 1},
    {"config2.json", "{\"auths\": {\"registry.acme.io\": {}}, \"credsStore\": \"ecr-login\"}\n",
     "secret-docker-config-auth", 0, 0},
    /* secret-url-credentials */
    {"db.env", "DATABASE_URL=postgres://ledger:Tq4-wX8pLm2ZrV7k@db.internal:5432/ledger\n",
     "secret-url-credentials", 1, 1},
    {"db2.env",
     "DATABASE_URL=postgres://ledger:${DB_PASSWORD}@db.internal:5432/ledger\n"
     "DOC=postgres://user:password@localhost/db\nGIT=https://github.com/acme/x.git\n"
     "SSH=git@github.com:acme/x.git\nMAIL=mailto:ops@acme.io\n"
     "DOC2=https://admin:Tq4-wX8pLm2ZrV7k@registry.example.com/v2\n",
     "secret-url-credentials", 0, 0},
    /* secret-basic-auth-header */
    {"curl.sh", "curl -H \"Authorization: Basic ZGVwbG95OlRxNC13WDhwTG0yWnJWN2s=\" https://x/\n",
     "secret-basic-auth-header", 1, 1},
    {"curl2.sh", "curl -fsS -u deploy:Tq4-wX8pLm2ZrV7k https://artifacts.internal/\n",
     "secret-basic-auth-header", 1, 1},
    {"curl3.sh",
     "curl -H \"Authorization: Basic $AUTH\" https://x/\ncurl -u \"$USER:$PASS\" https://x/\n",
     "secret-basic-auth-header", 0, 0},
    /* secret-bearer-token */
    {"bearer.sh",
     "curl -H \"Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXwVuTs\" https://x/\n",
     "secret-bearer-token", 1, 1},
    {"bearer2.sh",
     "curl -H \"Authorization: Bearer ${API_TOKEN}\" https://x/\n"
     "curl -H 'Authorization: Bearer aaaaaaaaaaaaaaaaaaaaaaaa' https://x/\n",
     "secret-bearer-token", 0, 0},
    /* secret-jwt */
    {"jwt.env",
     "API_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSIsInJvbGUiOiJkZXBsb3kifQ."
     "A1b2C3d4E5f6G7h8I9j0K1l2\n",
     "secret-jwt", 1, 1},
    {"jwt2.md", "A JWT looks like `eyJhbGciOi...` (header.payload.signature).\n", "secret-jwt", 0,
     0},
    /* secret-generic-token */
    {"svc.yaml", "config:\n  api_key: \"f3Kq9Zx1Lm7Rt2Vw8Yb4Nc6Hd0Jp5Gs\"\n",
     "secret-generic-token", 1, 2},
    {"svc.yaml", "client_secret: \"f3Kq9Zx1Lm7Rt2Vw8Yb4Nc6Hd0Jp5Gs\"\n", "secret-generic-token", 1,
     1},
    {"svc3.ts",
     "type T = {\n  progressToken: ProgressTokenValue;\n  refresh_token: string;\n}\n"
     "const s = {\n  secrets: cliOptions.secretsFromEnvironment,\n"
     "  resumptionToken: options2?.onresumptiontoken\n  progressToken: ProgressTokenSchema\n}\n",
     "secret-generic-token", 0, 0},
    {"svc2.yaml",
     "spec:\n  tls:\n    - secretName: payments-api-tls-2024\n"
     "  token: ${{ secrets.CODECOV_TOKEN }}\n  api_key: \"aaaaaaaaaaaaaaaaaaaaaaaa\"\n"
     "  secret_id = aws_secretsmanager_secret.tls.id\n  tokenUrl: https://id.acme.io/token\n"
     "  automountServiceAccountToken: false\n  api_key: \"short1\"\n",
     "secret-generic-token", 0, 0},
};

Test(secrets, every_rule_has_a_true_positive_and_a_near_miss)
{
    char *dir = t_tmpdir();
    size_t n = sizeof(cases) / sizeof(cases[0]);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "c%03zu/%s", i, cases[i].rel);
        t_write(dir, rel, cases[i].content);
    }
    struct scan s;
    t_scan(&s, dir);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct secret_case *c = &cases[i];
        char rel[256];
        snprintf(rel, sizeof(rel), "c%03zu/%s", i, c->rel);
        int got = t_count(&s, c->rule, rel, 0), all = 0, first = 0;
        for (size_t j = 0; j < s.findings.v.len; j++) {
            const struct finding *f = s.findings.v.items[j];
            if (strcmp(f->path, rel) != 0 || strncmp(f->rule_id, "secret-", 7) != 0)
                continue;
            if (!first && strcmp(f->rule_id, c->rule) == 0)
                first = f->line;
            all++;
        }
        if (got != c->count || all != c->count || (c->line && first != c->line)) {
            fprintf(stderr,
                    "case %zu (%s, %s): want %d at line %d, got %d (%d secret findings) "
                    "at line %d\n",
                    i, rel, c->rule, c->count, c->line, got, all, first);
            failed++;
        }
    }
    if (failed)
        t_dump(&s);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    cr_assert_eq(failed, 0, "%d secret cases failed", failed);
}

/* Every secret-pattern rule fires on its own bad example and nothing fires on its good one. */
Test(secrets, catalogue_examples)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    char *dir = t_tmpdir();
    int nrules = 0;
    for (size_t i = 0; i < c.rules.len; i++) {
        const struct rule *r = c.rules.items[i];
        if (!r->check || strcmp(r->check, "secret-pattern") != 0)
            continue;
        char rel[160];
        snprintf(rel, sizeof(rel), "bad/%s.txt", r->id);
        t_write(dir, rel, r->example_bad);
        snprintf(rel, sizeof(rel), "good/%s.txt", r->id);
        t_write(dir, rel, r->example_good);
        nrules++;
    }
    cr_assert_geq(nrules, 40, "only %d secret rules", nrules);
    struct scan s;
    t_scan(&s, dir);
    for (size_t i = 0; i < c.rules.len; i++) {
        const struct rule *r = c.rules.items[i];
        if (!r->check || strcmp(r->check, "secret-pattern") != 0)
            continue;
        char bad[160], good[160];
        snprintf(bad, sizeof(bad), "bad/%s.txt", r->id);
        snprintf(good, sizeof(good), "good/%s.txt", r->id);
        cr_expect_geq(t_count(&s, r->id, bad, 0), 1, "%s: its bad example is not found", r->id);
        cr_expect_eq(t_count(&s, NULL, good, 0), 0, "%s: its good example has findings", r->id);
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    lint_catalogue_release(&c);
}

/* The value is masked in the excerpt, absent from the message, and its span is exact. */
Test(secrets, values_are_masked_and_never_in_messages)
{
    static const struct {
        const char *content, *rule, *value;
        int col;
    } m[] = {
        {"data:\n  password: \"Hq7-vR2mWx9pLk4s\"\n", "secret-generic-password", "Hq7-vR2mWx9pLk4s",
         14},
        {"export AWS_ACCESS_KEY_ID=AKIA2Q7RZK4W3V5T6Y7U\n", "secret-aws-access-key",
         "AKIA2Q7RZK4W3V5T6Y7U", 26},
        {"U=postgres://ledger:Tq4-wX8pLm2ZrV7k@db:5432/x\n", "secret-url-credentials",
         "Tq4-wX8pLm2ZrV7k", 21},
    };
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        char *dir = t_tmpdir();
        t_write(dir, "f.txt", m[i].content);
        struct scan s;
        t_scan(&s, dir);
        cr_assert_eq(t_count(&s, m[i].rule, NULL, 0), 1, "case %zu", i);
        const struct finding *f = NULL;
        for (size_t j = 0; j < s.findings.v.len; j++)
            if (strcmp(((struct finding *)s.findings.v.items[j])->rule_id, m[i].rule) == 0)
                f = s.findings.v.items[j];
        cr_assert_not_null(f);
        cr_expect_eq(f->col, m[i].col, "case %zu: col %d", i, f->col);
        cr_expect_eq(f->mask_col, m[i].col, "case %zu: mask_col %d", i, f->mask_col);
        cr_expect_eq(f->mask_len, (int)strlen(m[i].value), "case %zu: mask_len %d", i, f->mask_len);
        cr_assert_not_null(f->excerpt);
        cr_expect_null(strstr(f->excerpt, m[i].value), "case %zu: value in excerpt '%s'", i,
                       f->excerpt);
        cr_expect_null(strstr(f->message, m[i].value + 4), "case %zu: value in message", i);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}

/* The table above covers every rule: at least one true positive and one near miss each. */
Test(secrets, every_rule_is_in_the_table)
{
    struct catalogue c;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(lint_catalogue_load(&c, NULL, 0, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < c.rules.len; i++) {
        const struct rule *r = c.rules.items[i];
        if (!r->check || strcmp(r->check, "secret-pattern") != 0)
            continue;
        int tp = 0, fp = 0;
        for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
            if (strcmp(cases[k].rule, r->id) != 0)
                continue;
            tp += cases[k].count > 0;
            fp += cases[k].count == 0;
        }
        cr_expect(tp >= 1 && fp >= 1, "%s: %d true positives, %d near misses in the table", r->id,
                  tp, fp);
    }
    lint_catalogue_release(&c);
}

/* A key file on one JSON line: every segment of the key is masked, not just the first. */
Test(secrets, one_line_key_is_masked_whole)
{
    char *dir = t_tmpdir();
    t_write(dir, "sa.json",
            "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nSEGMENTTWOA1b2C3d4E5f6\\nSEGMENTTHREEz6\\n"
            "-----END PRIVATE KEY-----\\n\"}\n");
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(s.findings.v.len, 1);
    const struct finding *f = s.findings.v.items[0];
    cr_assert_str_eq(f->rule_id, "secret-gcp-service-account-key");
    cr_assert_null(strstr(f->excerpt, "SEGMENT"), "excerpt shows the key: %s", f->excerpt);
    cr_assert_null(strstr(f->excerpt, "MIIE"), "excerpt shows the key: %s", f->excerpt);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

/* Hostile input: a 4 MB line full of keywords and values stays linear, and a dump of keys
 * reports a bounded number of findings. */
Test(secrets, long_lines_and_dumps_are_bounded, .timeout = 30)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 200000; i++)
        sb_adds(&sb, "password=Hq7-vR2mWx9 secret ://a:b@c ");
    sb_addc(&sb, '\n');
    for (int i = 0; i < 1000; i++)
        sb_adds(&sb, "AKIA2Q7RZK4W3V5T6Y7U\n");
    char *dir = t_tmpdir();
    t_write(dir, "dump.txt", sb_str(&sb));
    struct scan s;
    t_scan(&s, dir);
    cr_assert_eq(t_count(&s, "secret-aws-access-key", NULL, 0), 200);
    cr_assert_eq(t_count(&s, "secret-generic-password", NULL, 0), 1);
    lint_scan_release(&s);
    sb_release(&sb);
    t_rmtree(dir);
    free(dir);
}

Test(secrets, lock_files_are_not_scanned)
{
    cr_assert_eq(
        t_scan_one("package-lock.json",
                   "{\"password\": \"Hq7-vR2mWx9pLk4s\", \"k\": \"AKIA2Q7RZK4W3V5T6Y7U\"}\n", NULL,
                   NULL),
        0);
    cr_assert(secrets_path_skipped("web/yarn.lock"));
    cr_assert(secrets_path_skipped("go.sum"));
    cr_assert(!secrets_path_skipped("config/app.yaml"));
}

Test(secrets, entropy)
{
    cr_assert_float_eq(secrets_entropy("", 0), 0.0, 1e-9);
    cr_assert_float_eq(secrets_entropy("aaaa", 4), 0.0, 1e-9);
    cr_assert_float_eq(secrets_entropy("abab", 4), 1.0, 1e-9);
    cr_assert_float_eq(secrets_entropy("0123456789abcdef", 16), 4.0, 1e-9);
    cr_assert_gt(secrets_entropy("f3Kq9Zx1Lm7Rt2Vw8Yb4Nc6Hd0Jp5Gs", 31), 4.5);
}

Test(secrets, placeholders)
{
    static const struct {
        const char *v;
        int placeholder;
    } p[] = {
        {"${DB_PASSWORD}", 1},
        {"$(cat /run/secrets/db)", 1},
        {"${{ secrets.X }}", 1},
        {"{{ .Values.password }}", 1},
        {"<your-password>", 1},
        {"changeme", 1},
        {"my-example-key", 1},
        {"DUMMY", 1},
        {"[REDACTED]", 1},
        {"xxxxxxxx", 1},
        {"sk_live_xxxx1234", 1},
        {"********", 1},
        {"true", 1},
        {"null", 1},
        {"|", 1},
        {"*alias", 1},
        {"password", 1},
        {"00000000", 1},
        {"", 1},
        {"Hq7-vR2mWx9pLk4s", 0},
        {"hunter2", 0},
        {"AKIA2Q7RZK4W3V5T6Y7U", 0},
        {"\\#(password)", 1}, /* CUE and Timoni interpolations */
        {"#(token)", 1},
        {"pre-${SUFFIX}", 1},
    };
    for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
        cr_expect_eq(secrets_is_placeholder(p[i].v, strlen(p[i].v)), p[i].placeholder, "'%s'",
                     p[i].v);
}

/* A password must look like one: a word, a name or a short default is not a leak, in the
 * clear or as a Secret's base64 data. */
Test(secrets, weak_words_are_not_passwords)
{
    static const struct {
        const char *v;
        int weak;
    } w[] = {
        {"postgres", 1},           {"whalehello", 1},      {"astronomy_password", 1},
        {"c-krit", 1},             {"guac", 1},            {"cGFzc3dvcmQ=", 1}, /* "password" */
        {"c3RvcmFnZW9z", 1},       /* "storageos" */       {"AdminPassword123!", 0},
        {"Aa12345678", 0},         {"Hq7-vR2mWx9pLk4s", 0},
        {"c0NhbGVpbzEyMw==", 0}, /* sCaleio123 */
        {"correct-horse-9", 0},    {"orbit-lantern-cactus-mosaic", 0}, /* a passphrase */
        {"ledger-dev-token", 1},   /* three words, but short: a name */
        {"ZFUWdGvIkgTxzszeom", 0}, /* random letters change case inside words */
        {"8312341g-5678-abcd-4a2b2c-33bcsd655", 1}, /* counts up: made up */
        {"dbecf176-ea3f-4832-b743-295fd71d0fad", 0}, /* a UUID-shaped token */
        {"AdminPassword", 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(w); i++)
        cr_expect_eq(secrets_is_weak_word(w[i].v, strlen(w[i].v)), w[i].weak, "'%s'", w[i].v);
}

/* Test data: files of tests and folders of fixtures. */
Test(secrets, test_data_paths)
{
    static const struct {
        const char *path;
        int test;
    } t[] = {
        {"pkg/api/token_test.go", 1},      {"src/app.spec.ts", 1},
        {"tests/integration/a.yml", 1},    {"internal/testdata/x.env", 1},
        {"config/test.exs", 1},            {"web/__tests__/a.js", 1},
        {"k8s/base/deployment.yaml", 0},   {"docs/testing-guide.md", 0},
        {"contest/app.py", 0},             {"latest/values.yaml", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        cr_expect_eq(secrets_path_is_test(t[i].path), t[i].test, "%s", t[i].path);
}

/* A bad pattern in a user's policy folder is a usage error naming the rule. */
Test(secrets, bad_policy_is_an_error)
{
    static const struct {
        const char *params, *msg;
    } b[] = {
        {"regex: 'abc(('\n        keywords: [abc]", "bad regex"},
        {"regex: 'abc'", "needs 'regex' and 'keywords'"},
        {"regex: 'abc'\n        keywords: [ab]", "shorter than 3 bytes"},
        {"regex: 'a(b)c'\n        keywords: [abc]\n        group: 3", "fewer than"},
    };
    for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
        char *dir = t_tmpdir();
        char *yaml = xasprintf(
            "category: secrets\nrules:\n  - id: custom-secret\n    title: t\n    severity: error\n"
            "    applies-to: file\n    description: d\n    severity-rationale: r\n"
            "    remediation: r\n    references: [https://example.com]\n"
            "    example: {bad: b, good: g}\n    check:\n      builtin: secret-pattern\n"
            "      params:\n        %s\n",
            b[i].params);
        t_write(dir, "custom.yaml", yaml);
        struct catalogue c;
        struct errbuf err = {{0}, 0};
        const char *dirs[] = {dir};
        cr_assert_eq(lint_catalogue_load(&c, dirs, 1, &err), 0, "%s", err.msg);
        cr_expect_eq(lint_catalogue_bind(&c, &err), -1, "case %zu binds", i);
        cr_expect_not_null(strstr(err.msg, b[i].msg), "case %zu: '%s'", i, err.msg);
        cr_expect_not_null(strstr(err.msg, "custom-secret"), "case %zu: '%s'", i, err.msg);
        lint_catalogue_release(&c);
        free(yaml);
        t_rmtree(dir);
        free(dir);
    }
}

/* One finding per place, the strongest: a rule that yields to the secrets rules on its line
 * keeps the line when it is the stronger, so an error gate still fails. */
Test(secrets, the_strongest_finding_of_a_line_stays)
{
    static const struct {
        const char *rel, *content, *kept, *gone;
    } strongest[] = {
        {"Dockerfile", "FROM alpine:3.19\nENV API_TOKEN=ldg-8Kp3Vw5Qx2Nz7Rt\nUSER 1000\n",
         "dockerfile-secret-in-env", "secret-generic-token"},
        {"svc.tf", "client_secret = \"f3Kq9Zx1Lm7Rt2Vw8Yb4Nc6Hd0Jp5Gs\"\n", "tf-hardcoded-secret",
         "secret-generic-token"},
        /* a secrets rule as strong as the yielding one keeps the line to itself */
        {"main.tf", "resource \"x\" \"y\" {\n  password = \"Hq7-vR2mWx9pLk4s\"\n}\n",
         "secret-generic-password", "tf-hardcoded-secret"},
    };
    for (size_t i = 0; i < ARRAY_LEN(strongest); i++) {
        char *dir = t_tmpdir();
        t_write(dir, strongest[i].rel, strongest[i].content);
        struct scan s;
        t_scan(&s, dir);
        cr_expect_eq(t_count(&s, strongest[i].kept, NULL, 0), 1, "%s: %s", strongest[i].rel,
                     strongest[i].kept);
        cr_expect_eq(t_count(&s, strongest[i].gone, NULL, 0), 0, "%s: %s", strongest[i].rel,
                     strongest[i].gone);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}
