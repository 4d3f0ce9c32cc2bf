// Python floats (core/python-float.ts): a whole float is a PyFloat and prints as Python prints
// it. Each expected text is what ansible-playbook 2.14 gave (test/e2e/compat/floats.test.ts runs
// the same cases side by side).
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/core/yaml-source.js';
import { floatRepr, parseJsonKeepingFloats, plainNumbers, PyFloat, pyFloat } from '../../../src/core/python-float.js';
import { pythonJson } from '../../../src/core/python-json.js';
import { yamlFloats } from '../../../src/core/yaml-floats.js';
import { stringify } from 'yaml';
import { evaluate, evaluateBare, renderString } from '../../../src/template/index.js';
import { pyEq, pyRepr, truthy } from '../../../src/template/values.js';

describe('floatRepr: Python repr() of a float', () => {
  it.each([
    [2, '2.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [123456789012345.0, '123456789012345.0'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%s → %s', (n, want) => expect(floatRepr(n)).toBe(want));
});

describe('PyFloat: only whole floats are boxed', () => {
  it('pyFloat boxes 2 and -0, leaves 0.5 and inf plain', () => {
    expect(pyFloat(2)).toBeInstanceOf(PyFloat);
    expect(pyFloat(-0)).toBeInstanceOf(PyFloat);
    expect(pyFloat(0.5)).toBe(0.5);
    expect(pyFloat(Infinity)).toBe(Infinity);
  });
  it('to code that does not know floats it is the number it was', () => {
    const f = new PyFloat(2);
    expect(Number(f)).toBe(2);
    expect(String(f)).toBe('2');
    expect(JSON.stringify({ f })).toBe('{"f":2}');
    expect(plainNumbers({ a: [f, 'x'], b: 1 })).toEqual({ a: [2, 'x'], b: 1 });
  });
  it('pythonJson writes it as json.dumps does', () => {
    expect(pythonJson({ a: new PyFloat(1), b: [new PyFloat(1e16), 2, 0.5], s: 'pyfloat:1.0' }, { indent: 4 })).toBe(
      '{\n    "a": 1.0,\n    "b": [\n        1e+16,\n        2,\n        0.5\n    ],\n    "s": "pyfloat:1.0"\n}',
    );
    expect(pythonJson({ x: [new PyFloat(-0), 1] })).toBe('{"x": [-0.0, 1]}');
  });
  it('yamlFloats writes it as a float in YAML (the TTY reporter, to_yaml)', () => {
    expect(stringify({ a: new PyFloat(1), b: [new PyFloat(-2), 3] }, yamlFloats)).toBe('a: 1.0\nb:\n  - -2.0\n  - 3\n');
    expect(stringify(new PyFloat(2), yamlFloats)).toBe('2.0\n');
  });
  it('parseJsonKeepingFloats: 2.0 and 1e3 are floats, 2 an int, strings untouched', () => {
    const v = parseJsonKeepingFloats('{"a": 2.0, "b": 2, "c": "3.0", "d": [1e3, 0.5, -4.0]}');
    expect(pyRepr(v)).toBe("{'a': 2.0, 'b': 2, 'c': '3.0', 'd': [1000.0, 0.5, -4.0]}");
    expect(() => parseJsonKeepingFloats('{"a": 2.0,}')).toThrow(SyntaxError);
  });
  it('YAML floats are floats, as PyYAML reads them (1e3 stays a string)', () => {
    const doc = parseYaml('t.yml', 'a: 2.0\nb: 1.0e+3\nc: 1e3\nd: 2\ne: -0.0\n').source.doc.toJS() as Record<string, unknown>;
    expect(pyRepr(doc)).toBe("{'a': 2.0, 'b': 1000.0, 'c': '1e3', 'd': 2, 'e': -0.0}");
  });
});

const scope = { version: new PyFloat(2), whole: 3, zero: new PyFloat(0), lst: [new PyFloat(1), 2], d: { '2': 'two' } };

describe('templates: floats as Jinja2 and Python give them', () => {
  it.each([
    ['{{ version }}', '2.0'],
    ['{{ 10 / 5 }}', '2.0'],
    ['{{ 3 | float }}', '3.0'],
    ["{{ 'x' | float }}", '0.0'],
    ['{{ 1e3 }}', '1000.0'],
    ['{{ 7 // 2 }}', '3'],
    ['{{ 7.0 // 2 }}', '3.0'],
    ['{{ 2.0 | int }}', '2'],
    ['{{ 2.0 == 2 }}', 'True'],
    ['{{ 1e16 }}', '1e+16'],
    ['{{ 2.5 | round }}', '2.0'],
    ['{{ 3.5 | round }}', '4.0'],
    ['{{ 2 | round }}', '2'],
    ["{{ 2.5 | round(0, 'ceil') }}", '3.0'],
    ['{{ [1.0, 2] }}', '[1.0, 2]'],
    ["{{ {'a': 1.0} | to_json }}", '{"a": 1.0}'],
    ['{{ lst | to_nice_yaml }}', '- 1.0\n- 2\n'],
    ["{{ version ~ 'x' }}", '2.0x'],
    ["{{ 'v%s %d %r' % (version, version, version) }}", 'v2.0 2 2.0'],
    ["{{ '{}'.format(version) }}", '2.0'],
    ['{{ [version is float, version is integer, whole is float, 0.5 is float] }}', '[True, False, False, True]'],
    ['{{ version | type_debug }} {{ (10 / 5) | type_debug }} {{ whole | type_debug }}', 'float float int'],
    ['{{ [version + 1, version - 1, version * 2, version % 2, version ** 2, -version] }}', '[3.0, 1.0, 4.0, 0.0, 4.0, -2.0]'],
    ['{{ [2 ** -1, 2 ** 2, 1 ** -1, true + 1.0] }}', '[0.5, 4, 1.0, 2.0]'],
    ['{{ [[1.0, 2.0] | sum, [1, 2] | sum, [2.0, 2] | max, [1, 2.0] | min, -2.0 | abs] }}', '[3.0, 3, 2.0, 1, 2.0]'], // Jinja: the filter takes -2.0
    ['{{ [1, 2, 3] | map("float") | list }}', '[1.0, 2.0, 3.0]'],
    ['{{ d[version] }} {{ version in [2] }} {{ 2 in lst }}', 'two True True'],
    ["{{ 'yes' if zero else 'falsy' }}", 'falsy'],
    ["{{ '{\"a\": 2.0}' | from_json }} {{ 'a: 2.0' | from_yaml }}", "{'a': 2.0} {'a': 2.0}"],
    ['{{ -0.0 }} {{ 0.1 + 0.2 }}', '-0.0 0.30000000000000004'],
  ])('%s → %j', (text, want) => expect(renderString(text, scope)).toBe(want));

  it('a float equals its int and is truthy unless zero', () => {
    expect(pyEq(new PyFloat(2), 2)).toBe(true);
    expect(truthy(new PyFloat(0))).toBe(false);
    expect(truthy(new PyFloat(-1))).toBe(true);
  });
  it('a lone {{ var }} keeps the float; an expression is its text', () => {
    expect(evaluate('version', scope)).toBeInstanceOf(PyFloat);
    expect(renderString('{{ version | string | length }}', scope)).toBe('3');
  });
  it("debug's var: a variable as it is, an expression rendered as text (Ansible's convert_bare)", () => {
    expect(evaluateBare('version', scope)).toBeInstanceOf(PyFloat);
    expect(evaluateBare('10 / 5', scope)).toBe('2.0');
    expect(evaluateBare('1 + 1', scope)).toBe('2');
    expect(pyRepr(evaluateBare('lst', scope))).toBe('[1.0, 2]');
    expect(pyRepr(evaluateBare('[version, 1 + 1]', scope))).toBe('[2.0, 2]');
  });
});
