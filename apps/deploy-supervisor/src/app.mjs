/**
 * The supervised app: a plain `(req, res)` handler.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function app(req, res) {
  res.setHeader('content-type', 'text/plain');
  res.end(`hello from worker ${process.pid} (${req.method} ${req.url})\n`);
}
