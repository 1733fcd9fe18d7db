import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TGUN_BIN } from './harness.js';
import { commandArgv, parseEnvironment, readPrograms, relocate } from './program.js';

const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
/** Where the example installs the app; the test runs it from this directory instead. */
const INSTALL_DIR = '/srv/myapp';
const run = promisify(execFile);

const program = readPrograms(join(APP_DIR, 'tgun-supervisor.conf')).get('myapp') ?? new Map<string, string>();
const key = (name: string): string => {
  const value = program.get(name);
  if (value === undefined) throw new Error(`tgun-supervisor.conf has no ${name}=`);
  return value;
};

/** The `command=` line as this checkout runs it: same arguments, with /srv/myapp moved here. */
function commandHere(): string[] {
  const [node, bin, ...args] = commandArgv(key('command'));
  expect(node).toBe('/usr/bin/node');
  expect(bin).toBe(`${INSTALL_DIR}/node_modules/@tgun/core/bin/tgun.js`);
  return [TGUN_BIN, ...relocate(args, INSTALL_DIR, APP_DIR)];
}

/** Runs tgun with `args` the way supervisord would: in `directory=`, with `environment=`. */
async function tgun(args: readonly string[]): Promise<{ code: number; output: string }> {
  const env = { ...process.env, ...parseEnvironment(program.get('environment')) };
  delete env.TGUN_CMD_ARGS;
  delete env.WEB_CONCURRENCY;
  const [cwd] = relocate([key('directory')], INSTALL_DIR, APP_DIR);
  expect(cwd).toBe(join(APP_DIR));
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, env });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('tgun-supervisor.conf', () => {
  it('has a command= line that tgun --check-config accepts', async () => {
    const result = await tgun([...commandHere(), '--check-config']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('would be rejected by the same check if it were wrong', async () => {
    const result = await tgun([...commandHere(), '--workers', 'many', '--check-config']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('workers');
  });

  it('passes its settings on the command line, over the config file', async () => {
    const { code, output } = await tgun([...commandHere(), '--print-config']);
    expect(code, output).toBe(0);
    const line = (name: string) => new RegExp(`^${name}\\s+=\\s+(.+?)\\s+\\((.+)\\)$`, 'm').exec(output)?.slice(1);
    expect(line('bind')).toEqual(['["unix:/run/myapp/tgun.sock"]', 'command line']);
    expect(line('workers')).toEqual(['4', 'command line']);
    expect(line('daemon')?.[0]).toBe('false');
    expect(line('app')?.[1]).toContain('tgun.config.ts');
    // supervisor must wait longer than tgun's drain before it sends KILL.
    expect(Number(key('stopwaitsecs'))).toBeGreaterThan(Number(line('gracefulTimeout')?.[0]));
  });

  it('lets tgun drain its own workers and kills the group only after the timeout', () => {
    expect(key('stopsignal')).toBe('TERM');
    expect(key('stopasgroup')).toBe('false');
    expect(key('killasgroup')).toBe('true');
    expect(key('autorestart')).toBe('true');
  });
});
