/**
 * A throwaway self-signed certificate for TLS tests, made with the `openssl` CLI: an EC (P-256) key and a
 * certificate for `127.0.0.1` (CN localhost), valid two days, in a fresh temp directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The certificate's files and its PEM text (what a client passes as `ca`). */
export interface TestCertificate {
  readonly dir: string;
  /** Path of the certificate (`--certfile`). */
  readonly cert: string;
  /** Path of the unencrypted private key (`--keyfile`). */
  readonly key: string;
  readonly pem: Buffer;
}

/** Whether the `openssl` CLI is available to {@link selfSignedCertificate}. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Makes a certificate in a new directory under the temp dir whose name starts with `prefix`. */
export function selfSignedCertificate(prefix = 'tgun-cert-'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cert = join(dir, 'c.pem');
  const key = join(dir, 'k.pem');
  const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key];
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'];
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-out', cert, '-days', '2', ...subject], { stdio: 'ignore' });
  return { dir, cert, key, pem: readFileSync(cert) };
}
