/**
 * Settings of the "SSL" section: serving HTTPS directly. All of them also reach the `sslContext` hook, which
 * can replace the TLS options tgun builds from them.
 */
import { defineSetting, SettingValueError, type Validator } from './types.js';
import { optionalString } from './validators.js';
import { choice } from './validators-extra.js';

/** Client-certificate modes, as Python's `ssl.CERT_*` numbers that gunicorn configs use. */
type CertReqs = 0 | 1 | 2;

const CERT_REQS_WORDS: Readonly<Record<string, CertReqs>> = {
  '0': 0,
  '1': 1,
  '2': 2,
  none: 0,
  optional: 1,
  required: 2,
  cert_none: 0,
  cert_optional: 1,
  cert_required: 2,
};

const certReqsMode: Validator<CertReqs> = (raw) => {
  if (raw === 0 || raw === 1 || raw === 2) return raw;
  const hit = typeof raw === 'string' ? CERT_REQS_WORDS[raw.trim().toLowerCase()] : undefined;
  if (hit !== undefined) return hit;
  throw new SettingValueError(`expected 0, 1, 2, none, optional or required, got ${JSON.stringify(raw) ?? raw}`);
};

const keyfile = defineSetting({
  name: 'keyfile',
  section: 'SSL',
  gunicorn: 'keyfile',
  cli: { flags: ['--keyfile'], metavar: 'FILE' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The TLS private key file (PEM).',
  description: [
    'Path of the PEM private key for `certfile`. tgun serves HTTPS on every `bind` address when `keyfile` or',
    '`certfile` is set; the files are read when workers start, and a missing or invalid one is an error that',
    'names the file.',
  ].join('\n'),
});

const certfile = defineSetting({
  name: 'certfile',
  section: 'SSL',
  gunicorn: 'certfile',
  cli: { flags: ['--certfile'], metavar: 'FILE' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The TLS certificate file (PEM), with any intermediate certificates.',
  description: [
    'Path of the PEM certificate chain: the server certificate first, then the intermediates. Setting it (or',
    '`keyfile`) turns HTTPS on for every `bind` address.',
  ].join('\n'),
});

const caCerts = defineSetting({
  name: 'caCerts',
  section: 'SSL',
  gunicorn: 'ca_certs',
  cli: { flags: ['--ca-certs'], metavar: 'FILE' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'A PEM bundle of the CA certificates that client certificates are checked against.',
  description: [
    "The certificate authorities trusted to sign client certificates (Node's `ca` option); used with",
    "`certReqs` 1 or 2. Without it, Node's bundled root certificates are used.",
  ].join('\n'),
});

const certReqs = defineSetting({
  name: 'certReqs',
  section: 'SSL',
  gunicorn: 'cert_reqs',
  cli: { flags: ['--cert-reqs'], metavar: 'MODE' },
  default: 0 as const,
  validate: certReqsMode,
  typeText: '0 | 1 | 2',
  summary: 'Whether clients must present a certificate: 0 none, 1 optional, 2 required.',
  description: [
    "Client-certificate verification, with Python's `ssl.CERT_*` numbers as in gunicorn configs:",
    '',
    '- `0` (`none`): no client certificate is asked for;',
    '- `1` (`optional`): one is asked for and verified against `caCerts` if sent, but a client without one',
    '  (or with an invalid one) is still served; the app can inspect `req.socket.authorized`;',
    '- `2` (`required`): connections without a valid client certificate are refused.',
    '',
    'The words `none`, `optional` and `required` are accepted and stored as the number.',
  ].join('\n'),
});

const ciphers = defineSetting({
  name: 'ciphers',
  section: 'SSL',
  gunicorn: 'ciphers',
  cli: { flags: ['--ciphers'], metavar: 'CIPHERS' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The TLS ciphers to offer, as an OpenSSL cipher list.',
  description: [
    'An OpenSSL cipher list (`ECDHE+AESGCM:!aNULL`), passed to Node as the `ciphers` option; TLS 1.3 suites',
    "are named as such (`TLS_AES_256_GCM_SHA384`). `null`: Node's default list, which is secure and current.",
  ].join('\n'),
});

const sslMinVersion = defineSetting({
  name: 'sslMinVersion',
  section: 'SSL',
  cli: { flags: ['--ssl-min-version'], metavar: 'VERSION' },
  default: 'TLSv1.2' as const,
  validate: choice(['TLSv1.2', 'TLSv1.3']),
  typeText: "'TLSv1.2' | 'TLSv1.3'",
  summary: "The oldest TLS version accepted: 'TLSv1.2' or 'TLSv1.3'.",
  description: [
    "Node's `minVersion`. Older versions are not offered. It replaces gunicorn's `ssl_version`, which",
    'gunicorn itself deprecated and ignores.',
  ].join('\n'),
});

/** The "SSL" section, in reference order. */
export const SSL_SETTINGS = [keyfile, certfile, caCerts, certReqs, ciphers, sslMinVersion] as const;
