/**
 * The control server over a real unix socket: every command, the protocol's error replies, the client limit, and a
 * client that stops reading. Served by control-simple-arbiter.ts (real worker processes) until the arbiter starts
 * the control server itself; ctl-arbiter.test.ts covers the real arbiter.
 */
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlConnection, requestOnce } from '../src/control/client.js';
import type { ScaleData, StatusData, WorkersData } from '../src/control/commands.js';
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from '../src/control/protocol.js';
import { type SimpleArbiter, startHarness, tempDir } from './control-harness.js';

/** Connects, writes `data`, and collects reply lines until the server closes or `waitMs` passes. */
function exchange(path: string, data: string | Buffer, waitMs = 5000): Promise<{ lines: unknown[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        lines: text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
        closed,
      });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c) => {
      text += c.toString();
    });
    socket.on('close', () => done(true));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') return;
      clearTimeout(timer);
      reject(err);
    });
  });
}

const leftovers: SimpleArbiter[] = [];
afterAll(() => {
  for (const a of leftovers) expect(a.leftovers()).toEqual([]);
});

describe('control server', () => {
  it('answers every command, with the protocol version and the request id', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 2 });
    leftovers.push(h.arbiter);
    const conn = await ControlConnection.open(path);
    try {
      const status = await conn.request('status');
      expect(status.v).toBe(PROTOCOL_VERSION);
      expect(status.ok).toBe(true);
      const data = (status as { data: StatusData }).data;
      expect(data.arbiter.pid).toBe(process.pid);
      expect(data.arbiter.socket).toBe(path);
      expect(data.arbiter.workers).toEqual({ wanted: 2, alive: 2 });
      expect(data.arbiter.rss).toBeGreaterThan(0);
      expect(data.workers.map((w) => w.pid).sort()).toEqual([...h.arbiter.activePids()].sort());
      for (const w of data.workers) {
        expect(w.rss).toBeGreaterThan(0);
        expect(w.state).toBe('ready');
      }

      const workers = await conn.request('workers');
      expect((workers as { data: WorkersData }).data.workers).toHaveLength(2);

      const config = await conn.request('config');
      const entries = (config as { data: { config: Array<{ name: string; value: unknown; layer: string }> } }).data
        .config;
      expect(entries.find((e) => e.name === 'workers')).toMatchObject({ value: 2, layer: 'cli' });
      expect(entries.find((e) => e.name === 'controlSocketMode')).toMatchObject({ layer: 'default' });

      const reopen = await conn.request('reopen-logs');
      expect(reopen).toMatchObject({ ok: true, data: { queued: [{ command: 'usr1', count: 1 }] } });
      await expect.poll(() => h.arbiter.reopened).toBe(1);
    } finally {
      conn.close();
    }
    const raw = await exchange(path, '{"id":"abc","cmd":"workers"}\n{"id":7,"v":1,"cmd":"status"}\n', 1000);
    expect(raw.lines).toMatchObject([
      { v: PROTOCOL_VERSION, id: 'abc', ok: true },
      { v: PROTOCOL_VERSION, id: 7, ok: true },
    ]);
  });

  it('scale and reload go through the queue and change the worker pids', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 2 });
    leftovers.push(h.arbiter);
    const before = h.arbiter.activePids();

    const up = await requestOnce(path, 'scale', { by: 2 });
    expect(up).toMatchObject({ ok: true, data: { from: 2, to: 4, queued: [{ command: 'ttin', count: 2 }] } });
    // Straight after: the target already counts the queued TTINs, so an absolute scale is computed from 4.
    const down = await requestOnce(path, 'scale', { to: 3 });
    expect((down as { data: ScaleData }).data).toMatchObject({
      from: 4,
      to: 3,
      queued: [{ command: 'ttou', count: 1 }],
    });
    await expect.poll(() => h.arbiter.activePids().length, { timeout: 20_000 }).toBe(3);
    // TTOU stops the oldest worker.
    expect(h.arbiter.activePids()).not.toContain(before[0]);

    const mid = h.arbiter.activePids();
    const reload = await requestOnce(path, 'reload');
    expect(reload).toMatchObject({ ok: true, data: { queued: [{ command: 'hup', count: 1 }] } });
    await expect.poll(() => h.arbiter.activePids().some((p) => mid.includes(p)), { timeout: 20_000 }).toBe(false);
    expect(h.arbiter.activePids()).toHaveLength(3);

    expect(h.log.lines).toContain('info: Control request: scale {"by":2}');
    expect(h.log.lines).toContain('info: Control request: reload');
    const rolling = await requestOnce(path, 'reload', { rolling: true });
    expect(rolling).toMatchObject({ ok: true, data: { queued: [{ command: 'rolling-reload', count: 1 }] } });

    for (const bad of [{ to: 0 }, { by: -3 }, { to: 2, by: 1 }, {}, { to: 'x' }, { to: 5000 }]) {
      const reply = await requestOnce(path, 'scale', bad);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    }
  });

  it('stop queues TERM, and --fast INT', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 1 });
    leftovers.push(h.arbiter);
    expect(await requestOnce(path, 'stop', { fast: true })).toMatchObject({ data: { queued: [{ command: 'int' }] } });
    await expect.poll(() => h.arbiter.stopped).toBe('int');
    expect(await requestOnce(path, 'stop')).toMatchObject({ data: { queued: [{ command: 'term' }] } });
    await expect.poll(() => h.arbiter.stopped).toBe('term');
  });

  it('answers malformed, unknown, wrong-version and oversized requests with an error, then hangs up', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 1 });
    leftovers.push(h.arbiter);
    const cases: Array<[string | Buffer, string]> = [
      ['{"cmd": "status"\n', 'bad-json'],
      ['[1,2]\n', 'bad-request'],
      ['{"cmd": 42}\n', 'bad-request'],
      ['{"cmd": "status", "args": "x"}\n', 'bad-request'],
      ['{"id": 3, "cmd": "rm -rf"}\n', 'unknown-command'],
      ['{"v": 99, "cmd": "status"}\n', 'version-mismatch'],
      [Buffer.alloc(MAX_LINE_BYTES + 10, 'a'), 'line-too-long'],
      [`{"cmd":"status","pad":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`, 'line-too-long'],
    ];
    for (const [input, code] of cases) {
      // The follow-up request on the same line stream must not be answered: the connection is closed.
      const follow = Buffer.isBuffer(input) ? input : `${input}{"cmd":"status"}\n`;
      const { lines, closed } = await exchange(path, follow);
      expect(closed, code).toBe(true);
      expect(lines, code).toHaveLength(1);
      expect(lines[0], code).toMatchObject({ v: PROTOCOL_VERSION, ok: false, error: { code } });
    }
    const unknown = await exchange(path, '{"id": 3, "cmd": "rm -rf"}\n');
    expect(unknown.lines[0]).toMatchObject({ id: 3 });
    // Blank lines are ignored, and the server is still healthy after all that.
    expect((await exchange(path, '\n\r\n{"cmd":"status"}\n', 500)).lines).toMatchObject([{ ok: true }]);
  });

  it('serves at most maxClients at once; the next one gets "busy"', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 1, maxClients: 3 });
    leftovers.push(h.arbiter);
    const conns = await Promise.all([1, 2, 3].map(() => ControlConnection.open(path)));
    try {
      const replies = await Promise.all(conns.map((c) => c.request('status')));
      expect(replies.every((r) => r.ok)).toBe(true);
      const extra = await exchange(path, '{"cmd":"status"}\n');
      expect(extra.closed).toBe(true);
      expect(extra.lines[0]).toMatchObject({ ok: false, error: { code: 'busy' } });
      conns[0]?.close();
      await expect
        .poll(async () => (await exchange(path, '{"cmd":"status"}\n', 500)).lines[0])
        .toMatchObject({ ok: true });
    } finally {
      for (const c of conns) c.close();
    }
  });

  it('drops a client that stops reading, without holding anyone else up', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 2 });
    leftovers.push(h.arbiter);
    const greedy = createConnection(path);
    greedy.pause();
    let greedyClosed = false;
    greedy.on('close', () => {
      greedyClosed = true;
    });
    greedy.on('error', () => {});
    await new Promise((r) => greedy.once('connect', r));
    // ~3000 pipelined status requests: well over a megabyte of replies nobody reads.
    greedy.write('{"cmd":"status"}\n'.repeat(3000));
    const other = await ControlConnection.open(path);
    try {
      for (let i = 0; i < 5; i++) expect((await other.request('status')).ok).toBe(true);
    } finally {
      other.close();
    }
    await expect.poll(() => h.log.lines.some((l) => l.includes('stopped reading'))).toBe(true);
    greedy.resume();
    await expect.poll(() => greedyClosed).toBe(true);
  });
});
