/**
 * Evaluating given TypeScript text as an ES module at a file's URL, with Node's own type stripping. A config
 * file must be read again on every HUP, and a worker must evaluate the arbiter's snapshot of it rather than
 * the disk, so a plain `import(file)` (cached by URL, reads the disk) cannot do. Each evaluation imports the
 * file's URL with a fresh query, and a synchronous module hook hands Node the text for exactly that URL, so
 * relative imports and `import.meta.url` still resolve against the real file.
 *
 * Measured on 22.23, 24.21 and 26.10: `module.registerHooks` prints no warning, while
 * `module.stripTypeScriptTypes` prints an ExperimentalWarning on all three, which is why it is not used.
 * What stays behind: Node keeps every evaluated module for the life of the process (one small module record
 * per HUP); the text itself is dropped once the import settles.
 */
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

interface LoadResult {
  format?: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: object) => LoadResult;
interface SyncHooks {
  load(url: string, context: object, nextLoad: NextLoad): LoadResult;
}
/** `module.registerHooks` (22.15+, 23.5+); @types/node 20 does not know it. */
type RegisterHooks = (hooks: SyncHooks) => unknown;

const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;

/**
 * Thrown when Node's loader cannot evaluate the text: Node would not load the file as an ES module (CommonJS is
 * cached by file name, so a query cannot make a HUP re-read it), cannot read the file any more, or is out of reach.
 */
export class NotAnEsModule extends Error {
  override name = 'NotAnEsModule';
}

/**
 * `import()` that only Node's own loader can see. A test runner or bundler that rewrites `import()` would load
 * the URL itself: it would read the disk instead of the text, and the hook below, which lives in Node's loader,
 * would never run. Where this module itself was evaluated in a vm context (vitest's runner), Node refuses the
 * call with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING and the caller falls back to jiti.
 */
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/** Texts waiting to be loaded, by the exact URL that will be imported. */
const pending = new Map<string, string>();
let installed = false;
let serial = 0;

/** Whether this Node can run {@link evaluateTypeScriptText} (it has synchronous module hooks). */
export const canEvaluateText = typeof registerHooks === 'function';

function install(register: RegisterHooks): void {
  if (installed) return;
  installed = true;
  register({
    load(url, context, nextLoad) {
      const text = pending.get(url);
      if (text === undefined) return nextLoad(url, context);
      // The default loader decides the format as it would for the file itself (package.json "type", then
      // syntax detection of the file on disk for a .ts); only the source is replaced.
      let format: string | undefined;
      try {
        ({ format } = nextLoad(url, context));
      } catch (err) {
        // Its stripping refused the file on disk (an enum…), or the file is gone (a worker evaluating the
        // arbiter's snapshot): either way the text can still be evaluated by jiti.
        const code = (err as { code?: unknown }).code;
        const first = String((err as Error).message).split('\n')[0];
        throw new NotAnEsModule(typeof code === 'string' ? `${code}: ${first}` : first);
      }
      if (format !== 'module-typescript') throw new NotAnEsModule(`Node loads it as ${format ?? 'unknown'}`);
      return { format, source: text, shortCircuit: true };
    },
  });
}

/**
 * Evaluates `text` as the ES module at `file` with Node's type stripping and returns its namespace. Rejects
 * with Node's own error (for example `ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`) or {@link NotAnEsModule}.
 */
export async function evaluateTypeScriptText(file: string, text: string): Promise<Record<string, unknown>> {
  if (!registerHooks) throw new Error('module.registerHooks is not available on this Node');
  install(registerHooks);
  serial += 1;
  const url = `${pathToFileURL(file).href}?tgun-eval=${process.pid}.${serial}`;
  pending.set(url, text);
  try {
    return await nativeImport(url);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw err;
    throw new NotAnEsModule("Node's loader is out of reach from a vm context (a test runner)");
  } finally {
    pending.delete(url);
  }
}
