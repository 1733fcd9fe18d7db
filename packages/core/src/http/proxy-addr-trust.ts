/**
 * proxy-addr's trust values (Express `trust proxy`, Fastify `trustProxy`) as tgun's `forwardedAllowIps`: the
 * one mapping both adapters use for their framework-settings layer.
 */
import { isIP } from 'node:net';

/** proxy-addr's named ranges, as Express and Fastify accept them in `trust proxy` / `trustProxy`. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `255.255.0.0` → 16; null when the mask is not a run of ones. */
function maskBits(mask: string): number | null {
  const n = mask.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  const bits = n.toString(2);
  return /^1*0*$/.test(bits.padStart(32, '0')) ? bits.replace(/0/g, '').length : null;
}

/** One proxy-addr entry as tgun CIDR text, or null when it cannot be expressed. */
function toNetwork(entry: string): string[] | null {
  const v = entry.trim();
  const named = NAMED_RANGES[v];
  if (named) return [...named];
  const [addr = '', prefix, extra] = v.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return null;
  if (prefix === undefined) return [addr];
  if (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)) return [`${addr}/${prefix}`];
  const bits = family === 4 && isIP(prefix) === 4 ? maskBits(prefix) : null;
  return bits === null ? null : [`${addr}/${bits}`];
}

/**
 * proxy-addr's trust value (`true`, a hop count, names, IPs, CIDRs, a list or comma text) as tgun's
 * `forwardedAllowIps`; undefined when it trusts nobody or cannot be expressed (a function).
 */
export function trustToAllowIps(trust: unknown): string[] | undefined {
  // A hop count of 1 or more trusts the immediate peer whatever its address.
  if (trust === true || (typeof trust === 'number' && trust >= 1)) return ['*'];
  let entries: unknown[];
  if (typeof trust === 'string') entries = trust.split(',');
  else if (Array.isArray(trust)) entries = trust.flatMap((e) => (typeof e === 'string' ? e.split(',') : [e]));
  else return undefined;
  const out: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') return undefined;
    if (entry.trim() === '') continue;
    const nets = toNetwork(entry);
    if (!nets) return undefined;
    out.push(...nets);
  }
  return out.length > 0 ? out : undefined;
}
