#!/bin/sh
# build-echarts.sh puts the echarts script the report pages inline at
# reports/assets/echarts.min.js, where reports embeds it so that pages work
# with no network. The file is ignored by git and never committed.
#
# It fetches echarts@5.4.3 (the version go-echarts v2.6.7 targets) and the
# exact versions echarts 5.4.3 pins in its package.json (zrender 5.4.4,
# tslib 2.3.0) with `npm pack`, checks each tarball against the sha512
# integrity written below (from `npm view NAME@VERSION dist.integrity`),
# unpacks them into a temporary node_modules and runs tools/echarts-build
# (esbuild's Go API) on tools/echarts-build/entry.js: a bundle of only the
# chart types, components and renderers the pages use, minified.
#
#   scripts/build-echarts.sh                  # the custom build (make assets)
#   ECHARTS_FULL=1 scripts/build-echarts.sh   # echarts' own full dist/echarts.min.js instead
#   scripts/build-echarts.sh -f               # rebuild even when up to date
#
# The verified tarballs are kept in .cache/echarts (checked again on every
# use), so only the first build needs the npm registry. The script does
# nothing when the asset was built by it from the same inputs (this script,
# entry.js, the build program, the esbuild version, the flavour).
set -eu

ECHARTS=5.4.3
ECHARTS_INTEGRITY='sha512-mYKxLxhzy6zyTi/FaEbJMOZU1ULGEQHaeIeuMR5L+JnJTpz+YR03mnnpBhbR4+UYJAgiXgpyTVLffPAjOTLkZA=='
ZRENDER=5.4.4
ZRENDER_INTEGRITY='sha512-0VxCNJ7AGOMCWeHVyTrGzUgrK4asT4ml9PEkeGirAkKNYXYzoPJCLvmyfdoOXcjTHPs10OZVMfD1Rwg16AZyYw=='
TSLIB=2.3.0
TSLIB_INTEGRITY='sha512-N82ooyxVNm6h1riLCoyS9e3fuJ3AMG2zIZs2Gd1ATcSFjSA23Q0fzjjZeh0jbJvWVDZ0cJT8yaNNaaXHzueNjg=='

GO=${GO:-go}
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/reports/assets/echarts.min.js"
cache="$root/.cache/echarts"
flavour=custom
[ "${ECHARTS_FULL:-}" = 1 ] && flavour=full

need() {
	for tool; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "build-echarts: $tool is required" >&2
			exit 1
		}
	done
}
need openssl

sha256() { openssl dgst -sha256 -r | cut -d' ' -f1; }

# What the asset is built from; the asset's own hash is recorded beside it
# so that a file put there by other means is rebuilt.
key=$(
	cd "$root"
	echo "$flavour"
	cat scripts/build-echarts.sh tools/echarts-build/entry.js tools/echarts-build/main.go
	grep '^github.com/evanw/esbuild ' go.sum
)
key=$(printf '%s' "$key" | sha256)
stamp="$cache/built"
if [ "${1:-}" != "-f" ] && [ -s "$dest" ] && [ -f "$stamp" ] &&
	[ "$(cat "$stamp")" = "$key $(sha256 <"$dest")" ]; then
	exit 0
fi

need npm tar "$GO"
start=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$cache"

# fetch NAME VERSION INTEGRITY: the verified tarball, from the cache or npm.
fetch() {
	tgz="$cache/$1-$2.tgz"
	if [ ! -f "$tgz" ]; then
		(cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
		if [ ! -f "$tmp/$1-$2.tgz" ]; then
			echo "build-echarts: npm pack did not produce $1-$2.tgz" >&2
			exit 1
		fi
		mv "$tmp/$1-$2.tgz" "$tgz.tmp"
		check "$tgz.tmp" "$1@$2" "$3"
		mv "$tgz.tmp" "$tgz"
	fi
	check "$tgz" "$1@$2" "$3"
}

check() {
	got="sha512-$(openssl dgst -sha512 -binary "$1" | openssl base64 -A)"
	if [ "$got" != "$3" ]; then
		rm -f "$1"
		echo "build-echarts: integrity mismatch for $2 (the tarball was removed)" >&2
		echo "  want $3" >&2
		echo "  got  $got" >&2
		exit 1
	fi
}

fetch echarts "$ECHARTS" "$ECHARTS_INTEGRITY"
mkdir -p "$(dirname "$dest")"
if [ "$flavour" = full ]; then
	tar -xzf "$cache/echarts-$ECHARTS.tgz" -C "$tmp" package/dist/echarts.min.js
	cp "$tmp/package/dist/echarts.min.js" "$dest.tmp"
	mv "$dest.tmp" "$dest"
	echo "build-echarts: wrote $dest (the full echarts@$ECHARTS dist build, $(wc -c <"$dest") bytes)"
else
	fetch zrender "$ZRENDER" "$ZRENDER_INTEGRITY"
	fetch tslib "$TSLIB" "$TSLIB_INTEGRITY"
	for p in echarts-"$ECHARTS" zrender-"$ZRENDER" tslib-"$TSLIB"; do
		mkdir -p "$tmp/node_modules/${p%-*}"
		tar -xzf "$cache/$p.tgz" -C "$tmp/node_modules/${p%-*}" --strip-components=1
	done
	(cd "$root" && "$GO" run ./tools/echarts-build -modules "$tmp/node_modules" -out "$dest")
fi
echo "$key $(sha256 <"$dest")" >"$stamp"
echo "build-echarts: $flavour build done in $(($(date +%s) - start)) s"
