/**
 * Plotly figures (`{ data, layout }`), built on the server the way a Dash callback returns `go.Figure` objects:
 * the browser only draws what it is sent, so the numbers on screen are exactly the server's.
 */

import { MONTHS, PRODUCTS, REGIONS } from './data.mjs';
import { totalsBy } from './query.mjs';

/** @typedef {import('./data.mjs').SaleRow} SaleRow */
/** @typedef {import('./query.mjs').Metric} Metric */
/** @typedef {import('./query.mjs').Selection} Selection */
/** @typedef {{ data: Record<string, unknown>[], layout: Record<string, unknown> }} Figure */

/** One colour per region and per category, so a colour means the same thing in every chart. */
const REGION_COLOURS = ['#2563eb', '#0d9488', '#f59e0b', '#db2777'];
/** @type {Record<string, string>} */
const CATEGORY_COLOURS = { Hardware: '#4f46e5', Software: '#0891b2', Services: '#ea580c' };

/**
 * Shared look: transparent background so the card shows through, small margins, horizontal legend on top.
 * @param {Metric} metric
 * @param {Record<string, unknown>} [extra]
 */
function baseLayout(metric, extra = {}) {
  return {
    margin: { l: 64, r: 16, t: 8, b: 48 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: 'Inter, "Segoe UI", system-ui, sans-serif', size: 12, color: '#334155' },
    legend: { orientation: 'h', x: 0, y: 1.12 },
    // automargin: long product names get the room they need instead of being clipped at the card's edge.
    xaxis: { gridcolor: '#e2e8f0', linecolor: '#cbd5e1', automargin: true },
    yaxis: {
      gridcolor: '#e2e8f0',
      tickprefix: metric === 'revenue' ? '$' : '',
      separatethousands: true,
      rangemode: 'tozero',
    },
    hoverlabel: { bgcolor: '#0f172a', font: { color: '#f8fafc' } },
    ...extra,
  };
}

/** @param {Metric} metric */
const valueFormat = (metric) => (metric === 'revenue' ? '$%{y:,.0f}' : '%{y:,.0f} units');

/**
 * Monthly totals, one line per selected region.
 * @param {readonly SaleRow[]} rows rows already filtered by the selection
 * @param {Selection} selection
 * @param {Metric} metric
 * @returns {Figure}
 */
export function monthlyLine(rows, selection, metric) {
  const [from, to] = selection.months;
  const labels = MONTHS.slice(from, to + 1);
  const regions = selection.region === 'all' ? REGIONS : [selection.region];
  const data = regions.map((region) => {
    const byMonth = totalsBy(
      rows.filter((row) => row.region === region),
      (row) => MONTHS[row.month] ?? '',
      labels,
    );
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: region,
      x: labels,
      y: labels.map((label) => byMonth.get(label)?.[metric] ?? 0),
      line: { color: REGION_COLOURS[REGIONS.indexOf(/** @type {never} */ (region))], width: 2.5, shape: 'spline' },
      marker: { size: 5 },
      hovertemplate: `%{fullData.name}<br>%{x}: ${valueFormat(metric)}<extra></extra>`,
    };
  });
  return {
    data,
    layout: baseLayout(metric, {
      hovermode: 'x unified',
      xaxis: { type: 'category', gridcolor: '#f1f5f9', automargin: true },
    }),
  };
}

/**
 * Totals per product, coloured by category, largest first.
 * @param {readonly SaleRow[]} rows
 * @param {Selection} selection
 * @param {Metric} metric
 * @returns {Figure}
 */
export function productBar(rows, selection, metric) {
  const products = PRODUCTS.filter((p) => selection.categories.includes(p.category));
  const totals = totalsBy(
    rows,
    (row) => row.product,
    products.map((p) => p.name),
  );
  const sorted = [...products].sort(
    (a, b) => (totals.get(b.name)?.[metric] ?? 0) - (totals.get(a.name)?.[metric] ?? 0),
  );
  const data = [
    {
      type: 'bar',
      name: metric,
      x: sorted.map((p) => p.name),
      y: sorted.map((p) => totals.get(p.name)?.[metric] ?? 0),
      marker: { color: sorted.map((p) => CATEGORY_COLOURS[p.category]) },
      customdata: sorted.map((p) => p.category),
      texttemplate: metric === 'revenue' ? '$%{y:.3s}' : '%{y:.3s}',
      textposition: 'outside',
      cliponaxis: false,
      hovertemplate: `%{x} (%{customdata})<br>${valueFormat(metric)}<extra></extra>`,
    },
  ];
  return { data, layout: baseLayout(metric, { showlegend: false, bargap: 0.35 }) };
}

/**
 * Share of the metric by category, as a donut.
 * @param {readonly SaleRow[]} rows
 * @param {Selection} selection
 * @param {Metric} metric
 * @returns {Figure}
 */
export function categoryPie(rows, selection, metric) {
  const totals = totalsBy(rows, (row) => row.category, selection.categories);
  const data = [
    {
      type: 'pie',
      labels: [...selection.categories],
      values: selection.categories.map((c) => totals.get(c)?.[metric] ?? 0),
      hole: 0.55,
      sort: false,
      marker: { colors: selection.categories.map((c) => CATEGORY_COLOURS[c]), line: { color: '#ffffff', width: 2 } },
      textinfo: 'percent',
      hovertemplate: `%{label}<br>${metric === 'revenue' ? '$%{value:,.0f}' : '%{value:,.0f} units'} (%{percent})<extra></extra>`,
    },
  ];
  return {
    data,
    layout: baseLayout(metric, { margin: { l: 16, r: 16, t: 8, b: 8 }, legend: { orientation: 'v', x: 1, y: 0.5 } }),
  };
}
