import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicAuthUser, formatClfTime } from '../src/logging/access-atoms.js';
import {
  type AccessRecord,
  AccessFormatError,
  compileAccessFormat,
  DEFAULT_ACCESS_LOG_FORMAT,
  escapeValue,
} from '../src/logging/access-format.js';

// 2026-11-22T18:01:12.345Z
const NOW = Date.UTC(2026, 10, 22, 18, 1, 12, 345);
const env = { NODE_ENV: 'production', Mixed_Case: 'yes' };

function record(overrides: Partial<AccessRecord> = {}): AccessRecord {
  const responseHeaders: Record<string, string | number | string[]> = {
    'content-type': 'application/json',
    'content-length': 1234,
    'set-cookie': ['a=1', 'b=2'],
  };
  return {
    remoteAddress: '203.0.113.7',
    remotePort: 50123,
    method: 'GET',
    url: '/caf%C3%A9/x?q=1&r="2"',
    httpVersion: '1.1',
    status: 201,
    bytesSent: 1234,
    requestHeaders: {
      host: 'example.test',
      referer: 'https://ref.example/',
      'user-agent': 'curl/8.0 "quoted"',
      authorization: `Basic ${Buffer.from('alice:s3cret:x').toString('base64')}`,
      'x-forwarded-for': '198.51.100.1, 10.0.0.1',
      'content-type': 'text/plain',
    },
    response: { getHeader: (name: string) => responseHeaders[name] },
    startTime: 0n,
    durationNs: 1_234_567_891n,
    pid: 4242,
    scheme: 'https',
    ...overrides,
  };
}

function fmt(format: string, rec: AccessRecord = record()): string {
  return compileAccessFormat(format, { env, now: () => NOW })(rec);
}

const savedTz = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'UTC';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('atoms', () => {
  it.each([
    ['h', '203.0.113.7'],
    ['l', '-'],
    ['u', 'alice'],
    ['t', '[22/Nov/2026:18:01:12 +0000]'],
    ['r', 'GET /caf%C3%A9/x?q=1&r=\\"2\\" HTTP/1.1'],
    ['m', 'GET'],
    ['U', '/café/x'],
    ['q', 'q=1&r=\\"2\\"'],
    ['H', 'HTTP/1.1'],
    ['s', '201'],
    ['B', '1234'],
    ['b', '1234'],
    ['f', 'https://ref.example/'],
    ['a', 'curl/8.0 \\"quoted\\"'],
    ['T', '1'],
    ['M', '1234'],
    ['D', '1234567'],
    ['L', '1.234567'],
    ['p', '<4242>'],
    ['{x-forwarded-for}i', '198.51.100.1, 10.0.0.1'],
    ['{X-Forwarded-For}I', '198.51.100.1, 10.0.0.1'],
    ['{content-type}o', 'application/json'],
    ['{Content-Length}o', '1234'],
    ['{set-cookie}o', 'a=1, b=2'],
    ['{NODE_ENV}e', 'production'],
    ['{mixed_case}e', 'yes'],
    ['{REMOTE_ADDR}e', '203.0.113.7'],
    ['{remote_port}e', '50123'],
    ['{REQUEST_METHOD}e', 'GET'],
    ['{PATH_INFO}e', '/café/x'],
    ['{QUERY_STRING}e', 'q=1&r=\\"2\\"'],
    ['{SERVER_PROTOCOL}e', 'HTTP/1.1'],
    ['{HTTP_X_FORWARDED_FOR}e', '198.51.100.1, 10.0.0.1'],
    ['{CONTENT_TYPE}e', 'text/plain'],
    ['{wsgi.url_scheme}e', 'https'],
  ])('%%(%s)s renders %s', (atom, expected) => {
    expect(fmt(`%(${atom})s`)).toBe(expected);
  });

  it.each([['x'], ['{missing}i'], ['{missing}o'], ['{TGUN_NOT_SET_ANYWHERE}e'], ['{x}z'], ['H1'], ['']])(
    'unknown or absent %%(%s)s renders -',
    (atom) => {
      expect(fmt(`%(${atom})s`)).toBe('-');
    },
  );

  it('prints - for absent optional values, as gunicorn', () => {
    const rec = record({ remoteAddress: undefined, bytesSent: undefined, requestHeaders: {}, url: '/plain' });
    expect(fmt('%(h)s|%(u)s|%(b)s|%(B)s|%(f)s|%(a)s|%(q)s|%(U)s', rec)).toBe('-|-|-|-|-|-||/plain');
    expect(fmt('%(b)s', record({ bytesSent: 0 }))).toBe('0');
  });

  it('takes U from the path of an absolute-form target', () => {
    expect(fmt('%(U)s|%(q)s', record({ url: 'http://example.test:8080/a%2Fb?x=1' }))).toBe('/a/b|x=1');
    expect(fmt('%(U)s', record({ url: 'http://example.test' }))).toBe('/');
  });

  it('keeps a malformed percent-escape in U as sent', () => {
    expect(fmt('%(U)s', record({ url: '/bad%zz?x' }))).toBe('/bad%zz');
  });

  it('measures the duration from startTime when durationNs is absent', () => {
    const rec = record({ durationNs: undefined, startTime: process.hrtime.bigint() - 2_500_000_000n });
    const [t, m] = fmt('%(T)s %(M)s', rec).split(' ').map(Number);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(m).toBeGreaterThanOrEqual(2500);
  });

  it('formats t in local time with the offset', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(formatClfTime(NOW)).toBe('[22/Nov/2026:23:31:12 +0530]');
    process.env.TZ = 'America/New_York';
    expect(formatClfTime(NOW)).toBe('[22/Nov/2026:13:01:12 -0500]');
    expect(formatClfTime(Date.UTC(2026, 0, 5, 3, 4, 5))).toBe('[04/Jan/2026:22:04:05 -0500]');
  });

  it('reuses the time string within a second and moves on at the next', () => {
    let now = NOW;
    const format = compileAccessFormat('%(t)s', { now: () => now });
    const first = format(record());
    now += 500;
    expect(format(record())).toBe(first);
    now += 1000;
    expect(format(record())).toBe('[22/Nov/2026:18:01:13 +0000]');
  });
});

