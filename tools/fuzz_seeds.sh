#!/usr/bin/env bash
# Seeds for tests/fuzz/fuzz_scan.c in DIR: small repositories made of examples/platform's
# files, each input being files separated by NUL bytes, each file's first byte '@' plus the
# index of its path in fuzz_scan.c's `names` (0 base kustomization, 1 deployment, 2 service, 3 prod
# overlay, 4 its patch, 5 workflow, 6 action, 7 Argo CD app, 8 main.tf, 9 variables.tf,
# 10 Dockerfile, 11 compose, 12 Markdown, 13 values.yaml, 14 text, 15 .opsbook.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
ex=examples/platform
mkdir -p "$out"

file() {  # INDEX PATH-OR-TEXT...: one file of an input
    printf "\\x$(printf %02x $((64 + $1)))"
    if [ -f "$2" ]; then cat "$2"; else printf '%s' "$2"; fi
}

seed() {  # NAME, then the input on stdin
    cat >"$out/seed-$1"
}

base='resources: [deployment.yaml, service.yaml]
labels:
  - pairs: {team: payments}
'
overlay='resources: [../../base]
namespace: payments-prod
patches:
  - path: patch.yaml
images:
  - name: ghcr.io/northwind/payments-api
    newTag: 2.14.1
'
overlay6902='resources: [../../base]
patches:
  - path: patch.yaml
    target: {kind: Deployment, name: checkout-web}
'
json6902='- op: replace
  path: /spec/replicas
  value: 3
- op: remove
  path: /spec/template/spec/containers/0/readinessProbe
'
{
    file 0 "$base"; printf '\0'
    file 1 $ex/k8s/base/payments-api/deployment.yaml; printf '\0'
    file 2 $ex/k8s/base/payments-api/service.yaml; printf '\0'
    file 3 "$overlay"; printf '\0'
    file 4 $ex/k8s/overlays/prod/patch-payments-api-resources.yaml
} | seed kustomize
{
    file 0 "$base"; printf '\0'
    file 1 $ex/k8s/base/checkout-web/deployment.yaml; printf '\0'
    file 2 $ex/k8s/base/checkout-web/service.yaml; printf '\0'
    file 3 "$overlay6902"; printf '\0'
    file 4 "$json6902"
} | seed json6902
{
    file 5 $ex/.github/workflows/deploy.yml; printf '\0'
    file 6 $ex/.github/actions/setup-toolchain/action.yml; printf '\0'
    file 7 $ex/argocd/apps/payments-prod.yaml; printf '\0'
    file 3 "$overlay"; printf '\0'
    file 15 $ex/.opsbook.yml
} | seed delivery
tf=$(find $ex/terraform -name '*.tf' | head -2)
{
    file 8 "$(echo "$tf" | head -1)"; printf '\0'
    file 9 "$(echo "$tf" | tail -1)"; printf '\0'
    file 10 $ex/services/payments-api/Dockerfile; printf '\0'
    file 11 $ex/docker-compose.yml; printf '\0'
    file 12 $ex/README.md; printf '\0'
    file 14 $ex/config/legacy.env
} | seed infra
