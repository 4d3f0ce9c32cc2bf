import { describe, expect, it } from 'vitest';
import { literalEval } from '../../../src/core/python-literal.js';
import { PyFloat } from '../../../src/core/python-float.js';

describe("literalEval (Python's ast.literal_eval, text when not a literal)", () => {
  it.each<[string, unknown]>([
    ['22', 22],
    ['-5', -5],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['1e3', new PyFloat(1000)], // a Python float (core/python-float.ts)
    ['2.5', 2.5],
    ['-2.0', new PyFloat(-2)],
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

  it.each([
    'true',
    'yes',
    '10-5',
    '010',
    '1j',
    'web01',
    'a b',
    "'unclosed",
    '[1, 2',
    'inf',
    '',
    'f"x"',
    '12345678901234567890',
    'constructor',
  ])('keeps %j as text', (text) => {
    expect(literalEval(text)).toBe(text);
  });
});

describe('literalEval nesting', () => {
  it("reads brackets nested as deep as CPython's parser does (200), and keeps deeper text as text", () => {
    expect(literalEval('['.repeat(200) + ']'.repeat(200))).toBeInstanceOf(Array);
    const deeper = '['.repeat(201) + ']'.repeat(201);
    expect(literalEval(deeper)).toBe(deeper);
    const huge = '['.repeat(100_000) + ']'.repeat(100_000); // a command's output: text, not a stack overflow
    expect(literalEval(huge, { jsonNames: true })).toBe(huge);
  });
});
