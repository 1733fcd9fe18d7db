import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { APP_DIR, TGUN_BIN } from './helpers/processes.js';

const run = promisify(execFile);

/** The seed's gunicorn.conf.py values, by tgun's setting names. */
const SEED: Record<string, unknown> = {
  app: 'src/app.mjs:app',
  bind: ['127.0.0.1:8000'],
  timeout: 30,
  daemon: false,
  workers: 4,
  threads: 4,
  logLevel: 'info',
  accessLogFormat: '%(t)s %(p)s %(h)s "%(r)s" %(s)s %(L)s %(b)s %(f)s" "%(a)s"',
  accessLog: '/tmp/tgun/tgun_access.log',
  errorLog: '/tmp/tgun/tgun_error.log',
  reload: false,
};

describe('tgun.config.ts', () => {
  it('is the seed gunicorn.conf.py, setting by setting (tgun --print-config)', async () => {
    const { stdout } = await run(process.execPath, [TGUN_BIN, '-c', 'tgun.config.ts', '--print-config'], {
      cwd: APP_DIR,
    });
    // `name = <JSON value>  (source)`; hooks print as <default>, so values are compared as JSON text.
    const settings = new Map(
      stdout
        .split('\n')
        .map((line) => /^(\w+)\s+= (.*?)\s+\((.+)\)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], { raw: m[2] ?? '', source: m[3] }]),
    );
    for (const [name, value] of Object.entries(SEED)) {
      expect(settings.get(name)?.raw, name).toBe(JSON.stringify(value));
      expect(settings.get(name)?.source, name).toMatch(/tgun\.config\.ts$/);
    }
  });

  it('names an app tgun can load (tgun --check-config exits 0)', async () => {
    await expect(
      run(process.execPath, [TGUN_BIN, '-c', 'tgun.config.ts', '--check-config'], { cwd: APP_DIR }),
    ).resolves.toBeDefined();
  });
});
