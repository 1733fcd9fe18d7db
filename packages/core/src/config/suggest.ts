import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate to `word` for a "did you mean" hint, or undefined when nothing is close enough to help.
 * Case and `-`/`_` are ignored so `accesslog`, `access_log` and `ACCESS-LOG` all find `accessLog`.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const w = norm(word);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const score = distance(w, norm(c));
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.floor(w.length / 3));
  return bestScore <= limit ? best : undefined;
}
