#!/usr/bin/env bash
# Seeds for the fuzz targets: LOAD_DIR for tests/fuzz/fuzz_load.c (a kind byte, then a file:
# every small file of examples/, and the hostile inputs of tests/unit/test_hostile.c in
# small), SCAN_DIR for tests/fuzz/fuzz_scan.c: small repositories made of examples/platform's
# files and of hostile ones, each input being files separated by NUL bytes, each file's first
# byte '@' plus the index of its path in fuzz_scan.c's `names` (0 base kustomization,
# 1 deployment, 2 service, 3 prod overlay, 4 its patch, 5 workflow, 6 action, 7 Argo CD app,
# 8 main.tf, 9 variables.tf, 10 Dockerfile, 11 compose, 12 Markdown, 13 values.yaml, 14 text,
# 15 .opsbook.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
load=$1
out=$2
ex=examples/platform
mkdir -p "$load" "$out"

# fuzz_load: the kind byte indexes fuzz_load.c's `kinds` (0 YAML, 3 Kubernetes, 8 Terraform,
# 9 Markdown).
find examples -type f -size -64k | sort | head -200 | while read -r f; do
    h=$(sha1sum "$f" | cut -c1-16)
    printf '\x03' | cat - "$f" >"$load/$h"
done
load_seed() {  # NAME KIND, then the file on stdin
    { printf "\\x$(printf %02x "$2")"; cat; } >"$load/hostile-$1"
}
pod='apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx:1.25.3
    securityContext: {privileged: true}
'
printf '\xef\xbb\xbf%s' "$pod" | load_seed bom 3
printf '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}}\n' | load_seed flow 3
printf '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "securityContext": {"privileged": true}}]}}\n' | load_seed json 3
printf '%s' "$pod" | sed 's/^/  /' | load_seed indented 3
printf '%s' "$pod" | sed 's/: /  : /' | load_seed spaced 3
printf '%s      privileged: false\n      privileged: true\n' "$(printf '%s' "$pod" | sed '$d')" | load_seed duplicate 3
printf '%s' "$pod" | iconv -f utf-8 -t utf-16 | load_seed utf16 3
{ echo 'a: &a [x, x, x, x, x, x, x, x, x]'
  for c in b c d e f g h; do p=$(printf '%s' abcdefgh | sed "s/$c.*//" | tail -c 1)
      echo "$c: &$c [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"; done; } | load_seed bomb 0
printf 'a: &a [*a]\n' | load_seed self-alias 0
{ for i in $(seq 200); do printf '!['; done; printf x
  for i in $(seq 200); do printf '](a.png)'; done; echo; } | load_seed nested-images 9
{ for r in 1 2 3; do for c in $(seq 300); do printf '| c '; done; echo '|'; done; } | load_seed wide-table 9
{ printf 'locals {\n  x = "'; head -c 6000 /dev/zero | tr '\0' a; printf '"\n}\n'; } | load_seed long-literal 8

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
{
    file 1 "$pod"; printf '\0'
    file 0 'resources: [deployment.yaml]'; printf '\0'
    file 12 "$(cat "$load/hostile-nested-images" | tail -c +2)"; printf '\0'
    file 15 "policies: ['../outside']"
} | seed hostile
