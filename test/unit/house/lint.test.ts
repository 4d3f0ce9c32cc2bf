// The house lint (scripts/house-lint.mjs) on small trees written here: each rule must fire on the
// case it names and stay quiet on its look-alike (a type-only import in a cycle, `process` in a
// comment or a string), and the real tree must pass it.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error plain ESM script without types
import { blank, cyclePath, findCycles, importsOf, ioUses, lintTree } from '../../../scripts/house-lint.mjs';

const ROOT = join(import.meta.dirname, '../../..');

type Map = { layers: Record<string, { holds: string; imports: string[] | '*' }>; [k: string]: unknown };
const MAP: Map = {
  layers: { core: { holds: 'x', imports: [] }, engine: { holds: 'y', imports: ['core'] }, cli: { holds: 'z', imports: '*' } },
  io: ['cli'],
  maxLines: 350,
};

function tree(files: Record<string, string>, map: Map = MAP): string[] {
  const root = mkdtempSync(join(tmpdir(), 'house-lint-'));
  try {
    writeFileSync(join(root, 'layers.json'), JSON.stringify(map));
    for (const dir of ['src/core', 'src/engine', 'src/cli']) mkdirSync(join(root, dir), { recursive: true });
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return lintTree(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('house lint: the scanner', () => {
  it('blanks comments and literals but keeps offsets, lines and template expressions', () => {
    const src =
      "const a = 'process.env'; // process.exit\n/* console.log */ const r = /process\\./;\nconst t = `x ${process.env['A']} y`;\n";
    const out: string = blank(src);
    expect(out.length).toBe(src.length);
    expect(out.split('\n').length).toBe(src.split('\n').length);
    expect(out).not.toContain('process.exit');
    expect(out).not.toContain('console');
    expect(out).toContain("const t = `  ${process.env[' ']}  `;");
    expect(ioUses(src)).toEqual([{ use: 'process.env', line: 3 }]);
  });

  it('tells a regex from a division', () => {
    expect(ioUses('const x = a / b; const y = c / d; process.argv;\n')).toEqual([{ use: 'process.argv', line: 1 }]);
    expect(ioUses("const r = s.split(/'/); process.cwd();\n")).toEqual([{ use: 'process.cwd', line: 1 }]);
  });

  it("finds spreads, bare uses and imports of node:process, not other objects' properties", () => {
    const uses = ioUses("import { env } from 'node:process';\nf({ ...process.env }); g(process); h.process.x; console?.error('');\n");
    expect(uses.map((u: { use: string }) => u.use).sort()).toEqual(['console.error', 'process', 'process', 'process.env']);
  });

  it('tells type-only imports apart', () => {
    const imps = importsOf(
      "import type { A } from './a.js';\nimport { type B, type C } from './b.js';\nimport { type D, e } from './d.js';\nexport type { F } from './f.js';\nimport {} from './g.js';\n// import { g } from './g.js';\nconst m = await import('./lazy.js');\n",
    );
    expect(imps.map((i: { spec: string; typeOnly: boolean; lazy?: boolean }) => [i.spec, i.typeOnly, i.lazy === true])).toEqual([
      ['./a.js', true, false],
      ['./b.js', true, false],
      ['./d.js', false, false],
      ['./f.js', true, false],
      ['./g.js', false, false],
      ['./lazy.js', false, true],
    ]);
  });

  it('finds each cycle once, with its files sorted', () => {
    const g = new Map([
      ['c', ['a']],
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('reports a cycle as the import path around it, the shortest from its first file', () => {
    const g = new Map([
      ['a', ['c', 'b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['a']],
    ]);
    expect(cyclePath(g, ['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'a']);
    expect(
      cyclePath(
        new Map([
          ['x', ['y']],
          ['y', ['z']],
          ['z', ['x']],
        ]),
        ['x', 'y', 'z'],
      ),
    ).toEqual(['x', 'y', 'z', 'x']);
  });
});

describe('house lint: a tree', () => {
  it('passes a clean tree', () => {
    expect(
      tree({ 'src/core/a.ts': 'export const a = 1;\n', 'src/engine/b.ts': "import { a } from '../core/a.js';\nexport const b = a;\n" }),
    ).toEqual([]);
  });

  it('reports an import up a layer, type-only too', () => {
    const p = tree({
      'src/core/a.ts': "import type { B } from '../engine/b.js';\nexport type A = B;\n",
      'src/engine/b.ts': 'export type B = 1;\n',
    });
    expect(p).toEqual(['src/core/a.ts:1: src/core may not have a type-only import of src/engine (layers.json allows: none)']);
  });

  it('reports a value cycle, and not one through a type-only import', () => {
    const a = "import { b } from './b.js';\nexport const a = () => b;\n";
    expect(tree({ 'src/engine/a.ts': a, 'src/engine/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n" })).toEqual([
      'import cycle between 2 files: src/engine/a.ts → src/engine/b.ts → src/engine/a.ts (break it with a type-only import or by moving the shared part down)',
    ]);
    expect(
      tree({ 'src/engine/a.ts': a, 'src/engine/b.ts': "import type { a } from './a.js';\nexport const b = (x: typeof a) => x;\n" }),
    ).toEqual([]);
  });

  it('accepts a listed cycle and reports a listed one that is gone', () => {
    const files = {
      'src/engine/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'src/engine/b.ts': "import './a.js';\nexport const b = 1;\n",
    };
    const known = { ...MAP, knownCycles: { cycles: [['src/engine/b.ts', 'src/engine/a.ts']] } };
    expect(tree(files, known)).toEqual([]);
    expect(tree({ 'src/engine/a.ts': 'export const a = 1;\n' }, known)).toEqual([
      'layers.json lists a cycle that is gone (remove it from knownCycles): src/engine/a.ts → src/engine/b.ts',
    ]);
  });

  it('reports process and console outside the io layers unless listed with why, and a listed use that is gone', () => {
    const files = {
      'src/engine/a.ts': "// process.exit(1) in a comment is fine\nexport const home = process.env['HOME'];\n",
      'src/cli/main.ts': "console.log('ok');\nprocess.exit(0);\n",
    };
    expect(tree(files)).toEqual([
      'src/engine/a.ts:2: process.env outside src/cli (pass the value in from the cli, or list the file in layers.json ioExceptions with why)',
    ]);
    const listed = (uses: string[], why = 'the default home'): Map => ({
      ...MAP,
      ioExceptions: { files: { 'src/engine/a.ts': { uses, why } } },
    });
    expect(tree(files, listed(['process.env']))).toEqual([]);
    expect(tree(files, listed(['process.env'], ''))).toEqual(['layers.json ioExceptions: src/engine/a.ts says no why']);
    expect(tree(files, listed(['process.env', 'process.cwd']))).toEqual([
      'layers.json ioExceptions lists process.cwd in src/engine/a.ts, which no longer uses it (remove it)',
    ]);
  });

  it('reports a folder off the map and a layer without its folder', () => {
    const map = { ...MAP, layers: { ...MAP.layers, gone: { holds: 'g', imports: [] } } };
    expect(tree({ 'src/extra/x.ts': 'export {};\n' }, map)).toEqual([
      'src/extra/x.ts: folder src/extra is not a known layer (add it to layers.json with its allowed imports)',
      "layers.json: layer 'gone' has no folder src/gone",
    ]);
  });

  it('passes the real tree', () => {
    expect(lintTree(ROOT)).toEqual([]);
  });
});
