/* Terraform rules: for every rule, true positives at the right line and near misses that
 * must stay silent (unknown values, decoys from the benchmark, the v4 split S3 resources),
 * walked as one table; plus severities that depend on the case and secret masking. */
#include <criterion/criterion.h>
#include <string.h>

#include "testlib.h"

struct tf_case {
    const char *rule;
    const char *path;
    const char *text;
    int count; /* findings of `rule` */
    int line;  /* line of the first one (0: not checked) */
};

#define SG_HEAD "resource \"aws_security_group\" \"app\" {\n"
#define DB_HEAD "resource \"aws_db_instance\" \"main\" {\n"
#define PAB(b)                                                                                     \
    "resource \"aws_s3_bucket_public_access_block\" \"" b "\" {\n  bucket = aws_s3_bucket." b      \
    ".id\n  block_public_acls = true\n}\n"

static const struct tf_case cases[] = {
    /* tf-s3-public-acl */
    {"tf-s3-public-acl", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n  acl    = \"public-read\"\n}\n", 1, 3},
    {"tf-s3-public-acl", "main.tf",
     "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = aws_s3_bucket.a.id\n"
     "  acl = \"public-read-write\"\n}\n",
     1, 3},
    {"tf-s3-public-acl", "main.tf",
     "variable \"acl\" {\n  default = \"public-read\"\n}\n"
     "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = var.acl\n}\n",
     1, 5},
    {"tf-s3-public-acl", "main.tf",
     "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = \"private\"\n}\n", 0, 0},
    {"tf-s3-public-acl", "main.tf",
     "variable \"acl\" {\n  type = string\n}\n"
     "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = var.acl\n}\n",
     0, 0},
    {"tf-s3-public-acl", "main.tf",
     "resource \"aws_s3_object\" \"a\" {\n  acl = \"public-read\"\n}\n", 0, 0},

    /* tf-s3-no-encryption */
    {"tf-s3-no-encryption", "main.tf",
     "\nresource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n", 1, 2},
    {"tf-s3-no-encryption", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"a\" {\n"
     "  bucket = aws_s3_bucket.a.id\n  rule {\n    apply_server_side_encryption_by_default {\n"
     "      sse_algorithm = \"aws:kms\"\n    }\n  }\n}\n",
     0, 0},
    {"tf-s3-no-encryption", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  server_side_encryption_configuration {\n"
     "    rule {}\n  }\n}\n",
     0, 0},
    {"tf-s3-no-encryption", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"b\" {\n"
     "  bucket = aws_s3_bucket.other.id\n}\n",
     1, 1},
    {"tf-s3-no-encryption", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"b\" {\n"
     "  bucket = var.bucket_id\n}\n",
     0, 0},

    /* tf-s3-no-versioning */
    {"tf-s3-no-versioning", "main.tf", "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n",
     1, 1},
    {"tf-s3-no-versioning", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  versioning {\n    enabled = false\n  }\n}\n", 1, 3},
    {"tf-s3-no-versioning", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_bucket_versioning\" \"a\" {\n  bucket = aws_s3_bucket.a.id\n"
     "  versioning_configuration {\n    status = \"Suspended\"\n  }\n}\n",
     1, 1},
    {"tf-s3-no-versioning", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_bucket_versioning\" \"a\" {\n  bucket = aws_s3_bucket.a.id\n"
     "  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n",
     0, 0},
    {"tf-s3-no-versioning", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  versioning {\n    enabled = true\n  }\n}\n", 0, 0},

    /* tf-s3-public-access-block-missing */
    {"tf-s3-public-access-block-missing", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n", 1, 1},
    {"tf-s3-public-access-block-missing", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n" PAB("a"), 0, 0},
    {"tf-s3-public-access-block-missing", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
     "resource \"aws_s3_account_public_access_block\" \"all\" {\n  block_public_acls = true\n}\n",
     0, 0},
    {"tf-s3-public-access-block-missing", "main.tf",
     "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"acme-x\"\n}\n"
     "resource \"aws_s3_bucket_public_access_block\" \"a\" {\n  bucket = \"acme-x\"\n}\n",
     0, 0},

    /* tf-sg-open-ingress */
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n"
             "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
     1, 6},
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  ingress {\n    from_port        = 443\n    to_port          = 443\n"
             "    ipv6_cidr_blocks = [\"::/0\"]\n  }\n}\n",
     1, 5},
    {"tf-sg-open-ingress", "main.tf",
     "resource \"aws_security_group_rule\" \"r\" {\n  type        = \"ingress\"\n"
     "  from_port   = 22\n  to_port     = 22\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
     1, 5},
    {"tf-sg-open-ingress", "main.tf",
     "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  cidr_ipv4 = \"0.0.0.0/0\"\n}\n",
     1, 2},
    {"tf-sg-open-ingress", "main.tf",
     "variable \"cidrs\" {\n  default = [\"0.0.0.0/0\"]\n}\n" SG_HEAD
     "  ingress {\n    cidr_blocks = var.cidrs\n  }\n}\n",
     1, 6},
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  dynamic \"ingress\" {\n    for_each = var.ports\n    content {\n"
             "      cidr_blocks = [\"0.0.0.0/0\"]\n    }\n  }\n}\n",
     1, 5},
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  ingress {\n    cidr_blocks = concat(var.office, [\"0.0.0.0/0\"])\n  }\n}\n", 1, 3},
    {"tf-sg-open-ingress", "main.tf",
     "locals {\n  a = [local.a]\n}\n" SG_HEAD "  ingress {\n    cidr_blocks = local.a\n  }\n}\n", 0,
     0},
    /* decoys: egress, a VPC CIDR from a variable, a rule of type egress */
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  ingress {\n    cidr_blocks = [var.vpc_cidr]\n  }\n  egress {\n"
             "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
     0, 0},
    {"tf-sg-open-ingress", "main.tf",
     "resource \"aws_security_group_rule\" \"r\" {\n  type        = \"egress\"\n"
     "  cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
     0, 0},
    {"tf-sg-open-ingress", "main.tf",
     SG_HEAD "  ingress {\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n", 0, 0},

    /* tf-rds-unencrypted */
    {"tf-rds-unencrypted", "main.tf", "\n" DB_HEAD "  engine = \"postgres\"\n}\n", 1, 2},
    {"tf-rds-unencrypted", "main.tf",
     DB_HEAD "  engine = \"postgres\"\n  storage_encrypted = false\n}\n", 1, 3},
    {"tf-rds-unencrypted", "main.tf", DB_HEAD "  storage_encrypted = true\n}\n", 0, 0},
    {"tf-rds-unencrypted", "main.tf", DB_HEAD "  storage_encrypted = var.encrypt\n}\n", 0, 0},
    {"tf-rds-unencrypted", "main.tf", DB_HEAD "  replicate_source_db = aws_db_instance.a.id\n}\n",
     0, 0},

    /* tf-rds-publicly-accessible */
    {"tf-rds-publicly-accessible", "main.tf", DB_HEAD "  publicly_accessible = true\n}\n", 1, 2},
    {"tf-rds-publicly-accessible", "main.tf", DB_HEAD "  publicly_accessible = false\n}\n", 0, 0},
    {"tf-rds-publicly-accessible", "main.tf", DB_HEAD "  engine = \"postgres\"\n}\n", 0, 0},

    /* tf-rds-no-deletion-protection */
    {"tf-rds-no-deletion-protection", "envs/prod/main.tf", DB_HEAD "  engine = \"mysql\"\n}\n", 1,
     1},
    {"tf-rds-no-deletion-protection", "main.tf", DB_HEAD "  deletion_protection = false\n}\n", 1,
     2},
    {"tf-rds-no-deletion-protection", "main.tf", DB_HEAD "  deletion_protection = true\n}\n", 0, 0},
    {"tf-rds-no-deletion-protection", "main.tf",
     DB_HEAD "  deletion_protection = var.environment == \"prod\"\n}\n", 0, 0},

    /* tf-rds-backup-retention-low */
    {"tf-rds-backup-retention-low", "main.tf", DB_HEAD "  backup_retention_period = 1\n}\n", 1, 2},
    {"tf-rds-backup-retention-low", "main.tf", DB_HEAD "  engine = \"postgres\"\n}\n", 1, 1},
    {"tf-rds-backup-retention-low", "main.tf", DB_HEAD "  backup_retention_period = 7\n}\n", 0, 0},
    {"tf-rds-backup-retention-low", "main.tf", DB_HEAD "  backup_retention_period = var.days\n}\n",
     0, 0},

    /* tf-module-version-unpinned */
    {"tf-module-version-unpinned", "main.tf",
     "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n", 1, 2},
    {"tf-module-version-unpinned", "main.tf",
     "module \"a\" {\n  source = \"git::https://github.com/acme/m.git//alarms\"\n}\n", 1, 2},
    {"tf-module-version-unpinned", "main.tf",
     "module \"a\" {\n  source = \"git::https://github.com/acme/m.git?ref=main\"\n}\n", 1, 2},
    {"tf-module-version-unpinned", "main.tf",
     "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.5.2\"\n}\n",
     0, 0},
    {"tf-module-version-unpinned", "main.tf",
     "module \"a\" {\n  source = \"git::https://github.com/acme/m.git//alarms?ref=v2.1.0\"\n}\n", 0,
     0},
    {"tf-module-version-unpinned", "main.tf",
     "module \"svc\" {\n  source = \"../../modules/svc\"\n}\n", 0, 0},
    {"tf-module-version-unpinned", "main.tf",
     "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  # version = \"5.5.2\"\n}\n",
     1, 2},

    /* tf-provider-version-unpinned */
    {"tf-provider-version-unpinned", "main.tf",
     "terraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n"
     "  }\n}\n",
     1, 3},
    {"tf-provider-version-unpinned", "main.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
     1, 1},
    {"tf-provider-version-unpinned", "main.tf",
     "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n"
     "      version = \"~> 5.40\"\n    }\n  }\n}\nprovider \"aws\" {\n  region = "
     "\"eu-west-1\"\n}\n",
     0, 0},

    /* tf-backend-unencrypted */
    {"tf-backend-unencrypted", "main.tf",
     "terraform {\n  backend \"s3\" {\n    bucket = \"state\"\n  }\n}\n", 1, 2},
    {"tf-backend-unencrypted", "main.tf",
     "terraform {\n  backend \"s3\" {\n    encrypt = false\n  }\n}\n", 1, 3},
    {"tf-backend-unencrypted", "main.tf",
     "terraform {\n  backend \"s3\" {\n    encrypt = true\n  }\n}\n", 0, 0},
    {"tf-backend-unencrypted", "main.tf",
     "terraform {\n  backend \"gcs\" {\n    bucket = \"s\"\n  }\n}\n", 0, 0},

    /* tf-hardcoded-secret */
    {"tf-hardcoded-secret", "main.tf", DB_HEAD "  password = \"Zq8!vR2#kLm9@pW4\"\n}\n", 1, 2},
    {"tf-hardcoded-secret", "variables.tf",
     "variable \"admin_password\" {\n  type    = string\n  default = \"Zq8!vR2#kLm9@pW4\"\n}\n", 1,
     3},
    {"tf-hardcoded-secret", "main.tf", "locals {\n  legacy_access_key = \"abcdEFGH1234ijkl\"\n}\n",
     1, 2},
    {"tf-hardcoded-secret", "prod.tfvars", "api_token = \"tok-1234567890abcdef\"\n", 1, 1},
    {"tf-hardcoded-secret", "main.tf",
     "resource \"aws_lambda_function\" \"f\" {\n  environment {\n    variables = {\n"
     "      LOG_LEVEL    = \"info\"\n      STRIPE_TOKEN = \"tok-1234567890abcdef\"\n    }\n  "
     "}\n}\n",
     1, 5},
    {"tf-hardcoded-secret", "main.tf",
     DB_HEAD "  password = random_password.db.result\n  manage_master_user_password = true\n}\n", 0,
     0},
    {"tf-hardcoded-secret", "main.tf",
     "terraform {\n  backend \"s3\" {\n    key = \"env/prod/terraform.tfstate\"\n  }\n}\n"
     "resource \"x\" \"y\" {\n  kms_key_id = \"arn:aws:kms:us-east-1:1:key/abc\"\n"
     "  secret_id = \"db\"\n  key_name = \"deploy\"\n  password_length = \"32\"\n"
     "  public_key = \"ssh-ed25519 AAAA\"\n  token = \"\"\n}\n",
     0, 0},
    {"tf-hardcoded-secret", "variables.tf",
     "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n", 0, 0},

    /* tf-eks-public-endpoint */
    {"tf-eks-public-endpoint", "main.tf",
     "resource \"aws_eks_cluster\" \"c\" {\n  vpc_config {\n    subnet_ids = var.subnets\n  }\n}\n",
     1, 2},
    {"tf-eks-public-endpoint", "main.tf",
     "module \"eks\" {\n  source  = \"terraform-aws-modules/eks/aws\"\n  version = \"20.8.4\"\n"
     "  cluster_endpoint_public_access = true\n}\n",
     1, 4},
    {"tf-eks-public-endpoint", "main.tf",
     "resource \"aws_eks_cluster\" \"c\" {\n  vpc_config {\n    endpoint_public_access = false\n"
     "  }\n}\n",
     0, 0},
    {"tf-eks-public-endpoint", "main.tf",
     "resource \"aws_eks_cluster\" \"c\" {\n  vpc_config {\n    endpoint_public_access = true\n"
     "    public_access_cidrs = [\"203.0.113.0/24\"]\n  }\n}\n",
     0, 0},
    {"tf-eks-public-endpoint", "main.tf",
     "module \"eks\" {\n  source  = \"terraform-aws-modules/eks/aws\"\n  version = \"20.8.4\"\n}\n",
     0, 0},

    /* tf-kms-key-rotation-disabled */
    {"tf-kms-key-rotation-disabled", "main.tf",
     "resource \"aws_kms_key\" \"k\" {\n  description = \"d\"\n}\n", 1, 1},
    {"tf-kms-key-rotation-disabled", "main.tf",
     "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n", 1, 2},
    {"tf-kms-key-rotation-disabled", "main.tf",
     "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n", 0, 0},
    {"tf-kms-key-rotation-disabled", "main.tf",
     "resource \"aws_kms_key\" \"k\" {\n  customer_master_key_spec = \"RSA_2048\"\n"
     "  key_usage = \"SIGN_VERIFY\"\n}\n",
     0, 0},

    /* tf-iam-wildcard-action */
    {"tf-iam-wildcard-action", "main.tf",
     "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"*\"]\n"
     "    resources = [\"*\"]\n  }\n}\n",
     1, 3},
    {"tf-iam-wildcard-action", "main.tf",
     "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n"
     "    Statement = [{\n      Effect = \"Allow\"\n      Action = \"*\"\n      Resource = \"*\"\n"
     "    }]\n  })\n}\n",
     1, 6},
    {"tf-iam-wildcard-action", "main.tf",
     "resource \"aws_iam_role_policy\" \"p\" {\n  policy = <<-EOF\n    {\"Statement\": "
     "[{\"Effect\": "
     "\"Allow\", \"Action\": [\"*\"], \"Resource\": \"*\"}]}\n  EOF\n}\n",
     1, 2},
    {"tf-iam-wildcard-action", "main.tf",
     "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    effect  = \"Deny\"\n"
     "    actions = [\"*\"]\n  }\n  statement {\n    actions = [\"s3:GetObject\"]\n  }\n}\n",
     0, 0},
    {"tf-iam-wildcard-action", "main.tf",
     "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Statement = [{\n"
     "      Action = [\"s3:*\"]\n      Resource = \"*\"\n    }]\n  })\n}\n",
     0, 0},
};

Test(tf_rules, table)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct tf_case *c = &cases[i];
        int line = 0;
        /* A literal secret is reported once: by the secrets scanner when one of its rules
         * knows the value, else by tf-hardcoded-secret (its yields-to parameter). */
        const char *match = strcmp(c->rule, "tf-hardcoded-secret") == 0
                                ? "tf-hardcoded-secret,secret-*"
                                : c->rule;
        int n = t_scan_one(c->path, c->text, match, &line);
        cr_expect_eq(n, c->count, "case %zu (%s): %d finding(s), want %d", i, c->rule, n, c->count);
        if (c->count && c->line)
            cr_expect_eq(line, c->line, "case %zu (%s): line %d, want %d", i, c->rule, line,
                         c->line);
    }
}

static enum severity first_severity(const char *rel, const char *text, const char *rule)
{
    char *dir = t_tmpdir();
    t_write(dir, rel, text);
    struct scan s;
    t_scan(&s, dir);
    enum severity sev = SEV_NONE;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (strcmp(f->rule_id, rule) == 0) {
            sev = f->severity;
            break;
        }
    }
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
    return sev;
}

