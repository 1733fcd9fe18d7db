/**
 * Creating the arbiter's listeners from `--bind`: TCP (names resolved at bind time), IPv6, unix sockets
 * (stale file replaced, bound under `--umask`) and `fd://N`. A failing bind is retried like gunicorn's
 * (5 tries, 1 s apart, the same log lines) before the arbiter gives up with TGUN_ERR_BIND.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TgunError } from '../errors.js';
import type { Logger } from '../logging/types.js';
import { type BindAddress, formatAddress, parseAddress } from './address.js';
import { bindOnly } from './bind.js';
import { adoptFd } from './inherit.js';
import type { Listener } from './listener.js';
import { checkSocketDir, chownSocket, removeStaleSocket, unlinkSocket, withUmask } from './unix.js';

/** How listeners are created. */
export interface BindOptions {
  readonly umask: number;
  readonly log: Logger;
  /** Owner for unix socket files (the worker user), or null to leave them as created. */
  readonly owner?: { readonly uid: number | null; readonly gid: number | null };
  /** Attempts per address; gunicorn's 5 unless a test wants fewer. */
  readonly tries?: number;
  /** Pause between attempts, in ms. */
  readonly retryDelayMs?: number;
}

async function bindOnce(addr: BindAddress, opts: BindOptions): Promise<Listener> {
  const key = formatAddress(addr);
  if (addr.kind === 'fd') return adoptFd(addr.fd, key);
  if (addr.kind === 'unix') {
    const path = addr.path;
    checkSocketDir(path);
    removeStaleSocket(path);
    const handle = withUmask(opts.umask, () => bindOnly({ path }));
    chownSocket(path, opts.owner?.uid ?? null, opts.owner?.gid ?? null);
    return {
      name: key,
      key,
      fd: handle.fd,
      host: null,
      path,
      origin: 'bound',
      close: () => {
        handle.close();
        unlinkSocket(path);
      },
    };
  }
  const host = isIP(addr.host) ? addr.host : (await lookup(addr.host)).address;
  const handle = bindOnly({ host, port: addr.port });
  const port = handle.local?.port ?? addr.port;
  return {
    name: formatAddress({ kind: 'tcp', host: addr.host, port }),
    key,
    fd: handle.fd,
    host,
    path: null,
    origin: 'bound',
    close: () => handle.close(),
  };
}

function describeFailure(addr: BindAddress, err: NodeJS.ErrnoException, log: Logger): void {
  const where = addr.kind === 'tcp' ? `${addr.host}:${addr.port}` : formatAddress(addr);
  if (err.code === 'EADDRINUSE') log.error(`Connection in use: ${where}`);
  if (err.code === 'EADDRNOTAVAIL') log.error(`Invalid address: ${where}`);
  log.error(`connection to ${where} failed: ${err.message}`);
}

/** Binds one address, retrying; throws TGUN_ERR_BIND after the last attempt. */
export async function bindWithRetry(addr: BindAddress, opts: BindOptions): Promise<Listener> {
  const tries = opts.tries ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await bindOnce(addr, opts);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      describeFailure(addr, e, opts.log);
      // A file that is not a socket will not change its mind; fail at once.
      if (attempt >= tries || !e.code) {
        opts.log.error(`Can't connect to ${formatAddress(addr)}`);
        throw new TgunError('TGUN_ERR_BIND', `Can't connect to ${formatAddress(addr)}: ${e.message}`, { cause: err });
      }
      opts.log.debug('Retrying in 1 second.');
      await sleep(opts.retryDelayMs ?? 1000);
    }
  }
}

/**
 * Creates a listener for every `--bind` value (each parsed with {@link parseAddress}). On failure the ones
 * already bound are closed, so a half-started arbiter leaves no socket file behind.
 */
export async function createListeners(binds: readonly string[], opts: BindOptions): Promise<Listener[]> {
  const out: Listener[] = [];
  try {
    for (const raw of binds) out.push(await bindWithRetry(parseAddress(raw), opts));
  } catch (err) {
    for (const l of out) l.close();
    throw err;
  }
  return out;
}

/** The configured addresses, formatted the way {@link Listener.key} is, for comparing binds on HUP. */
export function bindKeys(binds: readonly string[]): string[] {
  return binds.map((raw) => formatAddress(parseAddress(raw)));
}
