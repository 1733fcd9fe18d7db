import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProxyHeader,
  ProxyProtocolError,
  type ProxyProtocolMode,
  parseProxyV1,
  parseProxyV2,
  readProxyHeader,
  V2_SIGNATURE,
} from '../src/http/proxy-protocol.js';
import { formatIPv6 } from '../src/http/proxy-protocol-v2.js';
import { compileAllowIps } from '../src/http/trust.js';

const REQUEST = 'GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n';

interface Outcome {
  header?: ProxyHeader | undefined;
  error?: ProxyProtocolError;
}

interface Harness {
  readonly port: number;
  readonly path: string | undefined;
  readonly outcomes: Outcome[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A worker-like front: net server → readProxyHeader → http server, answering refusals the way a worker would. */
async function harness(
  mode: ProxyProtocolMode,
  opts: { allow?: string; timeoutMs?: number; maxV2Length?: number; unix?: boolean } = {},
): Promise<Harness> {
  const outcomes: Outcome[] = [];
  const headers = new WeakMap<Socket, ProxyHeader | undefined>();
  const http = createHttpServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ url: req.url, header: headers.get(req.socket) ?? null }));
  });
  const proxyAllowIps = compileAllowIps(opts.allow ?? '127.0.0.1,::1');
  const server: Server = createServer(async (socket) => {
    try {
      const header = await readProxyHeader(socket, {
        mode,
        proxyAllowIps,
        timeoutMs: opts.timeoutMs ?? 10_000,
        ...(opts.maxV2Length === undefined ? {} : { maxV2Length: opts.maxV2Length }),
      });
      outcomes.push({ header });
      headers.set(socket, header);
      http.emit('connection', socket);
    } catch (error) {
      outcomes.push({ error: error as ProxyProtocolError });
      const status = (error as ProxyProtocolError).status;
      if (status === undefined) socket.destroy();
      else socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
  });
  const tmp = opts.unix ? mkdtempSync(join(tmpdir(), 'tgun-pp-')) : undefined;
  const path = tmp ? join(tmp, 'pp.sock') : undefined;
  await new Promise<void>((resolve) => (path ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve)));
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise((r) => server.close(r));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  const port = path ? 0 : (server.address() as { port: number }).port;
  return { port, path, outcomes };
}

/** Connects, writes each chunk as its own TCP segment (Nagle off, a pause between), returns all bytes read. */
async function exchange(h: Harness, chunks: Array<string | Buffer>, host = '127.0.0.1'): Promise<string> {
  const socket = h.path ? connect(h.path) : connect(h.port, host);
  socket.setNoDelay(true);
  cleanups.push(async () => void socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: Buffer[] = [];
  const done = new Promise<string>((resolve) => {
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.on('error', () => {});
  });
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    await new Promise((r) => setTimeout(r, 15));
  }
  return done;
}

function body(response: string): { url: string; header: ProxyHeader | null } {
  expect(response.startsWith('HTTP/1.1 200 OK')).toBe(true);
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

/** Builds a v2 frame by hand: signature, ver/cmd, fam/proto, length, payload. */
function v2(versionCommand: number, familyTransport: number, payload: Buffer, lengthOverride?: number): Buffer {
  const head = Buffer.alloc(4);
  head[0] = versionCommand;
  head[1] = familyTransport;
  head.writeUInt16BE(lengthOverride ?? payload.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, payload]);
}

function inet(src: number[], dst: number[], sport: number, dport: number): Buffer {
  const b = Buffer.alloc(12);
  Buffer.from(src).copy(b, 0);
  Buffer.from(dst).copy(b, 4);
  b.writeUInt16BE(sport, 8);
  b.writeUInt16BE(dport, 10);
  return b;
}

function proxied(version: 1 | 2, family: string, remote: string, rport: number, proxy: string, pport: number) {
  return {
    version,
    command: 'proxy',
    family,
    remoteAddress: remote,
    remotePort: rport,
    proxyAddress: proxy,
    proxyPort: pport,
  };
}

const TLV = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]); // PP2_TYPE_NOOP with 3 bytes

