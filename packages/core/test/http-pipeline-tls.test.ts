import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PipelineServer, startPipeline } from './http-pipeline-helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe.skipIf(!hasOpenssl())('worker HTTP pipeline: TLS', () => {
  it('serves HTTPS with the certfile/keyfile through the sslContext hook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgun-pipeline-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    current = await startPipeline(['--certfile', join(dir, 'c.pem'), '--keyfile', join(dir, 'k.pem')]);
    expect(current.pipeline.tls).toBe(true);
    const port = current.port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', ca: readFileSync(join(dir, 'c.pem')) }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          data += chunk;
        });
        res.on('end', () => resolve(data));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toHaveProperty('headers');
    expect(current.seen[0]?.socket).toHaveProperty('encrypted', true);
  });
});
