// House checks tsc cannot do (see ARCHITECTURE.md; the layer map is layers.json, read here):
// - one-way layers: a folder imports only the folders its row in layers.json allows, value and
//   type-only imports alike (a type-only import is still a dependency a newcomer has to follow);
// - no import cycles between files through value imports (type-only imports are erased by tsc
//   and cannot make a cycle at run time, so they are told apart and left out of this check);
//   the cycles that predate the check are listed in layers.json `knownCycles`;
// - only the `io` layers (src/cli) use `process` or `console` (the engine emits events and
//   returns values); every other use is listed, with why, in layers.json `ioExceptions`;
// - no eval / new Function anywhere (playbook text is never JavaScript);
// - one concept a file: at most `maxLines` lines (generated files excepted);
// - a module is declared once: every schemas/modules/<name>.json has its loader in
//   src/modules/generated/loaders.ts and every loader its schema (loaders, catalog, coercion and
//   argument types are generated from the schemas by `npm run gen`; this catches a stale file).
// Both stale lists fail too (a listed cycle or exception that is gone), so they only shrink.
// The pure parts are exported for test/unit/house/lint.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
]);

/**
 * The text with comments (and, unless `strings` is false, the insides of string, template and
 * regex literals) blanked to spaces; newlines and offsets are kept, so line numbers still hold.
 * A small scanner, not a parser: enough to tell `process.env` in code from the word in a comment.
 */
export function blank(text, { strings = true } = {}) {
  let out = '';
  const hide = (s) => s.replace(/[^\n]/g, ' ');
  const lit = (s) => (strings ? hide(s) : s);
  const braces = []; // open `${` of enclosing template literals: the brace depth to return at
  let depth = 0;
  let prev = ''; // the last significant code token's kind, to tell a regex from a division
  let i = 0;
  const n = text.length;
  /** scans template text from `from` (just after ` or }); returns where it stopped */
  const template = (from) => {
    let j = from;
    while (j < n && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
    out += lit(text.slice(from, Math.min(j, n)));
    if (j >= n) return n;
    if (text[j] === '`') {
      out += '`';
      prev = 'lit';
      return j + 1;
    }
    out += '${';
    braces.push(depth);
    depth = 0;
    prev = '(';
    return j + 2;
  };
  while (i < n) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? n : e;
      out += hide(text.slice(i, end));
      i = end;
    } else if (c === '/' && d === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? n : e + 2;
      out += hide(text.slice(i, end));
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += c + lit(text.slice(i + 1, Math.min(j, n))) + (j < n ? text[j] : '');
      i = j + 1;
      prev = 'lit';
    } else if (c === '`') {
      out += '`';
      i = template(i + 1);
    } else if (c === '/' && (prev === '' || prev === '(' || (prev.startsWith('w:') && REGEX_AFTER_WORD.has(prev.slice(2))))) {
      let j = i + 1;
      let cls = false;
      while (j < n && text[j] !== '\n' && (cls || text[j] !== '/')) {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') cls = true;
        else if (text[j] === ']') cls = false;
        j++;
      }
      out += '/' + lit(text.slice(i + 1, Math.min(j, n))) + (j < n ? text[j] : '');
      i = j + 1;
      prev = 'lit';
    } else if (/[\w$]/.test(c)) {
      const m = /^[\w$]+/.exec(text.slice(i, i + 200));
      out += m[0];
      i += m[0].length;
      prev = `w:${m[0]}`;
    } else {
      if (c === '}' && depth === 0 && braces.length) {
        depth = braces.pop();
        out += '}';
        i = template(i + 1);
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      out += c;
      i++;
      if (!/\s/.test(c)) prev = ')]}'.includes(c) ? ')' : '(';
    }
  }
  return out;
}

/** Import/export-from statements of a file: the specifier and whether the whole statement is type-only. */
export function importsOf(source) {
  const text = blank(source, { strings: false });
  const out = [];
  // static `import … from '…'`, `export … from '…'` (multi-line bodies included)
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gms)) {
    const named = m[3] ?? '';
    // `import { type A, type B } from` is type-only too
    const names = named
      .replace(/[{}\s]/g, '')
      .split(',')
      .filter(Boolean);
    // (`import {} from` still evaluates the module under verbatimModuleSyntax)
    const allTypes = /^\{[^}]*\}$/s.test(named.trim()) && names.length > 0 && names.every((n) => n.startsWith('type'));
    out.push({ spec: m[4], typeOnly: Boolean(m[2]) || allTypes, index: m.index });
  }
  // side-effect `import '…'`
  for (const m of text.matchAll(/^\s*import\s*'([^']+)'/gm)) out.push({ spec: m[1], typeOnly: false, index: m.index });
  // lazy `await import('…')`: a run-time edge, but not one that can deadlock module evaluation
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ spec: m[1], typeOnly: false, lazy: true, index: m.index });
  return out;
}

export function lineAt(text, index) {
  return text.slice(0, index).split('\n').length + (text[index] === '\n' ? 1 : 0);
}

/** Every use of `process` or `console` in code (not in comments or strings): `process.env`, `console.error`, a bare `process`, an import of node:process. */
export function ioUses(source) {
  const code = blank(source);
  const uses = [];
  for (const m of code.matchAll(/(?<![\w$])(process|console)\b(?:\s*\??\.\s*([A-Za-z_$][\w$]*))?/g)) {
    // `x.process` is a property of something else; `...process.env` is a spread of it
    if (code[m.index - 1] === '.' && code.slice(m.index - 3, m.index) !== '...') continue;
    uses.push({ use: m[2] ? `${m[1]}.${m[2]}` : m[1], line: lineAt(code, m.index) });
  }
  for (const imp of importsOf(source)) {
    const mod = imp.spec.replace(/^node:/, '');
    if (mod === 'process' || mod === 'console') uses.push({ use: mod, line: lineAt(source, imp.index) });
  }
  return uses;
}

