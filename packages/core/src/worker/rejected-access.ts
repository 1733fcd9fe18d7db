/**
 * An access-log record for a request Node's parser rejected before any `ServerResponse` existed (a malformed
 * head, a header overflow, a slow client cut off with 408). gunicorn logs these answers like any other; the
 * request line is read back from the bytes Node hands the `clientError` listener, when they hold one.
 */
import type { Socket } from 'node:net';
import type { AccessRecord } from '../logging/access-atoms.js';

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) (\S{1,8190}) HTTP\/(\d\.\d)\r?\n/;
const NO_HEADERS = { getHeader: () => undefined };

/** The method, target and version of the first line of `raw`, when it is a well-formed request line. */
function requestLine(raw: Buffer | undefined): { method: string; url: string; version: string } | null {
  if (raw === undefined || raw.length === 0) return null;
  const m = REQUEST_LINE.exec(raw.subarray(0, 8300).toString('latin1'));
  return m ? { method: m[1] as string, url: m[2] as string, version: m[3] as string } : null;
}

/** The record for `status` answered with a `bytes`-long body on `socket`, from the rejected bytes `raw`. */
export function rejectedRecord(socket: Socket, status: number, bytes: number, raw?: Buffer): AccessRecord {
  const line = requestLine(raw);
  return {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    method: line?.method ?? '-',
    url: line?.url ?? '-',
    httpVersion: line?.version ?? '1.1',
    status,
    bytesSent: bytes,
    requestHeaders: {},
    response: NO_HEADERS,
    startTime: process.hrtime.bigint(),
    durationNs: 0n,
    pid: process.pid,
  };
}
