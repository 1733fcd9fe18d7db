/**
 * `tgun ctl` as a separate process (the built CLI module) against a real control server. The server is served by
 * control-harness.ts's SimpleArbiter until the arbiter starts the control server itself; then these run against
 * `spawnTgun`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  leaveStaleSocket,
  runCtlProcess,
  type Harness,
  type SimpleArbiter,
  startHarness,
  tempDir,
} from './control-harness.js';

const arbiters: SimpleArbiter[] = [];
afterAll(() => {
  for (const a of arbiters) expect(a.leftovers()).toEqual([]);
});

async function harness(path: string, workers = 2): Promise<Harness> {
  const h = await startHarness(path, { workers });
  arbiters.push(h.arbiter);
  return h;
}

describe('tgun ctl: reading commands', () => {
  const dir = tempDir();
  const sock = join(dir.path, 'app.sock');
  let h: Harness;
  beforeAll(async () => {
    h = await harness(sock);
  });
  afterAll(async () => {
    await h[Symbol.asyncDispose]();
    dir[Symbol.dispose]();
  });
  const ctl = (...args: string[]) => runCtlProcess(['--socket', sock, ...args]);

  it('status: a summary and the worker table; --json for scripts', async () => {
    const human = await ctl('status');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^arbiter\\s+pid ${process.pid}, tgun 0\\.0\\.0-test$`, 'm'));
    expect(human.stdout).toMatch(/^workers\s+2 alive, 2 wanted$/m);
    expect(human.stdout).toMatch(
      /^\s*PID\s+ID\s+STATE\s+GEN\s+UPTIME\s+REQUESTS\s+IN-FLIGHT\s+RSS\s+CPU\s+HEARTBEAT\s+RESTARTS$/m,
    );
    for (const pid of h.arbiter.activePids())
      expect(human.stdout).toMatch(new RegExp(`^\\s*${pid}\\s+\\d+\\s+ready\\s`, 'm'));

    const json = await ctl('--json', 'status');
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data.arbiter.pid).toBe(process.pid);
    expect(data.arbiter.workers).toEqual({ wanted: 2, alive: 2 });
    expect(data.workers).toHaveLength(2);
    for (const w of data.workers) {
      expect(h.arbiter.activePids()).toContain(w.pid);
      expect(typeof w.requests).toBe('number');
      expect(w.rss).toBeGreaterThan(0);
    }
  });

  it('workers counts the requests each worker served', async () => {
    const port = h.arbiter.ports()[0] as number;
    for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    const servedBy = h.arbiter.activePids()[0];
    await expect
      .poll(
        async () =>
          JSON.parse((await ctl('workers', '--json')).stdout).workers.find((w: { pid: number }) => w.pid === servedBy)
            .requests,
        {
          timeout: 10_000,
        },
      )
      .toBe(3);
    const human = await ctl('workers');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^\\s*${servedBy}\\s+\\d+\\s+ready\\s+\\d+\\s+\\S+\\s+3\\s`, 'm'));
  });

  it('config: every setting with the layer that set it', async () => {
    const human = await ctl('config');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SETTING\s+VALUE\s+SOURCE$/m);
    expect(human.stdout).toMatch(/^workers\s+2\s+command line$/m);
    expect(human.stdout).toMatch(/^controlSocketMode\s+0o600\s+default$/m);
    const json = JSON.parse((await ctl('config', '--json')).stdout);
    expect(json.config.find((e: { name: string }) => e.name === 'workers')).toEqual({
      name: 'workers',
      value: 2,
      layer: 'cli',
      source: 'command line',
    });
  });

  it('serves several tgun ctl processes at once', async () => {
    const runs = await Promise.all(
      ['status', 'workers', 'config', 'status', 'workers', 'status'].map((c) => ctl(c, '--json')),
    );
    for (const r of runs) expect(r.code).toBe(0);
    expect(runs.map((r) => Object.keys(JSON.parse(r.stdout)).sort().join())).toEqual([
      'arbiter,workers',
      'workers',
      'config',
      'arbiter,workers',
      'workers',
      'arbiter,workers',
    ]);
  });

  it('usage errors exit 2', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['scale'],
      ['scale', 'many'],
      ['stop', '--rolling'],
      ['status', '--bogus'],
      ['status', 'extra'],
    ]) {
      const r = await ctl(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^tgun ctl: .+\nRun `tgun ctl --help` for usage\.\n$/);
    }
    const both = await runCtlProcess(['--socket', sock, '--pid', 'x.pid', 'status']);
    expect(both.code).toBe(2);
    const help = await ctl('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tgun ctl');
  });

  it('a command the arbiter refuses exits 1 with its reason', async () => {
    const r = await ctl('scale', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('scale failed: cannot scale to 0 worker(s)');
    const j = await ctl('scale', '-5', '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'bad-args' } });
  });
});

describe('tgun ctl: acting commands change the workers as the signals do', () => {
  it('scale N|+N|-N, reload, reload --rolling, reopen-logs, stop, stop --fast', async () => {
    using dir = tempDir();
    const sock = join(dir.path, 'app.sock');
    await using h = await harness(sock, 2);
    const ctl = (...args: string[]) => runCtlProcess(['--socket', sock, ...args]);

    const up = await ctl('scale', '+2');
    expect(up).toMatchObject({ code: 0, stdout: 'scaling 2 → 4 worker(s): queued 2× TTIN\n' });
    await expect.poll(() => h.arbiter.activePids().length).toBe(4);
    const first = h.arbiter.activePids()[0];
    const down = await ctl('scale', '-1', '--json');
    expect(JSON.parse(down.stdout)).toEqual({ from: 4, to: 3, queued: [{ command: 'ttou', count: 1 }] });
    await expect.poll(() => h.arbiter.activePids()).not.toContain(first);
    expect((await ctl('scale', '3')).stdout).toBe('already at 3 worker(s)\n');
    expect((await ctl('scale', '2')).stdout).toBe('scaling 3 → 2 worker(s): queued TTOU\n');
    await expect.poll(() => h.arbiter.activePids().length).toBe(2);

    const before = h.arbiter.activePids();
    const reload = await ctl('reload');
    expect(reload.code).toBe(0);
    expect(reload.stdout).toMatch(/^queued HUP: new workers start, then the old ones drain/);
    await expect.poll(() => h.arbiter.activePids().some((p) => before.includes(p)), { timeout: 20_000 }).toBe(false);
    await expect.poll(() => h.arbiter.activePids().length).toBe(2);

    const mid = h.arbiter.activePids();
    const rolling = await ctl('reload', '--rolling', '--json');
    expect(JSON.parse(rolling.stdout)).toEqual({ queued: [{ command: 'rolling-reload', count: 1 }] });
    await expect.poll(() => h.arbiter.activePids().some((p) => mid.includes(p)), { timeout: 20_000 }).toBe(false);

    expect((await ctl('reopen-logs')).stdout).toMatch(/^queued USR1: the arbiter and its workers reopen/);
    await expect.poll(() => h.arbiter.reopened).toBe(1);

    expect((await ctl('stop', '--fast')).stdout).toBe('queued INT: the arbiter is stopping\n');
    await expect.poll(() => h.arbiter.stopped).toBe('int');
    expect(JSON.parse((await ctl('stop', '--json')).stdout)).toEqual({ queued: [{ command: 'term', count: 1 }] });
    await expect.poll(() => h.arbiter.stopped).toBe('term');
  });
});

describe('tgun ctl: finding the arbiter, and saying why not', () => {
  it('--pid FILE finds the socket beside the pidfile; -n NAME under $XDG_RUNTIME_DIR/tgun', async () => {
    using dir = tempDir();
    await using h = await harness(join(dir.path, 'api.sock'), 1);
    writeFileSync(join(dir.path, 'api.pid'), `${process.pid}\n`);
    const byPid = await runCtlProcess(['--pid', join(dir.path, 'api.pid'), 'status', '--json']);
    expect(byPid.code).toBe(0);
    expect(JSON.parse(byPid.stdout).arbiter.socket).toBe(h.server.path);

    const env = { XDG_RUNTIME_DIR: dir.path };
    await using named = await startHarness(join(dir.path, 'tgun', 'app.mjs_app.sock'), {
      workers: 1,
      privateDir: true,
    });
    arbiters.push(named.arbiter);
    const byName = await runCtlProcess(['-n', 'app.mjs:app', 'status', '--json'], { env });
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout).arbiter.socket).toBe(named.server.path);
    // With no target, the only socket in the default directory is used...
    expect((await runCtlProcess(['status', '--json'], { env })).code).toBe(0);
    // ...and with two, the operator has to choose.
    await using other = await startHarness(join(dir.path, 'tgun', 'other.sock'), { workers: 1, privateDir: true });
    arbiters.push(other.arbiter);
    const ambiguous = await runCtlProcess(['status'], { env });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('pick one with -n NAME (app.mjs_app, other)');
  });

  it('no arbiter: exit 3 and what to do', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'none.sock');
    const r = await runCtlProcess(['--socket', path, 'status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`no tgun arbiter answers at ${path} — is it running? \`tgun --pid FILE …\` starts one`);
    mkdirSync(join(dir.path, 'empty'));
    const none = await runCtlProcess(['status', '--json'], { env: { XDG_RUNTIME_DIR: join(dir.path, 'empty') } });
    expect(none.code).toBe(3);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { code: 'missing' } });
  });

  it("a dead arbiter's socket: exit 3, and the pidfile's pid is reported as not running", async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await leaveStaleSocket(path);
    // A pid that is surely not running: above the kernel's pid_max default.
    writeFileSync(join(dir.path, 'app.pid'), '4194305\n');
    const r = await runCtlProcess(['--pid', join(dir.path, 'app.pid'), 'workers']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the control socket ${path} belongs to a dead arbiter`);
    expect(r.stderr).toContain('names pid 4194305, which is not running');
  });

  it('a protocol version mismatch: exit 1 and which versions', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'future.sock');
    // A peer speaking a future protocol version: every reply says v: 2.
    const future = createServer((s) => {
      s.on('data', () => s.write('{"v":2,"ok":false,"error":{"code":"version-mismatch","message":"v2 only"}}\n'));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => future.listen(path, r));
    try {
      const r = await runCtlProcess(['--socket', path, 'status']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /version mismatch: this tgun ctl \(tgun [^)]+\) speaks control protocol 1, the arbiter at .+ speaks 2/,
      );
    } finally {
      await new Promise<void>((r) => future.close(() => r()));
    }
  });
});
