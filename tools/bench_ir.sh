#!/usr/bin/env bash
# make bench-ir: instructions executed (callgrind's Ir) by the floor and by a one-thread scan
# of the same generated corpus, and their ratio. Wall and CPU time on a shared VM move by
# 10-20% from minute to minute; instruction counts move by well under 1%, so a change of a
# few percent can be judged here. Instructions are not time (cache misses and page faults
# are not in them): `make bench` stays the measure of speed.
# usage: tools/bench_ir.sh [SERVICES]   (default 200; a run takes about 50 times the native one)
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-200}
command -v valgrind >/dev/null || { echo "bench-ir: valgrind is not installed" >&2; exit 2; }
make -s build/rel/opsbook build/rel/floor >/dev/null
. tools/bench_corpus.sh
bench_corpus "$services"

ir() {  # command... -> instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ {print $NF}'
}
floor=$(ir build/rel/floor "$corpus")
scan=$(ir build/rel/opsbook scan --no-git --threads 1 --format json --output /dev/null \
    --fail-on none "$corpus")
awk -v f="$floor" -v s="$scan" -v c="$corpus" 'BEGIN {
    printf "corpus: %s\n", c
    printf "%-24s %15.0f instructions\n", "floor", f
    printf "%-24s %15.0f instructions  %.3fx floor\n", "opsbook scan, 1 thread", s, s / f
}'
