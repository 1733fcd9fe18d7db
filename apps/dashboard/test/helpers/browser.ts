import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; the project never downloads a browser (`.ci/run` installs the `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a root, offline CI box: no sandbox (root), no GPU, and no background traffic, which on a closed network
 * only produces refused connections.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Debian's Chromium through playwright-core (which makes a fresh temporary profile itself). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Collects everything the page reports as an error: console.error calls, uncaught exceptions, failed requests. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`));
  return errors;
}

/**
 * Waits until the page has finished a round of callbacks started after `after` rounds: `data-updates` counts
 * rounds, `data-pending` the callbacks still in flight.
 */
export async function settled(page: Page, after: number): Promise<number> {
  await page.waitForFunction(
    (n) => document.body.dataset.pending === '0' && Number(document.body.dataset.updates) > n,
    after,
  );
  return Number(await page.evaluate(() => document.body.dataset.updates));
}

/** What the dashboard shows, read back from the DOM and from Plotly's graph divs (`gd.data`). */
export interface Shown {
  line: { name: string; x: string[]; y: number[] }[];
  bar: { x: string[]; y: number[] };
  pie: { labels: string[]; values: number[] };
  /** Table cells as text, one array per row. */
  table: string[][];
  /** KPI id → the text on the card. */
  kpis: Record<string, string>;
  monthsLabel: string;
  arbiterPid: string;
  workerCount: string;
  /** Worker pids in the callback log, newest first. */
  loggedPids: string[];
}

/** Reads {@link Shown} from the page. */
export function readShown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    type Trace = { name: string; x: string[]; y: number[]; labels: string[]; values: number[] };
    const traces = (id: string) => (document.getElementById(id) as unknown as { data: Trace[] }).data;
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
    const bar = traces('bar-chart')[0];
    const pie = traces('pie-chart')[0];
    return {
      line: traces('line-chart').map((t) => ({ name: t.name, x: [...t.x], y: [...t.y] })),
      bar: { x: [...(bar?.x ?? [])], y: [...(bar?.y ?? [])] },
      pie: { labels: [...(pie?.labels ?? [])], values: [...(pie?.values ?? [])] },
      table: [...document.querySelectorAll('#sales-table tbody tr')].map((tr) =>
        [...(tr as HTMLTableRowElement).cells].map((td) => td.textContent ?? ''),
      ),
      kpis: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('.kpi')].map((k) => [
          k.dataset.kpi,
          k.querySelector('.kpi-value')?.textContent,
        ]),
      ),
      monthsLabel: text('#months-label'),
      arbiterPid: text('#arbiter-pid'),
      workerCount: text('#worker-count'),
      loggedPids: [...document.querySelectorAll('#callback-log tbody td.pid')].map((td) => td.textContent ?? ''),
    };
  });
}

/** `"$1,234,567"`, `"12,935"`, `"38.8 %"` → number. */
export const parseShown = (text: string): number => Number(text.replace(/[$,%\s]/g, ''));
