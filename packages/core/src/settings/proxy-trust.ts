/**
 * The "Server Mechanics" section, second part: which peers are trusted to say what the client's scheme and
 * address are, through forwarding headers or the PROXY protocol.
 */
import { defineSetting, SettingValueError, type Validator } from './types.js';
import { ipOrNetwork, list, stringMap } from './validators.js';
import { choice } from './validators-extra.js';

const ipList = list(ipOrNetwork);
const LOOPBACK = ['127.0.0.1', '::1'];

const PROXY_MODES = ['off', 'v1', 'v2', 'auto'] as const;
const proxyMode = choice(PROXY_MODES);

/** gunicorn before 24.1 had a boolean `proxy_protocol`; config files written for it keep working. */
const proxyProtocolMode: Validator<(typeof PROXY_MODES)[number]> = (raw) => {
  if (raw === true) return 'auto';
  if (raw === false) return 'off';
  try {
    return proxyMode(raw);
  } catch (err) {
    throw new SettingValueError(`${(err as Error).message} (true means auto, false means off)`);
  }
};

const secureSchemeHeaders = defineSetting({
  name: 'secureSchemeHeaders',
  section: 'Server Mechanics',
  gunicorn: 'secure_scheme_headers',
  default: { 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' },
  validate: stringMap,
  typeText: 'Record<string, string>',
  summary: 'Headers, and their values, by which a trusted proxy says a request came in over HTTPS.',
  description: [
    'When a peer listed in `forwardedAllowIps` sends one of these headers (names are case-insensitive) with',
    'exactly the value given, tgun treats the request as HTTPS; with any other value, as HTTP. Headers that',
    'disagree with each other get 400. Headers from untrusted peers are ignored.',
    '',
    'Only settable in a config file. Make sure the proxy always sets (and so overwrites) at least one of them.',
    'The default is',
    "`{ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' }`.",
  ].join('\n'),
});

const forwardedAllowIps = defineSetting({
  name: 'forwardedAllowIps',
  section: 'Server Mechanics',
  gunicorn: 'forwarded_allow_ips',
  cli: { flags: ['--forwarded-allow-ips'], metavar: 'IPS' },
  env: 'FORWARDED_ALLOW_IPS',
  default: (env: NodeJS.ProcessEnv): string[] =>
    env.FORWARDED_ALLOW_IPS ? ipList(env.FORWARDED_ALLOW_IPS) : [...LOOPBACK],
  defaultText: '`127.0.0.1,::1`, or `$FORWARDED_ALLOW_IPS` when set',
  validate: ipList,
  typeText: 'string[]',
  summary: 'Proxy addresses (IPs or CIDR networks, or *) trusted with forwarding headers.',
  description: [
    'Comma-separated IPv4/IPv6 addresses and CIDR networks (`10.0.0.0/8`, `fd00::/8`) of the proxies whose',
    '`secureSchemeHeaders` and `forwarderHeaders` are believed. `*` trusts every peer: use it only when tgun',
    'can be reached through the proxy alone. Peers on a unix socket are always trusted. An IPv4-mapped IPv6',
    'peer (`::ffff:10.0.0.1`) matches its IPv4 form.',
    '',
    'Like gunicorn, tgun does not rewrite the client address from `X-Forwarded-For`; configure your',
    "framework's proxy trust for that (Express `trust proxy`, Koa `app.proxy`, Fastify `trustProxy`), or use",
    '`proxyProtocol`. When the environment variable `FORWARDED_ALLOW_IPS` is set, it is the default.',
  ].join('\n'),
});

const proxyProtocol = defineSetting({
  name: 'proxyProtocol',
  section: 'Server Mechanics',
  gunicorn: 'proxy_protocol',
  cli: { flags: ['--proxy-protocol'], metavar: 'MODE', optionalValue: true, constValue: 'auto' },
  default: 'off' as const,
  validate: proxyProtocolMode,
  typeText: "'off' | 'v1' | 'v2' | 'auto'",
  summary: "Accept the PROXY protocol from trusted peers: 'off', 'v1', 'v2' or 'auto'.",
  description: [
    "HAProxy's PROXY protocol lets a TCP load balancer (HAProxy, nginx `proxy_protocol`, AWS NLB/ELB) put the",
    "client's real address in front of the connection's first bytes. With it on, tgun reads that header",
    "(version 1 text, version 2 binary, or either with `auto`) and the app sees the client's address instead",
    "of the balancer's. Connections without a header are served as usual. The flag alone",
    '(`--proxy-protocol`) means `auto`; in a config file `true` means `auto` and `false` means `off`.',
    '',
    'Only peers in `proxyAllowIps` may send the header; from any other peer it is refused with 403.',
  ].join('\n'),
});

const proxyAllowIps = defineSetting({
  name: 'proxyAllowIps',
  section: 'Server Mechanics',
  gunicorn: 'proxy_allow_ips',
  cli: { flags: ['--proxy-allow-from'], metavar: 'IPS' },
  default: [...LOOPBACK],
  validate: ipList,
  typeText: 'string[]',
  summary: 'Addresses (IPs or CIDR networks, or *) allowed to send a PROXY protocol header.',
  description: [
    'Comma-separated IPv4/IPv6 addresses and CIDR networks of the load balancers allowed to send a PROXY',
    'protocol header; `*` allows every peer. Peers on a unix socket are always allowed. Only used when',
    '`proxyProtocol` is on.',
  ].join('\n'),
});

/** The "Server Mechanics" section, second part, in reference order. */
export const PROXY_TRUST_SETTINGS = [secureSchemeHeaders, forwardedAllowIps, proxyProtocol, proxyAllowIps] as const;
