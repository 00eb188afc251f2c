#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml), runnable anywhere GitHub's environment
# variables are set. Annotations go to standard output (the log), the SARIF report to
# INPUT_SARIF_FILE, a table of findings by rule and severity to GITHUB_STEP_SUMMARY, and the
# counts and the SARIF path to GITHUB_OUTPUT. Exits as opsbook does: 0 clean at --fail-on,
# 1 findings, 2 usage or configuration error.
#
# Inputs (the action's `with:`, as environment variables): INPUT_PATH (default .),
# INPUT_DIFF_BASE (default: the pull request's base branch, none outside pull requests;
# "none" scans everything), INPUT_FAIL_ON (error), INPUT_CONFIG, INPUT_SARIF_FILE
# (opsbook.sarif). OPSBOOK names the binary (default: opsbook on PATH).
set -uo pipefail

bin=${OPSBOOK:-opsbook}
cd "${GITHUB_WORKSPACE:-.}" || exit 2
path=${INPUT_PATH:-.}
sarif=${INPUT_SARIF_FILE:-opsbook.sarif}
fail_on=${INPUT_FAIL_ON:-error}
base=${INPUT_DIFF_BASE:-}

# The base of a pull request: the remote-tracking branch when checkout fetched it, else a
# local branch of that name, else fetch it (a shallow checkout has neither).
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ] &&
   [[ ${GITHUB_EVENT_NAME:-} == pull_request* ]]; then
    for ref in "origin/$GITHUB_BASE_REF" "$GITHUB_BASE_REF"; do
        if git rev-parse -q --verify "$ref^{commit}" >/dev/null 2>&1; then base=$ref; break; fi
    done
    if [ -z "$base" ] && git fetch -q --no-tags origin "$GITHUB_BASE_REF" 2>/dev/null; then
        base=FETCH_HEAD
    fi
    [ -n "$base" ] ||
        echo "::warning::opsbook: cannot find the base branch $GITHUB_BASE_REF; scanning everything"
fi
[ "$base" = none ] && base=

args=(scan --format github --fail-on "$fail_on" --output-sarif "$sarif")
json=$(mktemp)
trap 'rm -f "$json"' EXIT
args+=(--output-json "$json")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "$base" ] && args+=(--diff "$base")
args+=("$path")

"$bin" "${args[@]}"
status=$?

# Counts and the summary come from the JSON report of the same run.
if [ -s "$json" ]; then
    python3 - "$json" "$base" "$status" <<'EOF'
import json, os, sys
report, base, status = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
s = report["summary"]
counts = {k: s.get(k, 0) for k in ("errors", "warnings", "notes", "suppressed")}
out = os.environ.get("GITHUB_OUTPUT")
if out:
    with open(out, "a") as f:
        for k, v in counts.items():
            f.write("%s=%d\n" % (k, v))
        f.write("findings=%d\n" % (counts["errors"] + counts["warnings"] + counts["notes"]))
        f.write("sarif-file=%s\n" % os.environ.get("INPUT_SARIF_FILE", "opsbook.sarif"))
summary = os.environ.get("GITHUB_STEP_SUMMARY")
if summary:
    by = {}
    for f in report.get("findings", []):
        if f.get("suppressed"):
            continue
        key = (f["rule"], f["severity"])
        by[key] = by.get(key, 0) + 1
    order = {"error": 0, "warning": 1, "note": 2}
    lines = ["## opsbook", ""]
    scope = "lines changed since `%s`" % base.replace("`", "'") if base else "the whole tree"
    lines.append("%d errors, %d warnings, %d notes in %s (%d files); %d suppressed."
                 % (counts["errors"], counts["warnings"], counts["notes"], scope,
                    s.get("files", 0), counts["suppressed"]))
    lines.append("")
    if by:
        lines += ["| Rule | Severity | Findings |", "|---|---|---:|"]
        for (rule, sev), n in sorted(by.items(), key=lambda kv: (order.get(kv[0][1], 3),
                                                                 -kv[1], kv[0][0])):
            lines.append("| `%s` | %s | %d |" % (rule, sev, n))
        lines.append("")
        lines.append("`opsbook explain RULE` says why a rule matters and how to fix a finding.")
    with open(summary, "a") as f:
        f.write("\n".join(lines) + "\n")
EOF
fi
exit "$status"
