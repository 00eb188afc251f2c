#!/usr/bin/env bash
# make deb: a Debian package of what `make install PREFIX=/usr` installs, built with dpkg-deb.
# Its Depends line is what dpkg-shlibdeps derives from the shared libraries the binary links,
# so it names exactly the runtime libraries (and minimum versions) this build needs.
# usage: tools/make_deb.sh BUILDDIR OUTDIR   (BUILDDIR: build/rel or build/san)
set -euo pipefail
cd "$(dirname "$0")/.."
b=${1:?usage: make_deb.sh BUILDDIR OUTDIR}
out=${2:?usage: make_deb.sh BUILDDIR OUTDIR}
san=0
[ "$b" = build/san ] && san=1

version=$("$b/opsbook" --version | awk '{print $NF}')
arch=$(dpkg --print-architecture)
name=opsbook_${version}_${arch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/$name

make -s --no-print-directory install SAN=$san DESTDIR="$stage" PREFIX=/usr >/dev/null
strip --strip-unneeded "$stage/usr/bin/opsbook"
gzip -9n "$stage/usr/share/man/man1/opsbook.1"
install -D -m 644 LICENSE "$stage/usr/share/doc/opsbook/copyright"

# dpkg-shlibdeps reads a source package's control file: a minimal one in the scratch dir.
mkdir -p "$work/debian"
printf 'Source: opsbook\n\nPackage: opsbook\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$name/usr/bin/opsbook" 2>/dev/null |
          sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "make deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$stage/DEBIAN"
cat >"$stage/DEBIAN/control" <<EOF
Package: opsbook
Version: $version
Architecture: $arch
Maintainer: opsbook developers <opsbook@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: devel
Priority: optional
Description: check and explain a repository's delivery configuration
 opsbook reads GitHub Actions workflows, Kubernetes manifests (plain, Kustomize,
 Helm, Argo CD, Flux), Terraform, Dockerfiles, docker-compose files and Markdown
 documents, links them into one model, runs security and best-practice policies
 and writes findings (text, JSON, SARIF, JUnit, GitHub annotations) or a static
 HTML site that explains the delivery system.
EOF
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out/$name.deb" >/dev/null
echo "$out/$name.deb"
