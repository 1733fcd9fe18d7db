/**
 * The dashboard's server-side callbacks, declared the way Dash's `@app.callback(Output…, Input…)` declares them:
 * which component properties a function writes and which it reads. The page learns this graph from
 * `GET /_dash-dependencies` and calls `POST /_dash-update-component` whenever one of the inputs changes.
 *
 * The work is split into three callbacks on purpose: the browser sends them in parallel, so on a multi-worker
 * server they often land on different workers and the worker panel shows the pre-fork model at work.
 */

import { MONTHS, PRODUCTS, SALES } from './data.mjs';
import { categoryPie, monthlyLine, productBar } from './figures.mjs';
import { averagePrice, grandTotal, selectRows, totalsBy } from './query.mjs';

/** @typedef {import('./query.mjs').Selection} Selection */
/** @typedef {import('./query.mjs').Metric} Metric */

/**
 * Parsed input values by control id; each callback reads only the ones it declares.
 * @typedef {{ region: string, metric: Metric, months: readonly [number, number], categories: readonly string[] }} Inputs
 */

/**
 * One callback: the `[componentId, property]` pairs it writes, the control ids it reads, and the function
 * that returns one value per output, in order.
 * @typedef {object} Callback
 * @property {ReadonlyArray<readonly [string, string]>} outputs
 * @property {ReadonlyArray<keyof Inputs>} inputs
 * @property {(inputs: Inputs) => unknown[]} run
 */

/** @param {Inputs} inputs @returns {Selection} */
const selectionOf = (inputs) => ({ region: inputs.region, months: inputs.months, categories: inputs.categories });

/**
 * The KPI cards: totals, the average selling price and the best month by revenue.
 * @param {Inputs} inputs
 */
function kpis(inputs) {
  const rows = selectRows(SALES, selectionOf(inputs));
  const total = grandTotal(rows);
  const [from, to] = inputs.months;
  const byMonth = totalsBy(rows, (row) => MONTHS[row.month] ?? '', MONTHS.slice(from, to + 1));
  let best = null;
  for (const [month, totals] of byMonth) {
    if (totals.revenue > 0 && (best === null || totals.revenue > best.revenue))
      best = { month, revenue: totals.revenue };
  }
  return [
    { id: 'revenue', label: 'Revenue', value: total.revenue, format: 'currency' },
    { id: 'units', label: 'Units sold', value: total.units, format: 'integer' },
    { id: 'avg-price', label: 'Average price', value: averagePrice(total), format: 'currency' },
    { id: 'best-month', label: 'Best month', value: best?.month ?? null, format: 'text', note: best?.revenue ?? null },
  ];
}

/**
 * The table: one row per product in the selected categories, by revenue, with its share of the selection's revenue.
 * @param {Inputs} inputs
 */
function productTable(inputs) {
  const rows = selectRows(SALES, selectionOf(inputs));
  const products = PRODUCTS.filter((p) => inputs.categories.includes(p.category));
  const totals = totalsBy(
    rows,
    (row) => row.product,
    products.map((p) => p.name),
  );
  const revenue = grandTotal(rows).revenue;
  return products
    .map((p) => {
      const t = totals.get(p.name) ?? { units: 0, revenue: 0 };
      return {
        product: p.name,
        category: p.category,
        units: t.units,
        revenue: t.revenue,
        avgPrice: averagePrice(t),
        share: revenue === 0 ? 0 : Math.round((t.revenue / revenue) * 1000) / 10,
      };
    })
    .sort((a, b) => b.revenue - a.revenue);
}

/** Every callback the page may call. @type {readonly Callback[]} */
export const CALLBACKS = Object.freeze([
  {
    outputs: [['kpis', 'data']],
    inputs: ['region', 'months', 'categories'],
    run: (inputs) => [kpis(inputs)],
  },
  {
    outputs: [
      ['line-chart', 'figure'],
      ['bar-chart', 'figure'],
      ['pie-chart', 'figure'],
    ],
    inputs: ['region', 'metric', 'months', 'categories'],
    run: (inputs) => {
      const selection = selectionOf(inputs);
      const rows = selectRows(SALES, selection);
      return [
        monthlyLine(rows, selection, inputs.metric),
        productBar(rows, selection, inputs.metric),
        categoryPie(rows, selection, inputs.metric),
      ];
    },
  },
  {
    outputs: [['sales-table', 'data']],
    inputs: ['region', 'months', 'categories'],
    run: (inputs) => [productTable(inputs)],
  },
]);

/**
 * Dash's name for a callback's outputs: `id.prop` for one output, `..a.prop...b.prop..` for several.
 * @param {Callback} callback
 * @returns {string}
 */
export function outputKey(callback) {
  const parts = callback.outputs.map(([id, prop]) => `${id}.${prop}`);
  return parts.length === 1 ? (parts[0] ?? '') : `..${parts.join('...')}..`;
}
