import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src/cli/code-cache.js';

const dirs: string[] = [];
function bundle(body: string, id = '0123456789abcdef0123'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-code-cache-'));
  dirs.push(dir);
  const file = join(dir, 'cmd.cjs');
  writeFileSync(file, `// runbook-build ${id}\n${body}`);
  return file;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a command bundle through the code cache', () => {
  it('runs the CommonJS file and takes the cache it wrote, which starts with the build id', () => {
    const file = bundle('exports.twice = (n) => 2 * n; exports.dir = __dirname; exports.fs = typeof require("node:fs").readFileSync;');
    const first = loadBundle<{ twice: (n: number) => number; dir: string; fs: string }>(file)!;
    expect(first.cached).toBe(false);
    expect(first.exports.twice(21)).toBe(42);
    expect(first.exports.dir).toBe(join(file, '..'));
    expect(first.exports.fs).toBe('function');
    first.saveCache();
    expect(readFileSync(`${file}.cache`).subarray(0, 20).toString('latin1')).toBe('0123456789abcdef0123');
    const second = loadBundle<{ twice: (n: number) => number }>(file)!;
    expect(second.cached).toBe(true);
    expect(second.exports.twice(4)).toBe(8);
  });

  it('ignores a cache of another build, and a file without the build line', () => {
    const file = bundle('exports.v = 1;');
    loadBundle(file)!.saveCache();
    const rebuilt = bundle('exports.v = 2;', 'fedcba9876543210fedc');
    writeFileSync(`${rebuilt}.cache`, readFileSync(`${file}.cache`));
    const b = loadBundle<{ v: number }>(rebuilt)!;
    expect(b.cached).toBe(false);
    expect(b.exports.v).toBe(2);
    const plain = join(dirs[0]!, 'plain.cjs');
    writeFileSync(plain, 'exports.v = 3;');
    expect(loadBundle(plain)).toBeUndefined();
    expect(loadBundle(join(dirs[0]!, 'absent.cjs'))).toBeUndefined();
  });

  it("gives the bundle's import() of an external to node's loader", async () => {
    const file = bundle('exports.load = () => __rbImport("node:path");');
    const b = loadBundle<{ load: () => Promise<{ join: unknown }> }>(file)!;
    expect(typeof (await b.exports.load()).join).toBe('function');
  });
});
