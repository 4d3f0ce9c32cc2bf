// A small seeded fuzz of validate: mutants of a real playbook (YAML and Jinja punctuation
// inserted, lines deleted or duplicated, anchors and aliases added) must each give either a
// playbook or diagnostics with FILE:LINE:COL — never an exception — and a bounded report.
// Seeded (same mutants every run), bounded (MUTANTS files, each under 4 KiB).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { boundedDiagnostics, MAX_ERRORS_PER_FILE } from '../../../src/cli/validate.js';

const SEED = 16;
const MUTANTS = 150;
const BASE = readFileSync(fileURLToPath(new URL('../../../playbooks/rolling-restart.yml', import.meta.url)), 'utf8').slice(0, 4000);
const PIECES = [
  '{{',
  '}}',
  '{%',
  '%}',
  ':',
  '- ',
  '  ',
  '\n',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!map ',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '|',
  '>',
  '#',
  '\t',
  '((((((((',
  'constructor: ',
  '__proto__: ',
  '? ',
];

/** mulberry32: a tiny deterministic PRNG */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * s.length);
    const kind = r();
    if (kind < 0.5) s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)]! + s.slice(at);
    else if (kind < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 20));
    else {
      const lines = s.split('\n');
      const l = Math.floor(r() * lines.length);
      if (kind < 0.85) lines.splice(l, 1);
      else lines.splice(l, 0, lines[l] ?? '');
      s = lines.join('\n');
    }
  }
  return s;
}

describe('validate fuzz (seeded, bounded)', () => {
  it(`${MUTANTS} mutants: a playbook or positioned diagnostics, never an exception`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-fuzz-'));
    const r = rng(SEED);
    const catalog = moduleCatalog();
    let withErrors = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const text = mutate(BASE, r);
      const file = join(dir, `m${i}.yml`);
      writeFileSync(file, text);
      let res: ReturnType<typeof loadPlaybook>;
      try {
        res = loadPlaybook(file, catalog, dir);
      } catch (e) {
        throw new Error(`mutant ${i} threw ${(e as Error).message}\n--- ${file}\n${text}`);
      }
      const errors = res.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) withErrors++;
      else expect(res.playbook, `mutant ${i}: no errors but no playbook`).toBeDefined();
      for (const d of res.diagnostics) {
        expect(d.pos.line, `mutant ${i}: ${d.message}`).toBeGreaterThanOrEqual(1);
        expect(d.pos.col, `mutant ${i}: ${d.message}`).toBeGreaterThanOrEqual(1);
        expect(d.message).not.toMatch(/native code|\[object Object\]|undefined is not/);
      }
      const out = boundedDiagnostics(res.diagnostics);
      expect(out.filter((l) => !/ and \d+ more error/.test(l)).length).toBeLessThanOrEqual(MAX_ERRORS_PER_FILE * 2);
    }
    // the mutations really do break most files (the fuzz is not vacuous)
    expect(withErrors).toBeGreaterThan(MUTANTS / 2);
  }, 90_000); // bounded work (150 mutants); the time bound is for a loaded CI machine
});
