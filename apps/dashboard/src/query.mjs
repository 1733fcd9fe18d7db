/**
 * Filtering and grouping over the sales rows: the only place that knows how a filter selects rows, so every chart,
 * the table and the KPI cards agree on which rows they summarise.
 */

/** @typedef {import('./data.mjs').SaleRow} SaleRow */

/**
 * What the controls select. `region` is a region name or `'all'`; `months` is an inclusive range of month indexes.
 * @typedef {object} Selection
 * @property {string} region
 * @property {readonly [number, number]} months
 * @property {readonly string[]} categories
 */

/** @typedef {'revenue' | 'units'} Metric */

/**
 * Running totals of one group.
 * @typedef {{ units: number, revenue: number }} Totals
 */

/**
 * Rows that match a selection, in data-set order.
 * @param {readonly SaleRow[]} rows
 * @param {Selection} selection
 * @returns {SaleRow[]}
 */
export function selectRows(rows, selection) {
  const [from, to] = selection.months;
  const categories = new Set(selection.categories);
  return rows.filter(
    (row) =>
      row.month >= from &&
      row.month <= to &&
      categories.has(row.category) &&
      (selection.region === 'all' || row.region === selection.region),
  );
}

/**
 * Sums units and revenue per group. `keys` fixes the groups and their order, so a group with no rows still appears
 * with zeros — a chart then keeps a stable axis instead of dropping a bar.
 * @param {readonly SaleRow[]} rows
 * @param {(row: SaleRow) => string} keyOf
 * @param {readonly string[]} keys
 * @returns {Map<string, Totals>}
 */
export function totalsBy(rows, keyOf, keys) {
  /** @type {Map<string, Totals>} */
  const groups = new Map(keys.map((key) => [key, { units: 0, revenue: 0 }]));
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) {
      group.units += row.units;
      group.revenue += row.revenue;
    }
  }
  return groups;
}

/**
 * Units and revenue of all rows together.
 * @param {readonly SaleRow[]} rows
 * @returns {Totals}
 */
export function grandTotal(rows) {
  let units = 0;
  let revenue = 0;
  for (const row of rows) {
    units += row.units;
    revenue += row.revenue;
  }
  return { units, revenue };
}

/**
 * Revenue per unit rounded to cents, or null when nothing sold (a "—" on screen, not NaN).
 * @param {Totals} totals
 * @returns {number | null}
 */
export function averagePrice(totals) {
  return totals.units === 0 ? null : Math.round((totals.revenue / totals.units) * 100) / 100;
}
