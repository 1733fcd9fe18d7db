import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AllowIpsError,
  compileAllowIps,
  compileSchemeHeaders,
  DEFAULT_ALLOW_IPS,
  DEFAULT_SECURE_SCHEME_HEADERS,
  InvalidSchemeHeadersError,
  isTrustedPeer,
  isUnixPeer,
  schemeFromHeaders,
} from '../src/http/trust.js';

describe('compileAllowIps', () => {
  it('matches the default loopback list, including IPv4-mapped IPv6', () => {
    const m = compileAllowIps(DEFAULT_ALLOW_IPS);
    expect(m.matches('127.0.0.1')).toBe(true);
    expect(m.matches('::ffff:127.0.0.1')).toBe(true);
    expect(m.matches('::FFFF:127.0.0.1')).toBe(true);
    expect(m.matches('::1')).toBe(true);
    expect(m.matches('127.0.0.2')).toBe(false);
    expect(m.matches('10.0.0.1')).toBe(false);
    expect(m.matches('::2')).toBe(false);
  });

  it('accepts a comma-separated string with CIDR ranges of both families', () => {
    const m = compileAllowIps(' 10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,, ');
    expect(m.entries).toEqual(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
    expect(m.matches('10.255.0.3')).toBe(true);
    expect(m.matches('::ffff:10.1.2.3')).toBe(true);
    expect(m.matches('11.0.0.1')).toBe(false);
    expect(m.matches('192.168.1.7')).toBe(true);
    expect(m.matches('192.168.1.8')).toBe(false);
    expect(m.matches('2001:db8:ffff::1')).toBe(true);
    expect(m.matches('2001:db9::1')).toBe(false);
  });

  it('treats host bits in a range as the network, and a mapped range as IPv4', () => {
    expect(compileAllowIps('10.1.2.3/8').matches('10.200.0.1')).toBe(true);
    const mapped = compileAllowIps('::ffff:172.16.0.0/108');
    expect(mapped.matches('172.16.5.5')).toBe(true);
    expect(mapped.matches('172.32.0.1')).toBe(false);
  });

  it('trusts everything with *', () => {
    const m = compileAllowIps(['*']);
    expect(m.all).toBe(true);
    expect(m.matches('203.0.113.9')).toBe(true);
    expect(m.matches('2001:db8::1')).toBe(true);
  });

  it('never matches non-addresses', () => {
    const m = compileAllowIps('0.0.0.0/0,::/0');
    expect(m.matches('203.0.113.9')).toBe(true);
    expect(m.matches('')).toBe(false);
    expect(m.matches('localhost')).toBe(false);
  });

  it('reports every bad entry at once', () => {
    let error: unknown;
    try {
      compileAllowIps('127.0.0.1, example.com, 10.0.0.0/33, fe80::1%eth0, ::1/129');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AllowIpsError);
    const message = (error as Error).message;
    for (const bad of ['example.com', '10.0.0.0/33', 'fe80::1%eth0', '::1/129']) expect(message).toContain(bad);
    expect(message).not.toContain("'127.0.0.1'");
  });
});

describe('isTrustedPeer with real sockets', () => {
  const servers: Server[] = [];
  const clients: Socket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function accept(listen: (server: Server) => void, dial: (server: Server) => Socket): Promise<Socket> {
    const server = createNetServer();
    servers.push(server);
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => {
      server.once('listening', resolve);
      listen(server);
    });
    clients.push(dial(server));
    const socket = await accepted;
    clients.push(socket);
    return socket;
  }

  it('trusts a loopback TCP peer only when listed', async () => {
    const socket = await accept(
      (s) => s.listen(0, '127.0.0.1'),
      (s) => connect((s.address() as { port: number }).port, '127.0.0.1'),
    );
    expect(isTrustedPeer(compileAllowIps('127.0.0.1'), socket)).toBe(true);
    expect(isTrustedPeer(compileAllowIps('10.0.0.0/8'), socket)).toBe(false);
    expect(isUnixPeer(socket)).toBe(false);
  });

  it('trusts IPv4 clients of a dual-stack listener by their mapped address', async (ctx) => {
    const probe = createNetServer();
    const ok = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(0, '::', () => resolve(true));
    });
    await new Promise((r) => probe.close(r));
    if (!ok) ctx.skip();
    const socket = await accept(
      (s) => s.listen(0, '::'),
      (s) => connect((s.address() as { port: number }).port, '127.0.0.1'),
    );
    expect(socket.remoteAddress).toBe('::ffff:127.0.0.1');
    expect(isTrustedPeer(compileAllowIps('127.0.0.1'), socket)).toBe(true);
  });

  it('always trusts a unix-socket peer, even with an empty list', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tgun-trust-'));
    const path = join(tmp, 's.sock');
    const socket = await accept(
      (s) => s.listen(path),
      () => connect(path),
    );
    expect(socket.remoteAddress).toBeUndefined();
    expect(isUnixPeer(socket)).toBe(true);
    expect(isTrustedPeer(compileAllowIps(''), socket)).toBe(true);
    socket.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });
});

describe('schemeFromHeaders', () => {
  const map = compileSchemeHeaders(DEFAULT_SECURE_SCHEME_HEADERS);

  it('uses the first listed header, case-insensitively by name and exactly by value', () => {
    expect(schemeFromHeaders(['Host', 'a', 'X-Forwarded-Proto', 'https'], map, true)).toBe('https');
    expect(schemeFromHeaders(['x-forwarded-ssl', 'on'], map, true)).toBe('https');
    expect(schemeFromHeaders(['X-FORWARDED-PROTOCOL', 'ssl'], map, true)).toBe('https');
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'HTTPS'], map, true)).toBe('http');
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'http'], map, true, 'https')).toBe('http');
  });

  it('keeps the connection scheme without headers or for an untrusted peer', () => {
    expect(schemeFromHeaders(['Host', 'a'], map, true)).toBe('http');
    expect(schemeFromHeaders(['Host', 'a'], map, true, 'https')).toBe('https');
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'https'], map, false)).toBe('http');
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'http'], map, false, 'https')).toBe('https');
  });

  it('accepts agreeing headers and rejects contradicting ones with 400', () => {
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Ssl', 'on'], map, true)).toBe('https');
    const conflict = () => schemeFromHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Ssl', 'off'], map, true);
    expect(conflict).toThrow(InvalidSchemeHeadersError);
    try {
      conflict();
    } catch (e) {
      expect((e as InvalidSchemeHeadersError).status).toBe(400);
    }
    // Repeated header lines count separately, which Node's joined req.headers would hide.
    expect(() => schemeFromHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Proto', 'http'], map, true)).toThrow(
      InvalidSchemeHeadersError,
    );
    expect(schemeFromHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Proto', 'http'], map, false)).toBe('http');
  });

  it('works on a real request: trusted loopback peer vs an allow-list that excludes it', async () => {
    const seen: string[] = [];
    const trusted = compileAllowIps('127.0.0.1');
    const untrusted = compileAllowIps('10.0.0.0/8');
    const server = createServer((req: IncomingMessage, res) => {
      for (const m of [trusted, untrusted]) {
        seen.push(schemeFromHeaders(req.rawHeaders, map, isTrustedPeer(m, req.socket)));
      }
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(await response.text()).toBe('ok');
    await new Promise((r) => server.close(r));
    expect(seen).toEqual(['https', 'http']);
  });
});
