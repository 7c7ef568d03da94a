#!/usr/bin/env bash
# browser-test.sh opens the reports as a person would, in headless Chromium with the network
# off, and checks every .html page of each report folder (index, overview, force, offence and
# sources pages): no request but the page and the shared echarts.min.js, no console or page error,
# the first key-figure card inside the first screen at 1440x900 and 390x844, no sideways scrolling
# at 390 px, page weight, height and load time within limits, printed A4 page counts, every chart
# drawn, every local link resolving, no axe-core WCAG 2.2 AA violation, the skip link first and the
# charts and tables reachable by keyboard, the print stylesheet applying, and the first screens of
# the demo's and the real report's index (and first force page) matching e2e/browser/screenshots/.
# See e2e/browser/check.mjs; its "measure" lines give each page's bytes, heights, first-card
# position, load time and printed pages.
#
#   scripts/browser-test.sh                        # what CI runs (make e2e)
#   UPDATE_SCREENSHOTS=1 scripts/browser-test.sh   # rewrite the reference screenshots
#   ALLOW_KNOWN=rule-id,... scripts/browser-test.sh   # report these axe rules as known, not failed
#
# It installs what it needs: Debian's chromium and fonts-liberation2 (the screenshots are drawn
# with it) when missing (as root), and the pinned npm packages of e2e/browser/package.json into
# .cache/browser. It builds bin/crimetrends, writes the demo report and, when $SHARED/data/real
# is there (SHARED defaults to ../shared), two reports on the real samples into a temporary
# folder: the ONS workbooks alone with the seed question (Wiltshire and Sussex, stalking and
# harassment, the 12 months to September 2018) and five months of data.police.uk files (monthly
# counts, no change on a year earlier). It ends with the line `browser: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$(date +%s)
SHARED=${SHARED:-../shared}
modules="$root/.cache/browser"
artifacts="$root/.cache/browser-artifacts"

die() {
	echo "browser-test: $*" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
}

# 1. Chromium, and the font the reference screenshots were drawn with.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-liberation2 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-liberation2)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		die "needs Debian's ${missing[*]}: run as root, or: sudo apt-get install -y ${missing[*]}"
	fi
	echo "browser-test: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >&2 || die "apt-get install ${missing[*]} failed"
fi

# 2. The pinned npm packages (no package-lock: it would name registry hosts).
command -v node >/dev/null || die "node not found (Node.js 20 or later)"
command -v npm >/dev/null || die "npm not found"
if ! cmp -s e2e/browser/package.json "$modules/package.json" || [ ! -d "$modules/node_modules/playwright-core" ]; then
	echo "browser-test: installing e2e/browser/package.json into .cache/browser" >&2
	rm -rf "$modules"
	mkdir -p "$modules"
	cp e2e/browser/package.json "$modules/"
	(cd "$modules" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >&2) || {
		rm -rf "$modules"
		die "npm install failed"
	}
fi

# 3. The reports.
make --no-print-directory build >&2 || die "make build failed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
roots=()
bin/crimetrends --quiet demo --out "$tmp/demo" >&2 || die "crimetrends demo failed"
roots+=("demo=$tmp/demo:screenshot")
if [ -d "$SHARED/data/real" ]; then
	ons="$SHARED/data/real/ons-pfa-tables"
	puk="$SHARED/data/real/police-uk-street-geoinfo"
	[ -d "$ons" ] || die "$ons is missing"
	[ -d "$puk" ] || die "$puk is missing"
	bin/crimetrends --quiet ingest --data "$tmp/ons-data" "$ons" >&2 || die "crimetrends ingest $ons failed"
	bin/crimetrends --quiet report --data "$tmp/ons-data" --out "$tmp/real" --generated-at 2025-06-01T00:00:00Z \
		--force Wiltshire --force Sussex --offence "Stalking and harassment" --period 2018-09 >&2 || die "crimetrends report (ONS) failed"
	roots+=("real=$tmp/real:screenshot")
	bin/crimetrends --quiet ingest --data "$tmp/puk-data" "$puk" >&2 || die "crimetrends ingest $puk failed"
	bin/crimetrends --quiet report --data "$tmp/puk-data" --out "$tmp/months" --generated-at 2025-06-01T00:00:00Z \
		--force Wiltshire --offence Burglary >&2 || die "crimetrends report (data.police.uk months) failed"
	roots+=("months=$tmp/months")
else
	echo "browser-test: $SHARED/data/real not found: checking the synthetic demo only" >&2
fi

# 4. The browser.
rm -rf "$artifacts"
status=0
BROWSER_TEST_START=$start BROWSER_MODULES="$modules" ARTIFACTS="$artifacts" node e2e/browser/check.mjs "${roots[@]}" || status=$?
exit "$status"
