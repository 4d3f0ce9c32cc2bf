import { describe, expect, it } from 'vitest';
import { literalEval } from '../../../src/inventory/python-literal.js';
import { shlexSplit } from '../../../src/inventory/shlex.js';

describe("literalEval (Python's ast.literal_eval, text when not a literal)", () => {
  it.each<[string, unknown]>([
    ['22', 22],
    ['-5', -5],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ["'42'", '42'],
    ['"a\\tb"', 'a\tb'],
    ["r'a\\tb'", 'a\\tb'],
    ["'a' 'b'", 'ab'],
    ['[1, "x", [True]]', [1, 'x', [true]]],
    ['(1, 2)', [1, 2]],
    ['(1,)', [1]],
    ['(7)', 7],
    ['1,2', [1, 2]],
    ['{"a": 1, 2: [3]}', { a: 1, '2': [3] }],
    ['{1, 2, 1}', [1, 2]],
    ['{}', {}],
    ['8080 # http', 8080],
  ])('%s', (text, value) => {
    expect(literalEval(text)).toEqual(value);
  });

  it.each(['true', 'yes', '10-5', '010', '1j', 'web01', 'a b', "'unclosed", '[1, 2', 'inf', '', 'f"x"', '12345678901234567890', 'constructor'])(
    'keeps %j as text',
    (text) => {
      expect(literalEval(text)).toBe(text);
    },
  );
});

describe('shlexSplit (POSIX shell words, # comments)', () => {
  it('splits on blanks and removes quotes', () => {
    const r = shlexSplit(`web1 a="x y" b='p q' c=d\\ e`);
    expect(r).toEqual({
      ok: true,
      tokens: [
        { text: 'web1', start: 0 },
        { text: 'a=x y', start: 5 },
        { text: 'b=p q', start: 13 },
        { text: 'c=d e', start: 21 },
      ],
    });
  });

  it('starts a comment at # even inside a word, but not inside quotes', () => {
    const r = shlexSplit(`h pw=ab#cd q="x#y" # trailing`);
    expect(r.ok && r.tokens.map((t) => t.text)).toEqual(['h', 'pw=ab']);
    const s = shlexSplit(`h q="x#y" # trailing`);
    expect(s.ok && s.tokens.map((t) => t.text)).toEqual(['h', 'q=x#y']);
  });

  it('keeps a backslash in double quotes unless it escapes " or \\', () => {
    const r = shlexSplit(`h a="x\\ny\\"z"`);
    expect(r.ok && r.tokens[1]!.text).toBe('a=x\\ny"z');
  });

  it('reports an unclosed quote where it opens', () => {
    expect(shlexSplit(`h a="x y`)).toEqual({ ok: false, message: 'no closing quotation', at: 4 });
  });
});
