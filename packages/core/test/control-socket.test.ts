/**
 * The control socket file: modes, a dead arbiter's socket vs a live one, the USR2 hand-over, and a second uid.
 * Served by control-simple-arbiter.ts until the arbiter starts the control server itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlClientError, requestOnce } from '../src/control/client.js';
import { ControlSocketError, startControlServer } from '../src/control/server.js';
import {
  canSwitchUser,
  leaveStaleSocket,
  memoryLog,
  runCtlProcess,
  SimpleArbiter,
  startHarness,
  tempDir,
} from './control-harness.js';

const leftovers: SimpleArbiter[] = [];
afterAll(() => {
  for (const a of leftovers) expect(a.leftovers()).toEqual([]);
});

describe('control socket file', () => {
  it('is created 0600 in a 0700 directory and removed on close', async () => {
    using dir = tempDir();
    const sockDir = join(dir.path, 'run', 'tgun');
    const path = join(sockDir, 'app.sock');
    const h = await startHarness(path, { workers: 1, privateDir: true });
    leftovers.push(h.arbiter);
    try {
      expect(lstatSync(path).isSocket()).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(sockDir).mode & 0o777).toBe(0o700);
      expect(h.log.lines).toContain(`info: Control socket listening at ${path}`);
    } finally {
      await h[Symbol.asyncDispose]();
    }
    expect(existsSync(path)).toBe(false);
  });

  it('honours another mode', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'grp.sock');
    await using h = await startHarness(path, { workers: 1, mode: 0o660 });
    leftovers.push(h.arbiter);
    expect(statSync(path).mode & 0o777).toBe(0o660);
  });

  it("replaces a dead arbiter's socket and refuses a live one", async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await leaveStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    await expect(requestOnce(path, 'status')).rejects.toMatchObject({ reason: 'refused' });

    await using h = await startHarness(path, { workers: 1 });
    leftovers.push(h.arbiter);
    expect(h.log.lines).toContain(`info: Replaced the stale control socket ${path}`);
    expect((await requestOnce(path, 'status')).ok).toBe(true);

    const second = new SimpleArbiter(1);
    const err = await startControlServer({ path, mode: 0o600, log: memoryLog(), handler: second }).catch((e) => e);
    expect(err).toBeInstanceOf(ControlSocketError);
    expect(String(err.message)).toContain(`another tgun arbiter (pid ${process.pid}) already answers`);
    // The refused server did not take the file away from the live one.
    expect((await requestOnce(path, 'status')).ok).toBe(true);
  });

  it('refuses to replace something that is not a socket', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'file.sock');
    writeFileSync(path, 'precious');
    const err = await startControlServer({ path, mode: 0o600, log: memoryLog(), handler: new SimpleArbiter(1) }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ControlSocketError);
    expect(String(err.message)).toContain('is not a socket');
    expect(existsSync(path)).toBe(true);
  });

  it("after rename (USR2), close removes the renamed file and leaves the new owner's path alone", async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    const old = await startHarness(path, { workers: 1 });
    leftovers.push(old.arbiter);
    old.server.rename(`${path}.oldbin`);
    expect(old.server.path).toBe(`${path}.oldbin`);
    expect((await requestOnce(`${path}.oldbin`, 'status')).ok).toBe(true);
    await using fresh = await startHarness(path, { workers: 1 });
    leftovers.push(fresh.arbiter);
    await old[Symbol.asyncDispose]();
    expect(existsSync(`${path}.oldbin`)).toBe(false);
    expect((await requestOnce(path, 'status')).ok).toBe(true);
  });

  it("an old master that moved aside and exits leaves the new master's socket alone", async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    // The old master is a separate process: what libuv does with the socket name at process exit matters here.
    const server = JSON.stringify(new URL('../dist/control/server.js', import.meta.url).href);
    const script = `
      const { startControlServer } = await import(${server});
      const log = { debug() {}, info() {}, warning() {}, error() {}, critical() {}, exception() {} };
      const handler = {
        status: () => ({ pid: process.pid, version: 'old', name: 'old', startedAt: Date.now(), binds: [], configFile: null,
          workers: { wanted: 1, alive: 0 }, parentMaster: null, reexecChild: null }),
        workers: () => [], config: () => [], enqueue() {},
      };
      const s = await startControlServer({ path: ${JSON.stringify(path)}, mode: 0o600, log, handler });
      process.send('up');
      process.on('message', async (m) => {
        if (m === 'aside') { s.rename(${JSON.stringify(`${path}.oldbin`)}); process.send('moved'); }
        if (m === 'exit') { await s.close(); process.disconnect(); }
      });`;
    const old = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const next = (what: string) => new Promise<void>((r) => old.once('message', (m) => m === what && r()));
    const exited = new Promise((r) => old.once('exit', r));
    await next('up');
    old.send('aside');
    await next('moved');
    expect(await requestOnce(`${path}.oldbin`, 'status')).toMatchObject({ data: { arbiter: { pid: old.pid } } });

    await using fresh = await startHarness(path, { workers: 1 });
    leftovers.push(fresh.arbiter);
    old.send('exit');
    await exited;
    expect(existsSync(`${path}.oldbin`)).toBe(false);
    expect(await requestOnce(path, 'status')).toMatchObject({ data: { arbiter: { pid: process.pid } } });
  });

  it.runIf(canSwitchUser())('refuses another uid (EACCES), while a 0666 socket would let it in', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'app.sock');
    await using h = await startHarness(path, { workers: 1 });
    leftovers.push(h.arbiter);
    const denied = await runCtlProcess(['--socket', path, '--json', 'status'], { asNobody: true });
    expect(denied.code).toBe(3);
    expect(JSON.parse(denied.stdout)).toMatchObject({ ok: false, error: { code: 'denied' } });

    // The positive control: same uid switch, same directory, a socket whose mode lets others in.
    const open = join(dir.path, 'open.sock');
    await using h2 = await startHarness(open, { workers: 1, mode: 0o666 });
    leftovers.push(h2.arbiter);
    const allowed = await runCtlProcess(['--socket', open, '--json', 'status'], { asNobody: true });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).arbiter.pid).toBe(process.pid);

    // The default per-user directory is 0700: even a permissive socket mode inside it stays private.
    const privateSock = join(dir.path, 'tgun-private', 'app.sock');
    await using h3 = await startHarness(privateSock, { workers: 1, mode: 0o666, privateDir: true });
    leftovers.push(h3.arbiter);
    const hidden = await runCtlProcess(['--socket', privateSock, 'status'], { asNobody: true });
    expect(hidden.code).toBe(3);
    expect(hidden.stderr).toContain('permission denied');
  });

  it('classifies connection failures', async () => {
    using dir = tempDir();
    const missing = join(dir.path, 'none.sock');
    const err = await requestOnce(missing, 'status').catch((e) => e);
    expect(err).toBeInstanceOf(ControlClientError);
    expect(err.reason).toBe('missing');
    const file = join(dir.path, 'plain');
    writeFileSync(file, '');
    expect(await requestOnce(file, 'status').catch((e) => e.reason)).toBe('not-a-socket');
  });
});
