// The lookup plugins validate accepts are the ones the executor implements; the behaviour is
// compared with ansible-playbook in test/e2e/compat/lookups.test.ts.
import { describe, expect, it } from 'vitest';
import { LOOKUPS } from '../../../src/playbook/checks.js';
import { flattenAll, SUPPORTED } from '../../../src/executor/lookups.js';

describe('lookups', () => {
  it('validate and the executor name the same lookup plugins', () => {
    expect([...LOOKUPS].sort()).toEqual([...SUPPORTED].sort());
  });
  it('flattened removes every level of nesting and keeps nulls, as Ansible', () => {
    expect(flattenAll([1, [2, [3, [4]]], null, 'x'])).toEqual([1, 2, 3, 4, null, 'x']);
  });
});
