import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_COUNT, generateSales, SALES } from '../src/data.mjs';
import { expectedFor, monthIndexOf } from './helpers/expected.js';
import { callback, INITIAL, OUTPUTS, type Served, serveApp, type Values } from './helpers/serve.js';

interface Trace {
  name?: string;
  x?: (string | number)[];
  y?: number[];
  labels?: string[];
  values?: number[];
}
type Figure = { data: Trace[] };
/** The figure a callback wrote to `id`, or an empty one so a missing output fails on its numbers. */
const figureOf = (body: { response: Record<string, Record<string, unknown>> }, id: string): Figure =>
  (body.response[id]?.figure as Figure | undefined) ?? { data: [] };
interface TableRow {
  product: string;
  units: number;
  revenue: number;
  avgPrice: number | null;
  share: number;
}
interface Kpi {
  id: string;
  value: number | string | null;
}

const SELECTIONS: Values[] = [
  INITIAL,
  { region: 'Europe', metric: 'revenue', months: [3, 8], categories: ['Hardware'] },
  { region: 'Latin America', metric: 'units', months: [5, 5], categories: ['Services', 'Software'] },
  { region: 'all', metric: 'units', months: [0, 23], categories: ['Software'] },
];

let served: Served;
beforeAll(async () => {
  served = await serveApp();
});
afterAll(async () => {
  await served.close();
});

describe('the data set', () => {
  it('is generated deterministically, one row per day, region and product', () => {
    expect(generateSales()).toEqual(SALES);
    expect(SALES).toHaveLength(DAY_COUNT * 4 * 6);
    expect(SALES[0]?.date).toBe('2024-01-01');
    expect(SALES.at(-1)?.date).toBe('2025-12-31');
    expect(SALES.every((row) => row.month === monthIndexOf(row.date))).toBe(true);
    expect(SALES.every((row) => Number.isInteger(row.revenue) && row.units >= 0)).toBe(true);
  });
});

