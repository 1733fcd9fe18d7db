/**
 * Settings of the "Security" section: request limits and how strictly requests are parsed. Node's own parser
 * (llhttp) is already strict where gunicorn 22–23 became strict, so several gunicorn switches only exist here
 * so that translated configs load; their descriptions say so.
 */
import { defineSetting } from './types.js';
import { bool, int, list } from './validators.js';
import { choice, headerName, mapped } from './validators-extra.js';

const MAX_REQUEST_LINE = 8190;
const MAX_FIELDS = 32768;
const DEFAULT_FIELD_SIZE = 8190;

const limitRequestLine = defineSetting({
  name: 'limitRequestLine',
  section: 'Security',
  gunicorn: 'limit_request_line',
  cli: { flags: ['--limit-request-line'], metavar: 'INT' },
  default: 4094,
  validate: mapped(int({ min: 0 }), (n) => (n === 0 ? 0 : Math.min(n, MAX_REQUEST_LINE))),
  typeText: 'int',
  summary: 'The maximum size of the HTTP request line in bytes (0 = unlimited, at most 8190).',
  description: [
    'The longest request line (`GET /path?query HTTP/1.1`) accepted, in bytes. A longer one is refused before',
    'the app sees the request. It limits the length of URLs, which guards against some denial-of-service',
    'attacks. `0` means no limit of its own; values above 8190 are taken as 8190, as in gunicorn.',
    '',
    "Node's parser has no separate request-line limit: its `maxHeaderSize` (16 KiB by default) covers the",
    'request line and the headers together. tgun sizes it from the three `limitRequest*` settings.',
  ].join('\n'),
});

const limitRequestFields = defineSetting({
  name: 'limitRequestFields',
  section: 'Security',
  gunicorn: 'limit_request_fields',
  cli: { flags: ['--limit-request-fields'], metavar: 'INT' },
  default: 100,
  validate: mapped(int({ min: Number.MIN_SAFE_INTEGER }), (n) => (n <= 0 || n > MAX_FIELDS ? MAX_FIELDS : n)),
  typeText: 'int',
  summary: 'The maximum number of header fields in a request (at most 32768).',
  description: [
    'The most header fields one request may carry; a request with more is refused before it reaches the app.',
    'As in gunicorn, `0`, negative values and values above 32768 are taken as 32768. Headers dropped by',
    '`headerMap` do not count.',
  ].join('\n'),
});

const limitRequestFieldSize = defineSetting({
  name: 'limitRequestFieldSize',
  section: 'Security',
  gunicorn: 'limit_request_field_size',
  cli: { flags: ['--limit-request-field_size'], metavar: 'INT' },
  default: DEFAULT_FIELD_SIZE,
  validate: mapped(int({ min: 0 }), (n) => (n === 0 ? DEFAULT_FIELD_SIZE : n)),
  typeText: 'int',
  summary: 'The maximum size of one header field in bytes (0 = the default, 8190).',
  description: [
    'The longest header line (`Name: value`) accepted, in bytes; a request with a longer one is refused before',
    'it reaches the app. `0` is taken as 8190: gunicorn documents `0` as "unlimited" but has always applied',
    '8190, and tgun does the same.',
    '',
    "The flag keeps gunicorn's spelling, with an underscore: `--limit-request-field_size`.",
  ].join('\n'),
});

