// House checks tsc cannot do (see ARCHITECTURE.md; the layer map is layers.json, read here):
// - one-way layers: a folder imports only the folders its row in layers.json allows, value and
//   type-only imports alike (a type-only import is still a dependency a newcomer has to follow);
// - no import cycles between files through value imports (type-only imports are erased by tsc
//   and cannot make a cycle at run time, so they are told apart and left out of this check);
// - only the `io` layers (src/cli, src/ui) touch the console, the process's streams, exit code
//   or signal handlers; the engine emits events and returns values;
// - no eval / new Function anywhere (playbook text is never JavaScript);
// - one concept a file: at most `maxLines` lines (generated files excepted);
// - a module is declared once: every schemas/modules/<name>.json has its loader in
//   src/modules/registry.ts and every loader its schema (the catalog is generated from the schemas).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const map = JSON.parse(readFileSync('layers.json', 'utf8'));
const LAYERS = map.layers;
const IO = new Set(map.io);
const MAX_LINES = map.maxLines;

const problems = [];
/** file → files it imports by value (for the cycle check) */
const valueImports = new Map();

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) check(p);
  }
}

/** Import/export-from statements of a file: the specifier and whether the whole statement is type-only. */
function importsOf(text) {
  const out = [];
  // static `import … from '…'`, `export … from '…'`, side-effect `import '…'` (multi-line bodies included)
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gms)) {
    const named = m[3] ?? '';
    // `import { type A, type B } from` is type-only too
    const allTypes = /^\{[^}]*\}$/s.test(named.trim()) && named.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
    out.push({ spec: m[4], typeOnly: Boolean(m[2]) || allTypes, index: m.index });
  }
  for (const m of text.matchAll(/^\s*import\s*'([^']+)'/gm)) out.push({ spec: m[1], typeOnly: false, index: m.index });
  // lazy `await import('…')`: a run-time edge, but not one that can deadlock module evaluation
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ spec: m[1], typeOnly: false, lazy: true, index: m.index });
  return out;
}

function lineAt(text, index) {
  return text.slice(0, index).split('\n').length + (text[index] === '\n' ? 1 : 0);
}

function check(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const layer = file.split(/[\\/]/)[1];
  // generated files (scripts/gen-*.mjs) are not split by hand
  const generated = /^\/\/ GENERATED/.test(lines[0] ?? '');
  if (lines.length > MAX_LINES && !generated) problems.push(`${file}: ${lines.length} lines (at most ${MAX_LINES}: split it by concept)`);
  const row = LAYERS[layer];
  if (!row) problems.push(`${file}: folder src/${layer} is not a known layer (add it to layers.json with its allowed imports)`);
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (!IO.has(layer) && /\bconsole\.(log|error|warn|info|debug)|process\.(exit|exitCode|stdout|stderr|stdin|argv|on|once)\b/.test(code)) {
      problems.push(`${file}:${i + 1}: console/process I/O outside ${[...IO].map((l) => `src/${l}`).join(' and ')}`);
    }
    if (/\beval\s*\(|new\s+Function\s*\(/.test(code)) problems.push(`${file}:${i + 1}: eval/new Function is not allowed`);
  });
  const edges = [];
  for (const imp of importsOf(text)) {
    if (!imp.spec.startsWith('.')) continue;
    const targetFile = relative('.', resolve(dirname(file), imp.spec)).replace(/\.js$/, '.ts');
    const target = relative(resolve('src'), resolve(dirname(file), imp.spec)).split(/[\\/]/)[0];
    if (row && row.imports !== '*' && target !== layer && !row.imports.includes(target)) {
      const kind = imp.typeOnly ? 'a type-only import of' : 'import';
      problems.push(`${file}:${lineAt(text, imp.index)}: src/${layer} may not ${kind === 'import' ? 'import' : `have ${kind}`} src/${target} (layers.json allows: ${row.imports.join(', ') || 'none'})`);
    }
    if (!imp.typeOnly && !imp.lazy) edges.push(targetFile);
  }
  valueImports.set(file, edges);
}

/** Cycles in the value-import graph (Tarjan's strongly connected components), each reported once. */
function cycles() {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of valueImports.get(v) ?? []) {
      if (!valueImports.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of valueImports.keys()) if (!idx.has(v)) visit(v);
  return found;
}

walk('src');
const known = new Set((map.knownCycles?.cycles ?? []).map((c) => [...c].sort().join(' → ')));
const seen = new Set();
for (const scc of cycles()) {
  const key = scc.join(' → ');
  seen.add(key);
  if (!known.has(key)) problems.push(`import cycle between ${scc.length} files: ${scc.join(' → ')} (break it with a type-only import or by moving the shared part down)`);
}
for (const key of known) if (!seen.has(key)) problems.push(`layers.json lists a cycle that is gone (remove it from knownCycles): ${key}`);
// one declaration a module: its schema, plus its loader in the registry
const schemas = new Set(readdirSync('schemas/modules').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
const registry = readFileSync('src/modules/registry.ts', 'utf8');
const loaders = new Set([...registry.matchAll(/^ {2}([a-z_0-9]+): \(\) => import\('/gm)].map((m) => m[1]));
for (const n of schemas) if (!loaders.has(n)) problems.push(`schemas/modules/${n}.json: module '${n}' has no loader in src/modules/registry.ts`);
for (const n of loaders) if (!schemas.has(n)) problems.push(`src/modules/registry.ts: module '${n}' has no schema (schemas/modules/${n}.json)`);
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log('house lint: ok');
