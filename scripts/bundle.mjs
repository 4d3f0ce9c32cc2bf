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
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// Short commands also as one CommonJS file each (dist/cli/<name>.cjs), which main.js loads
// through V8's code cache (src/cli/code-cache.ts; ES modules have none on Node 20): `validate`
// parses and compiles ~650 KB of JavaScript, most of its start-up without the cache. What the
// command imports lazily is inlined (esbuild without splitting), compiled only if it is called.
// The first line is the build id the cache must start with.
const CJS_COMMANDS = ['validate'];
for (const name of CJS_COMMANDS) {
  const file = new URL(`cli/${name}.cjs`, dist);
  rmSync(new URL(`cli/${name}.cjs.cache`, dist), { force: true });
  const out = await build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: [`src/cli/${name}.ts`],
    outfile: fileURLToPath(file),
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['ssh2', 'etcd3', 'listr2', 'ajv', 'jmespath', 'ipaddr.js'],
    // the file sits where the ES bundle's files do (two levels below the package root)
    define: { 'import.meta.url': '__rbImportMetaUrl' },
    banner: { js: 'const __rbImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  const code = out.outputFiles.find((f) => f.path.endsWith('.cjs')).text;
  if (/[^\w$.]import\(/.test(code)) {
    console.error(`bundle: dist/cli/${name}.cjs keeps a dynamic import(), which node:vm cannot run`);
    process.exit(1);
  }
  const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
  writeFileSync(file, `// runbook-build ${id}\n${code}`);
}

// the relative URLs the bundle resolves at run time must exist from where the bundle is
const missing = [];
for (const dir of ['cli/', 'chunks/']) {
  const base = new URL(dir, dist);
  for (const f of readdirSync(base)) {
    if (!f.endsWith('.js') && !f.endsWith('.cjs')) continue;
    const text = readFileSync(new URL(f, base), 'utf8');
    for (const m of text.matchAll(/new URL\(\s*["'`](\.{1,2}\/[^"'`]*)["'`]\s*,\s*(?:import\.meta\.url|__rbImportMetaUrl)\s*\)/g)) {
      if (!m[1].includes('${') && !existsSync(new URL(m[1], new URL(f, base)))) missing.push(`dist/${dir}${f}: ${m[1]}`);
    }
  }
}
if (missing.length) {
  console.error(`bundle: relative paths that do not resolve from the bundle:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

// the training run: validate the repository's playbooks once, so the cache holds the functions
// a validation compiles (a run that needs one not in it compiles that one as usual)
const playbooks = readdirSync(new URL('playbooks/', root)).filter((f) => f.endsWith('.yml')).map((f) => `playbooks/${f}`);
const trained = spawnSync(process.execPath, [fileURLToPath(new URL('cli/main.js', dist)), 'validate', ...playbooks], {
  cwd: fileURLToPath(root),
  env: { ...process.env, RUNBOOK_CODE_CACHE: 'write' },
  encoding: 'utf8',
});
if (trained.error || !existsSync(new URL('cli/validate.cjs.cache', dist))) {
  console.error(`bundle: the code cache's training run failed (exit ${trained.status}):\n${trained.stderr}`);
  process.exit(1);
}
console.log(`bundled the CLI: dist/cli/main.js + ${readdirSync(new URL('chunks/', dist)).filter((f) => f.endsWith('.js')).length} lazy chunks in dist/chunks/; ${CJS_COMMANDS.map((n) => `dist/cli/${n}.cjs`).join(', ')} with V8's code cache`);
