/** Taking `VARIABLE` from an imported module the way tgun's loader does (CommonJS members sit under default). */

/** `ns[variable]`, else `ns.default[variable]`; the default export when no variable is named. */
export function pickExport(ns: Readonly<Record<string, unknown>>, variable: string | undefined): unknown {
  if (variable === undefined) return ns.default;
  const def = ns.default;
  const value =
    ns[variable] ?? (def !== null && typeof def === 'object' ? (def as Record<string, unknown>)[variable] : undefined);
  if (value === undefined) throw new Error(`the module has no export '${variable}'`);
  return value;
}
