/**
 * Who owns a TCP connection (Linux /proc): the inodes of the server side of established connections on a
 * port, and the socket inodes a process holds. Lets a test prove the arbiter accepts no connection itself.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of ESTABLISHED sockets whose local port is `port` (IPv4 and IPv6). */
export function establishedInodes(port: number): Set<number> {
  const out = new Set<number>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '01' || !local.endsWith(`:${hexPort}`)) continue;
      out.add(Number(cols[9]));
    }
  }
  return out;
}

/** Socket inodes open in process `pid`. */
export function socketInodesOf(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // Closed meanwhile.
    }
  }
  return out;
}
