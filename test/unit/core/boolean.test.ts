// Ansible's two boolean conversions (convert_bool.boolean and the `bool` filter), and the
// places that used to carry their own copies: keywords, the tests (module arguments: schema/coerce.ts).
import { describe, expect, it } from 'vitest';
import { ansibleBoolean, boolFilter } from '../../../src/core/boolean.js';
import { boolOf } from '../../../src/executor/host-keywords.js';
import { evaluate } from '../../../src/template/index.js';

describe('ansibleBoolean (convert_bool.boolean, strict)', () => {
  it.each([['y'], ['Yes'], [' on '], ['1'], ['TRUE'], ['t'], [1], [1.0], [true]])('%j is true', (v) =>
    expect(ansibleBoolean(v)).toBe(true),
  );
  it.each([['n'], ['No'], ['off'], ['0'], ['false'], ['F'], [0], [false]])('%j is false', (v) => expect(ansibleBoolean(v)).toBe(false));
  it.each([[''], ['1.0'], ['maybe'], [2], [null], [[]]])('%j is not a boolean', (v) => expect(ansibleBoolean(v)).toBeUndefined());
});

describe('the bool filter (to_bool) is narrower', () => {
  it('y and t are false, yes/on/1/true true, None stays None', () => {
    expect([
      boolFilter('y'),
      boolFilter('t'),
      boolFilter('Yes'),
      boolFilter('ON'),
      boolFilter('1'),
      boolFilter(1),
      boolFilter(null),
    ]).toEqual([false, false, true, true, true, true, null]);
    expect(evaluate("'y' | bool", {})).toBe(false);
    expect(evaluate("'yes' | bool", {})).toBe(true);
  });
  it('truthy(convert_bool=True) uses boolean(), else Python truthiness', () => {
    expect(evaluate("'no' is truthy(convert_bool=True)", {})).toBe(false);
    expect(evaluate("'no' is truthy", {})).toBe(true);
    expect(evaluate("'maybe' is truthy(convert_bool=True)", {})).toBe(true);
  });
});

describe('keywords and module arguments read booleans the same way', () => {
  it('run_once: y is true, not a variable named y', () => {
    expect(boolOf('y', { y: false })).toBe(true);
    expect(boolOf('{{ flag }}', { flag: 'no' })).toBe(false);
    expect(boolOf('{{ flag }}', { flag: true })).toBe(true);
  });
  it('a value that is no boolean fails strictly, as Ansible does', () => {
    expect(() => boolOf('maybe', {})).toThrow(/not a valid boolean/);
    expect(boolOf('maybe', {}, false)).toBe(false);
  });
});
