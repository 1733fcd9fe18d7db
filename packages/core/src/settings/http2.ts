/** Settings of the "HTTP/2" section: which protocols tgun offers and the HTTP/2 SETTINGS values it sends. */
import { defineSetting, SettingValueError, type Validator } from './types.js';
import { int, list } from './validators.js';
import { choice } from './validators-extra.js';

type HttpProtocol = 'h1' | 'h2';
const protocolName = choice<HttpProtocol>(['h1', 'h2']);

type CleartextMode = 'off' | 'prior-knowledge' | 'upgrade' | 'both';
const cleartextName = choice<CleartextMode>(['off', 'prior-knowledge', 'upgrade', 'both']);

/**
 * gunicorn's four modes are all named, but `upgrade` (and so `both`) is refused with the reason: Node's `http2`
 * module can only start a session on a fresh connection, so it cannot answer an HTTP/1.1 request with
 * `101 Switching Protocols` and carry on as HTTP/2 on that stream, as RFC 7540 §3.2 asks.
 */
const cleartextMode: Validator<CleartextMode> = (raw) => {
  const mode = cleartextName(raw);
  if (mode === 'upgrade' || mode === 'both') {
    throw new SettingValueError(
      `'${mode}' needs the HTTP/1.1 Upgrade to h2c, which Node's http2 module cannot do; use 'prior-knowledge'`,
    );
  }
  return mode;
};

/** An ordered, duplicate-free, non-empty list of protocols; gunicorn's `h3` gets a reason, not a bare refusal. */
const protocolList: Validator<HttpProtocol[]> = (raw) => {
  const items = list((p) => {
    if (typeof p === 'string' && p.trim().toLowerCase() === 'h3') {
      throw new SettingValueError('h3 (HTTP/3 over QUIC) is not available in Node 20; use h1 and h2');
    }
    return protocolName(p);
  })(raw);
  if (items.length === 0) throw new SettingValueError('must name at least one protocol');
  if (new Set(items).size !== items.length) throw new SettingValueError('lists a protocol twice');
  return items;
};

const httpProtocols = defineSetting({
  name: 'httpProtocols',
  section: 'HTTP/2',
  gunicorn: 'http_protocols',
  cli: { flags: ['--http-protocols'], metavar: 'LIST' },
  default: ['h1'] as HttpProtocol[],
  validate: protocolList,
  typeText: "('h1' | 'h2')[]",
  summary: 'The HTTP versions to offer, in order of preference: h1, h2.',
  description: [
    'Comma-separated: `h1` is HTTP/1.1, `h2` is HTTP/2. Over TLS the list is offered through ALPN, so `h2,h1`',
    'serves HTTP/2 to clients that support it and HTTP/1.1 to the rest; Node always prefers h2 when both are',
    'offered, so the order only says which protocols are on. `h2` alone refuses clients without it. Without TLS,',
    "HTTP/2 needs `http2Cleartext`. Apps see HTTP/2 requests through Node's compatibility API, with the same",
    '`(req, res)` shape as HTTP/1.1.',
  ].join('\n'),
});

const http2Cleartext = defineSetting({
  name: 'http2Cleartext',
  section: 'HTTP/2',
  gunicorn: 'http2_cleartext',
  cli: { flags: ['--http2-cleartext'], metavar: 'MODE' },
  default: 'off' as CleartextMode,
  validate: cleartextMode,
  typeText: "'off' | 'prior-knowledge' | 'upgrade' | 'both'",
  summary: "HTTP/2 without TLS (h2c): 'off' or 'prior-knowledge' ('upgrade' and 'both' are refused).",
  description: [
    'How a plain-TCP connection may speak HTTP/2, when `httpProtocols` includes `h2`:',
    '',
    '- `off`: never; cleartext connections are HTTP/1.1;',
    '- `prior-knowledge`: a client that opens with the HTTP/2 preface (`curl --http2-prior-knowledge`, gRPC,',
    '  a proxy configured for h2c) speaks HTTP/2 at once;',
    '- `upgrade` (an HTTP/1.1 request with `Upgrade: h2c` switching the connection) and `both` are refused:',
    "  Node's http2 module can only start a session on a fresh connection.",
    '',
    'Only peers in `forwardedAllowIps` may speak h2c, as in gunicorn; other peers are served HTTP/1.1 (their',
    'HTTP/2 preface is refused). Meant for a trusted proxy in front of tgun; browsers never use h2c.',
  ].join('\n'),
});

const windowSize = int({ min: 0, max: 2 ** 31 - 1 });

const http2MaxConcurrentStreams = defineSetting({
  name: 'http2MaxConcurrentStreams',
  section: 'HTTP/2',
  gunicorn: 'http2_max_concurrent_streams',
  cli: { flags: ['--http2-max-concurrent-streams'], metavar: 'INT' },
  default: 100,
  validate: int({ min: 1, max: 2 ** 32 - 1 }),
  typeText: 'int',
  summary: 'The maximum number of concurrent streams on one HTTP/2 connection.',
  description: 'The `SETTINGS_MAX_CONCURRENT_STREAMS` value sent to clients (Node: `maxConcurrentStreams`).',
});

const http2InitialWindowSize = defineSetting({
  name: 'http2InitialWindowSize',
  section: 'HTTP/2',
  gunicorn: 'http2_initial_window_size',
  cli: { flags: ['--http2-initial-window-size'], metavar: 'INT' },
  default: 65535,
  validate: windowSize,
  typeText: 'int',
  summary: 'The initial HTTP/2 flow-control window per stream, in bytes.',
  description: [
    'The `SETTINGS_INITIAL_WINDOW_SIZE` value (Node: `initialWindowSize`), at most 2147483647. Larger windows',
    'speed up big uploads on high-latency links at the cost of memory per stream.',
  ].join('\n'),
});

const http2MaxFrameSize = defineSetting({
  name: 'http2MaxFrameSize',
  section: 'HTTP/2',
  gunicorn: 'http2_max_frame_size',
  cli: { flags: ['--http2-max-frame-size'], metavar: 'INT' },
  default: 16384,
  validate: int({ min: 16384, max: 16777215 }),
  typeText: 'int',
  summary: 'The largest HTTP/2 frame payload accepted, in bytes (16384 to 16777215).',
  description: 'The `SETTINGS_MAX_FRAME_SIZE` value (Node: `maxFrameSize`); RFC 9113 allows 16384 to 16777215.',
});

const http2MaxHeaderListSize = defineSetting({
  name: 'http2MaxHeaderListSize',
  section: 'HTTP/2',
  gunicorn: 'http2_max_header_list_size',
  cli: { flags: ['--http2-max-header-list-size'], metavar: 'INT' },
  default: 65536,
  validate: int({ min: 0, max: 2 ** 32 - 1 }),
  typeText: 'int',
  summary: 'The largest header list accepted on an HTTP/2 request, in bytes.',
  description: [
    "The `SETTINGS_MAX_HEADER_LIST_SIZE` value (Node: `maxHeaderListSize`): the total size of a request's",
    'headers after decompression, counted as RFC 9113 does (name + value + 32 per field). Node advertises it',
    'but does not enforce it, so tgun answers a larger list with 431 and logs the request.',
  ].join('\n'),
});

/** The "HTTP/2" section, in reference order. */
export const HTTP2_SETTINGS = [
  httpProtocols,
  http2Cleartext,
  http2MaxConcurrentStreams,
  http2InitialWindowSize,
  http2MaxFrameSize,
  http2MaxHeaderListSize,
] as const;
