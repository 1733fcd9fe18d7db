/**
 * The adapters, the framework-settings layer and self-listening apps wired into the real `tgun` command: an app
 * that only calls `listen(PORT)` at import serves through `tgun -w 2` on tgun's socket, and an Express app's
 * `trust proxy` shows up in `--print-config` as a framework value. Needs core built (`tsc -b`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun, TGUN_BIN } from '../src/testing/spawn-tgun.js';

const PACKAGES = resolve(fileURLToPath(import.meta.url), '../../..');
const project = mkdtempSync(join(tmpdir(), 'tgun-wiring-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Links `pkg` (as installed for the workspace package `from`) into the temp project's node_modules. */
function link(pkg: string, from: string): void {
  const target = join(project, 'node_modules', pkg);
  mkdirSync(dirname(target), { recursive: true });
  const req = createRequire(join(PACKAGES, from, 'package.json'));
  symlinkSync(dirname(req.resolve(`${pkg}/package.json`)), target, 'dir');
}
link('express', 'adapter-express');
mkdirSync(join(project, 'node_modules', '@tgun'));
symlinkSync(join(PACKAGES, 'adapter-express'), join(project, 'node_modules', '@tgun', 'adapter-express'), 'dir');

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

async function isFree(port: number): Promise<boolean> {
  const probe = createNetServer();
  return new Promise((done) => {
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** Runs the tgun command to completion (for `--print-config`). */
function runTgun(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [TGUN_BIN, ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('tgun with adapters and self-listening apps', () => {
  it('serves an app that calls listen(PORT) at import and exports nothing, on its own socket', async () => {
    const port = await freePort();
    writeFileSync(
      join(project, 'listens.mjs'),
      [
        "import { createServer } from 'node:http';",
        `createServer((req, res) => res.end('self-listened ' + process.pid)).listen(${port});`,
      ].join('\n'),
    );
    const tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', 'listens.mjs'], { cwd: project });
    try {
      const bodies = new Set<string>();
      for (let i = 0; i < 6; i++) bodies.add((await request(tgun.url, '/')).body);
      for (const body of bodies) expect(body).toMatch(/^self-listened \d+$/);
      expect(tgun.workerPids()).toHaveLength(2);
      expect(await isFree(port)).toBe(true);
    } finally {
      tgun.signal('SIGTERM');
      const exit = await tgun.exited;
      await tgun[Symbol.asyncDispose]();
      expect(exit.code).toBe(0);
    }
    await noLeftovers([tgun.mark]);
  });

  it("reports an Express app's `trust proxy` as a framework value in --print-config", async () => {
    writeFileSync(
      join(project, 'express-app.mjs'),
      [
        "import express from 'express';",
        'export const app = express();',
        "app.set('trust proxy', 'loopback');",
        "app.get('/', (req, res) => res.send('ok'));",
      ].join('\n'),
    );
    const out = await runTgun(['--print-config', 'express-app.mjs:app']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const line = out.stdout.split('\n').find((l) => l.startsWith('forwardedAllowIps '));
    expect(line).toMatch(/127\.0\.0\.1.*\(framework \(express\)\)$/);
    expect(out.stdout).toMatch(/^adapter += "auto" +\(default\)$/m);
  });

  it('--check-config loads a self-listening app without binding its port, and ends', async () => {
    const port = await freePort();
    writeFileSync(
      join(project, 'listens-check.mjs'),
      `import { createServer } from 'node:http';\ncreateServer((req, res) => res.end()).listen(${port});\n`,
    );
    const out = await runTgun(['--check-config', 'listens-check.mjs']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(await isFree(port)).toBe(true);
  });

  it('names the exports when MODULE:VARIABLE is missing and the app did not listen', async () => {
    writeFileSync(join(project, 'exports.mjs'), 'export const handler = (req, res) => res.end();\n');
    const out = await runTgun(['--check-config', 'exports.mjs:app']);
    expect(out.code).toBe(4);
    expect(out.stderr).toContain("Failed to find attribute 'app' in 'exports.mjs'; it exports: handler.");
  });
});