/** Cycles in an import graph (file → files it imports): Tarjan's strongly connected components, each sorted, reported once. */
export function findCycles(graph) {
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
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
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
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** One import path around a cycle, from its first file back to it (`a → c → b → a`): what to read to break it. */
export function cyclePath(graph, scc) {
  const inside = new Set(scc);
  const start = scc[0];
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== undefined && u !== start; u = prev.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (inside.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...scc, start];
}

/** All the house problems of the tree at `root` (a folder with layers.json, src/, schemas/modules/), one line each. */
export function lintTree(root) {
  const map = JSON.parse(readFileSync(join(root, 'layers.json'), 'utf8'));
  const LAYERS = map.layers;
  const IO = new Set(map.io);
  const exceptions = map.ioExceptions?.files ?? {};
  const problems = [];
  const valueImports = new Map();
  const usedExceptions = new Set();

  const check = (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const lines = text.split('\n');
    const layer = file.split('/')[1];
    // generated files (scripts/gen-*.mjs) are not split by hand
    const generated = /^\/\/ GENERATED/.test(lines[0] ?? '');
    if (lines.length > map.maxLines && !generated)
      problems.push(`${file}: ${lines.length} lines (at most ${map.maxLines}: split it by concept)`);
    const row = LAYERS[layer];
    if (!row) problems.push(`${file}: folder src/${layer} is not a known layer (add it to layers.json with its allowed imports)`);
    const code = blank(text).split('\n');
    code.forEach((line, i) => {
      if (/\beval\s*\(|new\s+Function\s*\(/.test(line)) problems.push(`${file}:${i + 1}: eval/new Function is not allowed`);
    });
    if (!IO.has(layer)) {
      const allowed = new Set(exceptions[file]?.uses ?? []);
      for (const u of ioUses(text)) {
        if (allowed.has(u.use)) usedExceptions.add(`${file} ${u.use}`);
        else
          problems.push(
            `${file}:${u.line}: ${u.use} outside ${[...IO].map((l) => `src/${l}`).join(', ')} (pass the value in from the cli, or list the file in layers.json ioExceptions with why)`,
          );
      }
    }
    const edges = [];
    for (const imp of importsOf(text)) {
      if (!imp.spec.startsWith('.')) continue;
      const abs = resolve(root, dirname(file), imp.spec);
      const targetFile = relative(root, abs).split('\\').join('/').replace(/\.js$/, '.ts');
      const target = relative(resolve(root, 'src'), abs).split(/[\\/]/)[0];
      if (row && row.imports !== '*' && target !== layer && !row.imports.includes(target)) {
        const what = imp.typeOnly ? 'have a type-only import of' : 'import';
        problems.push(
          `${file}:${lineAt(text, imp.index)}: src/${layer} may not ${what} src/${target} (layers.json allows: ${row.imports.join(', ') || 'none'})`,
        );
      }
      if (!imp.typeOnly && !imp.lazy) edges.push(targetFile);
    }
    valueImports.set(file, edges);
  };
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const p = `${dir}/${name}`;
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) check(p);
    }
  };
  walk('src');

  for (const layer of Object.keys(LAYERS)) {
    let present = false;
    try {
      present = statSync(join(root, 'src', layer)).isDirectory();
    } catch {}
    if (!present) problems.push(`layers.json: layer '${layer}' has no folder src/${layer}`);
  }
  const known = new Set((map.knownCycles?.cycles ?? []).map((c) => [...c].sort().join(' → ')));
  const seen = new Set();
  for (const scc of findCycles(valueImports)) {
    const key = scc.join(' → ');
    seen.add(key);
    if (!known.has(key))
      problems.push(
        `import cycle between ${scc.length} files: ${cyclePath(valueImports, scc).join(' → ')} (break it with a type-only import or by moving the shared part down)`,
      );
  }
  for (const key of known) if (!seen.has(key)) problems.push(`layers.json lists a cycle that is gone (remove it from knownCycles): ${key}`);
  for (const [file, ex] of Object.entries(exceptions)) {
    if (!ex.why) problems.push(`layers.json ioExceptions: ${file} says no why`);
    for (const use of ex.uses ?? [])
      if (!usedExceptions.has(`${file} ${use}`))
        problems.push(`layers.json ioExceptions lists ${use} in ${file}, which no longer uses it (remove it)`);
  }
  // one declaration a module: its schema, plus its loader in the registry
  const schemaDir = join(root, 'schemas/modules');
  const registryFile = join(root, 'src/modules/generated/loaders.ts');
  let registry = '';
  try {
    registry = readFileSync(registryFile, 'utf8');
  } catch {}
  if (registry) {
    const schemas = new Set(
      readdirSync(schemaDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5)),
    );
    const loaders = new Set([...registry.matchAll(/^ {2}([a-z_0-9]+): \(\) => import\('/gm)].map((m) => m[1]));
    for (const n of schemas)
      if (!loaders.has(n))
        problems.push(`schemas/modules/${n}.json: module '${n}' has no loader in src/modules/generated/loaders.ts (npm run gen)`);
    for (const n of loaders)
      if (!schemas.has(n)) problems.push(`src/modules/generated/loaders.ts: module '${n}' has no schema (schemas/modules/${n}.json)`);
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = lintTree('.');
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('house lint: ok');
}
