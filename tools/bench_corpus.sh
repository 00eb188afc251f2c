# Sourced by the bench scripts: sets $corpus to the synthetic monorepo of $1 services, seed 1,
# generating it once. The benchmark's generator beside the repository (../shared/bench, also
# from a worktree under wt/) keeps numbers comparable with earlier runs; without it, our own
# tools/gen_corpus.py is used and the corpus directory is named so the two are never mixed.
bench_corpus() {
    local services=$1 gen
    for gen in ../shared/bench/gen_corpus.py ../../shared/bench/gen_corpus.py ""; do
        [ -z "$gen" ] || [ -f "$gen" ] && break
    done
    if [ -n "$gen" ]; then
        corpus=build/bench/corpus-$services
    else
        gen=tools/gen_corpus.py
        corpus=build/bench/own-corpus-$services
        echo "bench: no ../shared/bench/gen_corpus.py; using tools/gen_corpus.py ($corpus)," \
             "whose numbers are not comparable with the shared corpus" >&2
    fi
    [ -f "$corpus/.expected.jsonl" ] ||
        python3 "$gen" --services "$services" --seed 1 --quiet --force "$corpus"
}
