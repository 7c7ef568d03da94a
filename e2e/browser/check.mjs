// check.mjs opens report pages in headless Chromium, as a person would, with the network off, and
// checks each one:
//
//   requests  nothing is fetched but the page's own file (every request is intercepted)
//   console   no console error and no uncaught page error
//   charts    every chart container in the HTML has an echarts instance whose canvas or svg has a
//             non-zero size and something painted on it
//   links     every local link resolves to a file inside the report folder, every #fragment to an
//             element; local .html links are followed and those pages checked too
//   axe       axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) finds no violation
//   keyboard  from the top, Tab reaches the "Skip to main content" link first and following it
//             focuses main; "n" jumps to a section heading; every chart container and scrolling
//             table has tabindex="0" and an aria-label
//   print     with print media emulated the navigation and skip link are hidden; beforeprint
//             draws every chart at the printable width of A4 (180 mm), afterprint back
//   screenshot (roots marked :screenshot, the start page only) the top 1280x2000 px, scaled to
//             640x1000, match screenshots/<name>.png to within SCREENSHOT_TOLERANCE
//
// It is run by scripts/browser-test.sh, which installs its packages into .cache/browser and
// passes that folder as BROWSER_MODULES:
//
//   node e2e/browser/check.mjs NAME=DIR[:screenshot] ...
//
// Each DIR is a report folder: the crawl starts at its index.html or dashboard.html, and every
// other .html file in it is checked as well. Environment:
//
//   BROWSER_MODULES     folder holding node_modules (required)
//   CHROMIUM            browser binary (default /usr/bin/chromium)
//   UPDATE_SCREENSHOTS  1: write the reference screenshots instead of comparing
//   ALLOW_KNOWN         comma-separated axe rule ids reported as known, not failed
//   SCREENSHOT_TOLERANCE  largest share of differing pixels, in percent (default 1)
//   ARTIFACTS           where a failed comparison's actual and diff PNGs go (default a temp dir)
//   BROWSER_TEST_START  Unix time the run began, for the closing time line
//
// It prints one PASS or FAIL line per check and page (and a time line per page), then
// `browser: N passed, M failed`, and exits 1 when any check failed.

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
const SCREENSHOT_DIR = path.join(here, 'screenshots');
// The screenshot is the viewport: the top 1280x2000 px of the page, at a device scale of 1.
const VIEWPORT = { width: 1280, height: 2000 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const CHART_SETTLE_MS = 1500;
const PAGE_TIMEOUT_MS = 120000;

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

// htmlFiles lists every .html file under dir, sorted, symbolic links to files included (a
// report's outputs are links into its current run folder).
function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.name.endsWith('.html')) continue;
    const file = path.join(e.parentPath ?? e.path, e.name);
    if (e.isFile() || (e.isSymbolicLink() && fs.statSync(file, { throwIfNoEntry: false })?.isFile())) out.push(file);
  }
  return out.sort();
}

// chartContainers counts the chart containers the HTML declares: go-echarts writes one
// <div class="item" id="..."> per chart; the page's script initialises each with echarts.init
// on getElementById(id). inits are the ids that a script looks up and then passes to echarts.init
// (each script is read on its own, so a chart's setup code may hold any text).
function chartContainers(html) {
  const divs = [...html.matchAll(/<div\b[^>]*\bclass\s*=\s*"(?:[^"]*\s)?item(?:\s[^"]*)?"[^>]*>/g)].length;
  const inits = [];
  for (const [, body] of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    const m = /document\.getElementById\(\s*["']([^"']+)["']\s*\)[\s\S]*?echarts\.init\(/.exec(body);
    if (m) inits.push(m[1]);
  }
  return { divs, inits };
}

function within(dir, file) {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function settleCharts(page) {
  // Charts render on an animation frame after setOption; wait for each instance's 'finished'
  // event, or CHART_SETTLE_MS when they finished before we looked, then two more frames.
  await page.evaluate(async (ms) => {
    const els = [...document.querySelectorAll('[_echarts_instance_]')];
    const charts = typeof echarts === 'undefined' ? [] : els.map((el) => echarts.getInstanceByDom(el)).filter(Boolean);
    if (charts.length > 0) {
      const done = Promise.all(charts.map((c) => new Promise((resolve) => c.on('finished', resolve))));
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, ms))]);
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }, CHART_SETTLE_MS);
}

