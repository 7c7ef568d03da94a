#!/bin/sh
# fetch-echarts.sh puts the pinned echarts build at reports/assets/echarts.min.js,
# where reports embeds it so that dashboards work with no network.
#
# It fetches echarts@5.4.3 (the version go-echarts v2.6.7 targets) with
# `npm pack`, checks the tarball against the sha512 integrity pinned below
# (from `npm view echarts@5.4.3 dist.integrity`), and extracts
# package/dist/echarts.min.js. The file is ignored by git and never committed.
# Running it again when the file is present does nothing.
set -eu

VERSION=5.4.3
INTEGRITY='sha512-mYKxLxhzy6zyTi/FaEbJMOZU1ULGEQHaeIeuMR5L+JnJTpz+YR03mnnpBhbR4+UYJAgiXgpyTVLffPAjOTLkZA=='

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/reports/assets/echarts.min.js"

if [ -s "$dest" ] && [ "${1:-}" != "-f" ]; then
	exit 0
fi

for tool in npm openssl tar; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "fetch-echarts: $tool is required" >&2
		exit 1
	}
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "echarts@$VERSION" >/dev/null)
tarball="$tmp/echarts-$VERSION.tgz"
if [ ! -f "$tarball" ]; then
	echo "fetch-echarts: npm pack did not produce $tarball" >&2
	exit 1
fi

got="sha512-$(openssl dgst -sha512 -binary "$tarball" | openssl base64 -A)"
if [ "$got" != "$INTEGRITY" ]; then
	echo "fetch-echarts: integrity mismatch for echarts@$VERSION" >&2
	echo "  want $INTEGRITY" >&2
	echo "  got  $got" >&2
	exit 1
fi

tar -xzf "$tarball" -C "$tmp" package/dist/echarts.min.js
mkdir -p "$(dirname "$dest")"
cp "$tmp/package/dist/echarts.min.js" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "fetch-echarts: wrote $dest (echarts@$VERSION)"
