// ansible_loop as Ansible's extended loop_control gives it (checked side by side with
// ansible-playbook 2.14: index/length, previtem/nextitem absent at the ends, allitems).
import { describe, expect, it } from 'vitest';
import { loopVars } from '../../../src/executor/loops.js';

describe('loopVars', () => {
  it('builds the loop variable, index_var and the extended ansible_loop', () => {
    const v = loopVars({ loopVar: 'm', indexVar: 'i' }, ['a', 'b', 'c'], 1);
    expect(v).toEqual({
      m: 'b',
      i: 1,
      ansible_loop_var: 'm',
      ansible_loop: {
        index: 2,
        index0: 1,
        revindex: 2,
        revindex0: 1,
        first: false,
        last: false,
        length: 3,
        allitems: ['a', 'b', 'c'],
        previtem: 'a',
        nextitem: 'c',
      },
    });
    const first = loopVars({ loopVar: 'item' }, ['a', 'b'], 0)['ansible_loop'] as Record<string, unknown>;
    expect('previtem' in first).toBe(false);
    expect(first['first']).toBe(true);
    const last = loopVars({ loopVar: 'item' }, ['a', 'b'], 1)['ansible_loop'] as Record<string, unknown>;
    expect('nextitem' in last).toBe(false);
    expect(last['last']).toBe(true);
  });
});
