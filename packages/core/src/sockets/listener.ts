/** One listening socket held by the arbiter, whichever way it was obtained. */

/** A socket the arbiter holds and passes to every worker. */
export interface Listener {
  /** The address as `Listening at:` prints it, with the real port when the bind asked for port 0. */
  readonly name: string;
  /** Identity for comparing binds across a HUP: the configured address, formatted. */
  readonly key: string;
  /** The descriptor in the arbiter. */
  readonly fd: number;
  /** The TCP host, for frameworks that want one when they listen on an fd; null for unix sockets. */
  readonly host: string | null;
  /** The socket file of a unix listener, for cleanup; null otherwise. */
  readonly path: string | null;
  /** `bound` by this arbiter, or `inherited` (systemd, `fd://N`, a USR2 parent). */
  readonly origin: 'bound' | 'inherited';
  /** Releases the arbiter's descriptor. Workers keep their own copies, so serving continues until they stop. */
  close(): void;
}
