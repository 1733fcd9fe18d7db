/** Where the built `@tgun/core` of this checkout keeps the pieces the process targets run. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `packages/core/dist`, built by `tsc -b`; `TGUN_CONFORMANCE_CORE_DIST` points the suite at another build
 * (a release candidate, a branch's checkout) instead.
 */
export const CORE_DIST =
  process.env.TGUN_CONFORMANCE_CORE_DIST?.replace(/\/?$/, '/') ??
  fileURLToPath(new URL('../../../core/dist/', import.meta.url));

/** Why `files` (relative to core's dist) are not usable yet, or null when they all exist. */
export function missingCoreFiles(...files: string[]): string | null {
  const missing = files.filter((f) => !existsSync(CORE_DIST + f));
  return missing.length > 0 ? `@tgun/core is not built with ${missing.join(', ')} (run tsc -b in packages/core)` : null;
}
