/**
 * The app in the pod: a plain `(req, res)` handler naming the pod and worker that answered, so `curl` through
 * the Service shows requests spread over pods, and over workers inside each pod.
 * @param {import('node:http').IncomingMessage} _req
 * @param {import('node:http').ServerResponse} res
 */
export function app(_req, res) {
  res.setHeader('content-type', 'application/json');
  res.end(`${JSON.stringify({ pod: process.env.HOSTNAME ?? null, worker: process.pid })}\n`);
}
