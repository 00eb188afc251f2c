#!/usr/bin/env python3
"""opsbook's own synthetic repository, with ground truth, for the test suite.

    python3 tools/gen_corpus.py --services N --seed S [--rate R] [--force] OUTDIR

Writes a delivery repository shaped like the ones opsbook reads: per service a Kustomize
base and dev/staging/prod overlays, an Argo CD Application per environment, a CI/CD
workflow, a Dockerfile, a Terraform module and a runbook; plus root Terraform per
environment, shared workflows and a docs index.  A fraction --rate of the places where a
rule can be broken are broken on purpose; each one is recorded in OUTDIR/.expected.jsonl as
{"file", "line", "rule"}, the line being where the rule reports it.  Everything else is
written clean for those rules, so a scanner that finds exactly .expected.jsonl for the rules
listed in RULES is right on this corpus.

The output is a function of (--services, --seed, --rate) only.  Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import string
import sys

RULES = (
    "secret-aws-access-key", "secret-generic-password", "secret-private-key",
    "k8s-missing-liveness-probe", "k8s-missing-readiness-probe",
    "k8s-missing-resource-limits", "k8s-image-latest-or-untagged", "k8s-privileged",
    "gha-action-not-pinned-to-sha", "gha-deploy-without-environment",
    "gha-script-injection", "gha-default-permissions",
    "tf-s3-public-acl", "tf-sg-open-ingress", "tf-rds-unencrypted",
    "tf-module-version-unpinned", "dockerfile-runs-as-root",
)

ENVS = ("dev", "staging", "prod")
DOMAINS = ("billing", "catalog", "checkout", "identity", "ledger", "search", "shipping",
           "pricing", "reviews", "loyalty", "fraud", "inventory", "payouts", "tax")
ROLES = ("api", "worker", "gateway", "scheduler", "indexer", "web", "sync", "relay")
LANGS = {
    "go": ("golang:1.22-bookworm", "gcr.io/distroless/static-debian12:nonroot"),
    "python": ("python:3.12-slim-bookworm", "python:3.12-slim-bookworm"),
    "node": ("node:20-bookworm-slim", "node:20-bookworm-slim"),
}
# Commit ids used to pin third-party actions (any 40 hex digits pin; these are made up).
THIRD_PARTY = (
    ("docker/setup-buildx-action", "v3"),
    ("docker/build-push-action", "v6"),
    ("docker/login-action", "v3"),
    ("azure/setup-kubectl", "v4"),
    ("hashicorp/setup-terraform", "v3"),
)
INJECTABLE = ("github.event.pull_request.title", "github.event.issue.title",
              "github.event.pull_request.head.ref", "github.event.comment.body")


class Doc:
    """Lines of one file, and the rules broken on purpose at some of them."""

    def __init__(self):
        self.lines = []
        self.marks = []

    def add(self, text="", rule=None):
        self.lines.append(text)
        if rule:
            self.marks.append((len(self.lines), rule))

    def mark_next(self, rule):
        """The next line added is where `rule` reports."""
        self.marks.append((len(self.lines) + 1, rule))


class Corpus:
    def __init__(self, root, rng, rate):
        self.root = root
        self.rng = rng
        self.rate = rate
        self.truth = []
        self.files = 0
        self.bytes = 0

    def broken(self, place):
        """Whether this place breaks its rule: one draw from the seeded generator per call,
        so the corpus is reproducible. `place` only names the place for the reader."""
        del place
        return self.rng.random() < self.rate

    def write(self, rel, doc):
        text = "\n".join(doc.lines) + "\n"
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.files += 1
        self.bytes += len(text.encode())
        for line, rule in doc.marks:
            self.truth.append({"file": rel, "line": line, "rule": rule})

    def write_text(self, rel, text):
        d = Doc()
        for ln in text.rstrip("\n").split("\n"):
            d.add(ln)
        self.write(rel, d)


def hexid(rng, n=40):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def aws_key(rng):
    return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def password(rng):
    """A value nobody would mistake for a placeholder or a mask: mixed classes, no words, no
    %VAR% or ***-style runs."""
    while True:
        pw = "".join(rng.choice(string.ascii_letters + string.digits + "!#^-_") for _ in range(20))
        if (pw[0].isalnum() and any(c.isdigit() for c in pw) and any(c.isupper() for c in pw)
                and any(c.islower() for c in pw)):
            return pw


def pem_key(rng):
    alphabet = string.ascii_letters + string.digits + "+/"
    body = ["MIIEow" + "".join(rng.choice(alphabet) for _ in range(58))]
    body += ["".join(rng.choice(alphabet) for _ in range(64)) for _ in range(12)]
    body.append("".join(rng.choice(alphabet) for _ in range(20)) + "==")
    return ["-----BEGIN RSA PRIVATE KEY-----"] + body + ["-----END RSA PRIVATE KEY-----"]


class Service:
    def __init__(self, rng, name):
        self.name = name
        self.domain = name.split("-")[0]
        self.lang = rng.choice(sorted(LANGS))
        self.port = rng.choice((8080, 8000, 3000, 9090))
        self.version = "%d.%d.%d" % (rng.randrange(1, 4), rng.randrange(0, 20), rng.randrange(0, 9))
        self.image = "ghcr.io/acme/%s:%s" % (name, self.version)
        self.has_db = rng.random() < 0.5
        self.has_bucket = rng.random() < 0.6


def service_names(rng, n):
    pairs = [(d, r) for d in DOMAINS for r in ROLES]
    rng.shuffle(pairs)
    names = []
    for i in range(n):
        d, r = pairs[i % len(pairs)]
        names.append("%s-%s" % (d, r) if i < len(pairs) else "%s-%s-%d" % (d, r, i // len(pairs)))
    return names


# ---------------------------------------------------------------- Kubernetes


def deployment(c, s):
    d = Doc()
    d.add("apiVersion: apps/v1")
    d.add("kind: Deployment")
    d.add("metadata:")
    d.add("  name: " + s.name)
    d.add("  labels:")
    d.add("    app.kubernetes.io/name: " + s.name)
    d.add("    app.kubernetes.io/part-of: " + s.domain)
    d.add("spec:")
    d.add("  replicas: 2")
    d.add("  selector:")
    d.add("    matchLabels:")
    d.add("      app.kubernetes.io/name: " + s.name)
    d.add("  template:")
    d.add("    metadata:")
    d.add("      labels:")
    d.add("        app.kubernetes.io/name: " + s.name)
    d.add("    spec:")
    d.add("      serviceAccountName: " + s.name)
    d.add("      securityContext:")
    d.add("        runAsNonRoot: true")
    d.add("        runAsUser: 10001")
    d.add("        seccompProfile:")
    d.add("          type: RuntimeDefault")
    d.add("      containers:")
    no_live, no_ready = c.broken("live"), c.broken("ready")
    no_limits, bad_image, priv = c.broken("limits"), c.broken("image"), c.broken("priv")
    for rule, on in (("k8s-missing-liveness-probe", no_live),
                     ("k8s-missing-readiness-probe", no_ready),
                     ("k8s-missing-resource-limits", no_limits)):
        if on:
            d.mark_next(rule)
    d.add("        - name: " + s.name)
    if bad_image:
        img = c.rng.choice(("ghcr.io/acme/%s:latest", "ghcr.io/acme/%s"))
        d.add("          image: " + img % s.name, "k8s-image-latest-or-untagged")
    else:
        d.add("          image: " + s.image)
    d.add("          ports:")
    d.add("            - name: http")
    d.add("              containerPort: %d" % s.port)
    d.add("          env:")
    d.add("            - name: LISTEN_PORT")
    d.add('              value: "%d"' % s.port)
    if s.has_db:
        d.add("            - name: DATABASE_PASSWORD")
        d.add("              valueFrom:")
        d.add("                secretKeyRef:")
        d.add("                  name: %s-db" % s.name)
        d.add("                  key: password")
    if c.broken("aws"):
        d.add("            - name: AWS_ACCESS_KEY_ID")
        d.add("              value: " + aws_key(c.rng), "secret-aws-access-key")
    if c.broken("pw"):
        d.add("            - name: SMTP_PASSWORD")
        d.add('              value: "%s"' % password(c.rng), "secret-generic-password")
    d.add("          resources:")
    d.add("            requests:")
    d.add("              cpu: 100m")
    d.add("              memory: 128Mi")
    if not no_limits:
        d.add("            limits:")
        d.add("              cpu: 500m")
        d.add("              memory: 256Mi")
    for kind, on in (("livenessProbe", no_live), ("readinessProbe", no_ready)):
        if on:
            continue
        d.add("          %s:" % kind)
        d.add("            httpGet:")
        d.add("              path: /%s" % ("healthz" if kind == "livenessProbe" else "ready"))
        d.add("              port: http")
        d.add("            periodSeconds: 10")
    d.add("          securityContext:")
    if priv:
        d.add("            privileged: true", "k8s-privileged")
    else:
        d.add("            allowPrivilegeEscalation: false")
        d.add("            readOnlyRootFilesystem: true")
        d.add("            capabilities:")
        d.add("              drop: [ALL]")
    c.write("k8s/base/%s/deployment.yaml" % s.name, d)


def k8s_service(c, s):
    c.write_text("k8s/base/%s/service.yaml" % s.name, """\