describe('POST /_dash-update-component', () => {
  it.each(SELECTIONS)(
    'answers $region / $metric / months $months / $categories with the right numbers',
    async (values) => {
      const want = expectedFor(values);
      const metric = values.metric;

      const kpis = await callback(served.url, OUTPUTS.kpis, values);
      expect(kpis.status).toBe(200);
      const cards = kpis.body.response.kpis?.data as Kpi[];
      const card = (id: string) => cards.find((c) => c.id === id)?.value;
      expect(card('revenue')).toBe(want.total.revenue);
      expect(card('units')).toBe(want.total.units);
      expect(card('avg-price')).toBeCloseTo(want.total.revenue / want.total.units, 2);

      const charts = await callback(served.url, OUTPUTS.charts, values);
      expect(charts.status).toBe(200);
      const line = figureOf(charts.body, 'line-chart');
      const regions =
        values.region === 'all' ? ['North America', 'Europe', 'Asia Pacific', 'Latin America'] : [values.region];
      expect(line.data.map((t) => t.name)).toEqual(regions);
      for (const trace of line.data) {
        const months = want.byRegionMonth.get(trace.name ?? '');
        expect(trace.x).toHaveLength(values.months[1] - values.months[0] + 1);
        expect(trace.y).toEqual(trace.x?.map((month) => months?.get(String(month))?.[metric] ?? 0));
      }
      const lineTotal = line.data.flatMap((t) => t.y ?? []).reduce((a, b) => a + b, 0);
      expect(lineTotal).toBe(want.total[metric]);

      const bar = figureOf(charts.body, 'bar-chart').data[0] ?? {};
      expect(new Set(bar.x)).toEqual(new Set(want.byProduct.keys()));
      expect(bar.y).toEqual(bar.x?.map((product) => want.byProduct.get(String(product))?.[metric]));

      const pie = figureOf(charts.body, 'pie-chart').data[0] ?? {};
      expect(pie.labels).toEqual(values.categories);
      expect(pie.values).toEqual(pie.labels?.map((category) => want.byCategory.get(category)?.[metric] ?? 0));

      const table = await callback(served.url, OUTPUTS.table, values);
      expect(table.status).toBe(200);
      const rows = table.body.response['sales-table']?.data as TableRow[];
      expect(rows.map((r) => r.product).sort()).toEqual([...want.byProduct.keys()].sort());
      for (const row of rows) {
        const sum = want.byProduct.get(row.product);
        expect(row.units).toBe(sum?.units);
        expect(row.revenue).toBe(sum?.revenue);
        expect(row.share).toBeCloseTo(((sum?.revenue ?? 0) / want.total.revenue) * 100, 1);
      }
      expect(rows.map((r) => r.revenue)).toEqual([...rows.map((r) => r.revenue)].sort((a, b) => b - a));
    },
  );

  it('says which worker answered in X-Worker-Pid', async () => {
    const { pid } = await callback(served.url, OUTPUTS.kpis, INITIAL);
    expect(pid).toBe(String(process.pid));
  });

  it('answers an empty category selection with zeros, not an error', async () => {
    const values = { ...INITIAL, categories: [] };
    const kpis = await callback(served.url, OUTPUTS.kpis, values);
    expect(kpis.status).toBe(200);
    const cards = kpis.body.response.kpis?.data as Kpi[];
    expect(cards.map((c) => c.value)).toEqual([0, 0, null, null]);
    const table = await callback(served.url, OUTPUTS.table, values);
    expect(table.body.response['sales-table']?.data).toEqual([]);
  });

  const input = (id: string, value: unknown) => ({ id, property: 'value', value });
  const valid = [input('region', 'all'), input('months', [0, 23]), input('categories', ['Hardware'])];
  const BAD: [string, string, string][] = [
    ['malformed JSON', '{"output": ', 'ENTITY_PARSE_FAILED'],
    ['a JSON array', '[]', 'BAD_REQUEST'],
    ['no output', JSON.stringify({ inputs: valid }), 'BAD_REQUEST'],
    ['an unknown output', JSON.stringify({ output: 'nope.figure', inputs: valid }), 'UNKNOWN_OUTPUT'],
    ['inputs not a list', JSON.stringify({ output: 'kpis.data', inputs: {} }), 'BAD_REQUEST'],
    ['a missing input', JSON.stringify({ output: 'kpis.data', inputs: valid.slice(1) }), 'INVALID_INPUT'],
    [
      'an input of another callback',
      JSON.stringify({ output: 'kpis.data', inputs: [...valid, input('metric', 'units')] }),
      'INVALID_INPUT',
    ],
    [
      'an unknown region',
      JSON.stringify({ output: 'kpis.data', inputs: [input('region', 'Mars'), ...valid.slice(1)] }),
      'INVALID_INPUT',
    ],
    [
      'a reversed month range',
      JSON.stringify({ output: 'kpis.data', inputs: [valid[0], input('months', [9, 2]), valid[2]] }),
      'INVALID_INPUT',
    ],
    [
      'months out of range',
      JSON.stringify({ output: 'kpis.data', inputs: [valid[0], input('months', [0, 24]), valid[2]] }),
      'INVALID_INPUT',
    ],
    [
      'a category that is not one',
      JSON.stringify({ output: 'kpis.data', inputs: [...valid.slice(0, 2), input('categories', 'Hardware')] }),
      'INVALID_INPUT',
    ],
    [
      'changedPropIds not strings',
      JSON.stringify({ output: 'kpis.data', inputs: valid, changedPropIds: [1] }),
      'BAD_REQUEST',
    ],
    [
      'a body over the size limit',
      JSON.stringify({ output: 'kpis.data', inputs: valid, pad: 'x'.repeat(40_000) }),
      'ENTITY_TOO_LARGE',
    ],
  ];

  it.each(BAD)('rejects %s with a 400-class JSON error', async (_what, body, code) => {
    const res = await fetch(`${served.url}/_dash-update-component`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status === 400 || res.status === 413).toBe(true);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(0);
  });

  it('rejects a body that is not JSON with a 400, and keeps serving afterwards', async () => {
    const res = await fetch(`${served.url}/_dash-update-component`, { method: 'POST', body: 'region=all' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await callback(served.url, OUTPUTS.kpis, INITIAL)).status).toBe(200);
  });
});
