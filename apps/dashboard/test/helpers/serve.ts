import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { app } from '../../src/app.mjs';

/** The dashboard served by a plain Node server on an ephemeral loopback port, the way a test serves it. */
export interface Served {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves the exported Express app with `http.createServer(app)` on 127.0.0.1, port 0. */
export async function serveApp(): Promise<Served> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** One callback input value per control id. */
export interface Values {
  region: string;
  metric: 'revenue' | 'units';
  months: [number, number];
  categories: string[];
}

/** The page's first state, matching src/controls.mjs. */
export const INITIAL: Values = {
  region: 'all',
  metric: 'revenue',
  months: [12, 23],
  categories: ['Hardware', 'Software', 'Services'],
};

/** The output keys of the three callbacks, as Dash spells them. */
export const OUTPUTS = {
  kpis: 'kpis.data',
  charts: '..line-chart.figure...bar-chart.figure...pie-chart.figure..',
  table: 'sales-table.data',
} as const;

/** Which controls each callback reads; the request must list exactly these. */
const INPUTS: Record<string, readonly (keyof Values)[]> = {
  [OUTPUTS.kpis]: ['region', 'months', 'categories'],
  [OUTPUTS.charts]: ['region', 'metric', 'months', 'categories'],
  [OUTPUTS.table]: ['region', 'months', 'categories'],
};

/** POSTs a Dash callback request built from `values` and returns status, worker pid and parsed body. */
export async function callback(
  url: string,
  output: string,
  values: Values,
): Promise<{ status: number; pid: string | null; body: { response: Record<string, Record<string, unknown>> } }> {
  const inputs = (INPUTS[output] ?? []).map((id) => ({ id, property: 'value', value: values[id] }));
  const res = await fetch(`${url}/_dash-update-component`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ output, inputs, changedPropIds: [] }),
  });
  const body = (await res.json()) as { response: Record<string, Record<string, unknown>> };
  return { status: res.status, pid: res.headers.get('x-worker-pid'), body };
}
