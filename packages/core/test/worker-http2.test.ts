/**
 * HTTP/2 in tgun's workers, end to end: real tgun processes with a generated certificate, served to Node's
 * http2 client and to curl (built with nghttp2). Over TLS (ALPN h2 with the HTTP/1.1 fallback) and in
 * cleartext with prior knowledge (h2c, trusted peers only); the access log, the header-list limit, and GOAWAY
 * on a HUP.
 */
import { execFile, execFileSync } from 'node:child_process';
import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from 'node:http2';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../src/testing/certificate.js';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const APP = `${join(import.meta.dirname, 'fixtures', 'http2', 'raw-app.mjs')}:app`;
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

function has(cmd: string, arg: string): boolean {
  try {
    execFileSync(cmd, [arg], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface H2Answer {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request on an open session. */
function h2Get(session: ClientHttp2Session, path: string, extra: Record<string, string> = {}): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ...extra });
    let headers: IncomingHttpHeaders = {};
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      headers = h;
    });
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => resolve({ headers, body }));
    stream.on('error', reject);
    stream.end();
  });
}

function open(url: string, ca?: Buffer): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(url, ca ? { ca } : {});
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

function curl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', ...args], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)));
  });
}

const portOf = (url: string) => new URL(url).port;
const ready = { wait: 'listening' as const };
/** One worker on a fresh port, without a control socket (tests here share an app path, and so its default). */
const BASE = ['-w', '1', '-b', '127.0.0.1:0', '--no-control-socket'];

describe.skipIf(!has('openssl', 'version') || !has('curl', '--version'))('HTTP/2 under tgun', () => {
  it('over TLS: h2 through ALPN to Node and curl, HTTP/1.1 to a client without h2, HTTP/2.0 in the access log', async () => {
    const { cert, key, pem } = selfSignedCertificate('tgun-h2-');
    const args = [...BASE, '--certfile', cert, '--keyfile', key, '--http-protocols', 'h2,h1'];
    await using tgun = await spawnTgun([...args, '--access-logfile', '-', APP], ready);
    marks.push(tgun.mark);
    const port = portOf(tgun.url);
    const session = await open(`https://127.0.0.1:${port}`, pem);
    try {
      const answer = await h2Get(session, '/node?x=1');
      expect(answer.headers[':status']).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ version: '2.0', path: '/node?x=1', host: `127.0.0.1:${port}` });
    } finally {
      session.close();
    }
    const viaCurl = await curl([
      '--http2',
      '--cacert',
      cert,
      '-w',
      '\n%{http_version}',
      `https://127.0.0.1:${port}/curl`,
    ]);
    expect(viaCurl.split('\n')).toEqual([expect.stringContaining('"version":"2.0"'), '2']);
    // Node's https client offers no ALPN protocol at all: the HTTP/1.1 fallback serves it.
    const h1 = await new Promise<string>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port, path: '/h1', ca: pem }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(JSON.parse(h1)).toMatchObject({ version: '1.1', path: '/h1' });
    await until('access log lines', () => /"GET \/h1 HTTP\/1\.1" 200/.test(tgun.logs()));
    expect(tgun.logs()).toMatch(/^127\.0\.0\.1 - - \[.*\] "GET \/node\?x=1 HTTP\/2\.0" 200 /m);
    expect(tgun.logs()).toMatch(/^127\.0\.0\.1 - - \[.*\] "GET \/curl HTTP\/2\.0" 200 .*"curl\//m);
  });

  it('h2c with prior knowledge from a trusted peer, HTTP/1.1 on the same port', async () => {
    const args = [...BASE, '--http-protocols', 'h2,h1', '--http2-cleartext', 'prior-knowledge'];
    await using tgun = await spawnTgun([...args, APP]);
    marks.push(tgun.mark);
    const viaCurl = await curl(['--http2-prior-knowledge', '-w', '\n%{http_version}', `${tgun.url}/curl`]);
    expect(viaCurl.split('\n')).toEqual([expect.stringContaining('"version":"2.0"'), '2']);
    const session = await open(tgun.url);
    try {
      const answers = await Promise.all([h2Get(session, '/a'), h2Get(session, '/b')]);
      expect(answers.map((a) => JSON.parse(a.body).version)).toEqual(['2.0', '2.0']);
    } finally {
      session.close();
    }
    const h1 = await request(tgun.url, '/h1');
    expect(JSON.parse(h1.body)).toMatchObject({ version: '1.1' });
  });

  it('h2c is refused to a peer outside forwardedAllowIps', async () => {
    const args = [...BASE, '--http-protocols', 'h2,h1', '--http2-cleartext', 'prior-knowledge'];
    await using tgun = await spawnTgun([...args, '--forwarded-allow-ips', '10.9.9.9', APP]);
    marks.push(tgun.mark);
    await expect(curl(['--http2-prior-knowledge', `${tgun.url}/`])).rejects.toThrow();
    // Node's HTTP/1.1 parser stops at the preface (`PRI * HTTP/2.0`) and tgun answers 400.
    expect(tgun.logs()).toMatch(/Invalid request from ip=127\.0\.0\.1: .*PRI/);
  });

  it('a header list over http2MaxHeaderListSize gets 431 and a log line; the session serves on', async () => {
    const args = [...BASE, '--http-protocols', 'h2', '--http2-cleartext', 'prior-knowledge'];
    await using tgun = await spawnTgun([...args, '--http2-max-header-list-size', '2000', APP], ready);
    marks.push(tgun.mark);
    const session = await open(tgun.url);
    try {
      const big = await h2Get(session, '/big', { 'x-big': 'a'.repeat(3000) });
      expect(big.headers[':status']).toBe(431);
      const small = await h2Get(session, '/small', { 'x-small': 'a'.repeat(100) });
      expect(small.headers[':status']).toBe(200);
    } finally {
      session.close();
    }
    expect(tgun.logs()).toMatch(
      /Invalid request from ip=127\.0\.0\.1: HTTP\/2 header list too large \(\d+ > 2000 bytes\)/,
    );
  });

  it('a HUP sends GOAWAY to an open session; a new session is served by a new worker', async () => {
    const { cert, key, pem } = selfSignedCertificate('tgun-h2-');
    const args = [...BASE, '--certfile', cert, '--keyfile', key, '--http-protocols', 'h2'];
    await using tgun = await spawnTgun(args.concat(APP), ready);
    marks.push(tgun.mark);
    const url = `https://127.0.0.1:${portOf(tgun.url)}`;
    const session = await open(url, pem);
    let goaway = false;
    session.on('goaway', () => {
      goaway = true;
    });
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    const first = JSON.parse((await h2Get(session, '/')).body) as { pid: number };
    tgun.signal('SIGHUP');
    await until('GOAWAY', () => goaway);
    await closed;
    await until('old worker gone', () => !tgun.workerPids().includes(first.pid) && tgun.workerPids().length === 1);
    const next = await open(url, pem);
    try {
      const again = JSON.parse((await h2Get(next, '/')).body) as { pid: number; version: string };
      expect(again.version).toBe('2.0');
      expect(again.pid).not.toBe(first.pid);
    } finally {
      next.close();
    }
    expect(tgun.logs()).not.toMatch(/Worker graceful timeout/);
  });
});