Test(tf_rules, severity_depends_on_the_case)
{
    const char *db = DB_HEAD "  engine = \"postgres\"\n}\n";
    cr_assert_eq(
        first_severity("terraform/environments/prod/db.tf", db, "tf-rds-no-deletion-protection"),
        SEV_ERROR);
    cr_assert_eq(
        first_severity("terraform/environments/staging/db.tf", db, "tf-rds-no-deletion-protection"),
        SEV_WARNING);
    const char *ssh = SG_HEAD "  ingress {\n    from_port = 22\n    to_port = 22\n"
                              "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    const char *range = SG_HEAD "  ingress {\n    from_port = 3000\n    to_port = 3400\n"
                                "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    const char *https =
        SG_HEAD "  ingress {\n    from_port = 443\n    to_port = 443\n"
                "    protocol = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    const char *all = SG_HEAD "  ingress {\n    from_port = 0\n    to_port = 0\n"
                              "    protocol = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    cr_assert_eq(first_severity("main.tf", ssh, "tf-sg-open-ingress"), SEV_ERROR);
    cr_assert_eq(first_severity("main.tf", range, "tf-sg-open-ingress"), SEV_ERROR, "RDP inside");
    cr_assert_eq(first_severity("main.tf", https, "tf-sg-open-ingress"), SEV_WARNING);
    cr_assert_eq(first_severity("main.tf", all, "tf-sg-open-ingress"), SEV_ERROR);
}

Test(tf_rules, secrets_are_masked_and_never_in_messages)
{
    char *dir = t_tmpdir();
    t_write(dir, "main.tf", DB_HEAD "  password = \"Zq8vR2kLm9pW4xyz\"\n}\n");
    struct scan s;
    t_scan(&s, dir);
    int seen = 0;
    for (size_t i = 0; i < s.findings.v.len; i++) {
        const struct finding *f = s.findings.v.items[i];
        if (!t_rule_matches("tf-hardcoded-secret,secret-*", f->rule_id))
            continue;
        seen++;
        cr_assert_null(strstr(f->message, "Zq8vR2kLm9pW4xyz"));
        cr_assert_not_null(f->excerpt);
        cr_assert_null(strstr(f->excerpt, "Lm9pW4xyz"), "excerpt: %s", f->excerpt);
        cr_assert_eq(f->mask_col, 15);
        cr_assert_eq(f->mask_len, 16);
    }
    cr_assert_eq(seen, 1);
    lint_scan_release(&s);
    t_rmtree(dir);
    free(dir);
}

Test(tf_rules, syntax_error_is_a_finding_and_the_rest_is_checked)
{
    int line = 0;
    const char *text = "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = \"private\"\n}\n"
                       "resource \"broken\" {\n  x = = 1\n}\n"
                       "resource \"aws_s3_bucket_acl\" \"b\" {\n  acl = \"public-read\"\n}\n";
    cr_assert_geq(t_scan_one("main.tf", text, "parse-error", &line), 1);
    cr_assert(line >= 4 && line <= 6, "error line %d", line);
    cr_assert_eq(t_scan_one("main.tf", text, "tf-s3-public-acl", &line), 1);
    cr_assert_eq(line, 8);
}
