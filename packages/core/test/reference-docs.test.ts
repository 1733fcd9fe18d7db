import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsReference } from '../src/docs/errors-reference.js';
import { renderSettingsReference } from '../src/docs/settings-reference.js';
import { ERROR_CODES } from '../src/errors.js';
import { SETTINGS } from '../src/settings/registry.js';

const docs = resolve(import.meta.dirname, '../../../docs/reference');
const stale = 'is stale: run `npx pnpm@10.34.8 docs:reference` and commit the result';

describe('generated reference pages', () => {
  it(`docs/reference/settings.md matches the registry (else it ${stale})`, () => {
    expect(readFileSync(resolve(docs, 'settings.md'), 'utf8')).toBe(renderSettingsReference());
  });

  it(`docs/reference/errors.md matches the error registry (else it ${stale})`, () => {
    expect(readFileSync(resolve(docs, 'errors.md'), 'utf8')).toBe(renderErrorsReference());
  });

  it('documents every setting and every error code', () => {
    const settings = renderSettingsReference();
    for (const s of SETTINGS) expect(settings).toContain(`### \`${s.name}\``);
    const errors = renderErrorsReference();
    for (const code of Object.keys(ERROR_CODES)) expect(errors).toContain(`\`${code}\``);
  });
});
