#!/usr/bin/env node
// Runs one named suite on one Node line and reports it the way .ci/run prints the matrix, then totals the lines.
//
//   ci-suites.mjs run --line 26 --label "whole suite" --summary out/26.json
//       vitest over the whole workspace on Node 26 (already built)
//   ci-suites.mjs run --line 22 --label integration --summary out/22.json 'packages/*/test/arbiter-*.test.ts' …
//       only the files matching these patterns; none yet is reported as such, not as a failure
//   ci-suites.mjs run --label "pnpm test" --summary out/20.json -- npx --yes pnpm@10.34.8 test
//       a command (the README's) on the machine's Node, with vitest's reporter options appended
//   ci-suites.mjs run --label "fault-injection suite" --summary out/faults.json -- npx --yes pnpm@10.34.8 test:faults
//       the same for bench/'s fault-injection suite: its script ends in `vitest run`, so the options reach it
//   ci-suites.mjs total out/*.json
//       one line per suite, then `N passed, N failed` over all of them as the last line
//
// Counts come from vitest's JSON reporter, never from scraping its console output.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureNodeLine, repoRoot } from './node-lines.mjs';
import { expandTestFiles } from './test-files.mjs';
import { lineEnv, runVitest } from './test-node.mjs';
import { countsFromReport } from './vitest-counts.mjs';

/**
 * One suite's result, as written to its summary file and read back by `total`.
 * @typedef {{ label: string, version: string, passed: number, failed: number, skipped: number, files: number,
 *   seconds: number, empty: boolean, problems: string[] }} Summary
 */

/**
 * The line printed for a suite; the version comes first so each Node line is named in CI's output.
 * @param {Summary} s
 * @returns {string}
 */
export function describeSummary(s) {
  if (s.empty) return `node ${s.version}: no test files yet for ${s.label}; nothing ran on this line`;
  const skipped = s.skipped ? `, ${s.skipped} skipped` : '';
  return `node ${s.version}: ${s.passed} passed, ${s.failed} failed${skipped} (${s.label}; ${s.files} files; ${s.seconds} s)`;
}

/**
 * Runs the command to completion with inherited output and resolves with its exit code.
 * @param {string[]} command
 * @returns {Promise<number>}
 */
function runCommand(command) {
  const [file, ...args] = command;
  const child = spawn(file, args, { cwd: repoRoot, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGTERM', forward).on('SIGHUP', forward);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      process.off('SIGTERM', forward).off('SIGHUP', forward);
      resolvePromise(code ?? 1);
    });
  });
}

/**
 * The version of the `node` a command finds on PATH: the README's command runs vitest through pnpm, not
 * through the Node running this script.
 * @returns {Promise<string>}
 */
function nodeOnPath() {
  return new Promise((resolvePromise) => {
    const child = spawn('node', ['-p', 'process.versions.node'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', () => resolvePromise('unknown'));
    child.on('exit', () => resolvePromise(out.trim() || 'unknown'));
  });
}

async function runSuite(argv) {
  const split = argv.indexOf('--');
  const command = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseArgs({
    args: split === -1 ? argv : argv.slice(0, split),
    allowPositionals: true,
    options: { line: { type: 'string' }, label: { type: 'string' }, summary: { type: 'string' } },
  });
  if (!values.label || !values.summary) throw new Error('run needs --label and --summary');
  if (command.length > 0 && (values.line || positionals.length > 0)) {
    throw new Error('run takes either a command after `--` or --line with test patterns, not both');
  }

  const entry = command.length > 0 ? undefined : await ensureNodeLine(values.line ?? 'current');
  const version = entry ? entry.version : await nodeOnPath();
  const files = positionals.length > 0 ? expandTestFiles(repoRoot, positionals) : [];
  /** @type {Summary} */
  const summary = { label: values.label, version, passed: 0, failed: 0, skipped: 0, files: 0, seconds: 0 };
  summary.empty = positionals.length > 0 && files.length === 0;
  summary.problems = [];

  if (!summary.empty) {
    const scratch = mkdtempSync(join(tmpdir(), 'tgun-ci-'));
    const report = join(scratch, 'report.json');
    const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
    process.stdout.write(`\n== node ${version}: ${values.label} ==\n`);
    if (positionals.length > 0) process.stdout.write(`${files.length} files: ${files.join(' ')}\n`);
    // .ci/run's `timeout` stops a suite with TERM; remember it, so the summary says why the suite has no counts.
    let stopped = false;
    const onTerm = () => {
      stopped = true;
    };
    process.on('SIGTERM', onTerm);
    const started = Date.now();
    const exitCode = entry
      ? await runVitest(entry.bin, [...reporters, ...files], { env: lineEnv(entry.bin) })
      : await runCommand([...command, ...reporters]);
    summary.seconds = Math.round((Date.now() - started) / 1000);
    Object.assign(summary, countsFromReport(report, exitCode, repoRoot));
    process.off('SIGTERM', onTerm);
    // `timeout` (as .ci/run wraps the README's command) says 124 when it had to stop the suite.
    if (stopped || exitCode === 124) summary.problems.push('the suite ran out of time and was stopped');
    else if (!existsSync(report)) summary.problems.push('see the output above: a build error or a crash');
    rmSync(scratch, { recursive: true, force: true });
  }

  mkdirSync(dirname(resolve(values.summary)), { recursive: true });
  writeFileSync(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${describeSummary(summary)}\n`);
  for (const problem of summary.problems) process.stdout.write(`  ${problem}\n`);
  return summary.failed > 0 ? 1 : 0;
}

function total(paths) {
  let passed = 0;
  let failed = 0;
  process.stdout.write('\n== tgun test matrix ==\n');
  for (const path of paths) {
    let summary;
    try {
      summary = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // A suite that never wrote its summary was killed or never started: that is a failure, not a zero.
      process.stdout.write(`no result in ${path}: that suite did not finish (counted as 1 failed)\n`);
      failed += 1;
      continue;
    }
    process.stdout.write(`${describeSummary(summary)}\n`);
    for (const problem of summary.problems ?? []) process.stdout.write(`  ${problem}\n`);
    passed += summary.passed;
    failed += summary.failed;
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || paths.length === 0 ? 1 : 0;
}

const [verb, ...rest] = process.argv.slice(2);
const verbs = { run: runSuite, total };
if (!verb || !(verb in verbs)) {
  process.stderr.write('usage: ci-suites.mjs run --label L --summary F [--line N] [patterns…] [-- command…]\n');
  process.stderr.write('       ci-suites.mjs total summary.json…\n');
  process.exitCode = 2;
} else {
  Promise.resolve(verbs[verb](rest)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`ci-suites: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
