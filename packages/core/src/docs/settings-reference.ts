/**
 * `docs/reference/settings.md`, generated from the registry. Committed; a test regenerates it and fails when
 * the committed file differs. Regenerate with `pnpm docs:reference`.
 */
import { GUNICORN_ONLY } from '../settings/gunicorn-only.js';
import { SETTINGS } from '../settings/registry.js';
import { SECTIONS, type SettingSpec } from '../settings/types.js';
import { octal } from '../settings/validators.js';

function defaultCell(s: SettingSpec): string {
  if (s.defaultText) return s.defaultText;
  const d = s.default;
  if (typeof d === 'function') return s.section === 'Server Hooks' ? 'no-op' : '(computed)';
  if (s.validate === octal && typeof d === 'number') return `\`0o${d.toString(8)}\``;
  return `\`${JSON.stringify(d)}\``;
}

/** The whole Markdown document. */
export function renderSettingsReference(): string {
  const out: string[] = [
    '# Settings reference',
    '',
    '<!-- Generated from packages/core/src/settings by `pnpm docs:reference`. Do not edit by hand. -->',
    '',
    'Every setting can be set in a config file (`tgun.config.ts` and friends) under its camelCase name.',
    'Settings with flags can also be set in `TGUN_CMD_ARGS` and on the command line.',
    "Precedence, lowest first: defaults → framework settings (from the app's adapter) → config file →",
    '`TGUN_CMD_ARGS` → command line.',
    '',
  ];
  for (const section of SECTIONS) {
    const settings = (SETTINGS as readonly SettingSpec[]).filter((s) => s.section === section);
    if (settings.length === 0) continue;
    out.push(`## ${section}`, '');
    for (const s of settings) {
      out.push(`### \`${s.name}\``, '');
      const facts = [
        s.cli
          ? `- Command line: ${s.cli.flags.map((f) => `\`${f}${s.cli?.switch ? '' : ` ${s.cli?.metavar ?? 'VALUE'}`}\``).join(', ')}${s.cli.repeat ? ' (repeatable)' : ''}`
          : '- Config file only',
        `- Type: \`${s.typeText}\``,
        `- Default: ${defaultCell(s)}`,
      ];
      if (s.env) facts.push(`- Environment: \`${s.env}\``);
      if (s.gunicorn && s.gunicorn !== s.name) facts.push(`- gunicorn: \`${s.gunicorn}\``);
      out.push(...facts, '', s.summary, '', s.description.trim(), '');
    }
  }
  out.push(
    '## gunicorn settings tgun does not have',
    '',
    '| gunicorn setting | why, and what to use on Node |',
    '|---|---|',
  );
  for (const [name, why] of GUNICORN_ONLY) {
    // The map holds each name twice (snake_case and camelCase); gunicorn's own spelling has no capitals.
    if (/[A-Z]/.test(name)) continue;
    out.push(`| \`${name}\` | ${why.replace(/\|/g, '\\|')} |`);
  }
  out.push('');
  return out.join('\n');
}
