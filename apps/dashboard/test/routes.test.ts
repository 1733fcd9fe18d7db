import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS, type Served, serveApp } from './helpers/serve.js';

let served: Served;
beforeAll(async () => {
  served = await serveApp();
});
afterAll(async () => {
  await served.close();
});

describe('the other routes', () => {
  it('lists the callback graph at /_dash-dependencies', async () => {
    const deps = (await (await fetch(`${served.url}/_dash-dependencies`)).json()) as {
      output: string;
      inputs: { id: string; property: string }[];
    }[];
    expect(deps.map((d) => d.output)).toEqual([OUTPUTS.kpis, OUTPUTS.charts, OUTPUTS.table]);
    expect(deps[1]?.inputs.map((i) => `${i.id}.${i.property}`)).toEqual([
      'region.value',
      'metric.value',
      'months.value',
      'categories.value',
    ]);
  });

  it('reports the worker pid, its parent and the TGUN_WORKERS count at /api/server-info', async () => {
    const before = process.env.TGUN_WORKERS;
    try {
      delete process.env.TGUN_WORKERS;
      const plain = (await (await fetch(`${served.url}/api/server-info`)).json()) as Record<string, unknown>;
      expect(plain).toMatchObject({ workerPid: process.pid, arbiterPid: process.ppid, workers: null });
      process.env.TGUN_WORKERS = '3';
      const res = await fetch(`${served.url}/api/server-info`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(((await res.json()) as { workers: unknown }).workers).toBe(3);
    } finally {
      if (before === undefined) delete process.env.TGUN_WORKERS;
      else process.env.TGUN_WORKERS = before;
    }
  });

  it('serves the page, its scripts and Plotly from the npm package', async () => {
    const page = await (await fetch(`${served.url}/`)).text();
    for (const id of [
      'region',
      'metric',
      'months',
      'categories',
      'line-chart',
      'bar-chart',
      'pie-chart',
      'sales-table',
      'worker-panel',
    ]) {
      expect(page).toContain(`id="${id}"`);
    }
    const plotly = await fetch(`${served.url}/assets/plotly.min.js`);
    expect(plotly.status).toBe(200);
    expect(plotly.headers.get('content-type')).toMatch(/javascript/);
    expect((await plotly.text()).length).toBeGreaterThan(1_000_000);
    for (const file of [
      'js/main.js',
      'js/controls.js',
      'js/render.js',
      'js/worker-panel.js',
      'css/base.css',
      'css/controls.css',
      'css/panels.css',
    ]) {
      expect((await fetch(`${served.url}/assets/${file}`)).status).toBe(200);
    }
  });
});
