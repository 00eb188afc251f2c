#!/usr/bin/env python3
"""Agreement with zizmor's own fixtures, for the audits we share: zizmor's snapshot tests
(crates/zizmor/tests/integration/snapshots/*.snap, at the pinned commit) record every
finding of a default run on a test input as `error[audit]` at `@@INPUT@@:line:col`. For each
such input and shared audit, the lines zizmor reports are compared with the lines our rule
reports on the same file (make realworld's report). Prints per audit: zizmor's lines we
report too, zizmor's lines we miss, our lines zizmor does not report."""
import collections, json, os, re, sys

SHARED = {  # zizmor audit -> the opsbook rules that cover it
    "template-injection": ("gha-script-injection",),
    "dangerous-triggers": ("gha-dangerous-trigger",),
    "bot-conditions": ("gha-spoofable-bot-check",),
    "artipacked": ("gha-checkout-persist-credentials",),
    "github-env": ("gha-github-env-write-privileged",),
    "insecure-commands": ("gha-insecure-commands",),
    "hardcoded-container-credentials": ("gha-hardcoded-container-credentials",),
    # a remote action without a ref is invalid for GitHub: gha-invalid-workflow says so
    "unpinned-uses": ("gha-action-not-pinned-to-sha", "gha-invalid-workflow",
                      "gha-container-image-unpinned"),
    "unpinned-images": ("gha-container-image-unpinned",),
    "overprovisioned-secrets": ("gha-whole-secrets-context",),
}
# zizmor points at a step's key (`run:`, `env:`), opsbook at the expression or assignment
# in it: a line of ours up to this many lines below one of zizmor's is the same finding.
SAME_STEP = 3

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/realworld"
    repo = os.path.join(out, "woodruffw+zizmor")
    base = "crates/zizmor/tests/integration/"
    ours = collections.defaultdict(set)  # (path, rule) -> lines
    for f in json.load(open(repo + ".json"))["findings"]:
        if not f.get("suppressed"):
            ours[(f["path"], f["rule"])].add(f.get("line", 0))
    theirs = collections.defaultdict(set)  # (path, rule) -> lines
    inputs = set()
    snaps = os.path.join(repo, base, "snapshots")
    for name in sorted(os.listdir(snaps)):
        text = open(os.path.join(snaps, name)).read()
        m = re.search(r'expression: "zizmor\(\)\.input\(input_under_test\(\\"([^\\"]+)\\"\)\)\.run\(\)\?"', text)
        if not m:
            continue  # a run with options, a config or several inputs: not the default run
        path = base + "test-data/" + m.group(1)
        if not path.endswith((".yml", ".yaml")) or not os.path.isfile(os.path.join(repo, path)):
            continue
        inputs.add(path)
        for a, line in re.findall(r"(?m)^\w+\[([a-z-]+)\]: .*\n\s*--> @@INPUT@@:(\d+):\d+", text):
            if a in SHARED:
                theirs[(path, a)].add(int(line))
    tot = collections.Counter()
    for audit, rules in SHARED.items():
        both = miss = extra = 0
        for path in sorted(inputs):
            t = theirs.get((path, audit), set())
            o = set().union(*(ours.get((path, r), set()) for r in rules))
            seen = set()
            for l in sorted(t):
                hit = {x for x in o if l <= x <= l + SAME_STEP}
                if hit:
                    both += 1
                    seen |= hit
                else:
                    miss += 1
                    print(f"  missed {audit:32} {path[len(base) + 10:]}:{l}")
            for x in sorted(o - seen):
                if rules[0] in {r for r in rules if x in ours.get((path, r), set())}:
                    extra += 1
                    print(f"  extra  {audit:32} {path[len(base) + 10:]}:{x}")
        tot.update(both=both, miss=miss, extra=extra)
        print(f"{audit:32} zizmor's findings we report {both}/{both + miss}, "
              f"ours ({rules[0]}) it does not {extra}")
    print(f"{len(inputs)} inputs; zizmor's findings we report: {tot['both']} of "
          f"{tot['both'] + tot['miss']}; ours it does not: {tot['extra']}")

main()
