#!/usr/bin/env bash
# make realworld: exports each repository of tools/realworld/repos.tsv at its pinned commit
# from the snapshots the search tool's fetch left (REALWORLD_MIRROR, default ../.mirror:
# OWNER+NAME/repo, a bare Git directory), scans it into build/realworld/NAME.json, and
# prints findings by rule over the whole set (tools/realworld/summary.py). A repository that
# is not there, or not at its commit, is named and left out. Not part of make test: CI has
# no network and no snapshots.
set -euo pipefail
cd "$(dirname "$0")/../.."
mirror=${REALWORLD_MIRROR:-../.mirror}
out=build/realworld
bin=build/rel/opsbook
mkdir -p "$out"
make -s build/rel/opsbook
n=0
while IFS=$'\t' read -r repo commit shape; do
    case "$repo" in ''|'#'*) continue ;; esac
    name=${repo//\//+}
    git_dir=$mirror/$name/repo
    if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
        echo "realworld: $repo at ${commit:0:12} is not in $mirror (fetch it first)" >&2
        continue
    fi
    if [ ! -f "$out/$name/.exported-$commit" ]; then
        rm -rf "${out:?}/$name"
        mkdir -p "$out/$name"
        python3 tools/realworld/export.py "$git_dir" "$commit" "$out/$name"
        touch "$out/$name/.exported-$commit"
    fi
    "$bin" scan --no-git --fail-on none --format json --output "$out/$name.json" \
        "$out/$name" 2>"$out/$name.stderr" || echo "realworld: $repo: exit $?" >&2
    n=$((n + 1))
done <tools/realworld/repos.tsv
echo "realworld: $n repositories scanned into $out"
python3 tools/realworld/summary.py "$out"
