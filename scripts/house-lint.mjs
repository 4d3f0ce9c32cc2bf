// House checks tsc cannot do (see ../shared/STYLE.md):
// - only src/cli and src/ui touch the console or the process's streams/exit;
// - no eval / new Function anywhere (playbook text is never JavaScript);
// - one-way layers: a folder imports only the folders its row allows;
// - one concept a file: at most 350 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LEAVES = ['core', 'schema', 'template'];
const ALLOWED = {
  core: [],
  schema: ['core'],
  template: ['core'],
  playbook: ['core', 'schema', 'template'],
  inventory: ['core', 'schema', 'template'],
  connection: ['core'],
  journal: ['core'],
  modules: [...LEAVES, 'connection', 'playbook'],
  plan: [...LEAVES, 'playbook', 'inventory'],
  executor: [...LEAVES, 'playbook', 'inventory', 'plan', 'modules', 'connection', 'journal'],
  // reporters read the typed plan (plan/step.ts), which is pure data
  ui: ['core', 'executor', 'plan'],
  lab: ['core', 'connection'],
  cli: null, // everything
};
const MAX_LINES = 350;

const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) check(p);
  }
}
function check(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const layer = file.split(/[\\/]/)[1];
  // generated files (scripts/gen-*.mjs) are not split by hand
  const generated = /^\/\/ GENERATED/.test(lines[0] ?? '');
  if (lines.length > MAX_LINES && !generated) problems.push(`${file}: ${lines.length} lines (at most ${MAX_LINES}: split it by concept)`);
  if (!(layer in ALLOWED)) problems.push(`${file}: folder src/${layer} is not a known layer (add it to scripts/house-lint.mjs with its allowed imports)`);
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (!/^src[\\/](cli|ui)[\\/]/.test(file) && /\bconsole\.(log|error|warn)|process\.(exit|stdout|stderr|argv)\b/.test(code)) {
      problems.push(`${file}:${i + 1}: console/process I/O outside src/cli and src/ui`);
    }
    if (/\beval\s*\(|new\s+Function\s*\(/.test(code)) problems.push(`${file}:${i + 1}: eval/new Function is not allowed`);
    const allowed = ALLOWED[layer];
    if (allowed) {
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        // the layer of the imported file, resolved from the importing file's own folder
        const target = relative(resolve('src'), resolve(dirname(file), m[1])).split(/[\\/]/)[0];
        if (target !== layer && !allowed.includes(target)) problems.push(`${file}:${i + 1}: src/${layer} may not import src/${target} (layers: ${allowed.join(', ') || 'none'})`);
      }
    }
  });
}
walk('src');
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log('house lint: ok');
