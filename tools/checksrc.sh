#!/usr/bin/env bash
# make lint: flags C library calls that are easy to misuse (unbounded copies, unchecked
# conversions) in our sources, like curl's checksrc. Exit 1 when any is found.
set -uo pipefail
cd "$(dirname "$0")/.."
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|sscanf|strtok|tmpnam|mktemp)[[:space:]]*\('
files=$(git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^tools/embed.c$')
hits=$(grep -nE "$banned" $files | grep -v 'checksrc: allow' || true)
if [ -n "$hits" ]; then
    echo "$hits"
    echo "checksrc: use the bounded or checked alternative (snprintf, strbuf, strtol, strtok_r)" >&2
    exit 1
fi
long=$(awk 'length > 100 {print FILENAME ":" FNR ": line longer than 100 columns"}' $files)
if [ -n "$long" ]; then
    echo "$long"
    exit 1
fi
echo "checksrc: $(echo $files | wc -w) files clean"
