// TypeScript config files and apps load with Node's own type stripping on the lines that have it
// (`process.features.typescript`) and with jiti on Node 20; CI runs this file on 20, 22, 24 and 26. The fixtures
// report which loader evaluated them (jiti runs modules as CommonJS, Node as ES modules), so each line is checked
// against what it actually has.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'typescript');
const dir = mkdtempSync(join(tmpdir(), 'tgun-typescript-'));
const marks: string[] = [];
const stripping = Boolean((process.features as { typescript?: unknown }).typescript);
const expected = stripping ? 'node' : 'jiti';

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

/** A config file only a TypeScript loader can read, reporting its loader and `greeting` to the app. */
function configText(greeting: string): string {
  return [
    'interface Settings {',
    '  workers: number;',
    '  rawEnv: string[];',
    '}',
    "const loader: string = typeof module === 'undefined' ? 'node' : 'jiti';",
    `const settings: Settings = { workers: 1, rawEnv: ['GREETING=${greeting}', \`CONFIG_LOADER=\${loader}\`] };`,
    'export default settings;',
    '',
  ].join('\n');
}

interface Answer {
  app?: string;
  config?: string;
  greeting?: string;
}

async function answer(url: string): Promise<Answer> {
  const res = await request(url);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as Answer;
}

/** Node prints warnings as `(node:PID) ExperimentalWarning: …`; tgun must start silently on every line. */
const WARNING = /\(node:\d+\) \w*Warning|ExperimentalWarning|DeprecationWarning/;

describe(`TypeScript on Node ${process.versions.node} (${stripping ? "node's type stripping" : 'jiti'})`, () => {
  it(`loads a .ts config file and a .ts app with ${expected}, and a HUP re-reads the edited config`, async () => {
    const config = join(dir, 'tgun.config.ts');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(config, configText('first'));
    const args = ['-c', config, '-b', '127.0.0.1:0', '--log-level', 'debug', join(FIXTURES, 'app.ts')];
    await using tgun = await spawnTgun(args, { cwd: dir });
    marks.push(tgun.mark);
    expect(await answer(tgun.url)).toEqual({ app: expected, config: expected, greeting: 'first' });
    // --log-level debug names the loader of each file, in the arbiter and in the worker.
    const loader = stripping ? "node's type stripping" : 'jiti';
    await tgun.waitForLog(new RegExp(`Loaded tgun\\.config\\.ts with ${loader}`));
    await tgun.waitForLog(new RegExp(`Loaded app\\.ts with ${loader}`));

    writeFileSync(config, configText('second'));
    tgun.signal('SIGHUP');
    await tgun.waitForLog(/Hang up: Master/);
    // The old worker may still answer while the new one boots.
    let latest = await answer(tgun.url);
    for (let tries = 0; latest.greeting !== 'second' && tries < 200; tries++) {
      await sleep(100);
      latest = await answer(tgun.url);
    }
    expect(latest).toEqual({ app: expected, config: expected, greeting: 'second' });
    expect(tgun.logs()).not.toMatch(WARNING);
  });

  it('falls back to jiti for an app with an enum, and it serves', async () => {
    const args = ['-b', '127.0.0.1:0', '--log-level', 'debug', join(FIXTURES, 'enum-app.ts')];
    await using tgun = await spawnTgun(args, { cwd: dir });
    marks.push(tgun.mark);
    expect(await answer(tgun.url)).toEqual({ app: 'jiti', greeting: 'hello from an enum' });
    await tgun.waitForLog(/Loaded enum-app\.ts with jiti/);
    expect(tgun.logs()).not.toMatch(WARNING);
  });
});
