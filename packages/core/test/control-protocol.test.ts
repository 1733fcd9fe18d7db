/** The control protocol's parsing, the stats arithmetic and the default socket paths. */
import { chownSync, lstatSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSocketPathLength,
  controlSocketLocation,
  defaultControlSocketPath,
  prepareSocketDir,
  SocketDirError,
  socketFileName,
} from '../src/control/paths.js';
import { COMMANDS, isReply, MAX_LINE_BYTES, parseRequest, PROTOCOL_VERSION } from '../src/control/protocol.js';
import { beatsPerSample, isWorkerStatsSample, mergeSample, sampleProcess } from '../src/control/stats.js';
import { tempDir } from './control-harness.js';

describe('parseRequest', () => {
  it('accepts every command, with id, version and args', () => {
    for (const cmd of COMMANDS) expect(parseRequest(JSON.stringify({ cmd }))).toEqual({ ok: true, request: { cmd } });
    expect(parseRequest('{"id":"x","v":1,"cmd":"scale","args":{"by":-1}}')).toEqual({
      ok: true,
      request: { id: 'x', v: PROTOCOL_VERSION, cmd: 'scale', args: { by: -1 } },
    });
  });

  it('refuses what is not a request, keeping the id when there is one', () => {
    const code = (line: string) => {
      const r = parseRequest(line);
      return r.ok ? 'ok' : r.reply.error.code;
    };
    expect(code('nope')).toBe('bad-json');
    expect(code('"status"')).toBe('bad-request');
    expect(code('null')).toBe('bad-request');
    expect(code('{}')).toBe('bad-request');
    expect(code('{"cmd":"status","args":[1]}')).toBe('bad-request');
    expect(code('{"cmd":"__proto__"}')).toBe('unknown-command');
    expect(code('{"cmd":"status","v":2}')).toBe('version-mismatch');
    const unknown = parseRequest('{"id":9,"cmd":"kill"}');
    expect(unknown).toMatchObject({ ok: false, reply: { v: PROTOCOL_VERSION, id: 9, ok: false } });
    expect(MAX_LINE_BYTES).toBe(65536);
  });

  it('isReply checks the shape', () => {
    expect(isReply({ v: 1, ok: true, data: null })).toBe(true);
    expect(isReply({ v: 1, ok: false, error: { code: 'x', message: 'y' } })).toBe(true);
    expect(isReply({ v: 1, ok: false })).toBe(false);
    expect(isReply({ ok: true, data: 1 })).toBe(false);
  });
});

describe('worker stats', () => {
  it('computes CPU percent from two samples and never from one', () => {
    const a = { requests: 1, inFlight: 0, rss: 10, cpuMicros: 1_000_000, at: 10_000 };
    const first = mergeSample(null, a);
    expect(first.cpuPercent).toBeNull();
    // 250 ms of CPU over 1000 ms of wall time.
    const second = mergeSample(first, { ...a, cpuMicros: 1_250_000, at: 11_000 });
    expect(second.cpuPercent).toBe(25);
    // A sample from before the previous one (clock confusion) gives no figure rather than a wrong one.
    expect(mergeSample(second, { ...a, at: 9_000 }).cpuPercent).toBeNull();
  });

  it('samples this process and validates samples from the channel', () => {
    const s = sampleProcess(5, 2);
    expect(s.rss).toBeGreaterThan(0);
    expect(s.cpuMicros).toBeGreaterThan(0);
    expect(isWorkerStatsSample(s)).toBe(true);
    expect(isWorkerStatsSample({ ...s, rss: -1 })).toBe(false);
    expect(isWorkerStatsSample({ ...s, inFlight: 'x' })).toBe(false);
    expect(isWorkerStatsSample(null)).toBe(false);
  });

  it('attaches a sample at most once a second whatever the heartbeat period', () => {
    expect(beatsPerSample(1000)).toBe(1);
    expect(beatsPerSample(250)).toBe(4);
    expect(beatsPerSample(300)).toBe(4);
    expect(beatsPerSample(5000)).toBe(1);
  });
});

