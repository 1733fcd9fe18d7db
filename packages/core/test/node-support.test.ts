import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// The support policy seen from outside: an unsupported Node gets one clear line from the bin shim, and every
// supported line (this file runs on each in CI) starts tgun without a warning.

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tgunBin = fileURLToPath(new URL('../bin/tgun.js', import.meta.url));
const nodeLines = fileURLToPath(new URL('../../../scripts/node-lines.mjs', import.meta.url));
const corePackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its exit code and output, whether or not it failed. */
async function outcome(file: string, args: string[]): Promise<Outcome> {
  // NODE_OPTIONS from a developer's shell (e.g. --no-deprecation) would hide exactly what this file checks.
  const env = { ...process.env, NODE_OPTIONS: '' };
  try {
    const { stdout, stderr } = await run(file, args, { cwd: repoRoot, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('on an unsupported Node (18)', () => {
  let node18 = '';
  let version18 = '';

  beforeAll(async () => {
    // The same helper developers use: fetched once from the npm registry, then cached under .cache/node/18.
    const fetched = await run(process.execPath, [nodeLines, '18'], { cwd: repoRoot });
    node18 = fetched.stdout.trim();
    version18 = (await run(node18, ['-p', 'process.versions.node'])).stdout.trim();
  }, 180_000);

  it('is really Node 18', () => {
    expect(version18).toMatch(/^18\.\d+\.\d+$/);
  });

  it('prints exactly one line naming the floor and the running version, and exits 1', async () => {
    const result = await outcome(node18, [tgunBin, '--version']);
    expect(result.stderr).toBe(`tgun needs Node >= 20.19; this is Node ${version18}\n`);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  });

  it('refuses before parsing any argument', async () => {
    const result = await outcome(node18, [tgunBin, '--no-such-flag', 'app:app']);
    expect(result.stderr).toBe(`tgun needs Node >= 20.19; this is Node ${version18}\n`);
    expect(result.code).toBe(1);
  });
});

describe(`on the running line (Node ${process.versions.node})`, () => {
  it('starts silently: `tgun --version` prints the version and nothing on stderr', async () => {
    const result = await outcome(process.execPath, [tgunBin, '--version']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(corePackage.version);
  });
});
