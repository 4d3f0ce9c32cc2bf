// One Python-regex translation for filters and modules alike (template/regex.ts).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/template/index.js';
import { setLine } from '../../../src/modules/support/lines.js';

describe('the one Python regex translation', () => {
  it('a missing group in a replacement is an error, as in Python re.sub', () => {
    expect(() => evaluate("'a' | regex_replace('(a)', '\\\\2')", {})).toThrow(/invalid group reference 2/);
    expect(evaluate("'ab' | regex_replace('(a)(x)?', '[\\\\2]')", {})).toBe('[]b');
  });
  it('character classes with ] first are read as Python reads them, in modules too', () => {
    expect(evaluate("'a]b' | regex_replace('[]]', '-')", {})).toBe('a-b');
    expect(setLine('x]=1\nother\n', { regexp: '^x[]]=', line: 'x]=2' })).toBe('x]=2\nother\n');
  });
  it('backrefs in lineinfile expand like match.expand', () => {
    expect(setLine('port=1\n', { regexp: '^(?P<k>port)=(\\d+)$', line: '\\g<k>=\\2\\2', backrefs: true })).toBe('port=11\n');
  });
});
