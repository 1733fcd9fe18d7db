/**
 * `--reload`: watch the app's source files and `--reload-extra-file`s, and queue a worker replacement when
 * one changes (gunicorn's reloader, moved into the arbiter so the replacement is as graceful as a HUP).
 * The app's directory tree is watched one directory at a time (Node 20's recursive `fs.watch` misses events
 * on Linux); `node_modules` and dot-directories are skipped. `--reload-engine poll` polls file mtimes instead.
 */
import { type FSWatcher, readdirSync, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

const SOURCE = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json', '.jsx', '.tsx']);
const MAX_DIRS = 1000;
const MAX_POLLED = 2000;

/** What to watch and how. */
export interface WatchOptions {
  /** The app module's file; its directory tree is watched. */
  readonly appFile: string | null;
  readonly extraFiles: readonly string[];
  readonly engine: 'auto' | 'poll' | 'inotify';
  readonly cwd: string;
  /** Called (debounced) with the first file that changed. */
  readonly onChange: (file: string) => void;
}

function sourceDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (out.length >= MAX_DIRS) return;
    out.push(dir);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

function sourceFiles(dirs: readonly string[]): string[] {
  return dirs
    .flatMap((d) => {
      try {
        return readdirSync(d).map((n) => join(d, n));
      } catch {
        return [];
      }
    })
    .filter((f) => SOURCE.has(extname(f)))
    .slice(0, MAX_POLLED);
}

/** Starts watching; returns a function that stops every watcher. */
export function watchSources(opts: WatchOptions): () => void {
  let timer: NodeJS.Timeout | null = null;
  const fire = (file: string) => {
    if (timer) return;
    // Editors write a file in several steps; one replacement per burst.
    timer = setTimeout(() => {
      timer = null;
      opts.onChange(file);
    }, 200);
  };
  const extras = opts.extraFiles.map((f) => resolve(opts.cwd, f));
  const dirs = opts.appFile ? sourceDirs(dirname(opts.appFile)) : [];
  if (opts.engine === 'poll') {
    const files = [...new Set([...sourceFiles(dirs), ...extras])];
    for (const f of files) watchFile(f, { interval: 1000 }, (cur, prev) => cur.mtimeMs !== prev.mtimeMs && fire(f));
    return () => {
      if (timer) clearTimeout(timer);
      for (const f of files) unwatchFile(f);
    };
  }
  const watchers: FSWatcher[] = [];
  const extraByDir = new Map<string, Set<string>>();
  for (const f of extras) extraByDir.set(dirname(f), (extraByDir.get(dirname(f)) ?? new Set()).add(basename(f)));
  for (const dir of new Set([...dirs, ...extraByDir.keys()])) {
    const tree = dirs.includes(dir);
    const named = extraByDir.get(dir);
    try {
      const w = watch(dir, (_event, name) => {
        const file = name ? String(name) : '';
        if ((tree && SOURCE.has(extname(file))) || named?.has(file)) fire(join(dir, file));
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A directory that vanished or cannot be watched is skipped.
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
