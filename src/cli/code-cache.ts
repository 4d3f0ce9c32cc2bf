// A command bundled as one CommonJS file (dist/cli/<name>.cjs, scripts/bundle.mjs) loaded with
// V8's code cache (dist/cli/<name>.cjs.cache, written at build time by a training run): V8 then
// skips parsing and compiling the functions the training run compiled (most of a short
// command's start-up: `validate` loads ~650 KB of JavaScript and runs each function once).
// Node 20 has no compile cache for ES modules (module.enableCompileCache is Node 22), hence
// CommonJS through node:vm: the file compiled is the build's own, never playbook text.
//
// The cache is used only when its first bytes are the build id written in the bundle's first
// line (V8's own check is the source's length and its flags); a cache V8 refuses (another node,
// other V8 flags) costs one read and the bundle compiles as it would without one. Without the
// bundle (a tsc-only dist/) the caller imports the ES module instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const BUILD_LINE = /^\/\/ runbook-build ([0-9a-f]{16,})\n/;

/** import() in the bundle: only the lazy externals (ssh2, listr2; scripts/bundle.mjs refuses others), resolved from here as from the ES bundle */
const importExternal = (specifier: string): Promise<unknown> => import(specifier);

export interface CommandBundle<T> {
  readonly exports: T;
  /** a cache was there for this build and V8 took it */
  readonly cached: boolean;
  /** RUNBOOK_CODE_CACHE=write (the build's training run): save what V8 compiled so far */
  saveCache(): void;
}

/** dist/cli/<name>.cjs beside this file; undefined when there is none (a tsc-only dist/). */
export function loadCommandBundle<T>(name: string): CommandBundle<T> | undefined {
  return loadBundle<T>(fileURLToPath(new URL(`./${name}.cjs`, import.meta.url)));
}

export function loadBundle<T>(file: string): CommandBundle<T> | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const id = BUILD_LINE.exec(source)?.[1];
  if (id === undefined) return undefined;
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(`${file}.cache`);
    if (cache.subarray(0, id.length).toString('latin1') === id) cachedData = cache.subarray(id.length);
  } catch {
    // no cache (not trained yet): compiled as any CommonJS file is
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __rbImport) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as T };
  (script.runInThisContext() as (e: T, r: NodeJS.Require, m: { exports: T }, f: string, d: string, i: typeof importExternal) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
    importExternal,
  );
  return {
    exports: module.exports,
    cached: cachedData !== undefined && script.cachedDataRejected === false,
    saveCache: () => writeFileSync(`${file}.cache`, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()])),
  };
}
