#!/usr/bin/env python3
"""Findings of the real-repository set (build/realworld/*.json) by rule family and rule, and
by repository: the counts docs/precision.md starts from. With --rule ID, every finding of
that rule as path:line: message, to be read at its line."""
import collections, glob, json, os, sys

def family(rule):
    for prefix in ("secret-", "tf-", "k8s-", "kustomize-", "gha-", "docker", "compose-",
                   "docs-", "argocd-", "helm-", "delivery-"):
        if rule.startswith(prefix):
            return prefix.rstrip("-")
    return rule

def main():
    out = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "build/realworld"
    only = sys.argv[sys.argv.index("--rule") + 1] if "--rule" in sys.argv else None
    by_rule, by_repo = collections.Counter(), collections.Counter()
    notes = collections.Counter()
    for path in sorted(glob.glob(os.path.join(out, "*.json"))):
        repo = os.path.basename(path)[:-5]
        with open(path) as f:
            report = json.load(f)
        for fd in report["findings"]:
            if fd.get("suppressed"):
                continue
            if only:
                if fd["rule"] == only:
                    print(f"{repo}/{fd['path']}:{fd.get('line', 0)}: {fd['message']}")
                continue
            by_rule[fd["rule"]] += 1
            by_repo[repo] += 1
            if fd.get("severity") == "note":
                notes[fd["rule"]] += 1
    if only:
        return
    fams, fam_notes = collections.Counter(), collections.Counter()
    for r, n in by_rule.items():
        fams[family(r)] += n
        fam_notes[family(r)] += notes[r]
    print(f"{sum(by_rule.values())} findings in {len(by_repo)} repositories"
          f" ({sum(notes.values())} of them notes)")
    print(f"  {'family':<20} {'all':>6} {'notes':>6}")
    for fam, n in fams.most_common():
        print(f"  {fam:<20} {n:6d} {fam_notes[fam]:6d}")
    print("by rule (all, notes):")
    for r, n in by_rule.most_common():
        print(f"  {r:<44} {n:6d} {notes[r]:6d}")
    print("by repository:")
    for r, n in by_repo.most_common():
        print(f"  {r:<48} {n:6d}")

main()
