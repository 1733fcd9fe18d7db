// Reference numbers computed straight from the data set with code of the test's own, sharing nothing with the
// app's query/figure/callback modules: if the server's filtering or grouping is wrong, the two disagree.
import { SALES } from '../../src/data.mjs';
import type { Values } from './serve.js';

/** Units and revenue of one group. */
export interface Sum {
  units: number;
  revenue: number;
}

/** Everything the dashboard shows for one selection. */
export interface Expected {
  total: Sum;
  byProduct: Map<string, Sum>;
  byCategory: Map<string, Sum>;
  /** region → `YYYY-MM` → sums */
  byRegionMonth: Map<string, Map<string, Sum>>;
}

/** Month index from the row's ISO date, independent of the row's own `month` field. */
export function monthIndexOf(date: string): number {
  return (Number(date.slice(0, 4)) - 2024) * 12 + Number(date.slice(5, 7)) - 1;
}

function add(map: Map<string, Sum>, key: string, units: number, revenue: number): void {
  const sum = map.get(key) ?? { units: 0, revenue: 0 };
  sum.units += units;
  sum.revenue += revenue;
  map.set(key, sum);
}

/** Walks every row once and sums what the selection keeps. */
export function expectedFor(values: Values): Expected {
  const out: Expected = {
    total: { units: 0, revenue: 0 },
    byProduct: new Map(),
    byCategory: new Map(),
    byRegionMonth: new Map(),
  };
  for (const row of SALES) {
    const month = monthIndexOf(row.date);
    if (month < values.months[0] || month > values.months[1]) continue;
    if (!values.categories.includes(row.category)) continue;
    if (values.region !== 'all' && row.region !== values.region) continue;
    out.total.units += row.units;
    out.total.revenue += row.revenue;
    add(out.byProduct, row.product, row.units, row.revenue);
    add(out.byCategory, row.category, row.units, row.revenue);
    const regionMap = out.byRegionMonth.get(row.region) ?? new Map<string, Sum>();
    add(regionMap, row.date.slice(0, 7), row.units, row.revenue);
    out.byRegionMonth.set(row.region, regionMap);
  }
  return out;
}
