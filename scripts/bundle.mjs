// Build step (after tsc): bundle the CLI so a command loads a handful of files instead of
// ~250 ES modules (each one resolved, read and compiled on its own: most of runbook's
// start-up before this). dist/cli/main.js is replaced by the bundle's entry; what it imports
// lazily (a command, a module, the tty reporter) becomes a chunk in dist/chunks/, loaded only
// when asked for. ssh2, etcd3 and listr2 stay outside, loaded lazily from node_modules as
// before (ssh2 has native parts). tsc's per-file dist/ stays beside it: the lab's kubelet
// process, the benches and the tests import those files.
//
// Every file of the bundle sits two directories below the package root, as src/<layer>/x.ts
// and tsc's dist/<layer>/x.js do, so `new URL('../../x', import.meta.url)` means the same in
// all three; a path written for a deeper file would break here, and the check below refuses
// the build when a relative URL in the bundle names a file that does not exist.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
rmSync(new URL('chunks/', dist), { recursive: true, force: true });

await build({
  absWorkingDir: fileURLToPath(root),
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  outbase: 'src',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // identifiers are not renamed: names stay readable in stack traces (RUNBOOK_DEBUG=1) without
  // keepNames, whose __name() call per function cost ~3 ms a start
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['ssh2', 'etcd3', 'listr2', 'ajv', 'jmespath', 'ipaddr.js'],
  // bundled CommonJS (yaml's node build) calls require() for node: built-ins
  banner: { js: "import { createRequire as __rbRequire } from 'node:module'; const require = __rbRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});

// the relative URLs the bundle resolves at run time must exist from where the bundle is
const missing = [];
for (const dir of ['cli/', 'chunks/']) {
  const base = new URL(dir, dist);
  for (const f of readdirSync(base)) {
    if (!f.endsWith('.js')) continue;
    const text = readFileSync(new URL(f, base), 'utf8');
    for (const m of text.matchAll(/new URL\(\s*["'`](\.{1,2}\/[^"'`]*)["'`]\s*,\s*import\.meta\.url\s*\)/g)) {
      if (!existsSync(new URL(m[1], new URL(f, base)))) missing.push(`dist/${dir}${f}: ${m[1]}`);
    }
  }
}
if (missing.length) {
  console.error(`bundle: relative paths that do not resolve from the bundle:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`bundled the CLI: dist/cli/main.js + ${readdirSync(new URL('chunks/', dist)).filter((f) => f.endsWith('.js')).length} lazy chunks in dist/chunks/`);
