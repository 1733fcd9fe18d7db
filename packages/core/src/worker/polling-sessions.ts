/**
 * socket.io's long-polling transport across several workers. A polling session lives in the worker that
 * created it, and every later poll of the session must reach that worker; with one accept queue shared by all
 * workers it usually does not, and engine.io answers `400 {"code":1,"message":"Session ID unknown"}`. The
 * client then reconnects over and over, which looks like a flaky network. tgun cannot give polling the
 * stickiness it needs, so it says so, once per worker, the first time it happens.
 *
 * Only the URL is looked at (engine.io's `EIO=` protocol parameter with `sid=` and `transport=polling`), and only
 * a matching request gets a listener, so other requests pay one substring search.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/types.js';

const ADVICE =
  'a socket.io long-polling request reached a worker that does not hold its session (400 Session ID unknown). ' +
  "Polling needs every request of a session on one worker, which tgun's shared accept queue cannot give: with " +
  "several workers use the websocket transport only (client option transports: ['websocket']), or serve " +
  'socket.io from one worker. See docs/long-lived.md.';

/** Returns a per-request check that warns once when a polling session is unknown to this worker. */
export function pollingSessionWatch(log: Logger | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  let warned = false;
  return (req, res) => {
    if (warned) return;
    const url = req.url;
    if (url === undefined || !url.includes('EIO=') || !url.includes('sid=') || !url.includes('transport=polling'))
      return;
    res.once('finish', () => {
      if (warned || res.statusCode !== 400) return;
      warned = true;
      log?.warning(`Worker ${process.pid}: ${ADVICE}`);
    });
  };
}
