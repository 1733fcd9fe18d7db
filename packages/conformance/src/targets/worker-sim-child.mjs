// A stand-in for a tgun worker, run by the worker-sim target: it does what the worker does with
// `installSelfListen` and `resolveAdapter`, without an arbiter (load the app with its own listen() redirected to
// the inherited fd 3, pick the adapter, serve, drain on TERM, run close()). Plain JS: it runs under bare Node.
import { createServer } from 'node:http';
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const [coreDist, modulePath, variable] = process.argv.slice(2);
const FD = 3;
const { installSelfListen, selfListenedApp } = await import(pathToFileURL(`${coreDist}app/self-listen.js`).href);
const { resolveAdapter, missingExportMessage } = await import(pathToFileURL(`${coreDist}app/adapters.js`).href);

function listenOnFd(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ fd: FD }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function load() {
  const selfListen = installSelfListen({ fd: FD });
  const ns = await import(pathToFileURL(modulePath).href);
  const name = variable || 'default';
  let value = ns[name] ?? (ns.default && typeof ns.default === 'object' ? ns.default[name] : undefined);
  if (value instanceof Promise) value = await value;
  const appUri = `${basename(modulePath)}:${name}`;
  let served = null;
  if (value !== undefined) {
    try {
      const adapter = await resolveAdapter(value, { adapter: 'auto', appDir: dirname(modulePath), appUri });
      served = await adapter.load(value, { appUri, appDir: dirname(modulePath) });
    } catch (err) {
      if (!selfListen.server) throw err;
    }
  } else if (!selfListen.server) {
    throw new Error(missingExportMessage(basename(modulePath), name, ns));
  }
  selfListen.dispose();
  if (selfListen.server) served = selfListenedApp(selfListen.server, served);
  return served;
}

const served = await load();
await served.ready?.();
let server;
if (served.kind === 'listener') {
  server = createServer(served.listener);
  await listenOnFd(server);
} else {
  server = served.server;
  if (served.listen) await served.listen({ fd: FD, backlog: 511, host: '127.0.0.1' });
  else await listenOnFd(server);
}
const inFlight = new Set();
let draining = false;
server.on('request', (_req, res) => {
  inFlight.add(res);
  res.on('close', () => inFlight.delete(res));
  if (draining) res.shouldKeepAlive = false;
});
process.on('SIGTERM', async () => {
  draining = true;
  const closed = new Promise((resolve) => server.close(resolve));
  for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  server.closeIdleConnections?.();
  await closed;
  await served.close?.();
  process.exit(0);
});
process.send?.({ t: 'ready', kind: served.kind });
