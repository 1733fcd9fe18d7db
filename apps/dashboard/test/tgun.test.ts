import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, readShown, settled } from './helpers/browser.js';
import { expectShows } from './helpers/check-shown.js';
import { expectedFor } from './helpers/expected.js';
import { type Arbiter, childrenOf, fresh, freePort, isAlive, startTgun, waitFor } from './helpers/processes.js';
import { INITIAL } from './helpers/serve.js';

type Info = { workerPid: number; arbiterPid: number; workers: number | null; startedAt: string };

// One arbiter for the whole file, started the way a user does (`tgun -c tgun.config.ts`), with the address and
// log files moved to a free port and a temp dir by command-line flags, which override the config file.
const logs = mkdtempSync(join(tmpdir(), 'tgun-dashboard-logs-'));
const accessLog = join(logs, 'access.log');
const workerPids = new Set<number>();
let arbiter: Arbiter;
let url: string;

/** `GET /api/server-info` on a fresh connection; remembers every worker pid seen, for the final clean-up check. */
async function info(): Promise<Info> {
  const parsed = JSON.parse((await fresh(`${url}/api/server-info`)).body) as Info;
  workerPids.add(parsed.workerPid);
  return parsed;
}

beforeAll(async () => {
  url = `http://127.0.0.1:${await freePort()}`;
  const bind = url.replace('http://', '');
  arbiter = startTgun([
    '-c',
    'tgun.config.ts',
    '-b',
    bind,
    '--access-logfile',
    accessLog,
    '--error-logfile',
    join(logs, 'error.log'),
  ]);
  let exited = false;
  void arbiter.exited.then(() => {
    exited = true;
  });
  await waitFor(async () => {
    if (exited) throw new Error(`tgun exited before serving:\n${arbiter.output()}`);
    return (await fresh(`${url}/`).catch(() => undefined))?.status === 200 ? true : undefined;
  }, 'the dashboard page');
});

afterAll(async () => {
  // Whatever failed above, leave no process behind: the arbiter, then any worker it did not take down.
  if (arbiter && isAlive(arbiter.pid)) {
    arbiter.child.kill('SIGKILL');
    await arbiter.exited;
  }
  for (const pid of workerPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(logs, { recursive: true, force: true });
});

describe('the dashboard served by tgun', () => {
  it('serves the page and answers a callback with the right numbers', async () => {
    const page = await fresh(`${url}/`);
    expect(page.body).toContain('id="line-chart"');
    expect(Number(page.headers['x-worker-pid'])).not.toBe(arbiter.pid);
    const body = JSON.stringify({
      output: 'kpis.data',
      inputs: (['region', 'months', 'categories'] as const).map((id) => ({
        id,
        property: 'value',
        value: INITIAL[id],
      })),
      changedPropIds: [],
    });
    const answer = await fresh(`${url}/_dash-update-component`, { method: 'POST', body });
    expect(answer.status).toBe(200);
    const cards = (JSON.parse(answer.body) as { response: { kpis: { data: { id: string; value: unknown }[] } } })
      .response.kpis.data;
    expect(cards.find((c) => c.id === 'revenue')?.value).toBe(expectedFor(INITIAL).total.revenue);
  });

  it('answers from worker processes of the arbiter, which reports 4 workers', async () => {
    // Fresh connections are accepted by whichever worker wins, so a few requests meet several workers.
    const answers: Info[] = [];
    for (let i = 0; i < 16; i += 1) answers.push(await info());
    console.log(
      `arbiter ${arbiter.pid}; workers answering: ${[...new Set(answers.map((a) => a.workerPid))].join(', ')}`,
    );
    // The pre-fork model itself: the arbiter has exactly its 4 workers as children, and every answer came from one.
    const children = await waitFor(() => {
      const pids = childrenOf(arbiter.pid);
      return pids.length === 4 ? pids : undefined;
    }, 'the arbiter to have 4 children');
    for (const pid of children) workerPids.add(pid);
    for (const answer of answers) {
      expect(answer.arbiterPid).toBe(arbiter.pid);
      expect(children).toContain(answer.workerPid);
      expect(answer.workers).toBe(4);
    }
  });

  it('shows the right numbers and the pre-fork panel in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
      const errors = collectErrors(page);
      await page.goto(url);
      const rounds = await settled(page, 0);
      await page.selectOption('#region', 'Asia Pacific');
      await settled(page, rounds);
      const shown = await readShown(page);
      expectShows(shown, { ...INITIAL, region: 'Asia Pacific' });
      expect(shown.arbiterPid).toBe(String(arbiter.pid));
      expect(shown.workerCount).toBe('4');
      for (const pid of shown.loggedPids) {
        expect(pid).not.toBe(String(arbiter.pid));
        workerPids.add(Number(pid));
      }
      const path = join(mkdtempSync(join(tmpdir(), 'tgun-dashboard-')), 'dashboard-tgun.png');
      await page.screenshot({ path, fullPage: true });
      console.log('screenshot:', path);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('replaces every worker on HUP and keeps the arbiter (the seed walk-through)', async () => {
    const before = childrenOf(arbiter.pid);
    for (const pid of before) workerPids.add(pid);
    const hupAt = Date.now();
    process.kill(arbiter.pid, 'SIGHUP');
    const after = await waitFor(async () => {
      // A refused or reset connection here would be tgun's bug, not this test's subject: note it and keep looking.
      const answer = await info().catch((error: Error) => console.log(`during HUP: ${error.message}`));
      // A worker that loaded the app after the signal, not an old one that no request had reached yet.
      return answer && Date.parse(answer.startedAt) >= hupAt ? answer : undefined;
    }, 'a worker started by the HUP');
    expect(after.arbiterPid).toBe(arbiter.pid);
    expect(before).not.toContain(after.workerPid);
    await waitFor(() => (before.some(isAlive) ? undefined : true), 'the old workers to exit');
    const now = await waitFor(() => {
      const pids = childrenOf(arbiter.pid);
      return pids.length === 4 ? pids : undefined;
    }, '4 new workers');
    for (const pid of now) workerPids.add(pid);
    console.log(`after HUP: workers ${now.join(', ')} replaced ${before.join(', ')}`);
    expect(now.filter((pid) => before.includes(pid))).toEqual([]);
    expect(isAlive(arbiter.pid)).toBe(true);
  });

  it("writes the access log in the seed's format", async () => {
    const line = await waitFor(
      () =>
        existsSync(accessLog)
          ? readFileSync(accessLog, 'utf8')
              .split('\n')
              .find((l) => l.includes('"GET / HTTP/1.1" 200'))
          : undefined,
      'the access log line of GET /',
    );
    expect(line).toMatch(/127\.0\.0\.1 "GET \/ HTTP\/1\.1" 200 /);
  });

  it('stops on TERM and leaves no worker behind', async () => {
    process.kill(arbiter.pid, 'SIGTERM');
    expect(await arbiter.exited).toBe(0);
    await waitFor(() => ([...workerPids].some(isAlive) ? undefined : true), 'every worker to exit');
    expect([...workerPids].filter(isAlive)).toEqual([]);
  });
});
