#!/usr/bin/env bash
# Installs what opsbook needs to build and test, from Debian packages and the npm registry
# only. Safe to run again: it installs only what is missing. Used by `make deps`.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
apt_pkgs=(pkg-config libyaml-dev libjansson-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
          libgit2-dev libpcre2-dev libcriterion-dev git python3 time)
# OPSBOOK_DEPS=build: only what building needs (the GitHub Action uses it); the rest is for
# the tests.
build_only=0
[ "${OPSBOOK_DEPS:-all}" = build ] && build_only=1
[ $build_only = 1 ] && apt_pkgs=(pkg-config libyaml-dev libjansson-dev libcmark-gfm-dev
                                 libcmark-gfm-extensions-dev libgit2-dev libpcre2-dev)
# Node and npm: Debian's packages, unless a node with npm is already installed (another
# packaging of Node conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || apt_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
# Chromium is needed by the site's browser test only; OPSBOOK_NO_CHROMIUM=1 skips it.
if [ "${OPSBOOK_NO_CHROMIUM:-0}" != 1 ] && [ $build_only = 0 ]; then apt_pkgs+=(chromium); fi
# The fuzzers (make test runs them): clang with libFuzzer and the sanitizer runtimes.
[ $build_only = 1 ] || apt_pkgs+=(clang libclang-rt-14-dev)
# The install tests render the man page (groff, man, col), check the zsh and fish
# completions with those shells' own parsers, build the .deb (dpkg-dev) and run the
# pre-commit hook with pre-commit.
[ $build_only = 1 ] || apt_pkgs+=(groff-base man-db bsdextrautils zsh fish dpkg-dev pre-commit)

missing=()
for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "install-deps: apt packages: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

# npm packages (tree-sitter runtime and grammars, test helpers), pinned by package-lock.json.
# --ignore-scripts: their install scripts would run node-gyp; we compile the C ourselves.
stamp="$here/build/npm/.installed"
if [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
    mkdir -p "$here/build/npm"
    cp "$here/package.json" "$here/package-lock.json" "$here/build/npm/"
    (cd "$here/build/npm" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    touch "$stamp"
fi
