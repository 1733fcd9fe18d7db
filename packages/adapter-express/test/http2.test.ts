/**
 * Express 4 and 5 over HTTP/2 (cleartext with prior knowledge, from a trusted peer) under real tgun workers,
 * through Node's http2 client: routing, query, params, a parsed JSON body, statuses, Express's error handler
 * and 404, and no warning on the worker's output.
 */
import { fileURLToPath } from 'node:url';
import { type ClientHttp2Session, connect } from 'node:http2';
import { noLeftovers, spawnTgun } from '@tgun/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('./fixtures/http2-app.mjs', import.meta.url));
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

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
    stream.on('end', () => resolve({ status, body: text }));
    stream.on('error', reject);
    stream.end(payload);
  });
}

describe.each(['app5', 'app4'])('Express (%s) over HTTP/2', (variable) => {
  it('serves routes, params, query, a JSON body, errors and 404s', async () => {
    const args = ['-w', '1', '-b', '127.0.0.1:0', '--http-protocols', 'h2,h1', '--http2-cleartext', 'prior-knowledge'];
    await using tgun = await spawnTgun([...args, `${APP}:${variable}`]);
    marks.push(tgun.mark);
    const session = connect(tgun.url);
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
