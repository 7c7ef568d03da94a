package reports

// cssHTML is the style sheet of every page: a compact top bar so the key
// figures are on the first screen at 1440x900 and at 390x844, tables that
// scroll inside their own box on a phone, and A4 print (navigation hidden,
// no chart or table row split across pages, every chart redrawn at the
// printed width).
const cssHTML = `{{define "css"}}
*,*::before,*::after{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#0b0c0c;line-height:1.4;font-size:16px}
a{color:#1d4f91}
a:visited{color:#4c2c92}
:focus-visible{outline:3px solid #0b0c0c;outline-offset:2px;box-shadow:0 0 0 6px #ffdd00}
.skip-link{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.skip-link:focus{position:static;display:inline-block;width:auto;height:auto;margin:4px 16px;padding:4px 8px;background:#ffdd00;color:#0b0c0c}
.banner{background:#ffdd00;border-bottom:3px solid #0b0c0c;font-weight:bold;margin:0;padding:4px 16px}
header.top{border-bottom:1px solid #b1b4b6}
header.top nav,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
header.top ul{list-style:none;margin:0;padding:0}
header.top nav>ul{display:flex;flex-wrap:wrap;gap:2px 18px;padding:6px 0;font-size:.95rem}
header.top a[aria-current="page"]{font-weight:bold;color:#0b0c0c;text-decoration:none;border-bottom:3px solid #0b0c0c}
details.menu{position:relative}
details.menu summary{cursor:pointer;color:#1d4f91;text-decoration:underline}
details.menu>ul{position:absolute;z-index:10;left:0;top:1.6em;background:#fff;border:1px solid #0b0c0c;padding:6px 10px;min-width:16em;max-height:60vh;overflow-y:auto;box-shadow:0 2px 6px rgba(0,0,0,.2)}
details.menu>ul li{margin:3px 0}
main:focus{outline:none}
h1{font-size:1.6rem;line-height:1.2;margin:10px 0 2px}
h2{font-size:1.3rem;margin:26px 0 8px;border-top:2px solid #b1b4b6;padding-top:10px}
h3{font-size:1.05rem;margin:18px 0 6px}
.lead{margin:0 0 10px;color:#383f43}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,320px),1fr));gap:12px;margin:6px 0 12px}
.card{border:1px solid #b1b4b6;border-left:6px solid #1d4f91;padding:8px 12px}
.card h3{font-size:1rem;margin:0 0 2px}
.card p{margin:4px 0}
.big{font-size:2.3rem;font-weight:bold;line-height:1.1}
.card p.unit{margin-top:0}
.move{font-weight:bold;font-size:1.1rem}
.small{font-size:.85rem;color:#505a5f}
.table-wrap{overflow-x:auto;max-width:100%;margin:6px 0 14px}
table{border-collapse:collapse;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:4px 0}
caption .hint{font-weight:normal;color:#505a5f;font-size:.85rem}
th,td{border-bottom:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #0b0c0c;vertical-align:bottom}
th[scope="row"]{font-weight:normal;min-width:8em}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.hash{font-family:monospace;font-size:.8rem;word-break:break-all}
tr.chosen,tr.chosen th{background:#fbe9e7;font-weight:bold}
table.sortable th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;color:#1d4f91;text-decoration:underline;cursor:pointer;text-align:left}
th[aria-sort="ascending"] button::after{content:" \25B2"}
th[aria-sort="descending"] button::after{content:" \25BC"}
figure.chart{margin:10px 0 18px}
.chart-box{width:100%}
.chart-box.map{aspect-ratio:4/5;max-width:520px}
.chart-scroll{overflow-x:auto;max-width:100%}
.axis{font-size:.85rem;color:#383f43;margin:2px 0}
.chart-note{font-size:.9rem;color:#383f43;margin:4px 0}
.key{list-style:none;margin:4px 0;padding:0;display:flex;flex-wrap:wrap;gap:2px 16px;font-size:.9rem}
.sw{display:inline-block;width:26px;height:0;margin-right:6px;vertical-align:middle;border-top:3px solid var(--c)}
.sw-dashed{border-top-style:dashed}
.sw-dotted{border-top-style:dotted}
.sw-box{width:12px;height:12px;border:0;background:var(--c)}
.sw-outline{width:12px;height:12px;border:3px solid var(--c)}
.events{font-size:.9rem;margin:4px 0;padding-left:1.6em}
details.numbers,details.more{margin:8px 0}
details.numbers>summary,details.more>summary{cursor:pointer;color:#1d4f91;text-decoration:underline}
details.more{border-left:4px solid #b1b4b6;padding-left:10px}
.few,.short{background:#f3f2f1;padding:6px 10px}
.chosen-lines{padding-left:1.2em}
footer{border-top:2px solid #0b0c0c;margin-top:28px;font-size:.9rem;padding-bottom:16px}
footer .status{font-weight:bold}
kbd{border:1px solid #6f777b;border-radius:3px;padding:0 .3em;font-family:inherit}
@media (max-width:640px){
 h1{font-size:1.3rem}
 .big{font-size:2rem}
 header.top nav>ul{gap:2px 12px}
}
@page{size:A4 portrait;margin:15mm 15mm 16mm}
@media print{
 body{font-size:10pt}
 header.top,.skip-link,details.keys,details.menu{display:none !important}
 main,footer{max-width:none;padding:0}
 a{color:#0b0c0c}
 .banner,tr.chosen,tr.chosen th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h1,h2,h3{break-after:avoid;page-break-after:avoid}
 .card,caption,.chart-box{break-inside:avoid;page-break-inside:avoid}
 .key,.axis{break-after:avoid;page-break-after:avoid}
 .cards{grid-template-columns:repeat(2,1fr)}
 thead{display:table-header-group}
 tr{break-inside:avoid;page-break-inside:avoid}
 .table-wrap,.chart-scroll{overflow:visible}
 .chart-scroll .chart-box{min-width:0 !important}
 .chart-box{overflow:hidden}
 section.offence{break-before:auto}
}
{{end}}`

