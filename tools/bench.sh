#!/usr/bin/env bash
# make bench: generates the synthetic monorepo (tools/bench_corpus.sh) once per size,
# warms the page cache, and reports files/s, MB/s and peak memory of a full scan on one
# thread and on every core, beside the dependency floor measured in the same run (tools/floor:
# one walk, the YAML, .tf and Markdown files parsed bare by their parser libraries).
# Sizes are in MB of 10^6 bytes, peak memory included.
# usage: tools/bench.sh [SERVICES]   (BENCH_RUNS=N repeats each timing, best kept)
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-200}
runs=${BENCH_RUNS:-3}
bin=build/rel/opsbook

make -s build/rel/floor >/dev/null
. tools/bench_corpus.sh
bench_corpus "$services"
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

files=$(find "$corpus" -type f ! -name .expected.jsonl ! -name .corpus.json | wc -l)
bytes=$(find "$corpus" -type f ! -name .expected.jsonl ! -name .corpus.json -printf '%s\n' | awk '{s+=$1} END {print s}')

# Floor: one walk, each YAML, .tf and Markdown file parsed bare by libyaml, tree-sitter and
# cmark-gfm (tools/floor.c, one thread). Timed as process CPU seconds (user + system) so a
# busy machine does not inflate it; the best of the runs, with its per-parser split.
floor_run() {
    local out
    out=$(mktemp)
    /usr/bin/time -f '%U %S' -o "$out.t" build/rel/floor "$corpus" >"$out"
    awk '{printf "%.3f", $1 + $2}' "$out.t"
    awk '{printf " %s", $(NF - 1)}' "$out"
    echo
    rm -f "$out" "$out.t"
}

scan_run() {  # threads -> "wall_s cpu_s peak_kb"
    /usr/bin/time -f '%e %U %S %M' "$bin" scan --no-git --threads "$1" --format json \
        --output /dev/null --fail-on none "$corpus" 2>&1 >/dev/null | tail -1 |
        awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}'
}

# The runs take turns (floor, one thread, every core, then again), so a machine that is
# slower for a minute slows each of them alike; each keeps its best time, and the peak
# memory shown is the largest of its runs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$runs"); do
    floor_run >>"$tmp/floor"
    scan_run 1 >>"$tmp/one"
    scan_run 0 >>"$tmp/all"
done
read -r floor yaml_s ts_s md_s <<<"$(sort -g "$tmp/floor" | head -1)"
best() {  # file -> "wall_s cpu_s peak_kb": the best wall time, the largest peak
    local peak
    peak=$(awk '$3 > m {m = $3} END {print m}' "$1")
    sort -g "$1" | head -1 | awk -v p="$peak" '{print $1, $2, p}'
}
read -r s1 c1 rss1 <<<"$(best "$tmp/one")"
read -r s2 c2 rss2 <<<"$(best "$tmp/all")"

mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
row() { awk -v n="$1" -v s="$2" -v c="$3" -v f="$files" -v b="$bytes" -v kb="$4" -v fl="$floor" \
    'BEGIN {printf "%-24s %7.3f s wall %7.3f s cpu %9.0f files/s %7.1f MB/s %7.1f MB peak  wall %.2fx, cpu %.2fx floor\n", n, s, c, f/s, b/1e6/s, kb*1024/1e6, s/fl, c/fl}'; }
echo "corpus: $corpus ($services services, $files files, $mb MB)"
printf '%-24s %7.3f s cpu  (one walk; parsing: libyaml %.3f s, tree-sitter %.3f s, cmark-gfm %.3f s)\n' \
    "floor" "$floor" "$yaml_s" "$ts_s" "$md_s"
row "opsbook scan, 1 thread" "$s1" "$c1" "$rss1"
row "opsbook scan, $(nproc) threads" "$s2" "$c2" "$rss2"
echo "(files/s and MB/s are by wall time; on a busy machine compare cpu seconds with the floor)"
