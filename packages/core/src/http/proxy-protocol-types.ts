/**
 * The result and error types shared by the PROXY protocol reader (`proxy-protocol.ts`) and the v2 decoder
 * (`proxy-protocol-v2.ts`), kept apart so neither imports the other's module.
 */

/** gunicorn's `proxy_protocol` values: `auto` accepts either version; in every mode the header is optional. */
export type ProxyProtocolMode = 'off' | 'v1' | 'v2' | 'auto';

/** A header that carries the real client: the addresses the app should see. */
export interface ProxiedConnection {
  readonly version: 1 | 2;
  readonly command: 'proxy';
  readonly family: 'tcp4' | 'tcp6';
  /** The client's address (gunicorn's `REMOTE_ADDR` override). */
  readonly remoteAddress: string;
  /** The client's port (`REMOTE_PORT`). */
  readonly remotePort: number;
  /** The address the client connected to on the proxy, i.e. the header's destination (`PROXY_ADDR`). */
  readonly proxyAddress: string;
  /** The port the client connected to on the proxy (`PROXY_PORT`). */
  readonly proxyPort: number;
}

/**
 * A header that says "use the connection's own addresses": v2 LOCAL (proxy health checks), v2 UNSPEC or UNIX
 * families, and v1 `UNKNOWN`.
 */
export interface LocalConnection {
  readonly version: 1 | 2;
  readonly command: 'local';
}

/** A parsed PROXY protocol header. */
export type ProxyHeader = ProxiedConnection | LocalConnection;

/**
 * Why a connection's PROXY header was refused. `status` is what to answer before closing: 400 for a malformed
 * header, 403 for a peer outside `proxy_allow_ips`, 408 when the header did not arrive in time; `undefined` when
 * the connection closed or failed first and there is no one to answer.
 */
export class ProxyProtocolError extends Error {
  override name = 'ProxyProtocolError';
  readonly status: 400 | 403 | 408 | undefined;
  constructor(message: string, status: 400 | 403 | 408 | undefined) {
    super(message);
    this.status = status;
  }
}
