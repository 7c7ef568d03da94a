// check.mjs opens report pages in headless Chromium, as a person would, with the network off, and
// checks each one:
//
//   requests  nothing is fetched but the page's own file and the shared echarts.min.js beside it
//   console   no console error and no uncaught page error
//   first     at 1440x900 and at 390x844, the first key-figure card is wholly inside the first
//             screen: on the index, and on a force page of one offence (measured on every page)
//   overflow  at 390 px wide the page does not scroll sideways (tables and wide charts scroll
//             inside their own box)
//   weight    the page's bytes (and the shared script's, once), its height at 1440 and 390 px, and
//             its load time; limits that catch a regression: no page over 2 MB, a force page of
//             one offence under 300 KB and 9,000 px at 1440 px, a force page of every offence
//             loaded in under LOAD_LIMIT_MS
//   charts    with every "More" section opened, every chart container (.chart-box) has an echarts
//             instance whose svg or canvas has a non-zero size and something drawn on it
//   links     every local link resolves to a file inside the report folder, every #fragment to an
//             element; local .html links are followed and those pages checked too
//   axe       axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) finds no violation
//   keyboard  from the top, Tab reaches the "Skip to main content" link first and following it
//             focuses main; "n" jumps to a section heading; every chart, scrolling table and
//             scrolling chart box has tabindex="0" and an aria-label
//   print     with print media the top bar and skip link are hidden and beforeprint draws every
//             chart at no more than the printable width of A4 (180 mm), afterprint back
//   pdf       the index and the first force page printed to A4 PDF (page.pdf()): the number of
//             printed pages, at most PRINT_LIMIT for a report of one offence
//   screenshot (roots marked :screenshot) the first screen of the index at 1440x900 and 390x844,
//             and of the first force page at 1440x900, scaled by half, match
//             screenshots/<root>-<page>-<width>.png to within SCREENSHOT_TOLERANCE
//
// It is run by scripts/browser-test.sh, which installs its packages into .cache/browser and
// passes that folder as BROWSER_MODULES:
//
//   node e2e/browser/check.mjs NAME=DIR[:screenshot] ...
//
// Each DIR is a report folder: the crawl starts at its dashboard.html (or index.html), and every
// other .html file in it is checked as well. Environment:
//
//   BROWSER_MODULES       folder holding node_modules (required)
//   CHROMIUM              browser binary (default /usr/bin/chromium)
//   UPDATE_SCREENSHOTS    1: write the reference screenshots instead of comparing
//   ALLOW_KNOWN           comma-separated axe rule ids reported as known, not failed
//   SCREENSHOT_TOLERANCE  largest share of differing pixels, in percent (default 1)
//   LOAD_LIMIT_MS         longest load of a force page of every offence (default 3000)
//   ARTIFACTS             where a failed comparison's actual and diff PNGs go (default a temp dir)
//   BROWSER_TEST_START    Unix time the run began, for the closing time line
//
// It prints one PASS or FAIL line per check and page, a "measure" line per page (bytes, heights,
// first-card positions, load time, printed pages), then `browser: N passed, M failed`, and exits 1
// when any check failed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.BROWSER_MODULES;
if (!modules) {
  console.error('check.mjs: set BROWSER_MODULES to the folder holding node_modules (scripts/browser-test.sh does)');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), 'package.json'));
const { chromium } = require('playwright-core');
const { PNG } = require('pngjs');
const pixelmatch = (await import(pathToFileURL(require.resolve('pixelmatch')).href)).default;
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const ALLOW_KNOWN = new Set((process.env.ALLOW_KNOWN || '').split(',').map((s) => s.trim()).filter(Boolean));
const TOLERANCE = Number(process.env.SCREENSHOT_TOLERANCE || '1');
const LOAD_LIMIT_MS = Number(process.env.LOAD_LIMIT_MS || '3000');
const SCREENSHOT_DIR = path.join(here, 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCRIPT = 'echarts.min.js';
const CHART_SETTLE_MS = 1500;
const PAGE_TIMEOUT_MS = 120000;
const MAX_BYTES = 2_000_000;
const ONE_OFFENCE_BYTES = 300_000;
const ONE_OFFENCE_HEIGHT = 9000;
const PRINT_LIMIT = { index: 3, force: 5 }; // A4 pages, for a report of one offence

let passed = 0;
let failed = 0;
const violated = new Set(); // axe rule ids seen on any page

function report(ok, page, check, summary, details = []) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${page} ${check}: ${summary}`);
  for (const d of details) console.log(`    ${d}`);
}

// roots parses NAME=DIR[:screenshot] arguments.
function roots(argv) {
  const out = [];
  for (const arg of argv) {
    const m = /^([A-Za-z0-9_-]+)=(.+?)(:screenshot)?$/.exec(arg);
    if (!m) throw new Error(`argument ${JSON.stringify(arg)}: want NAME=DIR or NAME=DIR:screenshot`);
    const dir = path.resolve(m[2]);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${arg}: ${dir} is not a folder`);
    out.push({ name: m[1], dir, screenshot: Boolean(m[3]) });
  }
  if (out.length === 0) throw new Error('no report folder given: want NAME=DIR[:screenshot] ...');
  return out;
}

