/**
 * Builds the options of a TLS (`https`) server from gunicorn's SSL settings, reading and checking every file at
 * start-up so that a missing, unreadable or invalid certificate or key stops tgun before any worker boots, with
 * an error that names the file and the setting.
 *
 * | setting (gunicorn) | Node option |
 * |---|---|
 * | `certfile` | `cert` (a chain file works: leaf first) |
 * | `keyfile` | `key`; when unset, the key is read from `certfile`, as Python's `load_cert_chain` does |
 * | `ca_certs` | `ca` (the CAs client certificates are verified against) |
 * | `cert_reqs` 0 / 1 / 2 | `requestCert` false / true / true, `rejectUnauthorized` false / false / true |
 * | `ciphers` | `ciphers` (OpenSSL cipher list) |
 * | `ssl_min_version` (tgun) | `minVersion` |
 *
 * With `cert_reqs` 1 (optional) a client without a valid certificate is still served; the app sees
 * `req.socket.authorized === false` and `authorizationError`, like Python's `CERT_OPTIONAL`.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureVersion, type TlsOptions } from 'node:tls';

/** TLS versions accepted for {@link TlsSettings.sslMinVersion}. */
export const TLS_VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** The SSL settings, under the names the typed config uses. Empty strings count as unset. */
export interface TlsSettings {
  readonly certfile?: string | null | undefined;
  readonly keyfile?: string | null | undefined;
  readonly caCerts?: string | null | undefined;
  /** 0 no client certificate (default), 1 optional, 2 required; Python's `ssl.CERT_*` values. */
  readonly certReqs?: number | undefined;
  readonly ciphers?: string | null | undefined;
  /** Lowest TLS version offered; Node's default (TLSv1.2) when unset. */
  readonly sslMinVersion?: string | null | undefined;
}

/** A TLS setting or file tgun cannot use. `file` names the offending file when there is one. */
export class TlsConfigError extends Error {
  override name = 'TlsConfigError';
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super(message);
    this.file = file;
  }
}

function set(value: string | null | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.syscall !== undefined ? `${e.code}: ${e.message}` : String(e.message ?? e);
}

function readSettingFile(setting: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TlsConfigError(`${setting} '${path}' cannot be read (${reason(error)})`, path);
  }
}

function checkCertificate(setting: string, path: string, pem: Buffer): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new TlsConfigError(`${setting} '${path}' contains no PEM certificate`, path);
  }
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new TlsConfigError(`${setting} '${path}' is not a valid certificate (${reason(error)})`, path);
  }
}

/**
 * Checks the TLS settings and returns server options for `https.createServer` / `tls.createServer`, or
 * `undefined` when TLS is off (no `certfile` and no `keyfile`). Throws {@link TlsConfigError} naming the file
 * or setting at fault; the final check is a real `tls.createSecureContext`, which also catches a key that does
 * not belong to the certificate and a cipher list OpenSSL cannot use.
 */
export function buildTlsOptions(settings: TlsSettings): TlsOptions | undefined {
  const { certfile, keyfile, caCerts, ciphers, sslMinVersion } = settings;
  if (!set(certfile)) {
    if (set(keyfile)) throw new TlsConfigError(`keyfile '${keyfile}' is set but certfile is not`, keyfile);
    return undefined;
  }
  const certReqs = settings.certReqs ?? 0;
  if (certReqs !== 0 && certReqs !== 1 && certReqs !== 2) {
    throw new TlsConfigError(`cert_reqs must be 0 (none), 1 (optional) or 2 (required), got ${certReqs}`);
  }
  if (set(sslMinVersion) && !TLS_VERSIONS.includes(sslMinVersion as SecureVersion)) {
    throw new TlsConfigError(`ssl_min_version must be one of ${TLS_VERSIONS.join(', ')}, got '${sslMinVersion}'`);
  }

  const cert = readSettingFile('certfile', certfile);
  checkCertificate('certfile', certfile, cert);
  const keyPath = set(keyfile) ? keyfile : certfile;
  const key = keyPath === certfile ? cert : readSettingFile('keyfile', keyPath);
  try {
    createPrivateKey(key);
  } catch (error) {
    const which = set(keyfile) ? 'keyfile' : 'certfile (no keyfile given)';
    throw new TlsConfigError(`${which} '${keyPath}' holds no usable private key (${reason(error)})`, keyPath);
  }
  let ca: Buffer | undefined;
  if (set(caCerts)) {
    ca = readSettingFile('ca_certs', caCerts);
    checkCertificate('ca_certs', caCerts, ca);
  }

  const options: TlsOptions = {
    cert,
    key,
    requestCert: certReqs !== 0,
    rejectUnauthorized: certReqs === 2,
  };
  if (ca !== undefined) options.ca = ca;
  if (set(ciphers)) options.ciphers = ciphers;
  if (set(sslMinVersion)) options.minVersion = sslMinVersion as SecureVersion;

  try {
    createSecureContext(options);
  } catch (error) {
    const message = reason(error);
    if (/cipher/i.test(message)) throw new TlsConfigError(`ciphers '${ciphers}' rejected by OpenSSL (${message})`);
    throw new TlsConfigError(
      `certfile '${certfile}' and keyfile '${keyPath}' cannot be used together (${message})`,
      keyPath === certfile ? certfile : keyPath,
    );
  }
  return options;
}
