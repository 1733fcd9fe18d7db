// Expands the test-file patterns CI names (`packages/*/test/arbiter-*.test.ts`, `packages/adapter-*/test/**/*.test.ts`)
// into the files that exist now. Written here rather than taken from `fs.glob` because that only arrived in
// Node 22 and these scripts run on the machine's Node, which may be 20.

import { readdirSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

// Never holds a test of ours, and walking node_modules would cost more than the whole match.
const SKIP = new Set(['node_modules', 'dist', '.git', '.cache', '.turbo', 'coverage']);

/**
 * Turns one glob into an anchored regular expression over `/`-separated relative paths: `**` spans folders
 * (including none), `*` and `?` stay within one path segment.
 * @param {string} pattern
 * @returns {RegExp}
 */
export function globToRegExp(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${source}$`);
}

/**
 * The folder a pattern cannot match outside of: its segments before the first one with a wildcard.
 * @param {string} pattern
 * @returns {string}
 */
function staticBase(pattern) {
  const segments = pattern.split('/');
  const firstWild = segments.findIndex((s) => /[*?]/.test(s));
  return firstWild === -1 ? posix.dirname(pattern) : segments.slice(0, firstWild).join('/');
}

/**
 * Every file under `dir`, as paths relative to `root` with `/` separators.
 * @param {string} root
 * @param {string} dir
 * @returns {string[]}
 */
function walk(root, dir) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const files = [];
  for (const entry of entries) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(root, path));
    else if (entry.isFile()) files.push(relative(root, join(root, path)).split(sep).join('/'));
  }
  return files;
}

/**
 * The existing files matching any of the patterns, sorted and without duplicates.
 * @param {string} root the folder patterns are relative to
 * @param {string[]} patterns
 * @returns {string[]}
 */
export function expandTestFiles(root, patterns) {
  const found = new Set();
  for (const pattern of patterns) {
    const matcher = globToRegExp(pattern);
    for (const file of walk(root, staticBase(pattern))) if (matcher.test(file)) found.add(file);
  }
  return [...found].sort();
}
