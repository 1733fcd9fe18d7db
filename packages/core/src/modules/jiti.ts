/**
 * The jiti loader: TypeScript on Node 20 (which has no type stripping), syntax Node's stripping refuses (enums,
 * namespaces, parameter properties…), and JavaScript config files. Imported on demand everywhere: jiti adds
 * ~13 MB to a process, and a process that never loads such a file must not pay for it.
 */
import { pathToFileURL } from 'node:url';

/**
 * Imports the module at `file` (an app and everything it imports). `interopDefault` lets the app's own
 * `import Koa from 'koa'` see a CommonJS package's `module.exports`; the app's named exports stay reachable.
 */
export async function jitiImport(file: string): Promise<Record<string, unknown>> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(pathToFileURL(file).href, { interopDefault: true });
  return (await jiti.import(file)) as Record<string, unknown>;
}

/**
 * Evaluates `text` as the module at `path`, bypassing every cache so a HUP sees the file as it is now. jiti's
 * `import` would hand plain ESM to Node's loader, whose cache keeps serving the first version of the file;
 * `evalModule` transpiles and evaluates the text itself.
 */
export async function jitiEvaluate(path: string, text: string): Promise<Record<string, unknown>> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(path, { moduleCache: false, fsCache: false, interopDefault: false });
  return (await jiti.evalModule(text, { filename: path, async: true, forceTranspile: true })) as Record<
    string,
    unknown
  >;
}
