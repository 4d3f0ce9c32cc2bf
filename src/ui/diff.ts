// A small line diff (Myers' O(ND) greedy algorithm) and unified-diff rendering for --diff.
import type { FileDiff } from '../core/result.js';
import type { Palette } from './color.js';

export type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** The shortest edit script turning `a` into `b`, as a sequence of kept/removed/added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix cost nothing and keep the search small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ kind: ' ', line: a[i]! });
  ops.push(...myers(a.slice(start, endA), b.slice(start, endB)));
  for (let i = endA; i < a.length; i++) ops.push({ kind: ' ', line: a[i]! });
  return ops;
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m) to (0, 0).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) (ops.push({ kind: ' ', line: a[--x]! }), y--);
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

export interface Hunk {
  readonly aStart: number;
  readonly aLen: number;
  readonly bStart: number;
  readonly bLen: number;
  readonly ops: readonly Op[];
}

/** Group an edit script into hunks with `context` unchanged lines around each change. */
export function hunks(ops: readonly Op[], context = 3): Hunk[] {
  const out: Hunk[] = [];
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return out;
  let i = 0;
  while (i < changed.length) {
    const first = changed[i]!;
    let last = first;
    while (i + 1 < changed.length && changed[i + 1]! - last <= 2 * context + 1) last = changed[++i]!;
    i++;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length, last + context + 1);
    let aLine = 0;
    let bLine = 0;
    for (let j = 0; j < from; j++) {
      if (ops[j]!.kind !== '+') aLine++;
      if (ops[j]!.kind !== '-') bLine++;
    }
    const slice = ops.slice(from, to);
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push({ aStart: aLen === 0 ? aLine : aLine + 1, aLen, bStart: bLen === 0 ? bLine : bLine + 1, bLen, ops: slice });
  }
  return out;
}

const NO_EOL = '\\ No newline at end of file';

function splitText(s: string): { lines: string[]; eol: boolean } {
  if (s === '') return { lines: [], eol: true };
  const eol = s.endsWith('\n');
  return { lines: (eol ? s.slice(0, -1) : s).split('\n'), eol };
}

/** Unified diff of one file, Ansible's header style (`--- before: PATH` / `+++ after: PATH`); [] when equal. */
export function unifiedDiff(d: FileDiff, p: Palette): string[] {
  if (d.before === d.after) return [];
  const a = splitText(d.before);
  const b = splitText(d.after);
  // A missing final newline makes the last line differ, as in diff(1).
  const aLines = a.lines.map((l, i) => (i === a.lines.length - 1 && !a.eol ? l + '\u0000' : l));
  const bLines = b.lines.map((l, i) => (i === b.lines.length - 1 && !b.eol ? l + '\u0000' : l));
  const out = [p.diffRemove(`--- before: ${d.path}`), p.diffAdd(`+++ after: ${d.path}`)];
  for (const h of hunks(diffLines(aLines, bLines))) {
    out.push(p.diffHunk(`@@ -${range(h.aStart, h.aLen)} +${range(h.bStart, h.bLen)} @@`));
    for (const o of h.ops) {
      const noEol = o.line.endsWith('\u0000');
      const text = o.kind + (noEol ? o.line.slice(0, -1) : o.line);
      out.push(o.kind === '+' ? p.diffAdd(text) : o.kind === '-' ? p.diffRemove(text) : text);
      if (noEol) out.push(NO_EOL);
    }
  }
  return out;
}

function range(start: number, len: number): string {
  return len === 1 ? String(start) : `${start},${len}`;
}
