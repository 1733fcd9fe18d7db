/**
 * Medians and same-round ratios. The machine drifts between rounds (±20% measured on the reference box), so
 * a ratio is only computed between runs of the same round and then summarised by its median.
 */

/**
 * The median of `values` (NaN when empty).
 * @param {readonly number[]} values
 */
export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  const hi = v[mid] ?? Number.NaN;
  return v.length % 2 === 1 ? hi : ((v[mid - 1] ?? Number.NaN) + hi) / 2;
}

/**
 * The median over rounds of `value(a) / value(b)`, pairing runs of the same round.
 * @template {{ round: number }} R
 * @param {readonly R[]} a runs of one configuration
 * @param {readonly R[]} b runs of the configuration it is compared with
 * @param {(run: R) => number} value
 */
export function sameRoundRatio(a, b, value) {
  /** @type {number[]} */
  const ratios = [];
  for (const x of a) {
    const y = b.find((r) => r.round === x.round);
    if (y && value(y) > 0) ratios.push(value(x) / value(y));
  }
  return median(ratios);
}

/**
 * A number for a table: fixed decimals, thousands separated, '-' for NaN.
 * @param {number} n
 * @param {number} [digits]
 */
export function fmt(n, digits = 0) {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * req/s as "12.3k".
 * @param {number} n
 */
export function kilo(n) {
  return Number.isFinite(n) ? `${(n / 1000).toFixed(1)}k` : '-';
}
