#!/usr/bin/env bash
# make bench: generates the synthetic monorepo (../shared/bench/gen_corpus.py) once per size,
# warms the page cache, and reports files/s, MB/s and peak memory of a full scan on one
# thread and on every core, beside the floor measured in the same run: a bare libyaml event
# parse of the YAML files plus a bare tree-sitter parse of the .tf files (tools/tsfloor).
# usage: tools/bench.sh [SERVICES]   (BENCH_RUNS=N repeats each timing, best kept)
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-200}
runs=${BENCH_RUNS:-3}
gen=../shared/bench/gen_corpus.py
corpus=build/bench/corpus-$services
bin=build/rel/opsbook

[ -f "$gen" ] || { echo "bench: $gen not found" >&2; exit 2; }
make -s build/rel/yamlfloor >/dev/null
[ -f "$corpus/.corpus.json" ] || python3 "$gen" --services "$services" --seed 1 --quiet --force "$corpus"
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

files=$(find "$corpus" -type f ! -name .expected.jsonl ! -name .corpus.json | wc -l)
bytes=$(find "$corpus" -type f ! -name .expected.jsonl ! -name .corpus.json -printf '%s\n' | awk '{s+=$1} END {print s}')

best() { sort -g | head -1; }

# Floor: libyaml events over the YAML files, tree-sitter over the .tf files (one thread).
# Timed as CPU seconds (user + system) so a busy machine does not inflate it.
cpu_of() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.3f\n", $1 + $2}'; }
yaml_s=$(for _ in $(seq "$runs"); do cpu_of build/rel/yamlfloor "$corpus"; done | best)
ts_s=0
if [ -x build/rel/tsfloor ]; then
    ts_s=$(for _ in $(seq "$runs"); do cpu_of build/rel/tsfloor "$corpus"; done | best)
fi
floor=$(awk -v a="$yaml_s" -v b="$ts_s" 'BEGIN {printf "%.3f", a + b}')

scan() {  # threads -> "wall_s cpu_s peak_kb" of the best run (by wall time)
    local t=$1
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %U %S %M' "$bin" scan --no-git --threads "$t" --format json \
            --output /dev/null --fail-on none "$corpus" 2>&1 >/dev/null | tail -1 |
            awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}'
    done | sort -g | head -1
}
read -r s1 c1 rss1 <<<"$(scan 1)"
read -r s2 c2 rss2 <<<"$(scan 0)"

mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
row() { awk -v n="$1" -v s="$2" -v c="$3" -v f="$files" -v b="$bytes" -v kb="$4" -v fl="$floor" \
    'BEGIN {printf "%-24s %7.3f s wall %7.3f s cpu %9.0f files/s %7.1f MB/s %7.1f MB peak  wall %.2fx floor\n", n, s, c, f/s, b/1e6/s, kb/1024, s/fl}'; }
echo "corpus: $corpus ($services services, $files files, $mb MB)"
printf '%-24s %7.3f s cpu  (libyaml events %.3f s + tree-sitter %.3f s, one thread)\n' "floor" "$floor" "$yaml_s" "$ts_s"
row "opsbook scan, 1 thread" "$s1" "$c1" "$rss1"
row "opsbook scan, $(nproc) threads" "$s2" "$c2" "$rss2"
echo "(files/s and MB/s are by wall time; on a busy machine compare cpu seconds with the floor)"