describe('PROXY protocol v1', () => {
  it('passes the client address and leaves the request for the HTTP server', async () => {
    const h = await harness('auto');
    const res = body(await exchange(h, [`PROXY TCP4 198.51.100.7 203.0.113.1 51234 443\r\n${REQUEST}`]));
    expect(res.url).toBe('/hello');
    expect(res.header).toEqual(proxied(1, 'tcp4', '198.51.100.7', 51234, '203.0.113.1', 443));
  });

  it('reassembles a header split across TCP segments, byte by byte', async () => {
    const h = await harness('v1');
    const line = 'PROXY TCP6 2001:db8::1 2001:db8::2 1 65535\r\n';
    const res = body(await exchange(h, [...line.split(''), REQUEST]));
    expect(res.header).toMatchObject({ family: 'tcp6', remoteAddress: '2001:db8::1', remotePort: 1, proxyPort: 65535 });
    expect(res.url).toBe('/hello');
  });

  it('accepts UNKNOWN and keeps the connection addresses', async () => {
    const h = await harness('v1');
    const res = body(await exchange(h, [`PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n${REQUEST}`]));
    expect(res.header).toEqual({ version: 1, command: 'local' });
  });

  it.each([
    ['PROXY TCP4 1.2.3 4.5.6.7 1 2\r\n', 'invalid TCP4 address'],
    ['PROXY TCP4 1.2.3.4 4.5.6.7 1 70000\r\n', 'invalid port'],
    ['PROXY TCP4 1.2.3.4 4.5.6.7 01 2\r\n', 'invalid port'],
    ['PROXY TCP6 1.2.3.4 4.5.6.7 1 2\r\n', 'invalid TCP6 address'],
    ['PROXY TCP4 1.2.3.4 4.5.6.7 1\r\n', 'expected 6 fields'],
    ['PROXY UDP4 1.2.3.4 4.5.6.7 1 2\r\n', "unsupported protocol 'UDP4'"],
    ['PROXY TCP4 1.2.3.4 4.5.6.7 1 2\n', 'bare LF'],
    [`PROXY ${'A'.repeat(120)}\r\n`, 'no CRLF within 107 bytes'],
  ])('answers 400 to %j', async (line, message) => {
    const h = await harness('auto');
    const response = await exchange(h, [line + REQUEST]);
    expect(response.startsWith('HTTP/1.1 400 ')).toBe(true);
    expect(h.outcomes[0]?.error).toBeInstanceOf(ProxyProtocolError);
    expect(h.outcomes[0]?.error?.message).toContain(message);
  });

  it('answers 403 to a peer outside proxy_allow_ips, before parsing', async () => {
    const h = await harness('auto', { allow: '10.0.0.0/8' });
    const response = await exchange(h, ['PROXY garbage\r\n']);
    expect(response.startsWith('HTTP/1.1 403 ')).toBe(true);
    expect(h.outcomes[0]?.error?.status).toBe(403);
  });

  it('always allows a unix-socket peer', async () => {
    const h = await harness('auto', { allow: '', unix: true });
    const res = body(await exchange(h, [`PROXY TCP4 192.0.2.1 192.0.2.2 1000 80\r\n${REQUEST}`]));
    expect(res.header).toMatchObject({ remoteAddress: '192.0.2.1' });
  });

  it('parses lines directly', () => {
    expect(parseProxyV1('PROXY TCP4 0.0.0.0 255.255.255.255 0 0')).toMatchObject({ remotePort: 0, proxyPort: 0 });
    expect(() => parseProxyV1('PROXY TCP6 fe80::1%eth0 ::1 1 2')).toThrow(ProxyProtocolError);
    expect(() => parseProxyV1('HELLO TCP4 1.2.3.4 1.2.3.4 1 2')).toThrow('does not start with PROXY');
  });
});

