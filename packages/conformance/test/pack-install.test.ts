/**
 * Installable as users install it: every publishable package is packed with `pnpm pack`, checked with
 * publint, installed with plain npm into a fresh project together with the frameworks, and `tgun` from that
 * project's node_modules must serve an app through each adapter. Needs the packages built (`pnpm run build`)
 * and the npm registry for the frameworks and core's own dependencies.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../src/client.js';
import { CORE_DIST } from '../src/targets/core-paths.js';

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const PUBLISHABLE = ['core', 'adapter-express', 'adapter-koa', 'adapter-fastify', 'adapter-node', 'adapter-fetch'];
const PNPM = ['--yes', 'pnpm@10.34.8'];
const MARK_ENV = 'TGUN_TEST_MARK';

/** One server module per adapter, each the smallest real app of its kind. */
const APPS: Record<string, { file: string; source: string }> = {
  express: {
    file: 'server-express.js',
    source: `import express from 'express';\nexport const app = express();\napp.get('/', (req, res) => res.send('express via tgun'));\n`,
  },
  koa: {
    file: 'server-koa.js',
    source: `import Koa from 'koa';\nexport const app = new Koa();\napp.use(async (ctx) => { ctx.body = 'koa via tgun'; });\n`,
  },
  fastify: {
    file: 'server-fastify.js',
    source: `import Fastify from 'fastify';\nexport const app = Fastify();\napp.get('/', async () => 'fastify via tgun');\n`,
  },
  node: {
    file: 'server-node.js',
    source: `import { createServer } from 'node:http';\nexport const app = createServer((req, res) => res.end('node via tgun'));\n`,
  },
  fetch: {
    file: 'server-fetch.js',
    source: `import { Hono } from 'hono';\nexport const app = new Hono();\napp.get('/', (c) => c.text('fetch via tgun'));\n`,
  },
};

const work = mkdtempSync(join(tmpdir(), 'tgun-pack-'));
const tarballs: Record<string, string> = {};
const project = join(work, 'project');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  for (const pkg of PUBLISHABLE) {
    const dir = join(PACKAGES, pkg);
    if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`${pkg} is not built: run pnpm run build first`);
    const before = new Set(readdirSync(work));
    await run('npx', [...PNPM, 'pack', '--pack-destination', work], { cwd: dir });
    const made = readdirSync(work).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (!made) throw new Error(`pnpm pack made no tarball for ${pkg}`);
    tarballs[pkg] = join(work, made);
  }
});

describe('the packed packages', () => {
  it.each(PUBLISHABLE)('%s passes publint', async (pkg) => {
    const tarball = readFileSync(tarballs[pkg] as string);
    const bytes = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer;
    const { messages, pkg: manifest } = await publint({ pack: { tarball: bytes }, level: 'warning' });
    expect(messages.map((m) => formatMessage(m, manifest, { color: false }))).toEqual([]);
  });

  it.each(PUBLISHABLE.filter((p) => p !== 'core'))(
    '%s is packed with a published @tgun/core range, its dist and README, and nothing else',
    async (pkg) => {
      const { stdout } = await run('tar', ['-xOzf', tarballs[pkg] as string, 'package/package.json']);
      const manifest = JSON.parse(stdout) as { dependencies: Record<string, string>; files: string[] };
      expect(manifest.dependencies['@tgun/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
      const { stdout: listing } = await run('tar', ['-tzf', tarballs[pkg] as string]);
      expect(listing).toContain('package/dist/index.js');
      expect(listing).toContain('package/dist/index.d.ts');
      expect(listing).toContain('package/README.md');
      expect(listing).not.toContain('package/src/');
      expect(listing).not.toContain('package/test/');
    },
  );
});

describe('installed with npm into a fresh project', () => {
  beforeAll(async () => {
    rmSync(project, { recursive: true, force: true });
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tgun-user', private: true, type: 'module' }));
    for (const app of Object.values(APPS)) writeFileSync(join(project, app.file), app.source);
    const frameworks = ['express@^5', 'koa@^3', 'fastify@^5', 'hono@^4'];
    await run('npm', ['install', '--no-audit', '--no-fund', ...Object.values(tarballs), ...frameworks], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    });
  });

  it("finds every adapter from the app's directory and from core's own location", async () => {
    const check = join(project, 'check.mjs');
    // Core exposes no subpath for it: load the installed file directly, as the worker does internally.
    const adaptersFile = pathToFileURL(join(project, 'node_modules/@tgun/core/dist/app/adapters.js')).href;
    writeFileSync(
      check,
      `import Koa from 'koa';
import Fastify from 'fastify';
import { Hono } from 'hono';
import express from 'express';
const { resolveAdapter } = await import(${JSON.stringify(adaptersFile)});
const apps = { express: express(), koa: new Koa(), fastify: Fastify(), fetch: new Hono(), node: (req, res) => res.end() };
const out = {};
for (const [name, app] of Object.entries(apps)) {
  out[name] = [
    (await resolveAdapter(app, { adapter: 'auto', appDir: process.cwd() })).name,
    (await resolveAdapter(app, { adapter: 'auto', appDir: '/' })).name,
  ];
}
console.log(JSON.stringify(out));
process.exit(0);
`,
    );
    const { stdout } = await run(process.execPath, [check], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      express: ['express', 'express'],
      koa: ['koa', 'koa'],
      fastify: ['fastify', 'fastify'],
      fetch: ['fetch', 'fetch'],
      node: ['node', 'node'],
    });
  });

  for (const [name, app] of Object.entries(APPS)) {
    it(`npx tgun ${app.file}:app serves through @tgun/adapter-${name}`, async () => {
      const mark = randomUUID();
      const child: ChildProcess = spawn(
        join(project, 'node_modules/.bin/tgun'),
        ['-w', '2', '-b', '127.0.0.1:0', '--graceful-timeout', '10', `${app.file}:app`],
        { cwd: project, env: { ...process.env, [MARK_ENV]: mark }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout?.on('data', (c: Buffer) => {
        output += c;
      });
      child.stderr?.on('data', (c: Buffer) => {
        output += c;
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setInterval(() => {
            const m = /Listening at: (\S+)/.exec(output);
            if (m?.[1]) {
              clearInterval(timer);
              resolve(m[1]);
            }
          }, 50);
          void exited.then((code) => {
            clearInterval(timer);
            reject(new Error(`tgun exited with ${code}:\n${output}`));
          });
        });
        let res = await send(url, '/').catch(() => null);
        for (let i = 0; i < 100 && res?.status !== 200; i++) {
          await new Promise((r) => setTimeout(r, 100));
          res = await send(url, '/').catch(() => null);
        }
        expect(res?.status, output).toBe(200);
        expect(res?.text).toBe(`${name} via tgun`);
      } finally {
        child.kill('SIGTERM');
        await exited;
        const { processesWithEnv } = (await import(pathToFileURL(`${CORE_DIST}testing/processes.js`).href)) as {
          processesWithEnv(name: string, value: string): number[];
        };
        let left = processesWithEnv(MARK_ENV, mark);
        for (let i = 0; i < 50 && left.length > 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
          left = processesWithEnv(MARK_ENV, mark);
        }
        for (const pid of left) process.kill(pid, 'SIGKILL');
        expect(left).toEqual([]);
      }
    });
  }
});
