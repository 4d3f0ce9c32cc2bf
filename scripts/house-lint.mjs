// House checks tsc cannot do: only src/cli and src/ui touch the console or the process's
// streams/exit; no eval / new Function anywhere (playbook text is never JavaScript).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (!/^src\/(cli|ui)\//.test(file) && /\bconsole\.(log|error|warn)|process\.(exit|stdout|stderr|argv)\b/.test(code)) {
      problems.push(`${file}:${i + 1}: console/process I/O outside src/cli and src/ui`);
    }
    if (/\beval\s*\(|new\s+Function\s*\(/.test(code)) problems.push(`${file}:${i + 1}: eval/new Function is not allowed`);
  });
}
walk('src');
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log('house lint: ok');