// htmlFiles lists every .html file directly in dir, sorted, symbolic links to files included (a
// report's outputs are links into its current run folder).
function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.name.endsWith('.html')) continue;
    const file = path.join(dir, e.name);
    if (e.isFile() || (e.isSymbolicLink() && fs.statSync(file, { throwIfNoEntry: false })?.isFile())) out.push(file);
  }
  return out.sort();
}

function within(dir, file) {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

// openPage opens file in a new page of context with every request but the page's own file and the
// shared script beside it blocked, and returns the page and the lists it fills.
async function openPage(context, root, file) {
  const own = pathToFileURL(file).href;
  const script = pathToFileURL(path.join(root.dir, SCRIPT)).href;
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('websocket', (ws) => requests.push(`websocket ${ws.url()}`));
  await page.route('**/*', (route) => {
    const u = route.request().url().split('#')[0];
    if (u === own || u === script) return route.continue();
    requests.push(`${route.request().method()} ${u.slice(0, 200)} (${route.request().resourceType()})`);
    return route.abort('blockedbyclient');
  });
  page.on('requestfailed', (r) => {
    if (r.url().split('#')[0] === own) errors.push(`the page itself failed to load: ${r.failure()?.errorText}`);
  });
  const t0 = Date.now();
  await page.goto(own, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  return { page, requests, errors, loadMs: Date.now() - t0 };
}

// layout measures what a reader meets on the first screen: the first card's box, the page's
// height and whether it scrolls sideways.
async function layout(page) {
  return page.evaluate(() => {
    const c = document.querySelector('main .card');
    const r = c ? c.getBoundingClientRect() : null;
    const d = document.documentElement;
    return {
      card: r ? { top: Math.round(r.top + window.scrollY), bottom: Math.round(r.bottom + window.scrollY) } : null,
      height: d.scrollHeight,
      overflow: d.scrollWidth - d.clientWidth,
      cards: document.querySelectorAll('main .card').length,
      offences: document.querySelectorAll('section.offence').length,
    };
  });
}

// openAll opens every details element but the navigation menus, so that every chart can be
// drawn, and draws them.
async function drawAll(page) {
  await page.evaluate(async (ms) => {
    document.querySelectorAll('details').forEach((d) => {
      if (!d.classList.contains('menu')) d.open = true;
    });
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await frame();
    if (window.crimetrends) window.crimetrends.draw();
    // Charts draw on an animation frame after setOption: wait until every box holds a drawn
    // surface, or ms at most.
    const drawn = () => [...document.querySelectorAll('.chart-box')].every((el) => el.querySelector('svg path, svg text, canvas'));
    for (let t = 0; t < ms && !drawn(); t += 100) await new Promise((r) => setTimeout(r, 100));
    await frame();
  }, CHART_SETTLE_MS);
}

// drawnCharts describes every chart container.
async function drawnCharts(page) {
  return page.evaluate(() => {
    return [...document.querySelectorAll('.chart-box')].map((el) => {
      const chart = typeof echarts === 'undefined' ? null : echarts.getInstanceByDom(el);
      const surface = el.querySelector('svg, canvas');
      const r = surface ? surface.getBoundingClientRect() : { width: 0, height: 0 };
      let painted = 0;
      if (surface && surface.tagName.toLowerCase() === 'canvas' && surface.width > 0 && surface.height > 0) {
        const data = surface.getContext('2d').getImageData(0, 0, surface.width, surface.height).data;
        for (let i = 3; i < data.length && painted === 0; i += 4) if (data[i] !== 0) painted = 1;
      } else if (surface) {
        painted = surface.querySelectorAll('path, text, rect, circle, polyline, line').length;
      }
      return { id: el.id, instance: Boolean(chart), width: r.width, height: r.height, painted };
    });
  });
}

async function pageLinks(page) {
  return page.evaluate(() => ({
    links: [...document.querySelectorAll('a[href], area[href]')].map((a) => ({ raw: a.getAttribute('href'), url: a.href })),
    anchors: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
  }));
}

async function runAxe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (tags) => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      why: (v.nodes[0]?.failureSummary || '').replace(/\s+/g, ' ').trim(),
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
}

let artifacts;
function artifactPath(name) {
  artifacts ??= process.env.ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'browser-test-'));
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

