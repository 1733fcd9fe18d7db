import { readFileSync } from 'node:fs';

/** tgun's version, read from core's package.json (two levels up from both `src/` and `dist/` files). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
