import { expect } from 'vitest';
import { TemplateError, type Scope } from '../../../src/template/index.js';

/** Runs `fn` and returns the TemplateError it throws (fails the test when none is thrown). */
export function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError, nothing was thrown');
}

export const scope: Scope = {
  port: 2379,
  host: 'etcd1',
  name: 'World',
  items: ['a', 'b', 'c'],
  nums: [3, 1, 2],
  empty: [],
  d: { a: 1, b: 'two', nested: { deep: true } },
  users: [
    { name: 'alice', uid: 1001, admin: true },
    { name: 'bob', uid: 1002, admin: false },
    { name: 'carol', uid: 1003, admin: true },
  ],
  nothing: null,
  flag: true,
  off: false,
  zero: 0,
  text: 'Hello World',
};