describe('PROXY protocol v2', () => {
  it('decodes INET with TLVs and leaves the request for the HTTP server', async () => {
    const h = await harness('v2');
    const frame = v2(0x21, 0x11, Buffer.concat([inet([192, 0, 2, 10], [10, 0, 0, 1], 40000, 8080), TLV]));
    const res = body(await exchange(h, [Buffer.concat([frame, Buffer.from(REQUEST)])]));
    expect(res.url).toBe('/hello');
    expect(res.header).toEqual(proxied(2, 'tcp4', '192.0.2.10', 40000, '10.0.0.1', 8080));
  });

  it('decodes INET6, split in the signature, the fixed part and the addresses', async () => {
    const h = await harness('auto');
    const addresses = Buffer.alloc(36);
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(addresses, 0);
    Buffer.from('00000000000000000000ffffc0000201', 'hex').copy(addresses, 16);
    addresses.writeUInt16BE(1234, 32);
    addresses.writeUInt16BE(443, 34);
    const frame = v2(0x21, 0x21, addresses);
    const res = body(
      await exchange(h, [
        frame.subarray(0, 5),
        frame.subarray(5, 14),
        frame.subarray(14, 30),
        Buffer.concat([frame.subarray(30), Buffer.from(REQUEST)]),
      ]),
    );
    expect(res.header).toEqual(proxied(2, 'tcp6', '2001:db8::1', 1234, '::ffff:192.0.2.1', 443));
  });

  it('treats LOCAL (health checks) as the connection itself', async () => {
    const h = await harness('auto');
    const res = body(await exchange(h, [Buffer.concat([v2(0x20, 0x00, Buffer.alloc(0)), Buffer.from(REQUEST)])]));
    expect(res.header).toEqual({ version: 2, command: 'local' });
  });

  it.each([
    ['version 1', v2(0x11, 0x11, inet([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)), 'unsupported version 1'],
    ['command 2', v2(0x22, 0x11, inet([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)), 'unknown command 2'],
    ['DGRAM', v2(0x21, 0x12, inet([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)), 'transport is not STREAM'],
    ['family 4', v2(0x21, 0x41, Buffer.alloc(12)), 'unknown address family 4'],
    ['short INET', v2(0x21, 0x11, Buffer.alloc(8)), 'too short for INET'],
    ['short INET6', v2(0x21, 0x21, Buffer.alloc(20)), 'too short for INET6'],
    ['huge length', v2(0x21, 0x11, Buffer.alloc(0), 60000), 'too large'],
  ])('answers 400 to %s', async (_name, frame, message) => {
    const h = await harness('auto', { maxV2Length: 512 });
    const response = await exchange(h, [frame]);
    expect(response.startsWith('HTTP/1.1 400 ')).toBe(true);
    expect(h.outcomes[0]?.error?.status).toBe(400);
    expect(h.outcomes[0]?.error?.message).toContain(message);
  });

  it('formats IPv6 addresses canonically', () => {
    const hex = (s: string) => Buffer.from(s, 'hex');
    expect(formatIPv6(hex('00000000000000000000000000000001'), 0)).toBe('::1');
    expect(formatIPv6(hex('00000000000000000000000000000000'), 0)).toBe('::');
    expect(formatIPv6(hex('20010db8000000010000000000000001'), 0)).toBe('2001:db8:0:1::1');
    expect(formatIPv6(hex('20010db8000000000001000000000001'), 0)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(hex('20010db8000100010001000100010001'), 0)).toBe('2001:db8:1:1:1:1:1:1');
    expect(formatIPv6(hex('fe800000000000000000000000000000'), 0)).toBe('fe80::');
  });

  it('rejects a truncated buffer passed directly', () => {
    expect(() => parseProxyV2(v2(0x21, 0x11, Buffer.alloc(12)).subarray(0, 20))).toThrow('truncated');
  });
});

describe('detection and connection handling', () => {
  it('serves plain HTTP untouched in every mode', async () => {
    for (const mode of ['auto', 'v1', 'v2', 'off'] as const) {
      const h = await harness(mode);
      const res = body(await exchange(h, ['G', 'ET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n']));
      expect(res).toEqual({ url: '/hello', header: null });
      expect(h.outcomes).toEqual([{ header: undefined }]);
    }
  });

  it('ignores a header of the version the mode does not accept (the parser then refuses it)', async () => {
    const h = await harness('v2');
    const response = await exchange(h, ['PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n', REQUEST]);
    expect(h.outcomes).toEqual([{ header: undefined }]);
    expect(response.startsWith('HTTP/1.1 400 ')).toBe(true);
  });

  it('answers 408 when a started header stalls, and closes silently when nothing arrives', async () => {
    const stalled = await harness('auto', { timeoutMs: 200 });
    expect((await exchange(stalled, ['PROXY TCP4 1.2'])).startsWith('HTTP/1.1 408 ')).toBe(true);
    expect(stalled.outcomes[0]?.error?.status).toBe(408);
    const silent = await harness('auto', { timeoutMs: 200 });
    expect(await exchange(silent, [])).toBe('');
    expect(silent.outcomes[0]?.error?.status).toBeUndefined();
  });

  it('rejects without a status when the client leaves mid-header', async () => {
    const h = await harness('auto');
    const socket = connect(h.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.end('PROXY TCP4 1.2.3.4');
    await new Promise((r) => socket.once('close', r));
    for (let i = 0; i < 50 && h.outcomes.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.outcomes[0]?.error).toBeInstanceOf(ProxyProtocolError);
    expect(h.outcomes[0]?.error?.status).toBeUndefined();
  });
});
