import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun, TGUN_BIN } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-logconfig-'));
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

describe('--log-config-json', () => {
  it('reports every problem in the file at once and exits 1', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'xml', error: { level: 'loud', colour: 1 }, extra: true }));
    const run = spawnSync(process.execPath, [TGUN_BIN, '--log-config-json', file, APP], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    for (const problem of [
      '"extra" is not a known key',
      '"format" must be',
      '"error.level" must be one of',
      '"error.colour"',
    ])
      expect(run.stderr).toContain(problem);
  });

  it('writes JSON lines for both loggers to the files it names', async () => {
    const errorLog = join(dir, 'error.jsonl');
    const accessLog = join(dir, 'access.jsonl');
    const file = join(dir, 'good.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'json', error: { level: 'debug', to: errorLog }, access: { to: [accessLog] } }),
    );
    const sock = join(dir, 'json.sock');
    await using tgun = await spawnTgun(['-w', '1', '-b', `unix:${sock}`, '--log-config-json', file, APP], {
      wait: 'none',
    });
    marks.push(tgun.mark);
    await until('booted', () => read(errorLog).includes('Booting worker'));
    for (let i = 0; (await request(`unix:${sock}`, '/?q=1').catch(() => null))?.status !== 200; i++) {
      if (i > 200) throw new Error('not serving');
      await new Promise((r) => setTimeout(r, 50));
    }
    await until('access line', () => read(accessLog).includes('"status":200'));
    const errors = read(errorLog)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.some((e) => e.level === 'debug' && e.logger === 'tgun.error')).toBe(true);
    const access = JSON.parse(read(accessLog).trim().split('\n')[0] as string);
    expect(access).toMatchObject({ logger: 'tgun.access', method: 'GET', path: '/', query: 'q=1', status: 200 });
  });
});
