/** `docs/reference/errors.md`, generated from the error registry; a test fails when it drifts. */
import { ERROR_CODES } from '../errors.js';

/** The whole Markdown document. */
export function renderErrorsReference(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.exit} | ${e.summary} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from packages/core/src/errors.ts by `pnpm docs:reference`. Do not edit by hand. -->',
    '',
    'Every error tgun reports to a user has a stable code. Codes are never reused.',
    'Exit statuses follow gunicorn: 1 configuration, 2 usage, 3 worker boot failure, 4 application load failure.',
    '',
    '| code | exit status | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
