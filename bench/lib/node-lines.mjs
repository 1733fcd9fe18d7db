/**
 * `--node LIST`: which Node binaries the managers run on. An entry is a major line (`26`: this Node when it
 * is that line, else the binary `node scripts/node-lines.mjs 26` fetched into `.cache/node/26/bin/node`),
 * `current` (the Node running the bench), or a path to a `node` binary. The first entry is the primary line:
 * the comparisons with the peers, the extras and the reloads run on it; every further line repeats the
 * default-variant throughput runs, interleaved in the same rounds, for the per-line table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Where `scripts/node-lines.mjs` caches fetched lines (it honours the same variable). */
const CACHE = process.env.TGUN_NODE_CACHE ? resolve(process.env.TGUN_NODE_CACHE) : join(REPO, '.cache', 'node');

/**
 * @typedef {object} NodeLine
 * @property {string} label what the report calls it: `node20`, `node26`, …
 * @property {string} bin the binary the managers are spawned with
 * @property {string} version its `--version`, e.g. `v26.1.0`
 */

/** @param {string} bin */
function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (err) {
    throw new Error(`--node: ${bin} does not run: ${/** @type {Error} */ (err).message.split('\n')[0]}`);
  }
}

/**
 * Resolves one `--node` entry to a binary.
 * @param {string} spec
 * @returns {string}
 */
function binaryFor(spec) {
  if (spec === 'current') return process.execPath;
  if (/^\d+$/.test(spec)) {
    if (process.versions.node.split('.')[0] === spec) return process.execPath;
    const bin = join(CACHE, spec, 'bin', 'node');
    if (!existsSync(join(CACHE, spec, 'version.txt')))
      throw new Error(
        `--node ${spec}: not fetched yet; run \`node scripts/node-lines.mjs ${spec}\` from the repo root`,
      );
    return bin;
  }
  const bin = resolve(spec);
  if (!existsSync(bin)) throw new Error(`--node ${spec}: no such file`);
  return bin;
}

/**
 * The Node lines of a run, primary first; an empty list is this Node alone. Two entries naming the same
 * major are refused: their rows would share a label.
 * @param {readonly string[]} specs
 * @returns {NodeLine[]}
 */
export function resolveNodeLines(specs) {
  const list = specs.length > 0 ? specs : ['current'];
  /** @type {NodeLine[]} */
  const lines = [];
  for (const spec of list) {
    const bin = binaryFor(spec);
    const version = versionOf(bin);
    const label = `node${version.replace(/^v/, '').split('.')[0]}`;
    if (lines.some((l) => l.label === label)) throw new Error(`--node: ${label} is listed twice`);
    lines.push({ label, bin, version });
  }
  return lines;
}
