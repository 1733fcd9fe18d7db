import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

type UnixDgram = {
  createSocket(type: 'unix_dgram', onMessage: (buf: Buffer) => void): { bind(path: string): void; close(): void };
};
const unixDgram = ((): UnixDgram | undefined => {
  try {
    return createRequire(import.meta.url)('unix-dgram') as UnixDgram;
  } catch {
    return undefined;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'tgun-logging-'));
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

// `/print?tag=X` writes one long stdout line in three write(2) calls (pipe reads may split or merge them) and a
// line to stderr. The pieces are written in one turn: two requests in one worker writing halves of lines across
// turns would interleave in any destination, gunicorn's too.
const APP = join(dir, 'print-app.mjs');
writeFileSync(
  APP,
  `export default function (req, res) {
  const tag = new URL(req.url, 'http://x').searchParams.get('tag') ?? 'none';
  process.stdout.write('begin-' + tag + '-' + process.pid);
  process.stdout.write('-middle-' + 'x'.repeat(20000));
  process.stdout.write('-end-' + tag + '\\n');
  console.error('err-' + tag);
  res.end(String(process.pid));
}
`,
);

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** Starts tgun on a unix socket (its log goes to a file, so there is no `Listening at` on stderr to read). */
async function start(name: string, args: string[]) {
  const sock = join(dir, `${name}.sock`);
  const tgun = await spawnTgun(['-b', `unix:${sock}`, ...args], { wait: 'none', cwd: dir });
  marks.push(tgun.mark);
  const url = `unix:${sock}`;
  await until('socket bound', () => existsSync(sock));
  for (let i = 0; (await request(url).catch(() => null))?.status !== 200; i++) {
    if (i > 200) throw new Error(`not serving: ${tgun.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { tgun, url };
}

describe('--capture-output', () => {
  it('writes whole lines from several workers and follows the file after USR1', async () => {
    const log = join(dir, 'capture.log');
    const { tgun, url } = await start('capture', ['-w', '3', '--capture-output', '--error-logfile', log, APP]);
    await using _ = tgun;
    await Promise.all(Array.from({ length: 24 }, (_, i) => request(url, `/print?tag=a${i}`)));
    // stdout and stderr reach the arbiter through separate pipes, so one can trail the other: wait for both.
    await until('24 captured lines on each stream', () => {
      const text = read(log);
      return (text.match(/^begin-a\d+/gm) ?? []).length === 24 && (text.match(/^err-a\d+$/gm) ?? []).length === 24;
    });
    const lines = read(log).split('\n');
    for (const line of lines.filter((l) => l.includes('begin-') || l.includes('-end-'))) {
      expect(line).toMatch(/^begin-(a\d+|none)-\d+-middle-x{20000}-end-\1$/);
    }
    for (let i = 0; i < 24; i++) expect(lines).toContain(`err-a${i}`);

    renameSync(log, `${log}.1`);
    tgun.signal('SIGUSR1');
    await until('log reopened', () => existsSync(log));
    await request(url, '/print?tag=after');
    await until('line in the new file', () => read(log).includes('-end-after'));
    expect(read(`${log}.1`)).not.toContain('after');
  });
});

describe('syslog and StatsD log counters', () => {
  it('sends RFC 3164 lines over UDP for the error and access logs, and counts warnings', async () => {
    const syslog = createSocket('udp4');
    const statsd = createSocket('udp4');
    const lines: string[] = [];
    const metrics: string[] = [];
    syslog.on('message', (m) => lines.push(m.toString()));
    statsd.on('message', (m) => metrics.push(m.toString()));
    await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => statsd.bind(0, '127.0.0.1', r));
    try {
      const args = ['-w', '1', '--log-syslog', '--log-syslog-to', `udp://127.0.0.1:${syslog.address().port}`];
      args.push('--log-syslog-prefix', 'shop', '--log-syslog-facility', 'local0');
      args.push('--statsd-host', `127.0.0.1:${statsd.address().port}`, '--error-logfile', join(dir, 'sys.log'));
      const { tgun, url } = await start('syslog', [...args, APP]);
      await using _ = tgun;
      // Two Host headers: tgun answers 400 itself and logs a warning.
      const sock = url.slice(5);
      await new Promise<void>((resolve) => {
        const c = connect(sock, () => c.end('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'));
        c.on('close', () => resolve())
          .on('error', () => resolve())
          .resume();
      });
      await until('access line', () => lines.some((l) => l.includes('tgun.shop.access:')));
      await until('warning counted', () => metrics.some((m) => m === 'gunicorn.log.warning:1|c|@1.0'));
      // local0 (16) * 8 + info (6) = 134; warning (4) = 132.
      const booting = lines.find((l) => l.includes('Booting worker'));
      expect(booting).toMatch(
        /^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ tgun\.shop\.error: \[\d+\] Booting worker/,
      );
      expect(lines.find((l) => l.includes('Invalid request'))).toMatch(/^<132>.* tgun\.shop\.error: \[\d+\] Invalid/);
      expect(lines.find((l) => l.includes('.access:'))).toMatch(
        /^<134>.* tgun\.shop\.access: \[\d+\] .*"GET \/ HTTP\/1\.1" 200 /,
      );
    } finally {
      syslog.close();
      statsd.close();
    }
  });

  it('sends to a unix stream socket (#stream), one line per message', async () => {
    const path = join(dir, 'stream-log');
    let received = '';
    const server = createNetServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const args = ['-w', '1', '--log-syslog', '--log-syslog-to', `unix://${path}#stream`, '--log-syslog-prefix', 'st'];
      const { tgun, url } = await start('streamlog', [...args, '--error-logfile', join(dir, 's.log'), APP]);
      await using _ = tgun;
      await request(url);
      await until('an access line', () => received.includes('tgun.st.access:'));
      const lines = received.split('\n').filter(Boolean);
      expect(lines.find((l) => l.includes('Booting worker'))).toMatch(
        /^<14>[A-Z][a-z]{2} [ \d]\d [\d:]{8} tgun\.st\.error: /,
      );
      expect(lines.find((l) => l.includes('.access:'))).toMatch(/^<14>.* tgun\.st\.access: .*"GET \/ HTTP\/1\.1" 200 /);
    } finally {
      server.close();
    }
  });

  // The addon is optional and native: it loads only where it was built for the running Node.
  it.runIf(unixDgram)(
    'sends to a unix datagram socket, keeping access lines out with --disable-redirect-access-to-syslog',
    async () => {
      const unix = unixDgram as NonNullable<typeof unixDgram>;
      const path = join(dir, 'dev-log');
      const lines: string[] = [];
      const server = unix.createSocket('unix_dgram', (buf) => lines.push(buf.toString()));
      server.bind(path);
      try {
        const args = [
          '-w',
          '1',
          '--log-syslog',
          '--log-syslog-to',
          `unix://${path}`,
          '--disable-redirect-access-to-syslog',
        ];
        const { tgun, url } = await start('unixlog', [...args, '--error-logfile', join(dir, 'u.log'), APP]);
        await using _ = tgun;
        await request(url);
        await until('error lines', () => lines.some((l) => l.includes('Booting worker')));
        // Local sockets get no HOST field, as syslog(3) sends none; the prefix defaults to the app.
        expect(lines.find((l) => l.includes('Booting worker'))).toMatch(
          /^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d tgun\.\S+\.error: /,
        );
        expect(lines.some((l) => l.includes('.access:'))).toBe(false);
      } finally {
        server.close();
      }
    },
  );
});
