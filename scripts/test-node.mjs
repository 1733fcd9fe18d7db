#!/usr/bin/env node
// Runs vitest on one Node line, so a developer can check a test on any supported line without installing it:
//
//   pnpm test:node 26 packages/core/test/node-support.test.ts
//   pnpm test:node 22 packages/core/test --reporter=verbose
//   pnpm test:node current packages/core/test        (the machine's own Node, for comparison)
//
// Everything after the line goes to `vitest run` as is. The line's binary goes first on PATH, so a test that
// spawns a bare `node` gets the same line as one that spawns `process.execPath`. Build first (`pnpm build`):
// tests that start the tgun CLI run the compiled output.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeLine, repoRoot } from './node-lines.mjs';

/** Path of vitest's CLI entry, run directly by the chosen binary instead of through the machine's `node`. */
export const vitestEntry = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

/**
 * The environment for processes on a line: its binary first on PATH and in the variables npm-style tools read
 * to find "the" node, so nothing spawned under the test falls back to the machine's Node.
 * @param {string} bin
 * @param {NodeJS.ProcessEnv} [base]
 * @returns {NodeJS.ProcessEnv}
 */
export function lineEnv(bin, base = process.env) {
  const env = { ...base, PATH: [dirname(bin), base.PATH ?? ''].filter(Boolean).join(delimiter) };
  env.NODE = bin;
  env.npm_node_execpath = bin;
  return env;
}

/**
 * Starts `vitest run <args>` on a line and resolves with its exit code (128 + signal number when killed).
 * @param {string} bin
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, stdio?: import('node:child_process').StdioOptions }} [options]
 * @returns {Promise<number>}
 */
export function runVitest(bin, args, options = {}) {
  const child = spawn(bin, [vitestEntry, 'run', ...args], {
    cwd: repoRoot,
    env: options.env ?? lineEnv(bin),
    stdio: options.stdio ?? 'inherit',
  });
  // Ctrl-C reaches vitest directly through the terminal's process group, so INT is only kept from killing us
  // first; TERM and HUP sent to this pid alone must be passed on, or vitest and its forks would outlive us.
  const forward = (signal) => child.kill(signal);
  const ignore = () => {};
  process.on('SIGTERM', forward).on('SIGHUP', forward).on('SIGINT', ignore);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward).off('SIGHUP', forward).off('SIGINT', ignore);
      resolvePromise(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

async function main(argv) {
  const [line, ...rest] = argv;
  if (!line || line === '--help' || line === '-h') {
    process.stderr.write('usage: pnpm test:node <major|current> [test files…] [vitest options…]\n');
    process.exitCode = line ? 0 : 2;
    return;
  }
  // pnpm passes a literal `--` through when the developer separates script args with it.
  const args = rest[0] === '--' ? rest.slice(1) : rest;
  const entry = await ensureNodeLine(line);
  process.stderr.write(`test-node: vitest on Node ${entry.version} (${entry.bin})\n`);
  process.exitCode = await runVitest(entry.bin, args);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`test-node: ${error.message}\n`);
    process.exitCode = 1;
  });
}
