/**
 * The app behind nginx: a plain `(req, res)` handler that reports what the proxy told it about the client.
 * tgun, like gunicorn, passes X-Forwarded-* through untouched; deciding whom to believe is the app's job (or its
 * framework's: Express `trust proxy`, Koa `app.proxy`, Fastify `trustProxy`), and this one shows the usual rule.
 */

/** Peers whose X-Forwarded-* headers we believe: the local nginx. A unix-socket peer has no address at all. */
const TRUSTED_PEERS = new Set([undefined, '127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The client's address and scheme as a trusted proxy reports them. X-Forwarded-For is a list every proxy appends
 * to, so only its last entry (added by our own nginx) is trustworthy; anything before it came from the client.
 * @param {import('node:http').IncomingMessage} req
 */
export function clientOf(req) {
  const peer = req.socket.remoteAddress;
  if (!TRUSTED_PEERS.has(peer)) return { ip: peer ?? null, proto: 'http', viaProxy: false };
  const forwardedFor = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return { ip: forwardedFor.at(-1) ?? peer ?? null, proto, viaProxy: forwardedFor.length > 0 };
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `GET /` echoes the forwarded headers and the client as derived from them; `GET /pid` answers this worker's
 * pid; `GET /slow?ms=N` answers after N ms (at most 2000), so a reload finds requests in flight.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export async function app(req, res) {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  res.setHeader('x-worker-pid', String(process.pid));
  if (url.pathname === '/pid') {
    res.setHeader('content-type', 'text/plain');
    res.end(String(process.pid));
    return;
  }
  if (url.pathname === '/slow') {
    await sleep(Math.min(Number(url.searchParams.get('ms')) || 0, 2000));
    res.setHeader('content-type', 'text/plain');
    res.end(String(process.pid));
    return;
  }
  if (url.pathname !== '/') {
    res.statusCode = 404;
    res.end('not found\n');
    return;
  }
  const h = req.headers;
  const body = {
    pid: process.pid,
    peer: req.socket.remoteAddress ?? 'unix socket',
    host: h.host ?? null,
    forwardedFor: h['x-forwarded-for'] ?? null,
    forwardedProto: h['x-forwarded-proto'] ?? null,
    forwardedHost: h['x-forwarded-host'] ?? null,
    realIp: h['x-real-ip'] ?? null,
    client: clientOf(req),
  };
  res.setHeader('content-type', 'application/json');
  res.end(`${JSON.stringify(body)}\n`);
}