// drawnCharts describes every element that has an echarts instance.
async function drawnCharts(page) {
  return page.evaluate(() => {
    const out = [];
    if (typeof echarts === 'undefined') return out;
    for (const el of document.querySelectorAll('[_echarts_instance_]')) {
      const chart = echarts.getInstanceByDom(el);
      const surface = el.querySelector('canvas, svg');
      const r = surface ? surface.getBoundingClientRect() : { width: 0, height: 0 };
      let painted = 0;
      if (surface && surface.tagName.toLowerCase() === 'canvas' && surface.width > 0 && surface.height > 0) {
        const data = surface.getContext('2d').getImageData(0, 0, surface.width, surface.height).data;
        for (let i = 3; i < data.length && painted === 0; i += 4) if (data[i] !== 0) painted = 1;
      } else if (surface) {
        painted = surface.querySelectorAll('path, text, rect, circle, polyline, line').length;
      }
      out.push({ id: el.id, instance: Boolean(chart), width: r.width, height: r.height, painted });
    }
    return out;
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

// half scales an RGBA image down by 2 in each direction, averaging each 2x2 block: the
// reference screenshots are stored at 640x1000 to keep them small.
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

// saveActual keeps a failed comparison's screenshot, scaled as the reference and at full size.
function saveActual(name, full, scaled) {
  const out = artifactPath(`${name}.actual.png`);
  fs.writeFileSync(out, encode(scaled));
  fs.writeFileSync(artifactPath(`${name}.actual-full.png`), full);
  return out;
}

const encode = (png) => PNG.sync.write(png, { deflateLevel: 9, colorType: 2 });

async function screenshot(page, label, name) {
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }',
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  const buf = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  const actual = half(PNG.sync.read(buf));
  const ref = path.join(SCREENSHOT_DIR, `${name}.png`);
  if (UPDATE) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.writeFileSync(ref, encode(actual));
    report(true, label, 'screenshot', `reference written: ${path.relative(process.cwd(), ref)} (${actual.width}x${actual.height}, ${fs.statSync(ref).size} bytes)`);
    return;
  }
  if (!fs.existsSync(ref)) {
    const out = saveActual(name, buf, actual);
    report(false, label, 'screenshot', `no reference ${path.relative(process.cwd(), ref)}; run UPDATE_SCREENSHOTS=1 scripts/browser-test.sh`, [`actual: ${out}`]);
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
  const summary = `${n} of ${want.width * want.height} pixels differ (${pct.toFixed(3)}%, tolerance ${TOLERANCE}%)`;
  if (pct <= TOLERANCE) {
    report(true, label, 'screenshot', summary);
    return;
  }
  const out = saveActual(name, buf, actual);
  const diffOut = artifactPath(`${name}.diff.png`);
  fs.writeFileSync(diffOut, PNG.sync.write(diff));
  report(false, label, 'screenshot', summary, [`actual: ${out}`, `diff:   ${diffOut}`, `reference: ${ref} (UPDATE_SCREENSHOTS=1 rewrites it)`]);
}

// checkKeyboard works the page from the keyboard as a person would: from the top, Tab reaches
// the skip link first and following it moves focus to main; "n" jumps to a section heading
// when main has one; every chart container and scrolling table is reachable with Tab
// (tabindex 0) and named (aria-label).
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
    [...document.querySelectorAll('[_echarts_instance_], .table-wrap')]
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

// checkPrint applies the print stylesheet: the navigation and skip link are hidden, and on
// beforeprint every chart is drawn at the printable width of A4 (180 mm) and back on afterprint.
async function checkPrint(page) {
  const problems = [];
  const before = await page.evaluate(() =>
    typeof echarts === 'undefined' ? [] : [...document.querySelectorAll('[_echarts_instance_]')].map((el) => echarts.getInstanceByDom(el)?.getWidth() ?? 0),
  );
  await page.emulateMedia({ media: 'print' });
  try {
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('nav, .skip-link')].filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')),
    );
    for (const el of shown) problems.push(`${el} is shown in print`);
    if ((await page.evaluate(() => document.querySelectorAll('nav').length)) === 0) problems.push('no nav landmark');
    const printed = await page.evaluate(() => {
      window.dispatchEvent(new Event('beforeprint'));
      const probe = document.createElement('div');
      probe.style.cssText = 'position:absolute;visibility:hidden;width:180mm';
      document.body.appendChild(probe);
      const want = probe.getBoundingClientRect().width;
      probe.remove();
      const widths = typeof echarts === 'undefined' ? [] : [...document.querySelectorAll('[_echarts_instance_]')].map((el) => echarts.getInstanceByDom(el)?.getWidth() ?? 0);
      return { want, widths };
    });
    printed.widths.forEach((w, i) => {
      if (Math.abs(w - printed.want) > 2) problems.push(`chart ${i + 1}: ${w} px wide for print, want ${printed.want.toFixed(0)} px (180 mm)`);
    });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  const after = await page.evaluate(() => {
    window.dispatchEvent(new Event('afterprint'));
    return typeof echarts === 'undefined' ? [] : [...document.querySelectorAll('[_echarts_instance_]')].map((el) => echarts.getInstanceByDom(el)?.getWidth() ?? 0);
  });
  after.forEach((w, i) => {
    if (Math.abs(w - before[i]) > 2) problems.push(`chart ${i + 1}: ${w} px wide after printing, ${before[i]} px before`);
  });
  return problems;
}

// checkPage runs every check on one page and returns the local links it found.
async function checkPage(context, root, file, shoot) {
  const rel = path.relative(root.dir, file);
  const label = `${root.name}/${rel}`;
  const own = pathToFileURL(file).href;
  const html = fs.readFileSync(file, 'utf8');
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('websocket', (ws) => requests.push(`websocket ${ws.url()}`));
  page.on('request', (r) => {
    if (r.url().split('#')[0] !== own) requests.push(`${r.method()} ${r.url().slice(0, 200)} (${r.resourceType()})`);
  });
  page.on('requestfailed', (r) => {
    if (r.url().split('#')[0] === own) errors.push(`the page itself failed to load: ${r.failure()?.errorText}`);
  });
  await page.route('**/*', (route) => (route.request().url().split('#')[0] === own ? route.continue() : route.abort('blockedbyclient')));

  let found = { links: [], anchors: [] };
  const times = [];
  let t0 = Date.now();
  const lap = (what) => {
    const t = Date.now();
    times.push(`${what} ${((t - t0) / 1000).toFixed(1)}`);
    t0 = t;
  };
  try {
    await page.goto(own, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    lap('load');
    await settleCharts(page);
    lap('settle');

    const { divs, inits } = chartContainers(html);
    const drawn = await drawnCharts(page);
    const bad = drawn.filter((c) => !c.instance || c.width <= 0 || c.height <= 0 || c.painted === 0);
    const drawnIds = new Set(drawn.map((c) => c.id));
    const missing = inits.filter((id) => !drawnIds.has(id));
    const chartProblems = [
      ...(drawn.length !== divs ? [`${drawn.length} chart instance(s) on the page, ${divs} chart container(s) in the HTML`] : []),
      ...(inits.length !== divs ? [`${inits.length} echarts.init call(s) in the HTML, ${divs} chart container(s)`] : []),
      ...missing.map((id) => `#${id}: initialised in the HTML but no chart on the page`),
      ...bad.map((c) => `#${c.id}: instance ${c.instance}, ${c.width}x${c.height} px, ${c.painted ? 'painted' : 'nothing painted'}`),
    ];
    report(chartProblems.length === 0, label, 'charts', chartProblems.length === 0 ? `${drawn.length} of ${divs} drawn` : `${chartProblems.length} problem(s)`, chartProblems);

    found = await pageLinks(page);
    lap('charts+links');

    const violations = await runAxe(page);
    for (const v of violations) violated.add(v.id);
    const blocking = violations.filter((v) => !ALLOW_KNOWN.has(v.id));
    const details = violations.flatMap((v) => [
      `${v.id} (${v.impact})${ALLOW_KNOWN.has(v.id) ? ' [known: ALLOW_KNOWN]' : ''}: ${v.help}; ${v.targets.length} element(s)`,
      ...(v.why ? [`  ${v.why}`] : []),
      ...v.targets.slice(0, 5).map((t) => `  ${t}`),
      ...(v.targets.length > 5 ? [`  ... and ${v.targets.length - 5} more`] : []),
    ]);
    const axeSummary = violations.length === 0 ? `no violations (${AXE_TAGS.join(', ')})` : `${blocking.length} violation(s), ${violations.length - blocking.length} known`;
    report(blocking.length === 0, label, 'axe', axeSummary, details);
    lap('axe');

    if (shoot) {
      await screenshot(page, label, `${root.name}-${rel.replace(/\.html$/, '').replaceAll(path.sep, '-')}`);
      lap('screenshot');
    }

    const keys = await checkKeyboard(page);
    report(keys.length === 0, label, 'keyboard', keys.length === 0 ? 'skip link first and to main, n to a heading, charts and tables reachable' : `${keys.length} problem(s)`, keys);
    lap('keyboard');
    const print = await checkPrint(page);
    report(print.length === 0, label, 'print', print.length === 0 ? 'print stylesheet applies, charts at A4 width and back' : `${print.length} problem(s)`, print);
    lap('print');
  } catch (e) {
    report(false, label, 'load', `${e.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  console.log(`time ${label}: ${times.join(', ')} s`);
  report(requests.length === 0, label, 'requests', requests.length === 0 ? 'none beyond the page itself' : `${requests.length} blocked`, requests);
  report(errors.length === 0, label, 'console', errors.length === 0 ? 'no errors' : `${errors.length} error(s)`, errors);
  return found;
}

async function checkRoot(context, root) {
  const all = htmlFiles(root.dir);
  const start = ['index.html', 'dashboard.html'].map((f) => path.join(root.dir, f)).find((f) => fs.existsSync(f));
  if (!start) {
    report(false, root.name, 'pages', `no index.html or dashboard.html in ${root.dir}`);
    return;
  }
  // Pages are told apart by their real path: dashboard.html and the run folder's copy it
  // links to are one page, checked once, under the name it was reached by.
  const queue = [start];
  const seen = new Set([fs.realpathSync(start)]);
  const anchors = new Map(); // page file -> Set of ids
  const wanted = []; // [from label, target file, fragment]
  const linkProblems = [];
  const visit = async (file, shoot) => {
    const { links, anchors: ids } = await checkPage(context, root, file, shoot);
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
  // The screenshot is of the start page only: the other pages' names and number follow the data.
  while (queue.length > 0) {
    const file = queue.shift();
    await visit(file, root.screenshot && file === start);
  }
  const orphans = [];
  for (const f of all) {
    if (seen.has(fs.realpathSync(f))) continue;
    seen.add(fs.realpathSync(f));
    orphans.push(f);
  }
  const reached = seen.size - orphans.length;
  for (const f of orphans) await visit(f, false);
  for (const [from, raw, target, frag] of wanted) {
    if (!anchors.get(fs.realpathSync(target))?.has(frag)) linkProblems.push(`${from}: ${JSON.stringify(raw)}: no element with id ${JSON.stringify(frag)}`);
  }
  const summary = `${reached} page(s) reached from ${path.basename(start)}` + (orphans.length ? `, ${orphans.length} more checked but linked from nowhere` : '');
  report(linkProblems.length === 0, root.name, 'links', linkProblems.length === 0 ? summary : `${linkProblems.length} broken; ${summary}`, linkProblems);
}

async function main() {
  const list = roots(process.argv.slice(2));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-test-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
    acceptDownloads: false,
  });
  try {
    for (const root of list) await checkRoot(context, root);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
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
