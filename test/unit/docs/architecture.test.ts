// ARCHITECTURE.md against the layer map (layers.json) and the code: the layers drawn and those in
// the table are the map's, each row's "may import" and "holds" are the map's row, and every file
// and function the path of a task names exists, so the page cannot quietly go stale.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
const map = JSON.parse(readFileSync(join(ROOT, 'layers.json'), 'utf8')) as {
  layers: Record<string, { holds: string; imports: string[] | '*' }>;
};
const layers = Object.keys(map.layers).sort();

function section(title: string): string {
  const start = doc.indexOf(`## ${title}\n`);
  expect(start, `ARCHITECTURE.md has a section '## ${title}'`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('ARCHITECTURE.md and layers.json', () => {
  it('draws every layer of the map, and only those', () => {
    const picture = /```\n([\s\S]*?)```/.exec(section('The layers'))![1]!;
    const boxed = [...picture.matchAll(/│ +([a-z][a-z ]*?) +│/g)].flatMap((m) => m[1]!.split(/ +/));
    const bottom = [...picture.matchAll(/▶ ([a-z]+)/g)].map((m) => m[1]!);
    expect([...new Set([...boxed, ...bottom])].sort()).toEqual(layers);
  });

  it("has one table row a layer, with the map's imports and holds", () => {
    const rows = [...section('The layers').matchAll(/^\| `([a-z]+)\/` \| ([^|]*) \| ([^|]*) \| ([^|]*) \|$/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual(layers);
    for (const [, name, imports, holds, first] of rows) {
      const row = map.layers[name!]!;
      const want = row.imports === '*' ? 'everything' : row.imports.length ? row.imports.map((l) => `\`${l}\``).join(', ') : '—';
      expect(imports, `${name}: may import`).toBe(want);
      expect(holds, `${name}: holds (layers.json)`).toBe(row.holds);
      for (const f of first!.matchAll(/`([^`]+\.ts)`/g)) expect(existsSync(join(ROOT, 'src', f[1]!)), `${name}: src/${f[1]}`).toBe(true);
    }
  });

  it('names on the path of a task only files and functions that exist', () => {
    const path = section('The path of one task, from YAML to an SSH channel');
    const files = [...path.matchAll(/`((?:[a-z]+\/)+[a-z-]+\.ts)`/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(existsSync(join(ROOT, 'src', f)), `src/${f}`).toBe(true);
    // "`file.ts` `name()`" and "`file.ts` `Name`": the function or class is declared in that file
    const named = [...path.matchAll(/`((?:[a-z]+\/)+[a-z-]+\.ts)`\s+`([A-Za-z_]+)(\(\))?`/g)];
    expect(named.length).toBeGreaterThan(15);
    for (const [, file, name] of named) {
      const text = readFileSync(join(ROOT, 'src', file!), 'utf8');
      expect(new RegExp(`(function|class|const|interface|type) ${name}\\b`).test(text), `${name} in src/${file}`).toBe(true);
    }
  });
});
