/** A description of the machine and software a bench ran on, for the report's header. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

const require = createRequire(import.meta.url);

/** @param {string} pkg */
function version(pkg) {
  try {
    return /** @type {{ version: string }} */ (require(`${pkg}/package.json`)).version;
  } catch {
    return 'not installed';
  }
}

function distro() {
  try {
    return /PRETTY_NAME="?([^"\n]*)"?/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function wrkVersion() {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'pipe' });
  } catch (err) {
    // `wrk -v` prints its banner and exits 1.
    const out = String(/** @type {{ stdout?: Buffer }} */ (err).stdout ?? '');
    return /wrk (\S+)/.exec(out)?.[1] ?? 'unknown';
  }
  return 'unknown';
}

/** The machine description stored in the JSON and printed above the tables. */
export function describeMachine() {
  const cpu = cpus()[0];
  return {
    date: new Date().toISOString(),
    cpuModel: cpu?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${distro()}, Linux ${release()}`,
    node: process.version,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    versions: {
      tgun: version('@tgun/core'),
      wrk: wrkVersion(),
      autocannon: version('autocannon'),
      pm2: version('pm2'),
      express: version('express'),
      koa: version('koa'),
      fastify: version('fastify'),
    },
  };
}