apiVersion: v1
kind: Service
metadata:
  name: {n}
  labels:
    app.kubernetes.io/name: {n}
spec:
  selector:
    app.kubernetes.io/name: {n}
  ports:
    - name: http
      port: 80
      targetPort: http
""".format(n=s.name))
    c.write_text("k8s/base/%s/serviceaccount.yaml" % s.name, """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {n}
automountServiceAccountToken: false
""".format(n=s.name))


def configmap(c, s):
    d = Doc()
    d.add("apiVersion: v1")
    d.add("kind: ConfigMap")
    d.add("metadata:")
    d.add("  name: %s-config" % s.name)
    d.add("data:")
    d.add("  LOG_FORMAT: json")
    d.add("  UPSTREAM_TIMEOUT: 5s")
    if c.broken("cm-pw"):
        d.add('  REDIS_PASSWORD: "%s"' % password(c.rng), "secret-generic-password")
    if c.broken("cm-key"):
        key = pem_key(c.rng)
        d.add("  signing.pem: |")
        d.add("    " + key[0], "secret-private-key")
        for ln in key[1:]:
            d.add("    " + ln)
    c.write("k8s/base/%s/configmap.yaml" % s.name, d)


def kustomize(c, s):
    c.write_text("k8s/base/%s/kustomization.yaml" % s.name, """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - serviceaccount.yaml
  - configmap.yaml
  - deployment.yaml
  - service.yaml
