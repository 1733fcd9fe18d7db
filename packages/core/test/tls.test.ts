import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, request } from 'node:https';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readProxyHeader } from '../src/http/proxy-protocol.js';
import { buildTlsOptions, TlsConfigError, type TlsSettings } from '../src/http/tls.js';
import { compileAllowIps } from '../src/http/trust.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'tgun-tls-'));
const f = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A throw-away CA, a server certificate for 127.0.0.1/localhost, a client certificate, and a rogue client. */
let generated = false;
function generate(): void {
  if (generated) return;
  generated = true;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=tgun test CA');
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    openssl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    const ca = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'];
    openssl('x509', '-req', '-in', `${who}.csr`, ...ca, '-out', `${who}.crt`, '-days', '2', '-extfile', `${who}.ext`);
  }
  openssl('req', '-x509', ...ec, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=rogue');
  openssl('pkey', '-in', 'server.key', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.key');
  writeFileSync(f('combined.pem'), Buffer.concat([readFileSync(f('server.crt')), readFileSync(f('server.key'))]));
  writeFileSync(f('garbage.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
  writeFileSync(f('text.txt'), 'hello\n');
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectTlsError(settings: TlsSettings, pattern: RegExp, file?: string): void {
  let error: unknown;
  try {
    buildTlsOptions(settings);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TlsConfigError);
  expect((error as Error).message).toMatch(pattern);
  if (file !== undefined) {
    expect((error as TlsConfigError).file).toBe(file);
    expect((error as Error).message).toContain(file);
  }
}

async function serve(settings: TlsSettings) {
  const options = buildTlsOptions(settings);
  if (options === undefined) throw new Error('TLS unexpectedly off');
  const server = createHttpsServer(options, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    res.end(JSON.stringify({ authorized: socket.authorized, cn: peer?.subject?.CN ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as { port: number }).port;
}

type Result = { ok: true; body: { authorized: boolean; cn: string | null } } | { ok: false; error: string };

function get(port: number, client: { cert?: string; key?: string; maxVersion?: 'TLSv1.2' } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        ca: readFileSync(f('ca.crt')),
        agent: false,
        ...(client.cert ? { cert: readFileSync(f(client.cert)), key: readFileSync(f(client.key ?? '')) } : {}),
        ...(client.maxVersion ? { maxVersion: client.maxVersion } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ ok: true, body: JSON.parse(text) }));
        res.on('error', (e) => resolve({ ok: false, error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ ok: false, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

describe.skipIf(!hasOpenssl)('buildTlsOptions (certificates made with the openssl CLI)', () => {
  beforeAll(generate);

  it('is off without certfile, and refuses a keyfile alone', () => {
    expect(buildTlsOptions({})).toBeUndefined();
    expect(buildTlsOptions({ certfile: '', keyfile: null })).toBeUndefined();
    expectTlsError({ keyfile: f('server.key') }, /certfile is not/, f('server.key'));
  });

  it('maps cert_reqs onto requestCert / rejectUnauthorized and passes ciphers and min version', () => {
    const base = { certfile: f('server.crt'), keyfile: f('server.key'), caCerts: f('ca.crt') };
    expect(buildTlsOptions({ ...base, certReqs: 0 })).toMatchObject({ requestCert: false, rejectUnauthorized: false });
    expect(buildTlsOptions({ ...base, certReqs: 1 })).toMatchObject({ requestCert: true, rejectUnauthorized: false });
    expect(buildTlsOptions({ ...base, certReqs: 2 })).toMatchObject({ requestCert: true, rejectUnauthorized: true });
    const opts = buildTlsOptions({ ...base, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', sslMinVersion: 'TLSv1.3' });
    expect(opts).toMatchObject({ ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', minVersion: 'TLSv1.3' });
    expect(Buffer.isBuffer(opts?.cert) && Buffer.isBuffer(opts?.key) && Buffer.isBuffer(opts?.ca)).toBe(true);
  });

  it('reads the key from certfile when keyfile is unset', () => {
    const opts = buildTlsOptions({ certfile: f('combined.pem') });
    expect(opts?.key).toEqual(opts?.cert);
  });

  it('names the missing, unreadable or invalid file', () => {
    expectTlsError(
      { certfile: f('nope.crt'), keyfile: f('server.key') },
      /certfile .* cannot be read \(ENOENT/,
      f('nope.crt'),
    );
    expectTlsError({ certfile: dir, keyfile: f('server.key') }, /cannot be read \(EISDIR/, dir);
    expectTlsError({ certfile: f('text.txt'), keyfile: f('server.key') }, /contains no PEM certificate/, f('text.txt'));
    expectTlsError(
      { certfile: f('garbage.pem'), keyfile: f('server.key') },
      /not a valid certificate/,
      f('garbage.pem'),
    );
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('missing.key') },
      /keyfile .* cannot be read/,
      f('missing.key'),
    );
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('server.crt') },
      /keyfile .* no usable private key/,
      f('server.crt'),
    );
    expectTlsError({ certfile: f('server.crt') }, /certfile \(no keyfile given\)/, f('server.crt'));
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('encrypted.key') },
      /no usable private key/,
      f('encrypted.key'),
    );
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('server.key'), caCerts: f('text.txt') },
      /ca_certs .* contains no PEM certificate/,
      f('text.txt'),
    );
  });

  it('reports an unreadable file by permission when not running as root', (ctx) => {
    if (process.getuid?.() === 0) return ctx.skip();
    const locked = f('locked.key');
    writeFileSync(locked, readFileSync(f('server.key')));
    chmodSync(locked, 0o000);
    expectTlsError({ certfile: f('server.crt'), keyfile: locked }, /cannot be read \(EACCES/, locked);
  });

  it('catches a key that does not belong to the certificate, and a bad cipher list', () => {
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('client.key') },
      /cannot be used together.*key values mismatch/,
    );
    expectTlsError(
      { certfile: f('server.crt'), keyfile: f('server.key'), ciphers: 'NO-SUCH-CIPHER' },
      /ciphers 'NO-SUCH-CIPHER'/,
    );
    expectTlsError({ certfile: f('server.crt'), keyfile: f('server.key'), certReqs: 3 }, /cert_reqs must be 0/);
    expectTlsError({ certfile: f('server.crt'), keyfile: f('server.key'), sslMinVersion: 'SSLv3' }, /ssl_min_version/);
  });
});

describe.skipIf(!hasOpenssl)('a real TLS server on 127.0.0.1', () => {
  beforeAll(generate);
  const base = { certfile: f('server.crt'), keyfile: f('server.key'), caCerts: f('ca.crt') };

  it('cert_reqs 2: serves a client with a CA-signed certificate, refuses others', async () => {
    const port = await serve({ ...base, certReqs: 2 });
    expect(await get(port, { cert: 'client.crt', key: 'client.key' })).toEqual({
      ok: true,
      body: { authorized: true, cn: 'client' },
    });
    expect((await get(port)).ok).toBe(false);
    expect((await get(port, { cert: 'rogue.crt', key: 'rogue.key' })).ok).toBe(false);
  });

  it('cert_reqs 1: serves everyone and tells the app whether the certificate verified', async () => {
    const port = await serve({ ...base, certReqs: 1 });
    expect(await get(port, { cert: 'client.crt', key: 'client.key' })).toEqual({
      ok: true,
      body: { authorized: true, cn: 'client' },
    });
    expect(await get(port)).toEqual({ ok: true, body: { authorized: false, cn: null } });
    expect(await get(port, { cert: 'rogue.crt', key: 'rogue.key' })).toEqual({
      ok: true,
      body: { authorized: false, cn: 'rogue' },
    });
  });

  it('cert_reqs 0: does not ask for a client certificate', async () => {
    const port = await serve({ ...base, certReqs: 0 });
    expect(await get(port, { cert: 'client.crt', key: 'client.key' })).toEqual({
      ok: true,
      body: { authorized: false, cn: null },
    });
  });

  it('enforces ssl_min_version', async () => {
    const port = await serve({ ...base, sslMinVersion: 'TLSv1.3' });
    expect((await get(port, { maxVersion: 'TLSv1.2' })).ok).toBe(false);
    expect((await get(port)).ok).toBe(true);
  });

  it('works behind a PROXY protocol header: the handshake bytes after it reach TLS', async () => {
    const options = buildTlsOptions(base);
    const https = createHttpsServer(options ?? {}, (req, res) => res.end(`hi ${req.url}`));
    const front = createNetServer(async (socket) => {
      const header = await readProxyHeader(socket, { mode: 'auto', proxyAllowIps: compileAllowIps('127.0.0.1') });
      expect(header).toMatchObject({ remoteAddress: '192.0.2.44' });
      https.emit('connection', socket);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      https.closeAllConnections();
      await new Promise((r) => front.close(r));
    });
    const port = (front.address() as { port: number }).port;
    const raw = netConnect(port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    raw.write('PROXY TCP4 192.0.2.44 192.0.2.1 5555 443\r\n');
    const tls = tlsConnect({ socket: raw, ca: readFileSync(f('ca.crt')), servername: 'localhost' });
    await new Promise((r, j) => tls.once('secureConnect', r).once('error', j));
    tls.write('GET /through HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    let text = '';
    tls.setEncoding('utf8');
    tls.on('data', (d) => (text += d));
    await new Promise((r) => tls.once('close', r));
    expect(text.startsWith('HTTP/1.1 200 OK')).toBe(true);
    expect(text.endsWith('hi /through')).toBe(true);
  });
});

describe.runIf(!hasOpenssl)('without openssl', () => {
  it('skips certificate tests: the openssl CLI is not installed', () => {
    expect(hasOpenssl).toBe(false);
  });
});