describe('default control socket path', () => {
  it('is beside the pidfile, else under XDG_RUNTIME_DIR, else a per-user temp dir', () => {
    expect(defaultControlSocketPath({ pidfile: '/run/app/api.pid', name: 'x', env: {} })).toBe('/run/app/api.sock');
    expect(defaultControlSocketPath({ pidfile: 'api.pid', name: 'x', env: {}, cwd: '/srv' })).toBe('/srv/api.sock');
    expect(defaultControlSocketPath({ pidfile: '/run/tgun', name: 'x', env: {} })).toBe('/run/tgun.sock');
    expect(defaultControlSocketPath({ pidfile: null, name: 'api', env: { XDG_RUNTIME_DIR: '/run/user/1000' } })).toBe(
      '/run/user/1000/tgun/api.sock',
    );
    const uid = process.getuid?.();
    expect(defaultControlSocketPath({ pidfile: null, name: 'api', env: {} })).toBe(
      join(tmpdir(), `tgun-${uid}`, 'api.sock'),
    );
    // A relative XDG_RUNTIME_DIR is invalid by the spec and ignored.
    expect(defaultControlSocketPath({ pidfile: null, name: 'api', env: { XDG_RUNTIME_DIR: 'rel' } })).toBe(
      join(tmpdir(), `tgun-${uid}`, 'api.sock'),
    );
  });

  it('follows the settings: explicit path, default, or none', () => {
    const base = { controlSocket: null, controlSocketDisable: false, pidfile: null, chdir: '/srv/api' };
    const env = { XDG_RUNTIME_DIR: '/run/user/7' };
    expect(controlSocketLocation(base, 'api', env)).toEqual({ path: '/run/user/7/tgun/api.sock', privateDir: true });
    expect(controlSocketLocation({ ...base, pidfile: 'run/api.pid' }, 'api', env)).toEqual({
      path: '/srv/api/run/api.sock',
      privateDir: false,
    });
    expect(controlSocketLocation({ ...base, controlSocket: 'ctl.sock' }, 'api', env)).toEqual({
      path: '/srv/api/ctl.sock',
      privateDir: false,
    });
    expect(
      controlSocketLocation({ ...base, controlSocket: 'ctl.sock', controlSocketDisable: true }, 'api', env),
    ).toBeNull();
  });

  it('turns an app URI into a stable file name', () => {
    expect(socketFileName('app.mjs:app')).toBe('app.mjs_app.sock');
    expect(socketFileName('./src/server.js:handler')).toBe('__src_server.js_handler.sock');
    expect(socketFileName('..')).toBe('_.sock');
    expect(socketFileName('')).toBe('tgun.sock');
  });

  it('refuses paths the kernel would cut', () => {
    expect(() => checkSocketPathLength(`/tmp/${'x'.repeat(100)}.sock`)).toThrow(SocketDirError);
    expect(() => checkSocketPathLength('/tmp/ok.sock')).not.toThrow();
  });

  it('creates a private directory 0700, tightens a loose one, and refuses a symlink', () => {
    using dir = tempDir();
    const fresh = join(dir.path, 'a', 'b');
    prepareSocketDir(fresh, true);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const loose = join(dir.path, 'loose');
    mkdirSync(loose, { mode: 0o777 });
    prepareSocketDir(loose, true);
    expect(statSync(loose).mode & 0o777).toBe(0o700);
    const link = join(dir.path, 'link');
    symlinkSync(fresh, link);
    expect(() => prepareSocketDir(link, true)).toThrow(/not a directory/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    // In a shared temp dir another user may have created the directory first.
    if (process.getuid?.() === 0) {
      const foreign = join(dir.path, 'foreign');
      mkdirSync(foreign, { mode: 0o700 });
      chownSync(foreign, 65534, 65534);
      expect(() => prepareSocketDir(foreign, true)).toThrow(/belongs to uid 65534/);
    }
    // A directory that is not tgun's own (beside a pidfile) is left as it is.
    prepareSocketDir(dir.path, false);
    expect(statSync(dir.path).mode & 0o777).toBe(0o755);
  });
});