// jsHTML is the one script of every page. Charts are drawn when they come
// near the screen (or when a "More" section opens), so a page of every
// offence opens at once; before printing every visible chart is drawn at the
// printed width, and redrawn after. n and p move to the next and previous
// section heading; a sortable table sorts by the column whose heading is
// chosen (data-v holds a cell's number).
const jsHTML = `{{define "js"}}
(function () {
  "use strict";
  var charts = [];
  var boxes = [].slice.call(document.querySelectorAll(".chart-box"));
  function draw(el) {
    if (el.crimetrendsChart) return el.crimetrendsChart;
    if (typeof echarts === "undefined" || !el.offsetWidth) return null;
    var geo = el.getAttribute("data-geo");
    if (geo && !echarts.getMap(geo)) echarts.registerMap(geo, JSON.parse(document.getElementById(el.id + "-geo").textContent));
    var c = echarts.init(el, null, {renderer: "svg"});
    c.setOption(JSON.parse(document.getElementById(el.id + "-option").textContent));
    el.crimetrendsChart = c;
    charts.push(c);
    return c;
  }
  function drawShown() { boxes.forEach(draw); return charts.length; }
  window.crimetrends = {charts: charts, draw: drawShown};
  if (boxes.length > 0) {
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (es) {
        es.forEach(function (e) { if (e.isIntersecting && draw(e.target)) io.unobserve(e.target); });
      }, {rootMargin: "600px 0px"});
      boxes.forEach(function (el) { io.observe(el); });
    } else {
      drawShown();
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () {
      drawShown();
      var probe = document.createElement("div");
      probe.style.cssText = "position:absolute;visibility:hidden;width:180mm";
      document.body.appendChild(probe);
      var w = probe.getBoundingClientRect().width;
      document.body.removeChild(probe);
      charts.forEach(function (c) {
        var max = parseFloat(getComputedStyle(c.getDom()).maxWidth);
        c.resize({width: isNaN(max) ? w : Math.min(w, max)});
        c.getZr().refreshImmediately(); // before the page is laid out for print
      });
    });
    window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize({width: "auto"}); }); });
  }
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || (e.key !== "n" && e.key !== "p")) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var hs = [].slice.call(document.querySelectorAll("main h2"));
    var next = null, i;
    if (e.key === "n") {
      for (i = 0; i < hs.length && !next; i++) if (hs[i].getBoundingClientRect().top > 1) next = hs[i];
    } else {
      for (i = hs.length - 1; i >= 0 && !next; i--) if (hs[i].getBoundingClientRect().top < -1) next = hs[i];
    }
    if (!next) return;
    e.preventDefault();
    next.setAttribute("tabindex", "-1");
    next.focus();
    next.scrollIntoView();
  });
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v !== null && v !== "") return parseFloat(v);
    var s = cell.textContent.trim();
    return s === "" ? null : s.toLowerCase();
  }
  [].forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    [].forEach.call(heads, function (th, col) {
      var b = th.querySelector("button");
      if (!b) return;
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        [].forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = [].slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var x = key(r1.cells[col]), y = key(r2.cells[col]);
          if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);
          var d = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
{{end}}`