""")
    for i, env in enumerate(ENVS):
        c.write_text("k8s/overlays/%s/%s/kustomization.yaml" % (env, s.name), """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: {d}-{e}
resources:
  - ../../../base/{n}
labels:
  - pairs:
      environment: {e}
patches:
  - path: replicas.yaml
""".format(n=s.name, d=s.domain, e=env))
        c.write_text("k8s/overlays/%s/%s/replicas.yaml" % (env, s.name), """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {n}
spec:
  replicas: {r}
""".format(n=s.name, r=(1, 2, 3)[i]))


def argo(c, s):
    for env in ENVS:
        c.write_text("argocd/%s/%s.yaml" % (env, s.name), """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {n}-{e}
  namespace: argocd
spec:
  project: {d}
  source:
    repoURL: https://github.com/acme/delivery.git
    targetRevision: main
    path: k8s/overlays/{e}/{n}
  destination:
    server: https://kubernetes.default.svc
    namespace: {d}-{e}
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
""".format(n=s.name, d=s.domain, e=env))


# ---------------------------------------------------------------- GitHub Actions


def uses(c, d, action, ref):
    """A third-party action, pinned by commit unless this place breaks the pin rule."""
    if c.broken("pin"):
        d.add("        uses: %s@%s" % (action, ref), "gha-action-not-pinned-to-sha")
    else:
        d.add("        uses: %s@%s # %s" % (action, hexid(c.rng), ref))


def workflow(c, s):
    d = Doc()
    perms = not c.broken("perms")
    if not perms:
        d.mark_next("gha-default-permissions")
    d.add("name: %s" % s.name)
    d.add("on:")
    d.add("  push:")
    d.add("    branches: [main]")
    d.add("    paths: ['services/%s/**', 'k8s/base/%s/**']" % (s.name, s.name))
    d.add("  pull_request:")
    d.add("    paths: ['services/%s/**']" % s.name)
    if perms:
        d.add("permissions:")
        d.add("  contents: read")
    d.add("jobs:")
    d.add("  build:")
    d.add("    runs-on: ubuntu-latest")
    if perms:
        d.add("    permissions:")
        d.add("      contents: read")
        d.add("      packages: write")
    d.add("    steps:")
    d.add("      - uses: actions/checkout@v4")
    d.add("        with:")
    d.add("          persist-credentials: false")
    d.add("      - name: Set up Buildx")
    uses(c, d, *THIRD_PARTY[0])
    if c.broken("inject"):
        ctx = c.rng.choice(INJECTABLE)
        d.add("      - name: Describe the change")
        d.add("        run: echo \"${{ %s }}\"" % ctx, "gha-script-injection")
    else:
        d.add("      - name: Describe the change")
        d.add("        env:")
        d.add("          TITLE: ${{ github.event.pull_request.title }}")
        d.add('        run: echo "$TITLE"')
    d.add("      - name: Build")
    uses(c, d, *THIRD_PARTY[1])
    d.add("        with:")
    d.add("          context: services/%s" % s.name)
    d.add("          push: ${{ github.event_name == 'push' }}")
    d.add("          tags: ghcr.io/acme/%s:${{ github.sha }}" % s.name)
    prev = "build"
    for env in ENVS[:2]:
        d.add("")
        no_env = c.broken("env")
        if no_env:
            d.mark_next("gha-deploy-without-environment")
        d.add("  deploy-%s:" % env)
        d.add("    needs: [%s]" % prev)
        d.add("    if: github.ref == 'refs/heads/main'")
        d.add("    runs-on: ubuntu-latest")
        if perms:
            d.add("    permissions:")
            d.add("      contents: read")
            d.add("      id-token: write")
        if not no_env:
            d.add("    environment: %s" % env)
        d.add("    steps:")
        d.add("      - uses: actions/checkout@v4")
        d.add("        with:")
        d.add("          persist-credentials: false")
        d.add("      - name: Set up kubectl")
        uses(c, d, *THIRD_PARTY[3])
        d.add("      - name: Roll out")
        d.add("        run: kubectl apply -k k8s/overlays/%s/%s" % (env, s.name))
        prev = "deploy-%s" % env
    c.write(".github/workflows/%s.yml" % s.name, d)


def terraform_workflow(c):
    d = Doc()
    broken = c.broken("perms")
    if broken:
        d.mark_next("gha-default-permissions")
    d.add("name: terraform")
    d.add("on:")
    d.add("  pull_request:")
    d.add("    paths: ['terraform/**']")
    if not broken:
        d.add("permissions:")
        d.add("  contents: read")
    d.add("jobs:")
    d.add("  plan:")
    d.add("    runs-on: ubuntu-latest")
    d.add("    strategy:")
    d.add("      matrix:")
    d.add("        env: [%s]" % ", ".join(ENVS))
    d.add("    steps:")
    d.add("      - uses: actions/checkout@v4")
    d.add("        with:")
    d.add("          persist-credentials: false")
    d.add("      - name: Set up Terraform")
    uses(c, d, *THIRD_PARTY[4])
    d.add("      - name: Plan")
    d.add("        working-directory: terraform/environments/${{ matrix.env }}")
    d.add("        run: terraform init -input=false && terraform plan -input=false")
    c.write(".github/workflows/terraform.yml", d)


# ---------------------------------------------------------------- Terraform


def tf_module(c, s):
    d = Doc()
    d.add('variable "environment" {')
    d.add("  type = string")
    d.add("}")
    d.add("")
    d.add('variable "vpc_id" {')
    d.add("  type = string")
    d.add("}")
    d.add("")
    d.add("locals {")
    d.add('  name = "%s-${var.environment}"' % s.name)
    d.add("}")
    d.add("")
    d.add('resource "aws_security_group" "service" {')
    d.add("  name   = local.name")
    d.add("  vpc_id = var.vpc_id")
    d.add("")
    d.add("  ingress {")
    d.add("    from_port   = %d" % s.port)
    d.add("    to_port     = %d" % s.port)
    d.add('    protocol    = "tcp"')
    if c.broken("sg"):
        d.add('    cidr_blocks = ["0.0.0.0/0"]', "tf-sg-open-ingress")
    else:
        d.add('    cidr_blocks = ["10.0.0.0/8"]')
    d.add("  }")
    d.add("}")
    if s.has_bucket:
        d.add("")
        d.add('resource "aws_s3_bucket" "assets" {')
        d.add('  bucket = "acme-${local.name}-assets"')
        d.add("}")
        d.add("")
        d.add('resource "aws_s3_bucket_acl" "assets" {')
        d.add("  bucket = aws_s3_bucket.assets.id")
        if c.broken("acl"):
            d.add('  acl    = "%s"' % c.rng.choice(("public-read", "public-read-write")),
                  "tf-s3-public-acl")
        else:
            d.add('  acl    = "private"')
        d.add("}")
        d.add("")
        d.add('resource "aws_s3_bucket_public_access_block" "assets" {')
        d.add("  bucket                  = aws_s3_bucket.assets.id")
        d.add("  block_public_acls       = true")
        d.add("  block_public_policy     = true")
        d.add("  ignore_public_acls      = true")
        d.add("  restrict_public_buckets = true")
        d.add("}")
    if s.has_db:
        d.add("")
        d.add('resource "aws_db_instance" "main" {')
        d.add("  identifier                  = local.name")
        d.add('  engine                      = "postgres"')
        d.add('  instance_class              = "db.t4g.medium"')
        d.add("  allocated_storage           = 20")
        d.add('  username                    = "app"')
        d.add("  manage_master_user_password = true")
        if c.broken("rds"):
            d.add("  storage_encrypted           = false", "tf-rds-unencrypted")
        else:
            d.add("  storage_encrypted           = true")
        d.add("  vpc_security_group_ids      = [aws_security_group.service.id]")
        d.add("}")
    if c.broken("tf-aws"):
        d.add("")
        d.add("# bootstrap credentials for the %s uploader" % s.name)
        d.add("locals {")
        d.add('  uploader_key = "%s"' % aws_key(c.rng), "secret-aws-access-key")
        d.add("}")
    d.add("")
    d.add('output "security_group_id" {')
    d.add("  value = aws_security_group.service.id")
    d.add("}")
    c.write("terraform/modules/%s/main.tf" % s.name, d)


def tf_env(c, services, env):
    d = Doc()
    d.add("terraform {")
    d.add('  required_version = ">= 1.6"')
    d.add('  backend "s3" {')
    d.add('    bucket = "acme-terraform-state"')
    d.add('    key    = "%s/terraform.tfstate"' % env)
    d.add('    region = "eu-west-1"')
    d.add("  }")
    d.add("}")
    d.add("")
    d.add('module "vpc" {')
    if c.broken("mod"):
        d.add('  source = "terraform-aws-modules/vpc/aws"', "tf-module-version-unpinned")
    else:
        d.add('  source  = "terraform-aws-modules/vpc/aws"')
        d.add('  version = "5.8.1"')
    d.add('  name    = "%s"' % env)
    d.add('  cidr    = "10.%d.0.0/16"' % ENVS.index(env))
    d.add("}")
    for s in services:
        d.add("")
        d.add('module "%s" {' % s.name.replace("-", "_"))
        d.add('  source      = "../../modules/%s"' % s.name)
        d.add('  environment = "%s"' % env)
        d.add("  vpc_id      = module.vpc.vpc_id")
        d.add("}")
    c.write("terraform/environments/%s/main.tf" % env, d)


# ---------------------------------------------------------------- Dockerfile, docs


def dockerfile(c, s):
    build, run = LANGS[s.lang]
    d = Doc()
    d.add("# syntax=docker/dockerfile:1")
    d.add("FROM %s AS build" % build)
    d.add("WORKDIR /src")
    d.add("COPY . .")
    if s.lang == "go":
        d.add("RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app")
    elif s.lang == "python":
        d.add("RUN pip install --no-cache-dir --prefix=/out -r requirements.txt")
    else:
        d.add("RUN npm ci --omit=dev && cp -r . /out")
    d.add("")
    root = c.broken("root")
    how = c.rng.choice(("missing", "root", "zero")) if root else None
    if how == "missing" and run.endswith(":nonroot"):
        how = "root"  # that image's own default user is not root: say USER root outright
    if how == "missing":
        d.mark_next("dockerfile-runs-as-root")
    d.add("FROM %s" % run)
    d.add("COPY --from=build /out /app")
    d.add("WORKDIR /app")
    d.add("EXPOSE %d" % s.port)
    if how == "root":
        d.add("USER root", "dockerfile-runs-as-root")
    elif how == "zero":
        d.add("USER 0", "dockerfile-runs-as-root")
    elif how is None:
        d.add("USER 10001")
    d.add('ENTRYPOINT ["/app/%s"]' % ("app" if s.lang == "go" else "start"))
    c.write("services/%s/Dockerfile" % s.name, d)


def runbook(c, s):
    d = Doc()
    d.add("# %s" % s.name)
    d.add("")
    d.add("Owned by the %s team. Runs in every environment from the Kustomize overlays under"
          % s.domain)
    d.add("[k8s/overlays](../../k8s/overlays/) and is delivered by Argo CD.")
    d.add("")
    d.add("## Rolling back")
    d.add("")
    d.add("Revert the image tag in the overlay and let Argo CD sync.")
    if c.broken("doc-pw"):
        d.add("")
        d.add("The staging admin login is kept here until the vault migration lands:")
        d.add("")
        d.add("```")
        d.add('ADMIN_PASSWORD="%s"' % password(c.rng), "secret-generic-password")
        d.add("```")
    c.write("docs/%s/runbook.md" % s.name, d)


def docs_index(c, services):
    d = Doc()
    d.add("# Delivery")
    d.add("")
    d.add("Services deployed from this repository:")
    d.add("")
    for s in services:
        d.add("- [%s](%s/runbook.md)" % (s.name, s.name))
    c.write("docs/index.md", d)


def generate(root, services, seed, rate):
    rng = random.Random(seed)
    c = Corpus(root, rng, rate)
    svcs = [Service(rng, n) for n in service_names(rng, services)]
    for s in svcs:
        deployment(c, s)
        k8s_service(c, s)
        configmap(c, s)
        kustomize(c, s)
        argo(c, s)
        workflow(c, s)
        tf_module(c, s)
        dockerfile(c, s)
        runbook(c, s)
    for env in ENVS:
        tf_env(c, svcs, env)
    terraform_workflow(c)
    docs_index(c, svcs)
    c.write_text("README.md", "# delivery\n\nGenerated by opsbook's tools/gen_corpus.py "
                 "(seed %d, %d services).\n\nSee [the docs](docs/index.md).\n" % (seed, services))
    c.truth.sort(key=lambda t: (t["file"], t["line"], t["rule"]))
    with open(os.path.join(root, ".expected.jsonl"), "w", encoding="utf-8") as f:
        for t in c.truth:
            f.write(json.dumps(t, sort_keys=True) + "\n")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--services", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.15,
                    help="chance that each place where a rule can be broken is broken")
    ap.add_argument("--force", action="store_true", help="replace OUTDIR if it exists")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if a.services < 1 or not 0 <= a.rate <= 1:
        ap.error("--services must be at least 1 and --rate within [0, 1]")
    if os.path.exists(a.outdir):
        if not a.force:
            ap.error("%s exists (use --force to replace it)" % a.outdir)
        shutil.rmtree(a.outdir)
    os.makedirs(a.outdir)
    c = generate(a.outdir, a.services, a.seed, a.rate)
    if not a.quiet:
        print("wrote %d files, %d bytes, %d seeded violations, to %s"
              % (c.files, c.bytes, len(c.truth), a.outdir), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
