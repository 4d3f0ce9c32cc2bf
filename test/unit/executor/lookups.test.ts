// The lookup plugins validate accepts are the ones the executor implements; the behaviour is
// compared with ansible-playbook in test/e2e/compat/lookups.test.ts.
import { describe, expect, it } from 'vitest';
import { LOOKUPS } from '../../../src/playbook/checks.js';
import { flattenAll, lookupFunctions, SUPPORTED } from '../../../src/executor/lookups.js';
import { loopItems } from '../../../src/executor/loops.js';
import { calledFunction } from '../../../src/template/index.js';

describe('lookups', () => {
  it('validate and the executor name the same lookup plugins', () => {
    expect([...LOOKUPS].sort()).toEqual([...SUPPORTED].sort());
  });
  it('flattened removes every level of nesting and keeps nulls, as Ansible', () => {
    expect(flattenAll([1, [2, [3, [4]]], null, 'x'])).toEqual([1, 2, 3, 4, null, 'x']);
  });
  it('a with_<lookup> loop is that lookup on the terms, a scalar term a list of one (with_together as 2.14 gives it)', () => {
    const query = calledFunction(lookupFunctions({ baseDirs: ['/'], getScope: () => ({}) })['query'])!;
    const env = { query: (plugin: string, terms: unknown[]) => query([plugin, ...terms], {}) as unknown[] };
    const loop = (style: 'with_together' | 'with_lines', items: unknown) => loopItems({ style, items, loopVar: 'item' }, items, env);
    expect(
      loop('with_together', [
        [1, 2, 3],
        ['a', ['b', 'c']],
      ]),
    ).toEqual({
      ok: true,
      items: [
        [1, 'a'],
        [2, 'b', 'c'],
        [3, null],
      ],
    });
    expect(loop('with_together', [[1, [2, 3]], 'x'])).toEqual({
      ok: true,
      items: [
        [1, 'x'],
        [2, 3, null],
      ],
    });
    expect(loop('with_together', [1, 2, 3])).toEqual({ ok: true, items: [[1, 2, 3]] });
    expect(loop('with_lines', 'printf "a\\nb\\n"')).toEqual({ ok: true, items: ['a', 'b'] });
    expect(() => loop('with_lines', 'exit 3')).toThrow('lookup_plugin.lines(exit 3) returned 3');
  });
});