const permitObsoleteFolding = defineSetting({
  name: 'permitObsoleteFolding',
  section: 'Security',
  gunicorn: 'permit_obsolete_folding',
  cli: { flags: ['--permit-obsolete-folding'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'No effect on Node: folded header lines are always refused.',
  description: [
    'In gunicorn, accepts header values continued on the next line (obs-fold, deprecated by RFC 9112).',
    "Node's parser refuses such requests with 400 and has no option to allow folding alone (its",
    '`insecureHTTPParser` mode would also relax framing checks that guard against request smuggling), so on',
    'tgun this switch is accepted for compatibility and changes nothing.',
  ].join('\n'),
});

const permitUnconventionalHttpMethod = defineSetting({
  name: 'permitUnconventionalHttpMethod',
  section: 'Security',
  gunicorn: 'permit_unconventional_http_method',
  cli: { flags: ['--permit-unconventional-http-method'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: "No effect on Node: only the methods Node's parser knows are accepted.",
  description: [
    'In gunicorn, accepts methods that are lowercase, contain `#`, or are shorter than 3 or longer than 20',
    "characters. Node's parser accepts only the uppercase methods listed in `http.METHODS` and answers 400 to",
    'anything else, whatever this switch says; it is accepted so gunicorn configs load.',
  ].join('\n'),
});

const permitUnconventionalHttpVersion = defineSetting({
  name: 'permitUnconventionalHttpVersion',
  section: 'Security',
  gunicorn: 'permit_unconventional_http_version',
  cli: { flags: ['--permit-unconventional-http-version'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Accept HTTP/1 request lines with versions other than 1.0 and 1.1.',
  description: [
    "By default a request line must say `HTTP/1.0` or `HTTP/1.1`, and others get 400, as in gunicorn. Node's",
    'parser on its own also lets `HTTP/0.9` and `HTTP/2.0` request lines through; turn this on to allow those',
    '(other versions are refused by Node regardless).',
  ].join('\n'),
});

const casefoldHttpMethod = defineSetting({
  name: 'casefoldHttpMethod',
  section: 'Security',
  gunicorn: 'casefold_http_method',
  cli: { flags: ['--casefold-http-method'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'No effect on Node: methods are always uppercase.',
  description: [
    "In gunicorn, uppercases the request method (its behaviour before 22.0). Node's parser only accepts",
    'uppercase methods, so there is never anything to fold; accepted for compatibility.',
  ].join('\n'),
});

const headerMap = defineSetting({
  name: 'headerMap',
  section: 'Security',
  gunicorn: 'header_map',
  cli: { flags: ['--header-map'], metavar: 'MODE' },
  default: 'drop' as const,
  validate: choice(['drop', 'refuse', 'dangerous']),
  typeText: "'drop' | 'refuse' | 'dangerous'",
  summary: "What to do with header names containing '_': drop, refuse or dangerous.",
  description: [
    'Header names with an underscore (`X_Forwarded_For`) are a spoofing risk: many stacks treat `_` and `-`',
    "alike (CGI and WSGI turn both into `HTTP_X_FORWARDED_FOR`), so a client could shadow a proxy's header.",
    "Node's parser passes them through unchanged. With:",
    '',
    '- `drop` (default): such headers are removed before the app sees the request;',
    '- `refuse`: the request gets 400;',
    '- `dangerous`: they are passed to the app as sent.',
    '',
    'Headers listed in `forwarderHeaders` and sent by a trusted peer are always kept.',
  ].join('\n'),
});

const forwarderHeaders = defineSetting({
  name: 'forwarderHeaders',
  section: 'Security',
  gunicorn: 'forwarder_headers',
  cli: { flags: ['--forwarder-headers'], metavar: 'NAMES' },
  default: ['SCRIPT_NAME', 'PATH_INFO'],
  validate: list(headerName),
  typeText: 'string[]',
  summary: "Headers with '_' in their name that a trusted proxy may still send.",
  description: [
    'Comma-separated header names (case-insensitive) that are kept despite `headerMap` when the peer is',
    'trusted (`forwardedAllowIps`); `*` keeps every underscore header from trusted peers.',
    '',
    "In gunicorn this lets a proxy set WSGI variables: a `SCRIPT_NAME` header becomes the app's mount prefix.",
    'Node has no WSGI environ, so on tgun such headers simply reach the app as ordinary headers',
    "(`req.headers['script_name']`); no framework acts on them. The default keeps gunicorn's two names so that",
    'an app that reads them behaves the same.',
  ].join('\n'),
});

/** The "Security" section, in reference order. */
export const SECURITY_SETTINGS = [
  limitRequestLine,
  limitRequestFields,
  limitRequestFieldSize,
  permitObsoleteFolding,
  permitUnconventionalHttpMethod,
  permitUnconventionalHttpVersion,
  casefoldHttpMethod,
  headerMap,
  forwarderHeaders,
] as const;
