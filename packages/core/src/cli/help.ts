/** `tgun --help`, generated from the settings registry and grouped by section. */
import { SETTINGS } from '../settings/registry.js';
import { SECTIONS, type SettingSpec } from '../settings/types.js';
import { octal } from '../settings/validators.js';
import { META_FLAGS } from './parse.js';

function flagText(s: SettingSpec): string {
  const cli = s.cli!;
  const flags = cli.flags.join(', ');
  if (cli.switch) return flags;
  const meta = cli.metavar ?? 'VALUE';
  return cli.optionalValue ? `${flags} [${meta}]` : `${flags} ${meta}`;
}

function defaultText(s: SettingSpec): string {
  if (s.defaultText) return s.defaultText.replace(/`/g, '');
  const d = s.default;
  if (d === null || d === undefined || d === '' || (Array.isArray(d) && d.length === 0)) return '';
  if (typeof d === 'function') return '';
  if (Array.isArray(d)) return d.join(',');
  if (s.validate === octal && typeof d === 'number') return `0o${d.toString(8)}`;
  return String(d);
}

/** The full help text. */
export function renderHelp(version: string): string {
  const out: string[] = [
    `tgun ${version}: gunicorn's pre-fork master/worker model for Node.js`,
    '',
    'Usage: tgun [OPTIONS] [MODULE[:VARIABLE]]',
    '       tgun ctl [OPTIONS] COMMAND      (operate a running arbiter)',
    '',
    "Serves MODULE's export VARIABLE (default: the default export, else `app`) with a pool of worker processes.",
    "Settings come from, lowest first: defaults, the app's framework, the config file (-c, else",
    './tgun.config.{ts,mts,js,mjs,cjs,json}), TGUN_CMD_ARGS, then this command line.',
    '',
  ];
  const width = 34;
  const row = (left: string, right: string) =>
    left.length + 2 > width ? `  ${left}\n${' '.repeat(width + 2)}${right}` : `  ${left.padEnd(width)}${right}`;
  out.push('General:');
  out.push(row(`-${META_FLAGS.help.short}, --help`, META_FLAGS.help.summary));
  out.push(row(`-${META_FLAGS.version.short}, --version`, META_FLAGS.version.summary));
  for (const section of SECTIONS) {
    const settings = (SETTINGS as readonly SettingSpec[]).filter((s) => s.section === section && s.cli);
    if (settings.length === 0) continue;
    out.push('', `${section}:`);
    for (const s of settings) {
      const d = defaultText(s);
      out.push(row(flagText(s), d ? `${s.summary} [${d}]` : s.summary));
    }
  }
  out.push('', 'Settings that only a config file can set (hooks, maps) are listed in docs/reference/settings.md.', '');
  return out.join('\n');
}
