/**
 * The raw node:http hello world. Every manager serves this same module: tgun as `raw.mjs:app`, the peers
 * through `peers/serve.mjs`. `/pid` answers with the worker's pid so the bench can count per worker.
 */
const HELLO = 'Hello, World!';

/**
 * The request listener.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function app(req, res) {
  if (req.url === '/pid') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(String(process.pid));
    return;
  }
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(HELLO);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not Found');
}

/** The same function, for the `listener` export every bench app has. */
export const listener = app;
