/**
 * Runs the example nginx.conf for real: the test rewrites only what must differ on a test machine (ports,
 * socket, certificate and log paths, temp directories) and fails if any of those lines is missing from the
 * example, so the file users copy is the file that was tested.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { childrenOf, isRunning } from './harness.js';

/** apps/deploy-nginx. */
export const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
const FIXTURES = join(APP_DIR, 'test', 'fixtures');
/** Debian installs nginx in /usr/sbin, which is not on every user's PATH. */
const NGINX_BIN = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** Where the test puts what the example puts under /run, /etc/ssl and /var/log. */
export interface NginxPlaces {
  readonly prefix: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly socket: string;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`nginx.conf no longer contains ${JSON.stringify(from)}; update the test`);
  return text.split(from).join(to);
}

/** The example nginx.conf with test-machine paths and ports. */
export function renderConfig(example: string, at: NginxPlaces): string {
  let conf = example;
  // As root, nginx's workers would switch to www-data, which cannot reach a root-owned 0660 socket; the
  // production answer (nginx's user in tgun's group) is a deployment step, not something a test should do.
  conf = replaceOnce(conf, 'user www-data;', process.getuid?.() === 0 ? 'user root root;' : '');
  conf = replaceOnce(conf, 'listen 80;', `listen 127.0.0.1:${at.httpPort};`);
  conf = replaceOnce(conf, 'listen 443 ssl;', `listen 127.0.0.1:${at.httpsPort} ssl;`);
  conf = replaceOnce(conf, 'unix:/run/tgun/tgun.sock', `unix:${at.socket}`);
  conf = replaceOnce(conf, '/etc/ssl/certs/example.com.pem', join(FIXTURES, 'localhost.pem'));
  conf = replaceOnce(conf, '/etc/ssl/private/example.com.key', join(FIXTURES, 'localhost.key'));
  conf = replaceOnce(conf, '/var/log/nginx/', `${at.prefix}/logs/`);
  // Debian's nginx keeps request bodies and buffered responses under /var/lib/nginx; keep them in the prefix.
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${at.prefix}/temp/${kind};`)
    .join('\n');
  return replaceOnce(conf, 'http {\n', `http {\n${temps}\n`);
}

/** A port that was free a moment ago on 127.0.0.1 (nginx binds it itself, so it cannot be handed over). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
    server.on('error', reject);
  });
}

/** A running nginx master. */
export interface Nginx {
  readonly pid: number;
  /** Its worker processes, read from /proc. */
  workerPids(): number[];
  /** Everything nginx wrote to stderr, plus its error log. */
  logs(): string;
  /** QUIT (graceful), then KILL after a grace period; resolves once the master is gone. */
  stop(): Promise<void>;
}

/** Starts `nginx -c <rendered example> -p <prefix>` in the foreground, and waits until it answers on HTTP. */
export async function startNginx(at: NginxPlaces): Promise<Nginx> {
  for (const dir of ['logs', 'temp']) mkdirSync(join(at.prefix, dir), { recursive: true });
  const confPath = join(at.prefix, 'nginx.conf');
  writeFileSync(confPath, renderConfig(readFileSync(join(APP_DIR, 'nginx.conf'), 'utf8'), at));
  const errorLog = join(at.prefix, 'logs', 'error.log');
  const child: ChildProcess = spawn(
    NGINX_BIN,
    ['-c', confPath, '-p', `${at.prefix}/`, '-e', errorLog, '-g', `daemon off; pid ${at.prefix}/nginx.pid;`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('error', (err) => (output += `${String(err)}\n`));
  const pid = child.pid ?? 0;
  const logs = () => {
    let log = '';
    try {
      log = readFileSync(errorLog, 'utf8');
    } catch {
      // Not created yet.
    }
    return `${output}${log}`;
  };
  const nginx: Nginx = {
    pid,
    workerPids: () => childrenOf(pid),
    logs,
    async stop() {
      if (!isRunning(pid)) return;
      process.kill(pid, 'SIGQUIT');
      await Promise.race([exited, sleep(10_000)]);
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      await exited;
    },
  };
  for (let i = 0; ; i++) {
    if (!isRunning(pid)) throw new Error(`nginx exited at start:\n${logs()}`);
    if (nginx.workerPids().length > 0 && (await answers(at.httpPort))) return nginx;
    if (i > 200) {
      await nginx.stop();
      throw new Error(`nginx did not start listening on ${at.httpPort}:\n${logs()}`);
    }
    await sleep(50);
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/pid`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
