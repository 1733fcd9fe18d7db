import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { hasOpenssl, selfSignedCertificate } from '../src/testing/certificate.js';
import { type PipelineServer, startPipeline } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe.skipIf(!hasOpenssl())('worker HTTP pipeline: TLS', () => {
  it('serves HTTPS with the certfile/keyfile through the sslContext hook', async () => {
    const { cert, key, pem } = selfSignedCertificate('tgun-pipeline-tls-');
    current = await startPipeline(['--certfile', cert, '--keyfile', key]);
    expect(current.pipeline.tls).toBe(true);
    const port = current.port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', ca: pem }, (res) => {
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
