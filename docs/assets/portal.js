// The portal's own script: draws the charts, sorts and filters tables.
// Runs on every page view (also after mkdocs-material's instant navigation, through
// document$) and never twice on the same element. Loads nothing from anywhere:
// Vega comes from assets/vendor, the chart specs from assets/charts.js.

function onEveryPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fn);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fn);
  } else {
    fn();
  }
}

// The chart library (vega-embed.js, ~900 KB) and the chart specs load only on pages
// that draw a chart, and only when a chart comes near the screen: every number is in
// the page already (each chart has its table), so nothing waits for them.
let vegaLoaded = null;
function loadVega() {
  vegaLoaded ??= Promise.all([
    import(new URL("charts.js", import.meta.url).href),
    import(new URL("vendor/vega-embed.js", import.meta.url).href),
  ]);
  return vegaLoaded;
}

function drawFigures(figures) {
  const specs = window.PORTAL_CHARTS || {};
  for (const figure of figures) {
    const view = figure.querySelector(".portal-chart__view");
    const base = specs[figure.dataset.kind];
    if (!view || view.dataset.drawn || !base || typeof window.vegaEmbed !== "function") continue;
    view.dataset.drawn = "drawing";
    const spec = structuredClone(base);
    spec.data.find((d) => d.name === "values").values = JSON.parse(figure.dataset.values || "[]");
    spec.description = view.getAttribute("aria-label") || "图表"; // else Vega says "Vega visualization"
    window
      .vegaEmbed(view, spec, { mode: "vega", actions: false, renderer: "svg" })
      .then(() => { view.dataset.drawn = "done"; })
      .catch((err) => {
        view.dataset.drawn = "failed";
        view.textContent = "图表无法显示，数字见下方“图表数据”。";
        console.warn("portal chart", err);
      });
  }
}

function drawCharts() {
  const figures = [...document.querySelectorAll("figure.portal-chart[data-kind]")];
  if (!figures.length) return;
  const draw = () => loadVega().then(() => drawFigures(figures)).catch((err) => {
    for (const f of figures) {
      const view = f.querySelector(".portal-chart__view");
      if (view && !view.dataset.drawn) { view.dataset.drawn = "failed"; view.textContent = "图表无法显示，数字见下方“图表数据”。"; }
    }
    console.warn("portal charts", err);
  });
  if (!("IntersectionObserver" in window)) { draw(); return; }
  const watch = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { watch.disconnect(); draw(); }
  }, { rootMargin: "300px" });
  for (const f of figures) watch.observe(f);
}

function cellKey(cell, type) {
  const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  if (type === "number") {
    const n = parseFloat(raw);
    return Number.isNaN(n) ? null : n;
  }
  return raw || null;
}

function sortBy(table, header, index) {
  const type = header.dataset.sort;
  const current = header.getAttribute("aria-sort");
  const first = type === "number" ? "descending" : "ascending";
  const dir = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
  for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", dir);
  const sign = dir === "ascending" ? 1 : -1;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellKey(a.cells[index], type);
    const y = cellKey(b.cells[index], type);
    if (x === null || y === null) return (x === null) - (y === null); // blanks always last
    return sign * (type === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN"));
  });
  body.append(...rows);
}

function sortableTables() {
  for (const table of document.querySelectorAll("table.portal-sortable")) {
    if (table.dataset.ready || !table.tHead) continue;
    table.dataset.ready = "1";
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      if (!th.dataset.sort) return;
      th.tabIndex = 0;
      th.title = "点击排序";
      const go = () => sortBy(table, th, index);
      th.addEventListener("click", go);
      th.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
      });
    });
  }
}

function filterTables() {
  for (const box of document.querySelectorAll(".portal-filters[data-for]")) {
    const table = document.getElementById(box.dataset.for);
    if (!table || box.dataset.ready) continue;
    box.dataset.ready = "1";
    const count = document.createElement("span");
    count.className = "portal-filters__count";
    count.setAttribute("aria-live", "polite");
    box.append(count);
    const apply = () => {
      const wanted = {};
      for (const el of box.querySelectorAll("[data-filter]")) wanted[el.dataset.filter] = el.value.trim();
      let shown = 0;
      for (const row of table.tBodies[0].rows) {
        let ok = true;
        for (const [key, value] of Object.entries(wanted)) {
          if (!value) continue;
          ok = ok && (key === "text" ? (row.dataset.text || "").includes(value) : row.dataset[key] === value);
        }
        row.hidden = !ok;
        if (ok) shown += 1;
      }
      count.textContent = `显示 ${shown} / ${table.tBodies[0].rows.length}`;
    };
    box.addEventListener("input", apply);
    box.addEventListener("change", apply);
    apply();
  }
}

// Full-text search (Pagefind): its index is made after mkdocs and loads in small
// pieces as a query needs them. The UI loads only on the search page; a query in the
// address (search/?q=…, from the home page's box) is run at once. The UI searches on
// every `input` event, so text an input method commits or a mouse paste searches too.
function searchPage() {
  const box = document.getElementById("portal-search");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const bundle = new URL("../pagefind/", import.meta.url);
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind-ui.css", bundle).href;
  document.head.append(style);
  const script = document.createElement("script");
  script.src = new URL("pagefind-ui.js", bundle).href;
  script.onload = () => {
    const ui = new window.PagefindUI({
      element: box, bundlePath: bundle.pathname, baseUrl: new URL("../", import.meta.url).pathname,
      showImages: false, showSubResults: false, resetStyles: false, pageSize: 10,
      translations: { placeholder: "输入要查找的词语，例如 依申请公开", zero_results: "没有找到包含“[SEARCH_TERM]”的页面" },
    });
    const query = new URLSearchParams(location.search).get("q");
    if (query) ui.triggerSearch(query);
    box.querySelector("input")?.focus();
  };
  script.onerror = () => { box.textContent = "搜索暂时无法使用：搜索索引没有找到。"; };
  document.head.append(script);
}

// A report's CSV is made here from its record (JSON) and the cells' Chinese names
// (data/labels.json), when a reader asks: the site keeps one download per report.
function csvButtons() {
  for (const button of document.querySelectorAll("button.portal-csv:not([data-ready])")) {
    button.dataset.ready = "1";
    button.addEventListener("click", async () => {
      try {
        const [record, names] = await Promise.all([button.dataset.json, button.dataset.labels]
          .map((u) => fetch(u).then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })));
        const labels = names.labels[record.template] || {};
        const corrected = Object.fromEntries((record.corrections || []).map((c) => [c.address, c.corrected]));
        const rules = {};
        for (const f of record.findings || []) {
          for (const a of new Set([f.address, ...(f.cells || [])])) {
            if (a && !(rules[a] ||= []).includes(f.rule)) rules[a].push(f.rule);
          }
        }
        const get = (a) => a.split(".").reduce((node, k) => (node == null ? null : node[k]), record);
        const rows = Object.keys(labels).map((a) => [button.dataset.report, button.dataset.agency, record.agency, record.year, record.template, a,
          labels[a], get(a), corrected[a], (rules[a] || []).join(";")]);
        const quote = (v) => (v == null ? "" : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
        const text = "\ufeff" + [names.columns, ...rows].map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
        const link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
        link.download = `${button.dataset.report}.csv`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (err) {
        button.textContent = "生成CSV失败，请下载JSON数据";
      }
    });
  }
}

onEveryPage(() => {
  csvButtons();
  searchPage();
  drawCharts();
  sortableTables();
  filterTables();
});