// half scales an RGBA image down by 2 in each direction, averaging each 2x2 block: the reference
// screenshots are stored at half size to keep them small.
function half(src) {
  const w = src.width >> 1;
  const h = src.height >> 1;
  const out = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = (2 * y * src.width + 2 * x) * 4;
      const b = a + src.width * 4;
      for (let c = 0; c < 4; c++) {
        out.data[(y * w + x) * 4 + c] = (src.data[a + c] + src.data[a + 4 + c] + src.data[b + c] + src.data[b + 4 + c] + 2) >> 2;
      }
    }
  }
  return out;
}

const encode = (png) => PNG.sync.write(png, { deflateLevel: 9, colorType: 2 });

function saveActual(name, full, scaled) {
  const out = artifactPath(`${name}.actual.png`);
  fs.writeFileSync(out, encode(scaled));
  fs.writeFileSync(artifactPath(`${name}.actual-full.png`), full);
  return out;
}

// screenshot compares the first screen of page with screenshots/<name>.png.
async function screenshot(page, label, name) {
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }',
  });
  await page.evaluate(async () => {
    window.scrollTo(0, 0);
    // The charts on the first screen are drawn as they come into view: wait for them.
    const shown = () => [...document.querySelectorAll('.chart-box')].filter((el) => el.getBoundingClientRect().top < window.innerHeight);
    for (let t = 0; t < 3000 && !shown().every((el) => el.querySelector('svg path, svg text, canvas')); t += 100) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  const buf = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  const actual = half(PNG.sync.read(buf));
  const ref = path.join(SCREENSHOT_DIR, `${name}.png`);
  const rel = path.relative(process.cwd(), ref);
  if (UPDATE) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.writeFileSync(ref, encode(actual));
    report(true, label, 'screenshot', `reference written: ${rel} (${actual.width}x${actual.height}, ${fs.statSync(ref).size} bytes)`);
    return;
  }
  if (!fs.existsSync(ref)) {
    const out = saveActual(name, buf, actual);
    report(false, label, 'screenshot', `no reference ${rel}; run UPDATE_SCREENSHOTS=1 scripts/browser-test.sh`, [`actual: ${out}`]);
    return;
  }
  const want = PNG.sync.read(fs.readFileSync(ref));
  if (want.width !== actual.width || want.height !== actual.height) {
    const out = saveActual(name, buf, actual);
    report(false, label, 'screenshot', `size ${actual.width}x${actual.height}, reference ${want.width}x${want.height}`, [`actual: ${out}`]);
    return;
  }
  const diff = new PNG({ width: want.width, height: want.height });
  const n = pixelmatch(want.data, actual.data, diff.data, want.width, want.height, { threshold: 0.1 });
  const pct = (100 * n) / (want.width * want.height);
  const summary = `${rel}: ${n} of ${want.width * want.height} pixels differ (${pct.toFixed(3)}%, tolerance ${TOLERANCE}%)`;
  if (pct <= TOLERANCE) {
    report(true, label, 'screenshot', summary);
    return;
  }
  const out = saveActual(name, buf, actual);
  const diffOut = artifactPath(`${name}.diff.png`);
  fs.writeFileSync(diffOut, PNG.sync.write(diff));
  report(false, label, 'screenshot', summary, [`actual: ${out}`, `diff:   ${diffOut}`, 'UPDATE_SCREENSHOTS=1 rewrites it']);
}

