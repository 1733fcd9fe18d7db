/**
 * The control protocol: newline-delimited JSON over a unix socket, one request per line, one reply per request
 * in order. Every reply carries the protocol version `v`, so a `tgun ctl` from another release can say so instead
 * of misreading the answer.
 *
 * ```
 * → {"id":1,"v":1,"cmd":"scale","args":{"by":2}}
 * ← {"v":1,"id":1,"ok":true,"data":{"from":2,"to":4,"queued":[{"command":"ttin","count":2}]}}
 * ← {"v":1,"ok":false,"error":{"code":"unknown-command","message":"…"}}
 * ```
 */

/** Bumped whenever a request or reply changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** The longest request line the server reads; a longer one is an error and ends the connection. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Every command, by its wire name. */
export const COMMANDS = ['status', 'workers', 'reload', 'scale', 'stop', 'reopen-logs', 'config'] as const;
/** One of {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** A request id, echoed in the reply so a client can match pipelined requests. */
export type RequestId = string | number;

/** One request line. */
export interface ControlRequest {
  readonly id?: RequestId;
  /** The client's protocol version; when present and different from the server's, the request is refused. */
  readonly v?: number;
  readonly cmd: Command;
  readonly args?: Readonly<Record<string, unknown>>;
}

/**
 * Why a request failed. The first five are protocol errors: the server replies, then closes the connection.
 * `bad-args` and `failed` leave the connection open.
 */
export type ControlErrorCode =
  | 'bad-json'
  | 'bad-request'
  | 'unknown-command'
  | 'line-too-long'
  | 'version-mismatch'
  | 'busy'
  | 'bad-args'
  | 'failed';

/** Error codes after which the server closes the connection. */
export const FATAL_ERRORS: ReadonlySet<ControlErrorCode> = new Set([
  'bad-json',
  'bad-request',
  'unknown-command',
  'line-too-long',
  'version-mismatch',
  'busy',
]);

/** A successful reply; `data`'s shape depends on the command. */
export interface OkReply<T = unknown> {
  readonly v: number;
  readonly id?: RequestId;
  readonly ok: true;
  readonly data: T;
}

/** A failed request. */
export interface ErrorReply {
  readonly v: number;
  readonly id?: RequestId;
  readonly ok: false;
  readonly error: { readonly code: ControlErrorCode; readonly message: string };
}

/** Any reply. */
export type ControlReply<T = unknown> = OkReply<T> | ErrorReply;

/** Builds a success reply. */
export function okReply<T>(data: T, id?: RequestId): OkReply<T> {
  return id === undefined ? { v: PROTOCOL_VERSION, ok: true, data } : { v: PROTOCOL_VERSION, id, ok: true, data };
}

/** Builds an error reply. */
export function errorReply(code: ControlErrorCode, message: string, id?: RequestId): ErrorReply {
  const error = { code, message };
  return id === undefined ? { v: PROTOCOL_VERSION, ok: false, error } : { v: PROTOCOL_VERSION, id, ok: false, error };
}

/** The wire form of a message: one JSON line. */
export function encodeLine(message: ControlRequest | ControlReply): string {
  return `${JSON.stringify(message)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Whether `name` is a command the server knows. */
export function isCommand(name: unknown): name is Command {
  return typeof name === 'string' && (COMMANDS as readonly string[]).includes(name);
}

/** A line parsed into a request, or the error reply it deserves. */
export type ParsedRequest =
  | { readonly ok: true; readonly request: ControlRequest }
  | { readonly ok: false; readonly reply: ErrorReply };

/** Parses one request line (without its newline). */
export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reply: errorReply('bad-json', 'the request is not valid JSON (one JSON object per line)') };
  }
  if (!isRecord(value)) return { ok: false, reply: errorReply('bad-request', 'a request must be a JSON object') };
  const id = isId(value.id) ? value.id : undefined;
  const fail = (code: ControlErrorCode, message: string): ParsedRequest => ({
    ok: false,
    reply: errorReply(code, message, id),
  });
  if (value.v !== undefined && value.v !== PROTOCOL_VERSION) {
    return fail(
      'version-mismatch',
      `this arbiter speaks control protocol ${PROTOCOL_VERSION}, the client ${JSON.stringify(value.v)}`,
    );
  }
  if (typeof value.cmd !== 'string') return fail('bad-request', 'a request needs "cmd", a string');
  if (!isCommand(value.cmd)) {
    return fail('unknown-command', `unknown command ${JSON.stringify(value.cmd)}; known: ${COMMANDS.join(', ')}`);
  }
  if (value.args !== undefined && !isRecord(value.args)) return fail('bad-request', '"args" must be an object');
  const request: ControlRequest = {
    ...(id === undefined ? {} : { id }),
    ...(value.v === undefined ? {} : { v: PROTOCOL_VERSION }),
    cmd: value.cmd,
    ...(value.args === undefined ? {} : { args: value.args }),
  };
  return { ok: true, request };
}

/** Whether `value` looks like a reply of any protocol version (a version check comes next). */
export function isReply(value: unknown): value is ControlReply {
  if (!isRecord(value) || typeof value.v !== 'number' || typeof value.ok !== 'boolean') return false;
  if (value.ok) return 'data' in value;
  return isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string';
}
