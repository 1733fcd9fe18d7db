import { expect } from 'vitest';
import { type Shown, parseShown } from './browser.js';
import { expectedFor } from './expected.js';
import type { Values } from './serve.js';

const REGIONS = ['North America', 'Europe', 'Asia Pacific', 'Latin America'];

/**
 * Asserts that every chart, the table and the KPI cards show the numbers computed independently from the data set
 * for `values` — the browser-side twin of the callback tests.
 */
export function expectShows(shown: Shown, values: Values): void {
  const want = expectedFor(values);
  const metric = values.metric;

  expect(shown.line.map((t) => t.name)).toEqual(values.region === 'all' ? REGIONS : [values.region]);
  for (const trace of shown.line) {
    expect(trace.x).toHaveLength(values.months[1] - values.months[0] + 1);
    expect(trace.y).toEqual(trace.x.map((month) => want.byRegionMonth.get(trace.name)?.get(month)?.[metric] ?? 0));
  }

  expect(new Set(shown.bar.x)).toEqual(new Set(want.byProduct.keys()));
  expect(shown.bar.y).toEqual(shown.bar.x.map((product) => want.byProduct.get(product)?.[metric]));

  expect(shown.pie.labels).toEqual(values.categories);
  expect(shown.pie.values).toEqual(shown.pie.labels.map((category) => want.byCategory.get(category)?.[metric] ?? 0));

  expect(shown.table.map((row) => row[0]).sort()).toEqual([...want.byProduct.keys()].sort());
  for (const [product, category, units, revenue] of shown.table) {
    const sum = want.byProduct.get(product ?? '');
    expect(category?.trim()).toBe(values.categories.find((c) => c === category?.trim()));
    expect(parseShown(units ?? '')).toBe(sum?.units);
    expect(parseShown(revenue ?? '')).toBe(sum?.revenue);
  }

  expect(parseShown(shown.kpis.revenue ?? '')).toBe(want.total.revenue);
  expect(parseShown(shown.kpis.units ?? '')).toBe(want.total.units);
}
