#!/usr/bin/env bash
# make bench (history part): builds a Git repository of COMMITS commits (default 1,000) from
# the synthetic corpus (tools/bench_corpus.sh) — each commit adds a batch of the
# corpus's files and edits one file added earlier — and reports commits/s and MB of blobs/s
# for `opsbook scan --history` (best of BENCH_RUNS runs, by wall time).
# usage: tools/bench_history.sh [COMMITS [SERVICES]]
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-1000}
services=${2:-50}
runs=${BENCH_RUNS:-3}
repo=build/bench/history-$commits-$services
bin=build/rel/opsbook

[ -x "$bin" ] || { echo "bench_history: build $bin first (make)" >&2; exit 2; }
. tools/bench_corpus.sh
bench_corpus "$services"

if [ ! -f "$repo/.done" ]; then
    rm -rf "$repo"
    git init -q -b main "$repo"
    # One fast-import stream: deterministic ids, no working tree to write.
    python3 - "$corpus" "$commits" <<'PY' | git -C "$repo" fast-import --quiet
import os, sys
root, commits = sys.argv[1], int(sys.argv[2])
files = sorted(os.path.relpath(os.path.join(d, f), root)
               for d, _, fs in os.walk(root) for f in fs if not f.startswith('.'))
out = sys.stdout.buffer
added = []
per = max(1, -(-len(files) // commits))
for n in range(commits):
    batch = files[n * per:(n + 1) * per]
    when = 1704067200 + n * 3600
    msg = b'commit %d' % n
    out.write(b'commit refs/heads/main\n')
    out.write(b'author Bench <bench@example.com> %d +0000\n' % when)
    out.write(b'committer Bench <bench@example.com> %d +0000\n' % when)
    out.write(b'data %d\n%s\n' % (len(msg), msg))
    for rel in batch:
        with open(os.path.join(root, rel), 'rb') as fh:
            data = fh.read()
        out.write(b'M 100644 inline %s\ndata %d\n%s\n' % (rel.encode(), len(data), data))
        added.append(rel)
    if added and n % 2 == 1:
        rel = added[(n * 7) % len(added)]
        with open(os.path.join(root, rel), 'rb') as fh:
            data = fh.read() + b'# revision %d\n' % n
        out.write(b'M 100644 inline %s\ndata %d\n%s\n' % (rel.encode(), len(data), data))
    out.write(b'\n')
PY
    touch "$repo/.done"
fi

count=$(git -C "$repo" rev-list --count main)
best=""
for _ in $(seq "$runs"); do
    t=$( { /usr/bin/time -f '%e %U %S %M' "$bin" scan --history --format json --output build/bench/history.json \
             --fail-on none "$repo" >/dev/null; } 2>&1 | tail -1)
    if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then
        best=$t
    fi
done
read -r wall user sys kb <<<"$best"
read -r blobs bytes <<<"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["blobs"], s["bytes"])' build/bench/history.json)"
awk -v c="$count" -v w="$wall" -v u="$user" -v s="$sys" -v b="$blobs" -v by="$bytes" -v kb="$kb" \
    -v r="$repo" 'BEGIN {
    cpu = u + s; if (cpu <= 0) cpu = 0.001;
    printf "history: %s (%d commits, %d blobs, %.1f MB of blobs)\n", r, c, b, by / 1e6;
    printf "%-24s %7.3f s wall %9.0f commits/s %7.1f MB/s %7.1f MB peak\n",
           "opsbook scan --history", w, c / w, by / 1e6 / w, kb * 1024 / 1e6;
    printf "%-24s %7.3f s cpu  %9.0f commits/s %7.1f MB/s (by cpu time: a busy machine inflates wall)\n",
           "", cpu, c / cpu, by / 1e6 / cpu }'
