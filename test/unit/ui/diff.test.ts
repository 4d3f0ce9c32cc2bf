import { describe, expect, it } from 'vitest';
import { palette } from '../../../src/ui/color.js';
import { diffLines, hunks, unifiedDiff } from '../../../src/ui/diff.js';

const plain = palette(false);
const script = (a: string[], b: string[]): string[] => diffLines(a, b).map((o) => o.kind + o.line);

describe('diffLines', () => {
  it('keeps equal input', () => {
    expect(script(['a', 'b'], ['a', 'b'])).toEqual([' a', ' b']);
  });

  it('finds a minimal edit script', () => {
    // Myers' classic example: ABCABBA -> CBABAC needs 5 edits
    const ops = diffLines([...'ABCABBA'], [...'CBABAC']);
    expect(ops.filter((o) => o.kind !== ' ')).toHaveLength(5);
    // applying the script gives both sides back
    expect(
      ops
        .filter((o) => o.kind !== '+')
        .map((o) => o.line)
        .join(''),
    ).toBe('ABCABBA');
    expect(
      ops
        .filter((o) => o.kind !== '-')
        .map((o) => o.line)
        .join(''),
    ).toBe('CBABAC');
  });

  it('handles empty sides', () => {
    expect(script([], ['x', 'y'])).toEqual(['+x', '+y']);
    expect(script(['x'], [])).toEqual(['-x']);
    expect(script([], [])).toEqual([]);
  });
});

describe('unifiedDiff', () => {
  it('renders insertions, deletions and 3 lines of context in hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[1] = 'line two';
    after.splice(15, 1);
    const out = unifiedDiff({ path: '/etc/f', before: before.join('\n') + '\n', after: after.join('\n') + '\n' }, plain);
    expect(out).toEqual([
      '--- before: /etc/f',
      '+++ after: /etc/f',
      '@@ -1,5 +1,5 @@',
      ' line 1',
      '-line 2',
      '+line two',
      ' line 3',
      ' line 4',
      ' line 5',
      '@@ -13,7 +13,6 @@',
      ' line 13',
      ' line 14',
      ' line 15',
      '-line 16',
      ' line 17',
      ' line 18',
      ' line 19',
    ]);
  });

  it('merges changes closer than twice the context into one hunk', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const after = ['A', 'b', 'c', 'd', 'e', 'f', 'g', 'H'];
    expect(hunks(diffLines(before, after))).toHaveLength(1);
  });

  it('diffs a new file against nothing', () => {
    expect(unifiedDiff({ path: 'new', before: '', after: 'x\ny\n' }, plain)).toEqual([
      '--- before: new',
      '+++ after: new',
      '@@ -0,0 +1,2 @@',
      '+x',
      '+y',
    ]);
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff({ path: 'f', before: 'a\n', after: 'a' }, plain)).toEqual([
      '--- before: f',
      '+++ after: f',
      '@@ -1 +1 @@',
      '-a',
      '+a',
      '\\ No newline at end of file',
    ]);
  });

  it('prints nothing for equal files', () => {
    expect(unifiedDiff({ path: 'f', before: 'same\n', after: 'same\n' }, plain)).toEqual([]);
  });

  it('colors added green, removed red, hunk headers cyan when asked', () => {
    const out = unifiedDiff({ path: 'f', before: 'a\n', after: 'b\n' }, palette(true));
    expect(out).toContain('\u001b[0;31m-a\u001b[0m');
    expect(out).toContain('\u001b[0;32m+b\u001b[0m');
    expect(out).toContain('\u001b[0;36m@@ -1 +1 @@\u001b[0m');
  });
});
