/**
 * Express 4 and 5 over HTTP/2 (over TLS with a generated certificate, and cleartext with prior knowledge from a
 * trusted peer) under real tgun workers,
 * through Node's http2 client: routing, query, params, a parsed JSON body, statuses, Express's error handler
 * and 404, and no warning on the worker's output.
 */
import { type ClientHttp2Session, connect } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { noLeftovers, selfSignedCertificate, spawnTgun } from '@tgun/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('./fixtures/http2-app.mjs', import.meta.url));
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** TLS with a throwaway certificate: tgun's arguments and the CA the client trusts. */
function certificate(): { args: string[]; ca: Buffer } {
  const { cert, key, pem } = selfSignedCertificate('tgun-express-h2-');
  return { args: ['--certfile', cert, '--keyfile', key], ca: pem };
}

const TRANSPORTS = {
  h2c: () => ({ args: ['--http2-cleartext', 'prior-knowledge'], ca: undefined }),
  tls: certificate,
};

interface Answer {
  readonly status: number;
  readonly body: string;
}

function send(session: ClientHttp2Session, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ':method': method, ':path': path };
    // body-parser reads a body only when content-length or transfer-encoding says there is one; HTTP/2 has no
    // transfer-encoding, so the length is sent, as curl and browsers do.
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const stream = session.request(headers);
    let status = 0;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      status = Number(h[':status']);
    });
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('end', () => (status ? resolve({ status, body: text }) : reject(new Error(`no response to ${path}`))));
    stream.on('error', reject);
    stream.end(payload);
  });
}

describe.each(['app5', 'app4'])('Express (%s) over HTTP/2', (variable) => {
  it.each(['h2c', 'tls'] as const)('%s: serves routes, params, query, a JSON body, errors and 404s', async (kind) => {
    const transport = TRANSPORTS[kind]();
    const args = ['-w', '1', '-b', '127.0.0.1:0', '--http-protocols', 'h2,h1', ...transport.args];
    // From "Listening at:" on, connections wait in the backlog until the worker serves them (spawnTgun's own
    // readiness probe speaks plain HTTP/1.1, which a TLS listener does not).
    await using tgun = await spawnTgun([...args, `${APP}:${variable}`], { wait: 'listening' });
    marks.push(tgun.mark);
    const url = transport.ca ? tgun.url.replace(/^http:/, 'https:') : tgun.url;
    const session = connect(url, transport.ca ? { ca: transport.ca } : {});
    session.on('error', () => {}); // a failed connect fails the first request below, with its own error
    try {
      const info = await send(session, 'GET', '/info/ada?q=1');
      expect(info.status).toBe(200);
      expect(JSON.parse(info.body)).toEqual({ version: '2.0', name: 'ada', q: '1', path: '/info/ada', method: 'GET' });
      const echo = await send(session, 'POST', '/echo', { a: [1, 2] });
      expect(echo.status).toBe(201);
      expect(JSON.parse(echo.body)).toEqual({ got: { a: [1, 2] } });
      expect((await send(session, 'GET', '/boom')).status).toBe(500);
      expect((await send(session, 'GET', '/missing')).status).toBe(404);
      // The same session keeps serving after the error and the 404.
      expect((await send(session, 'GET', '/info/b')).status).toBe(200);
    } finally {
      session.close();
    }
    expect(tgun.logs()).not.toMatch(/Warning|Error handling request/);
  });
});
