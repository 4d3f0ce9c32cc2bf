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
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const EXTERNAL = ['ssh2', 'etcd3', 'listr2', 'ajv', 'jmespath', 'ipaddr.js'];
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
  external: EXTERNAL,
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
const CJS_COMMANDS = ['validate', 'run'];
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
    external: EXTERNAL,
    // the file sits where the ES bundle's files do (two levels below the package root)
    define: { 'import.meta.url': '__rbImportMetaUrl' },
    banner: { js: 'const __rbImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  // the lazy externals (ssh2, listr2) stay import()s, which code compiled by node:vm cannot make:
  // they call __rbImport, an import() made by src/cli/code-cache.ts (an ES module) for it
  const code = out.outputFiles
    .find((f) => f.path.endsWith('.cjs'))
    .text.replace(
      new RegExp(`(?<![\\w$.])import\\((?=["'](?:${EXTERNAL.map((e) => e.replace('.', '\\.')).join('|')})["']\\))`, 'g'),
      '__rbImport(',
    );
  if (/(?<![\w$.])import\(/.test(code)) {
    console.error(`bundle: dist/cli/${name}.cjs keeps a dynamic import() other than of the externals (${EXTERNAL.join(', ')})`);
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

// The training runs (RUNBOOK_CODE_CACHE=write): each command once, so its cache holds the
// functions such a run compiles (a run that needs one not in it compiles that one as usual):
// `validate` of the repository's playbooks; `apply` of a few harmless tasks on localhost
// (connection local, in a temporary directory), which is the engine's path but the ssh layer's.
const work = mkdtempSync(join(tmpdir(), 'runbook-train-'));
try {
  writeFileSync(
    join(work, 'train.yml'),
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - command: /bin/true',
      '    - shell: "true"',
      '      changed_when: false',
      '    - stat:',
      '        path: "{{ playbook_dir }}"',
      '      register: st',
      '    - debug:',
      "        msg: \"{{ st.stat.exists | ternary('here', 'gone') }}\"",
    ].join('\n') + '\n',
  );
  const playbooks = readdirSync(new URL('playbooks/', root))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => fileURLToPath(new URL(`playbooks/${f}`, root)));
  const runs = {
    validate: { cwd: fileURLToPath(root), argv: ['validate', ...playbooks] },
    run: { cwd: work, argv: ['apply', 'train.yml', '-i', 'localhost,', '--yes', '-o', 'plain', '--state-dir', join(work, 'state')] },
  };
  for (const name of CJS_COMMANDS) {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('cli/main.js', dist)), ...runs[name].argv], {
      cwd: runs[name].cwd,
      env: { ...process.env, RUNBOOK_CODE_CACHE: 'write' },
      encoding: 'utf8',
    });
    if (r.error || !existsSync(new URL(`cli/${name}.cjs.cache`, dist))) {
      console.error(`bundle: the training run of dist/cli/${name}.cjs failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `bundled the CLI: dist/cli/main.js + ${readdirSync(new URL('chunks/', dist)).filter((f) => f.endsWith('.js')).length} lazy chunks in dist/chunks/; ${CJS_COMMANDS.map((n) => `dist/cli/${n}.cjs`).join(', ')} with V8's code cache`,
);