describe('formats', () => {
  it('renders gunicorn default format', () => {
    expect(fmt(DEFAULT_ACCESS_LOG_FORMAT)).toBe(
      '203.0.113.7 - alice [22/Nov/2026:18:01:12 +0000] "GET /caf%C3%A9/x?q=1&r=\\"2\\" HTTP/1.1" 201 1234 ' +
        '"https://ref.example/" "curl/8.0 \\"quoted\\""',
    );
  });

  it("renders the seed project's access_log_format unchanged", () => {
    const seed = '%(t)s %(p)s %(h)s "%(r)s" %(s)s %(L)s %(b)s %(f)s" "%(a)s"';
    expect(fmt(seed)).toBe(
      '[22/Nov/2026:18:01:12 +0000] <4242> 203.0.113.7 "GET /caf%C3%A9/x?q=1&r=\\"2\\" HTTP/1.1" 201 1.234567 ' +
        '1234 https://ref.example/" "curl/8.0 \\"quoted\\""',
    );
  });

  it('keeps hand-rolled JSON valid when values contain quotes (gunicorn #2457)', () => {
    const line = fmt('{"ua": "%(a)s", "path": "%(U)s", "status": %(s)s}');
    expect(JSON.parse(line)).toEqual({ ua: 'curl/8.0 "quoted"', path: '/café/x', status: 201 });
  });

  it('supports %%, flags, width, precision and %d', () => {
    expect(fmt('100%% %(s)s%%')).toBe('100% 201%');
    expect(fmt('[%(s)6s][%(m)-5s][%(D)010d][%(a).4s][%(M)d][%(h)d]')).toBe(
      '[   201][GET  ][0001234567][curl][1234][-]',
    );
  });

  it('returns constant text for a format without atoms', () => {
    expect(fmt('just text')).toBe('just text');
  });

  it.each([
    ['%s', 'not a named atom'],
    ['100%', 'incomplete format'],
    ['%(h)x', "unsupported format character 'x'"],
    ['%(h', 'incomplete format key'],
    ['%(h)', 'incomplete format'],
  ])('rejects %j at compile time', (format, message) => {
    expect(() => compileAccessFormat(format)).toThrow(AccessFormatError);
    expect(() => compileAccessFormat(format)).toThrow(message);
  });
});

describe('escaping', () => {
  it('escapes quotes and control characters only', () => {
    expect(escapeValue('plain')).toBe('plain');
    expect(escapeValue('a"b')).toBe('a\\"b');
    expect(escapeValue('tab\there é')).toBe('tab\there é');
    expect(escapeValue('line\nbreak\r\x00\x7f')).toBe('line\\x0abreak\\x0d\\x00\\x7f');
  });

  it('cannot be made to write a second line through the Basic-auth user', () => {
    const auth = `Basic ${Buffer.from('eve\n1.2.3.4 - admin:pw').toString('base64')}`;
    const line = fmt('%(u)s', record({ requestHeaders: { authorization: auth } }));
    expect(line).toBe('eve\\x0a1.2.3.4 - admin');
    expect(line).not.toContain('\n');
  });

  it('reads the Basic-auth user like gunicorn', () => {
    expect(basicAuthUser(`basic ${Buffer.from('bob:pw').toString('base64')}`)).toBe('bob');
    expect(basicAuthUser(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBe('nocolon');
    expect(basicAuthUser('Bearer abc')).toBeUndefined();
    expect(basicAuthUser('Basic')).toBeUndefined();
    expect(basicAuthUser(undefined)).toBeUndefined();
  });
});

describe('with a real request and response', () => {
  it('renders atoms from IncomingMessage and ServerResponse', async () => {
    const format = compileAccessFormat(
      '%(h)s "%(r)s" %(s)s %(b)s %({x-req}i)s %({content-type}o)s %({x-resp}o)s %(p)s',
    );
    const lines: string[] = [];
    const server = createServer((req, res) => {
      const startTime = process.hrtime.bigint();
      const body = 'hello';
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('X-Resp', 'r"1');
      res.statusCode = 202;
      res.end(body, () => {
        lines.push(
          format({
            remoteAddress: req.socket.remoteAddress,
            method: req.method ?? '-',
            url: req.url ?? '-',
            httpVersion: req.httpVersion,
            status: res.statusCode,
            bytesSent: Buffer.byteLength(body),
            requestHeaders: req.headers,
            response: res,
            startTime,
            pid: process.pid,
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/p?a=1`, { headers: { 'X-Req': 'v' } });
    expect(await response.text()).toBe('hello');
    await new Promise((r) => server.close(r));
    expect(lines).toEqual([`127.0.0.1 "GET /p?a=1 HTTP/1.1" 202 5 v text/plain r\\"1 <${process.pid}>`]);
  });
});
