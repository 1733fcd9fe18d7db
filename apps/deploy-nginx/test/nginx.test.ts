import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, noLeftovers, request, spawnTgun, startLoad, type TgunHandle } from './harness.js';
import { APP_DIR, freePort, type Nginx, startNginx } from './nginx.js';

interface Echo {
  pid: number;
  peer: string;
  host: string | null;
  forwardedFor: string | null;
  forwardedProto: string | null;
  forwardedHost: string | null;
  realIp: string | null;
  client: { ip: string | null; proto: string; viaProxy: boolean };
}

const prefix = mkdtempSync(join(tmpdir(), 'tgun-deploy-nginx-'));
const socket = join(prefix, 'tgun.sock');
const accessLog = join(prefix, 'tgun-access.log');
let tgun: TgunHandle;
let nginx: Nginx;
let httpPort: number;
let httpsPort: number;
const nginxPids = new Set<number>();

beforeAll(async () => {
  [httpPort, httpsPort] = [await freePort(), await freePort()];
  // The example config as users run it; only the socket, worker count and log file move for the test.
  tgun = await spawnTgun(['-c', 'tgun.config.ts', '-w', '2', '-b', `unix:${socket}`, '--access-logfile', accessLog], {
    cwd: APP_DIR,
  });
  nginx = await startNginx({ prefix, httpPort, httpsPort, socket });
  for (const pid of [nginx.pid, ...nginx.workerPids()]) nginxPids.add(pid);
});

afterAll(async () => {
  await nginx?.stop();
  await tgun?.[Symbol.asyncDispose]();
  rmSync(prefix, { recursive: true, force: true });
});

async function viaHttp(headers: Record<string, string> = {}): Promise<Echo> {
  const res = await request(`http://127.0.0.1:${httpPort}`, '/', { headers: { host: 'shop.example', ...headers } });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Echo;
}

function viaHttps(): Promise<Echo> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: httpsPort,
        path: '/',
        servername: 'localhost',
        headers: { host: 'localhost' },
        ca: readFileSync(join(APP_DIR, 'test', 'fixtures', 'localhost.pem')),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as Echo) : reject(new Error(body))));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Connected (accepted or connecting) unix sockets on `path`, from /proc/net/unix: nginx's upstream connections. */
function connectionsOn(path: string): number {
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(` ${path}`) && line.trim().split(/\s+/)[5] === '03').length;
}

describe('nginx in front of tgun over a unix socket', () => {
  it('forwards the client address, scheme and host, and the app trusts its unix-socket peer', async () => {
    const echo = await viaHttp();
    expect(echo.peer).toBe('unix socket');
    expect(echo.forwardedFor).toBe('127.0.0.1');
    expect(echo.forwardedProto).toBe('http');
    expect(echo.realIp).toBe('127.0.0.1');
    expect(echo.host).toBe('shop.example');
    expect(echo.forwardedHost).toBe('shop.example');
    expect(echo.client).toEqual({ ip: '127.0.0.1', proto: 'http', viaProxy: true });
    expect(tgun.workerPids()).toContain(echo.pid);
  });

  it('replaces what a client claims about itself with what nginx saw', async () => {
    const echo = await viaHttp({
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-host': 'evil.example',
      'x-real-ip': '198.51.100.1',
    });
    expect(echo.forwardedProto).toBe('http');
    expect(echo.forwardedHost).toBe('shop.example');
    expect(echo.realIp).toBe('127.0.0.1');
    // Appended, not replaced: the client's claim stays first, and the app believes only the last entry.
    expect(echo.forwardedFor).toBe('203.0.113.9, 127.0.0.1');
    expect(echo.client.ip).toBe('127.0.0.1');
  });

  it('tells the app the client used https when it did', async () => {
    const echo = await viaHttps();
    expect(echo.forwardedProto).toBe('https');
    expect(echo.client).toEqual({ ip: '127.0.0.1', proto: 'https', viaProxy: true });
  });

  it('logs the forwarded client address in tgun access log, per the example format', async () => {
    await viaHttp({ 'user-agent': 'access-log-probe' });
    const read = () => (existsSync(accessLog) ? readFileSync(accessLog, 'utf8') : '');
    let line: string | undefined;
    // The worker writes the line after the response; give it a moment (bounded), the file may not exist yet.
    for (let i = 0; i < 100 && !line; i++) {
      line = read()
        .split('\n')
        .find((l) => l.includes('access-log-probe'));
      if (!line) await sleep(50);
    }
    expect(line).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 \d+ "-" "access-log-probe" \d+ms$/);
  });

  it('keeps its upstream connections to tgun open between requests (upstream keepalive)', async () => {
    for (let i = 0; i < 10; i++) await viaHttp();
    // Without `keepalive` + HTTP/1.1 nginx would close every upstream connection after its response.
    const idle = connectionsOn(socket);
    expect(idle).toBeGreaterThanOrEqual(1);
    expect(idle).toBeLessThan(10);
  });

  it('fails no request through nginx while HUP replaces every worker under load', async () => {
    const old = tgun.workerPids();
    expect(old).toHaveLength(2);
    const load = startLoad(`http://127.0.0.1:${httpPort}`, {
      path: '/slow?ms=10',
      concurrency: 4,
      closeEvery: 5,
      maxRequests: 5000,
    });
    const waitUntil = async (what: string, done: () => boolean) => {
      for (let i = 0; !done(); i++) {
        if (i > 1200) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(load.stats)}`);
        if (load.stats.sent >= 5000) throw new Error(`hit the request cap waiting for ${what}`);
        await sleep(50);
      }
    };
    await waitUntil('traffic before the reload', () => load.stats.ok >= 50);
    tgun.signal('SIGHUP');
    await waitUntil('two new workers', () => {
      const now = tgun.workerPids();
      return now.length === 2 && now.every((pid) => !old.includes(pid));
    });
    const fresh = tgun.workerPids();
    await waitUntil('answers from the new workers', () => fresh.some((pid) => load.stats.pids.has(String(pid))));
    const okAfter = load.stats.ok;
    await waitUntil('traffic after the reload', () => load.stats.ok >= okAfter + 50);
    const stats = await load.stop();

    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBe(stats.sent);
    expect(old.some((pid) => stats.pids.has(String(pid)))).toBe(true);
    expect(old.every((pid) => !isRunning(pid))).toBe(true);
    console.log(`HUP under load through nginx: sent ${stats.sent}, ok ${stats.ok}, failed ${stats.failed}`);
  });

  it('stops nginx and tgun, leaving no process behind', async () => {
    for (const pid of nginx.workerPids()) nginxPids.add(pid);
    await nginx.stop();
    tgun.signal('SIGTERM');
    const exit = await tgun.exited;
    expect(exit.code).toBe(0);
    await noLeftovers([tgun.mark]);
    expect([...nginxPids].filter(isRunning)).toEqual([]);
  });
});
