// The generated files (types from schemas/, docs/modules.md) must match the schemas: a schema
// change without `npm run gen` fails here.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');

function check(script: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join('scripts', script), '--check'], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe('generated files are up to date with schemas/', () => {
  it('types: src/modules/generated/args.ts (node scripts/gen-types.mjs)', () => {
    const r = check('gen-types.mjs');
    expect(r.status, r.output).toBe(0);
  }, 60_000);

  it('docs: docs/modules.md (node scripts/gen-module-docs.mjs)', () => {
    const r = check('gen-module-docs.mjs');
    expect(r.status, r.output).toBe(0);
  }, 60_000);
});
