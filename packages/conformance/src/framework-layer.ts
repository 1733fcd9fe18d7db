/**
 * Checking an adapter's framework settings against tgun's real configuration engine: every value must pass
 * the setting's validator, show up with the `framework (<name>)` origin, and lose to the command line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FrameworkSettings } from '@tgun/core';
import { CORE_DIST } from './targets/core-paths.js';

interface Origin {
  readonly layer: string;
  readonly source: string;
}
type LoadResult =
  | { ok: true; config: Record<string, unknown>; origins: Record<string, Origin> }
  | { ok: false; message: string };
interface LoadModule {
  loadConfig(
    inputs: { argv: readonly string[]; env: Record<string, string | undefined>; cwd: string },
    framework?: { name: string; values: FrameworkSettings },
  ): Promise<LoadResult>;
}

/** What {@link loadWithFramework} found. */
export interface FrameworkLayerResult {
  /** The effective values of the settings the adapter supplied. */
  readonly values: Record<string, unknown>;
  /** Where each of them came from, as `--print-config` names it (`framework (express)`, `command line`…). */
  readonly sources: Record<string, string>;
}

/**
 * Loads tgun's configuration with `settings` as the framework layer named `name` (and `argv` on the command
 * line, in an empty directory); throws with tgun's own message when any value is refused.
 */
export async function loadWithFramework(
  name: string,
  settings: FrameworkSettings,
  argv: readonly string[] = [],
): Promise<FrameworkLayerResult> {
  const { loadConfig } = (await import(pathToFileURL(`${CORE_DIST}config/load.js`).href)) as LoadModule;
  const cwd = mkdtempSync(join(tmpdir(), 'tgun-layer-'));
  try {
    const result = await loadConfig({ argv, env: {}, cwd }, { name, values: settings });
    if (!result.ok) throw new Error(result.message);
    const values: Record<string, unknown> = {};
    const sources: Record<string, string> = {};
    for (const key of Object.keys(settings)) {
      values[key] = result.config[key];
      sources[key] = result.origins[key]?.source ?? 'unknown';
    }
    return { values, sources };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
