#!/usr/bin/env python3
"""Agreement with kube-linter's own fixtures (tests/checks/<check>.yml), for the checks we
share: an object whose name starts with "dont-fire" must not be reported by our rule, one
whose name starts with "fire" must. Reads the exported repository and opsbook's report of it
(make realworld); prints the shares and every disagreement."""
import json, os, re, sys

SHARED = {  # kube-linter check -> opsbook rule
    "privileged-container": "k8s-privileged",
    "privilege-escalation-container": "k8s-allow-privilege-escalation",
    "run-as-non-root": "k8s-run-as-root",
    "no-liveness-probe": "k8s-missing-liveness-probe",
    "no-readiness-probe": "k8s-missing-readiness-probe",
    "no-read-only-root-fs": "k8s-writable-root-filesystem",
    "host-network": "k8s-host-namespace",
    "host-pid": "k8s-host-namespace",
    "host-ipc": "k8s-host-namespace",
    "latest-tag": "k8s-image-latest-or-untagged",
    "default-service-account": "k8s-default-service-account",
    "dangling-service": "k8s-service-selects-nothing",
    "dangling-hpa": "k8s-hpa-target-missing",
    "mismatching-selector": "k8s-selector-label-mismatch",
    "env-var-secret": "k8s-secret-in-env-literal",
    "drop-net-raw-capability": "k8s-dangerous-capabilities",
    "docker-sock": "k8s-host-path",
    "sensitive-host-mounts": "k8s-host-path",
    "wildcard-in-rules": "k8s-rbac-wildcard",
    "cluster-admin-role-binding": "k8s-cluster-admin-binding",
    "no-extensions-v1beta": "k8s-deprecated-api-version",
}

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/realworld"
    repo = os.path.join(out, "stackrox+kube-linter")
    report = json.load(open(repo + ".json"))
    reported = {}  # (path, rule) -> set of object names in findings
    for f in report["findings"]:
        text = (f.get("entity") or "") + " " + f["message"]
        for m in re.finditer(r"[A-Za-z]+/([a-z0-9][-a-z0-9.]*)", text):
            reported.setdefault((f["path"], f["rule"]), set()).add(m.group(1))
    tp = fn = tn = fp = 0
    for name in sorted(os.listdir(os.path.join(repo, "tests/checks"))):
        check = os.path.splitext(name)[0]
        rule = SHARED.get(check)
        if not rule:
            continue
        path = "tests/checks/" + name
        text = open(os.path.join(repo, path)).read()
        for obj in re.findall(r"(?m)^  name: ([-a-z0-9.]+)", text):
            if not obj.startswith(("fire", "dont-fire")):
                continue
            want = obj.startswith("fire")
            got = obj in reported.get((path, rule), set())
            if want and got: tp += 1
            elif want: fn += 1; print(f"missed  {check:32} {obj:28} ({rule})")
            elif got: fp += 1; print(f"extra   {check:32} {obj:28} ({rule})")
            else: tn += 1
    print(f"kube-linter fixtures, shared checks: failing cases flagged {tp} of {tp + fn}, "
          f"passing cases quiet {tn} of {tn + fp}")

main()
