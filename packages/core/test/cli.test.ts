import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/settings/registry.js';
import { SECTIONS } from '../src/settings/types.js';

const bin = resolve(import.meta.dirname, '../bin/tgun.js');
const fixtures = resolve(import.meta.dirname, 'fixtures/config');
const version = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }
).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `tgun` bin; only for commands that exit by themselves (no arbiter is started). */
async function tgun(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? fixtures,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('tgun --help and --version', () => {
  it('--version prints the package version', async () => {
    const r = await tgun(['--version']);
    expect(r).toEqual({ code: 0, stdout: `tgun ${version}\n`, stderr: '' });
    expect((await tgun(['-v'])).stdout).toBe(`tgun ${version}\n`);
  });

  it('--help lists every flag of every setting, grouped by section in order', async () => {
    const r = await tgun(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tgun \[OPTIONS\] \[MODULE\[:VARIABLE\]\]/m);
    for (const s of SETTINGS) {
      for (const flag of s.cli?.flags ?? []) expect(r.stdout, flag).toContain(flag);
    }
    const headings = SECTIONS.filter((sec) => SETTINGS.some((s) => s.section === sec && s.cli)).map((sec) =>
      r.stdout.indexOf(`\n${sec}:\n`),
    );
    expect(headings.every((i) => i > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(r.stdout).toMatch(/-w, --workers INT\s+.*\[.*WEB_CONCURRENCY.*\]/);
  });
});

describe('bad input exits with one clear message', () => {
  it('unknown flag: exit 2 with a suggestion, no stack', async () => {
    const r = await tgun(['--wokers', '3', 'app.mjs:handler'], { cwd: join(fixtures, 'withapp') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--wokers: unknown option; did you mean --workers\?/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('invalid values from several layers: exit 1 listing each with its layer', async () => {
    const r = await tgun(['-c', join(fixtures, 'broken/bad-values.config.mjs'), '-w', 'x'], {
      env: { TGUN_CMD_ARGS: '--backlog -5' },
    });
    expect(r.code).toBe(2); // `--backlog -5`: a flag-looking value is a usage error
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: invalid configuration \(\d+ problems\):$/);
    expect(r.stderr).toMatch(/\[command line\]/);
    expect(r.stderr).toMatch(/\[TGUN_CMD_ARGS\]/);
    expect(r.stderr).toMatch(/bad-values\.config\.mjs\]/);
    const onlyValues = await tgun(['-w', 'x', '--timeout=-1', 'app.mjs:handler'], { cwd: join(fixtures, 'withapp') });
    expect(onlyValues.code).toBe(1);
    expect(onlyValues.stderr).toMatch(/workers: expected a whole number/);
    expect(onlyValues.stderr).toMatch(/timeout: must be at least 0/);
  });

  it('a config file that throws: exit 1 naming the file', async () => {
    const file = join(fixtures, 'broken/throws.config.mjs');
    const r = await tgun(['-c', file, 'app.mjs:handler']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('database URL missing');
  });

  it('no application: exit 1 saying how to give one', async () => {
    const r = await tgun(['--check-config'], { cwd: join(fixtures, 'mjs') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No application module specified/);
  });
});

describe('--check-config and --print-config', () => {
  it('--check-config exits 0 when config and app load', async () => {
    const r = await tgun(['--check-config'], { cwd: join(fixtures, 'withapp') });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('--check-config exits 4 with the reason when the app fails to import', async () => {
    const r = await tgun(['--check-config', 'crash.mjs'], { cwd: join(fixtures, 'withapp') });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/app crashed at import/);
  });

  it('--print-config shows every effective value and the layer that set it', async () => {
    const r = await tgun(['--print-config', '--timeout', '9'], {
      cwd: join(fixtures, 'withapp'),
      env: { TGUN_CMD_ARGS: '--keep-alive 7' },
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(SETTINGS.length);
    const line = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(line('timeout')).toMatch(/= 9\s+\(command line\)$/);
    expect(line('keepAlive')).toMatch(/= 7\s+\(TGUN_CMD_ARGS\)$/);
    expect(line('workers')).toMatch(/= 1\s+\(.*withapp\/tgun\.config\.mjs\)$/);
    expect(line('backlog')).toMatch(/= 2048\s+\(default\)$/);
    expect(line('umask')).toMatch(/= 0o000\s+\(default\)$/);
    expect(line('controlSocketMode')).toMatch(/= 0o600\s+\(default\)$/);
  });
});