// checkKeyboard works the page from the keyboard as a person would.
async function checkKeyboard(page) {
  const problems = [];
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const a = document.activeElement;
    return a ? { tag: a.tagName, text: (a.textContent || '').trim(), href: a.getAttribute('href') } : null;
  });
  if (!first || first.tag !== 'A' || first.href !== '#main' || first.text !== 'Skip to main content') {
    problems.push(`the first Tab reaches ${JSON.stringify(first)}, not the "Skip to main content" link to #main`);
  } else {
    await page.keyboard.press('Enter');
    const after = await page.evaluate(() => ({ tag: document.activeElement?.tagName, id: document.activeElement?.id }));
    if (after.tag !== 'MAIN' || after.id !== 'main') problems.push(`the skip link moves focus to ${JSON.stringify(after)}, not main#main`);
  }
  const headings = await page.evaluate(() => document.querySelectorAll('main h2').length);
  if (headings > 0) {
    await page.keyboard.press('n');
    const at = await page.evaluate(() => ({ tag: document.activeElement?.tagName, inMain: Boolean(document.activeElement?.closest('main')) }));
    if (at.tag !== 'H2' || !at.inMain) problems.push(`"n" moves focus to ${JSON.stringify(at)}, not a section heading in main`);
  }
  const unreachable = await page.evaluate(() =>
    [...document.querySelectorAll('.chart-box, .table-wrap, .chart-scroll')]
      .filter((el) => el.getAttribute('tabindex') !== '0' || !(el.getAttribute('aria-label') || '').trim())
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : '.' + el.className}`),
  );
  for (const u of unreachable) problems.push(`${u}: not keyboard-reachable (tabindex="0") or unnamed (aria-label)`);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  return problems;
}

// checkPrint applies the print stylesheet: the top bar and the skip link are hidden, and on
// beforeprint every chart is drawn no wider than the printable width of A4 (180 mm), and back on
// afterprint.
async function checkPrint(page) {
  const problems = [];
  const widths = () =>
    page.evaluate(() => (typeof echarts === 'undefined' ? [] : [...document.querySelectorAll('.chart-box')].map((el) => echarts.getInstanceByDom(el)?.getWidth() ?? 0)));
  const before = await widths();
  await page.emulateMedia({ media: 'print' });
  try {
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('header.top, .skip-link')].filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.tagName.toLowerCase() + '.' + el.className),
    );
    for (const el of shown) problems.push(`${el} is shown in print`);
    const printed = await page.evaluate(() => {
      window.dispatchEvent(new Event('beforeprint'));
      const probe = document.createElement('div');
      probe.style.cssText = 'position:absolute;visibility:hidden;width:180mm';
      document.body.appendChild(probe);
      const want = probe.getBoundingClientRect().width;
      probe.remove();
      const ws = typeof echarts === 'undefined' ? [] : [...document.querySelectorAll('.chart-box')].map((el) => echarts.getInstanceByDom(el)?.getWidth() ?? 0);
      return { want, ws };
    });
    printed.ws.forEach((w, i) => {
      if (w > printed.want + 2) problems.push(`chart ${i + 1}: ${w} px wide for print, more than ${printed.want.toFixed(0)} px (180 mm)`);
    });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const after = await widths();
  after.forEach((w, i) => {
    if (Math.abs(w - before[i]) > 2) problems.push(`chart ${i + 1}: ${w} px wide after printing, ${before[i]} px before`);
  });
  return problems;
}

// printedPages prints the page to A4 PDF and counts its pages.
async function printedPages(page) {
  await page.evaluate(() => window.crimetrends && window.crimetrends.draw());
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

// checkPage runs every check on one page and returns the local links it found.
async function checkPage(ctx, root, file, first) {
  const rel = path.relative(root.dir, file);
  const label = `${root.name}/${rel}`;
  const base = path.basename(file, '.html');
  const kind = base === 'dashboard' || base === 'index' ? 'index' : base.split('-')[0];
  const bytes = fs.statSync(file).size;
  let found = { links: [], anchors: [] };
  const m = { bytes };
  const lim = [];

  const { page, requests, errors, loadMs } = await openPage(ctx, root, file);
  try {
    m.loadMs = loadMs;
    const l = await layout(page);
    m.h1440 = l.height;
    m.card1440 = l.card;
    m.offences = l.offences;
    if (root.screenshot && first && (kind === 'index' || kind === 'force')) await screenshot(page, label, `${root.name}-${base}-1440`);
    // The phone: the same page at 390x844.
    await page.setViewportSize(PHONE);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const p = await layout(page);
    m.h390 = p.height;
    m.card390 = p.card;
    if (p.overflow > 0) lim.push(`scrolls sideways by ${p.overflow} px at 390 px wide`);
    if (root.screenshot && first && kind === 'index') await screenshot(page, label, `${root.name}-${base}-390`);
    await page.setViewportSize(DESKTOP);
    const inFirst = (c, vp) => c && c.bottom <= vp.height;
    if (kind === 'index' || (kind === 'force' && l.offences === 1)) {
      const ok = inFirst(m.card1440, DESKTOP) && inFirst(m.card390, PHONE);
      const at = (c) => (c ? `${c.top}-${c.bottom} px` : 'none');
      report(ok, label, 'first', `first card at ${at(m.card1440)} (1440x900) and ${at(m.card390)} (390x844)${ok ? ': inside the first screen' : ': not wholly inside the first screen'}`);
    }

    if (bytes > MAX_BYTES) lim.push(`${kb(bytes)}, more than ${kb(MAX_BYTES)}`);
    if (kind === 'force' && l.offences === 1) {
      if (bytes > ONE_OFFENCE_BYTES) lim.push(`force page of one offence: ${kb(bytes)}, more than ${kb(ONE_OFFENCE_BYTES)}`);
      if (l.height > ONE_OFFENCE_HEIGHT) lim.push(`force page of one offence: ${l.height} px tall at 1440 px, more than ${ONE_OFFENCE_HEIGHT}`);
    }
    if (kind === 'force' && l.offences > 1 && loadMs > LOAD_LIMIT_MS) lim.push(`force page of ${l.offences} offences loaded in ${loadMs} ms, more than ${LOAD_LIMIT_MS} ms`);
    report(lim.length === 0, label, 'layout', lim.length === 0 ? 'no sideways scrolling at 390 px; weight and height within limits' : `${lim.length} problem(s)`, lim);

    if (first && (kind === 'index' || kind === 'force')) {
      m.printed = await printedPages(page);
      const limit = PRINT_LIMIT[kind];
      const one = kind === 'force' ? l.offences === 1 : true;
      const ok = !one || !root.oneOffence || m.printed <= limit;
      report(ok, label, 'pdf', `${m.printed} A4 page(s)${one && root.oneOffence ? ` (at most ${limit})` : ''}`);
    }

    await drawAll(page);
    const boxes = await drawnCharts(page);
    const bad = boxes.filter((c) => !c.instance || c.width <= 0 || c.height <= 0 || c.painted === 0);
    m.charts = boxes.length;
    report(bad.length === 0, label, 'charts', bad.length === 0 ? `${boxes.length} drawn` : `${bad.length} of ${boxes.length} not drawn`,
      bad.map((c) => `#${c.id}: instance ${c.instance}, ${c.width}x${c.height} px, ${c.painted ? 'painted' : 'nothing painted'}`));

    found = await pageLinks(page);
    // axe, keyboard and print on the first page of each kind (the others are built alike).
    if (first) {
      const violations = await runAxe(page);
      for (const v of violations) violated.add(v.id);
      const blocking = violations.filter((v) => !ALLOW_KNOWN.has(v.id));
      const details = violations.flatMap((v) => [
        `${v.id} (${v.impact})${ALLOW_KNOWN.has(v.id) ? ' [known: ALLOW_KNOWN]' : ''}: ${v.help}; ${v.targets.length} element(s)`,
        ...(v.why ? [`  ${v.why}`] : []),
        ...v.targets.slice(0, 5).map((t) => `  ${t}`),
        ...(v.targets.length > 5 ? [`  ... and ${v.targets.length - 5} more`] : []),
      ]);
      report(blocking.length === 0, label, 'axe', violations.length === 0 ? `no violations (${AXE_TAGS.join(', ')})` : `${blocking.length} violation(s), ${violations.length - blocking.length} known`, details);

      const keys = await checkKeyboard(page);
      report(keys.length === 0, label, 'keyboard', keys.length === 0 ? 'skip link first and to main, n to a heading, charts and tables reachable' : `${keys.length} problem(s)`, keys);
      const print = await checkPrint(page);
      report(print.length === 0, label, 'print', print.length === 0 ? 'print stylesheet applies, charts within A4 width and back' : `${print.length} problem(s)`, print);
    }
  } catch (e) {
    report(false, label, 'load', `${e.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  const card = (c) => (c ? `${c.top}-${c.bottom}` : 'none');
  console.log(`measure ${label}: ${kb(m.bytes)}, height ${m.h1440} px at 1440 and ${m.h390} px at 390, first card ${card(m.card1440)} px at 1440x900 and ${card(m.card390)} px at 390x844, load ${m.loadMs} ms, ${m.charts ?? 0} chart(s)${m.printed ? `, ${m.printed} A4 page(s)` : ''}`);
  report(requests.length === 0, label, 'requests', requests.length === 0 ? `none beyond the page and ${SCRIPT}` : `${requests.length} blocked`, requests);
  report(errors.length === 0, label, 'console', errors.length === 0 ? 'no errors' : `${errors.length} error(s)`, errors);
  return found;
}

async function checkRoot(ctx, root) {
  const all = htmlFiles(root.dir);
  const start = ['dashboard.html', 'index.html'].map((f) => path.join(root.dir, f)).find((f) => fs.existsSync(f));
  if (!start) {
    report(false, root.name, 'pages', `no dashboard.html or index.html in ${root.dir}`);
    return;
  }
  root.oneOffence = all.filter((f) => path.basename(f).startsWith('offence-')).length === 1;
  const script = path.join(root.dir, SCRIPT);
  const scriptBytes = fs.existsSync(script) ? fs.statSync(script).size : 0;
  // Pages are told apart by their real path: dashboard.html and the run folder's copy it links to
  // are one page, checked once, under the name it was reached by.
  const queue = [start];
  const seen = new Set([fs.realpathSync(start)]);
  const anchors = new Map();
  const wanted = [];
  const linkProblems = [];
  const firsts = new Set(); // the first page of each kind gets the screenshot and the PDF
  let total = 0;
  const visit = async (file) => {
    const kind = path.basename(file).split('-')[0];
    const first = !firsts.has(kind);
    firsts.add(kind);
    total += fs.statSync(file).size;
    const { links, anchors: ids } = await checkPage(ctx, root, file, first);
    anchors.set(fs.realpathSync(file), new Set(ids));
    for (const { raw, url } of links) {
      const u = new URL(url);
      if (u.protocol !== 'file:') continue; // links out are not requests; only local ones are followed
      const target = fileURLToPath(u);
      const from = `${root.name}/${path.relative(root.dir, file)}`;
      if (!within(root.dir, target)) {
        linkProblems.push(`${from}: ${JSON.stringify(raw)} leaves the report folder`);
        continue;
      }
      if (!fs.existsSync(target)) {
        linkProblems.push(`${from}: ${JSON.stringify(raw)}: no such file`);
        continue;
      }
      if (u.hash.length > 1) wanted.push([from, raw, target, decodeURIComponent(u.hash.slice(1))]);
      if (target.endsWith('.html') && !seen.has(fs.realpathSync(target))) {
        seen.add(fs.realpathSync(target));
        queue.push(target);
      }
    }
  };
  while (queue.length > 0) await visit(queue.shift());
  const orphans = all.filter((f) => !seen.has(fs.realpathSync(f)));
  const reached = seen.size;
  for (const f of orphans) {
    seen.add(fs.realpathSync(f));
    await visit(f);
  }
  for (const [from, raw, target, frag] of wanted) {
    if (!anchors.get(fs.realpathSync(target))?.has(frag)) linkProblems.push(`${from}: ${JSON.stringify(raw)}: no element with id ${JSON.stringify(frag)}`);
  }
  const summary = `${reached} page(s) reached from ${path.basename(start)}` + (orphans.length ? `, ${orphans.length} more checked but linked from nowhere` : '');
  report(linkProblems.length === 0 && orphans.length === 0, root.name, 'links', linkProblems.length === 0 ? summary : `${linkProblems.length} broken; ${summary}`, linkProblems);
  console.log(`measure ${root.name}: ${all.length} page(s), ${kb(total)} of HTML and ${kb(scriptBytes)} of shared script`);
}

async function main() {
  const list = roots(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const common = { deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/London', colorScheme: 'light', reducedMotion: 'reduce', serviceWorkers: 'block', acceptDownloads: false };
  const ctx = await browser.newContext({ ...common, viewport: DESKTOP });
  try {
    for (const root of list) await checkRoot(ctx, root);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  report(false, 'harness', 'run', e.message.split('\n')[0]);
}
for (const id of ALLOW_KNOWN) {
  if (!violated.has(id)) console.log(`note: ALLOW_KNOWN lists ${id}, which no page violates now: remove it`);
}
const since = Number(process.env.BROWSER_TEST_START || '0');
if (since > 0) console.log(`time total (build, reports and browser): ${Math.round(Date.now() / 1000 - since)} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
