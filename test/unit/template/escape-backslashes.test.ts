// Ansible's templar doubles the backslashes of the string literals inside a playbook value's
// `{{ }}` before Jinja reads them (template/__init__.py `_escape_backslashes`); template files and
// conditions are read as Jinja reads them. Each expected value is what ansible-playbook 2.14 gave
// (test/e2e/compat/escape-backslashes.test.ts runs the same cases side by side).
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateBare, evaluateBool, renderFile, renderString } from '../../../src/template/index.js';

const scope = { l: ['a', 'b'], joined: '{{ l | join("\\n") }}' };
const noFiles = () => undefined;

describe('a playbook value: string literals inside {{ }} read verbatim', () => {
  it.each([
    ['{{ l | join("\\n") }}', 'a\\nb'],
    ['{{ "\\x4" }}', '\\x4'],
    ['{{ "\\101" }}', '\\101'],
    ["{{ 'a\\\\b' }}", 'a\\\\b'],
    ['{{ "a\\\'b" }}', "a\\'b"],
    ['{% if true %}{{ "a\\tb" }}{% endif %}', 'a\\tb'],
    ['{{ joined }}', 'a\\nb'],
    ["{{ 'ab' | regex_replace('(a)', '\\1x') }}", 'axb'],
  ])('%s gives %j', (text, want) => expect(renderString(text, scope)).toBe(want));

  it('a real newline (YAML double quotes made it) stays a newline', () => {
    expect(renderString('{{ l | join("\n") }}', scope)).toBe('a\nb');
  });
  it("{% %} is not {{ }}: its literals keep Python's escapes", () => {
    expect(renderString('{% set s = "a\\tb" %}{{ s }}', scope)).toBe('a\tb');
  });
  it('text outside {{ }} is left alone', () => {
    expect(renderString('out\\n{{ "x" }}', scope)).toBe('out\\nx');
  });
  it('a quote escaped with a backslash ends the string in Ansible: refused, with the way out', () => {
    expect(() => renderString('{{ "a\\"b" }}', scope)).toThrow(/use the other kind of quote/);
  });
  it("debug's var is a value too (convert_bare)", () => {
    expect(evaluateBare("l | join('\\n')", scope)).toBe('a\\nb');
  });
});

describe("template files and conditions: Python's escapes", () => {
  it('a template file', () => {
    expect(renderFile('{{ l | join("\\n") }}|{% set s = "a\\tb" %}{{ s }}', scope, noFiles)).toBe('a\nb|a\tb');
  });
  it('a variable the file uses is a value, rendered as Ansible renders variables', () => {
    expect(renderFile('{{ joined }}', scope, noFiles)).toBe('a\\nb');
  });
  it('a bare condition', () => {
    expect(evaluateBool('"a\\tb" | length == 3', scope)).toBe(true);
    expect(evaluate('"a\\tb"', scope)).toBe('a\tb');
  });
});
