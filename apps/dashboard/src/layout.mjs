/**
 * The page: Dash's `app.layout`, rendered once on the server. Controls start at the values declared in
 * controls.mjs; charts, KPI cards and the table start empty and are filled by the first round of callbacks,
 * exactly as Dash fires every callback once when the page loads.
 */

import { CATEGORIES, MONTHS, REGIONS } from './data.mjs';
import { CONTROLS } from './controls.mjs';

/** @param {string} text */
const esc = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function regionDropdown() {
  const options = [['all', 'All regions'], ...REGIONS.map((r) => [r, r])]
    .map(([value = '', label = '']) => {
      const selected = value === CONTROLS.region.initial ? ' selected' : '';
      return `<option value="${esc(value)}"${selected}>${esc(label)}</option>`;
    })
    .join('');
  return `<div class="field"><label class="field-label" for="region">Region</label>
      <select id="region" data-control="dropdown">${options}</select></div>`;
}

function metricRadio() {
  const items = [
    ['revenue', 'Revenue'],
    ['units', 'Units'],
  ]
    .map(([value = '', label = '']) => {
      const checked = value === CONTROLS.metric.initial ? ' checked' : '';
      return `<label class="pill"><input type="radio" name="metric" value="${value}"${checked}><span>${label}</span></label>`;
    })
    .join('');
  return `<fieldset id="metric" class="field" data-control="radio"><legend class="field-label">Metric</legend>
      <div class="pills">${items}</div></fieldset>`;
}

function monthSlider() {
  const [from, to] = CONTROLS.months.initial;
  const last = MONTHS.length - 1;
  const handle = (/** @type {string} */ name, /** @type {number} */ value) =>
    `<input type="range" min="0" max="${last}" step="1" value="${value}" data-handle="${name}" aria-label="${name} month">`;
  return `<div id="months" class="field" data-control="range-slider" data-labels="${esc(JSON.stringify(MONTHS))}">
        <div class="field-label">Months <span id="months-label" class="range-value"></span></div>
        <div class="range">${handle('from', from)}${handle('to', to)}</div>
        <div class="range-ends"><span>${MONTHS[0]}</span><span>${MONTHS[last]}</span></div>
      </div>`;
}

function categoryChecklist() {
  const items = CATEGORIES.map((c) => {
    const checked = CONTROLS.categories.initial.includes(c) ? ' checked' : '';
    return `<label class="check"><input type="checkbox" value="${c}"${checked}><span class="swatch ${c.toLowerCase()}"></span>${c}</label>`;
  }).join('');
  return `<fieldset id="categories" class="field" data-control="checklist"><legend class="field-label">Categories</legend>${items}</fieldset>`;
}

function workerPanel() {
  return `<section class="card" id="worker-panel">
      <h2>Pre-fork model</h2>
      <dl class="facts">
        <div><dt>Arbiter pid</dt><dd id="arbiter-pid">…</dd></div>
        <div><dt>Workers</dt><dd id="worker-count">…</dd></div>
        <div><dt>Info from</dt><dd id="page-pid">…</dd></div>
      </dl>
      <h3>Worker pids seen</h3>
      <ul id="pid-chips" class="chips"></ul>
      <h3>Last callbacks</h3>
      <table id="callback-log" class="log"><thead><tr><th>Time</th><th>Callback</th><th>Worker</th></tr></thead><tbody></tbody></table>
      <p class="hint">Run <code>kill -HUP <span id="hup-pid">&lt;arbiter pid&gt;</span></code>: the arbiter starts new workers, retires the old ones, and new pids appear here.</p>
    </section>`;
}

const TABLE_HEAD = ['Product', 'Category', 'Units', 'Revenue', 'Avg price', 'Share']
  .map((h, i) => `<th${i > 1 ? ' class="num"' : ''}>${h}</th>`)
  .join('');

/**
 * The whole HTML document.
 * @returns {string}
 */
export function renderPage() {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sales analytics · tgun dashboard</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/assets/css/base.css">
  <link rel="stylesheet" href="/assets/css/controls.css">
  <link rel="stylesheet" href="/assets/css/panels.css">
  <script src="/assets/plotly.min.js" defer></script>
  <script src="/assets/js/main.js" type="module"></script>
</head>
<body data-pending="0" data-updates="0">
  <header class="topbar">
    <div class="brand"><span class="logo">◆</span>Sales analytics<span class="tagline">2024–2025 · computed server-side</span></div>
    <div class="served">served by <b>tgun</b> · pre-fork workers</div>
  </header>
  <div class="shell">
    <aside class="sidebar">
      <section class="card controls">
        <h2>Filters</h2>
        ${regionDropdown()}
        ${metricRadio()}
        ${monthSlider()}
        ${categoryChecklist()}
      </section>
      ${workerPanel()}
    </aside>
    <main class="content">
      <section id="kpis" class="kpis" aria-live="polite"></section>
      <section class="card"><h2>Monthly <span class="metric-name">revenue</span> by region</h2><div id="line-chart" class="chart"></div></section>
      <div class="row">
        <section class="card"><h2><span class="metric-name">Revenue</span> by product</h2><div id="bar-chart" class="chart"></div></section>
        <section class="card"><h2>Share by category</h2><div id="pie-chart" class="chart"></div></section>
      </div>
      <section class="card"><h2>Products</h2>
        <table id="sales-table" class="data"><thead><tr>${TABLE_HEAD}</tr></thead><tbody></tbody></table>
      </section>
    </main>
  </div>
</body>
</html>
`;
}
