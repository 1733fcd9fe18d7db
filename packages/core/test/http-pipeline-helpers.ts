/** Shared set-up for the http-pipeline tests: a real pipeline server on 127.0.0.1:0 and raw-socket requests. */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { createErrorLog } from '../src/logging/logger.js';
import type { TgunConfig } from '../src/settings/registry.js';
import { createPipeline, type HttpPipeline } from '../src/worker/pipeline.js';

/** A running pipeline server and what it saw. */
export interface PipelineServer {
  readonly port: number;
  readonly dir: string;
  readonly config: TgunConfig;
  readonly pipeline: HttpPipeline;
  /** Requests the app was called with. */
  readonly seen: IncomingMessage[];
  /** The error log's text so far. */
  errors(): string;
  close(): Promise<void>;
}

/** Starts a pipeline server configured by `argv` (tgun flags); the app echoes the headers it got as JSON. */
export async function startPipeline(
  argv: readonly string[],
  app?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<PipelineServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tgun-pipeline-'));
  const loaded = await loadConfig({ argv, env: {}, cwd: dir });
  if (!loaded.ok) throw new Error(loaded.message);
  const errorPath = join(dir, 'error.log');
  const log = createErrorLog({ target: errorPath, level: 'debug' });
  const pipeline = await createPipeline(loaded.config, log);
  const seen: IncomingMessage[] = [];
  const server: Server = pipeline.createServer((req, res) => {
    seen.push(req);
    if (app) return app(req, res);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ headers: req.headers, raw: req.rawHeaders }));
  });
  // With --proxy-protocol the acceptor is a PROXY-header reader in front of the HTTP server.
  const acceptor = pipeline.acceptor(server);
  await new Promise<void>((resolve) => acceptor.listen(0, '127.0.0.1', resolve));
  const address = acceptor.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    dir,
    config: loaded.config,
    pipeline,
    seen,
    errors: () => readFileSync(errorPath, 'utf8'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => acceptor.close(() => resolve()));
      pipeline.close();
      log.close();
    },
  };
}

/** Sends raw bytes on a fresh connection and resolves with everything received until the server closes it. */
export function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.write(bytes);
  });
}

/** The status code of a raw response. */
export function statusOf(response: string): number {
  return Number(response.slice(9, 12));
}

/** A plain GET with `Connection: close`, and extra header lines. */
export function get(path = '/', extra: readonly string[] = []): string {
  return ['GET ' + path + ' HTTP/1.1', 'Host: test', ...extra, 'Connection: close', '', ''].join('\r\n');
}
