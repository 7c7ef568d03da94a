// Command echarts-build bundles and minifies the custom echarts that the
// report pages inline, with esbuild's Go API: entry.js (beside this file)
// imports echarts/core and only the chart types, components and renderers
// the pages use, and sets the echarts global.
//
// scripts/build-echarts.sh (make assets) runs it after fetching the pinned
// echarts, zrender and tslib tarballs and checking their integrity:
//
//	go run ./tools/echarts-build -modules DIR/node_modules -out reports/assets/echarts.min.js
//
// where DIR/node_modules holds the unpacked packages (echarts, zrender,
// tslib). The output is the same bytes for the same inputs; it is written
// to a temporary file and renamed into place. It prints the size, gzipped
// size and bundling time.
//
// esbuild resolves the bare imports (echarts/core, zrender/lib/..., tslib)
// in -modules only, replaces process.env.NODE_ENV with "production" (as
// echarts' own dist build does, which drops its development warnings), and
// minifies to an IIFE for ES2015 browsers. The output opens with echarts'
// Apache-2.0 notice and the versions bundled; the bundled packages' legal
// comments (tslib, zrender) follow at its end.
//
// A chart type or component a page needs and entry.js lacks shows as a
// missing series (echarts drops it silently in production) or a console
// error "Component X is used but not imported"; add it to entry.js and to
// the list reports/assets_test.go checks the bundle for.
package main
