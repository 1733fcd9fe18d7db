#!/usr/bin/env node
// Writes the generated reference pages from the built registries (run `pnpm build` first).
import { writeFileSync } from 'node:fs';
import { renderErrorsReference } from '../dist/docs/errors-reference.js';
import { renderSettingsReference } from '../dist/docs/settings-reference.js';

const docs = new URL('../../../docs/reference/', import.meta.url);
writeFileSync(new URL('settings.md', docs), renderSettingsReference());
writeFileSync(new URL('errors.md', docs), renderErrorsReference());
console.log('wrote docs/reference/settings.md and docs/reference/errors.md');
