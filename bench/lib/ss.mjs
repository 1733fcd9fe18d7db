/**
 * The keep-alive split: how many of the load generator's established connections each server process holds
 * mid-run, read with `ss -tnp` (iproute2). Empty when `ss` is missing or sees no owners.
 */
import { execFile } from 'node:child_process';

/**
 * Established connections on local port `port`, counted per owning pid.
 * @param {number} port
 * @returns {Promise<Record<string, number>>}
 */
export function connectionsByPid(port) {
  return new Promise((resolve) => {
    execFile('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], (err, stdout) => {
      /** @type {Record<string, number>} */
      const counts = {};
      if (err) return resolve(counts);
      for (const line of stdout.split('\n')) {
        // A socket shared by several processes lists each; count it once, for the first owner.
        const m = /pid=(\d+)/.exec(line);
        if (m?.[1]) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
      }
      resolve(counts);
    });
  });
}

/**
 * The per-pid counts as a split ("28/22"), busiest first.
 * @param {Record<string, number>} counts
 */
export function splitText(counts) {
  const values = Object.values(counts).sort((a, b) => b - a);
  return values.length > 0 ? values.join('/') : '-';
}
