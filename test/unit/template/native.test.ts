import { describe, expect, it } from 'vitest';
import { render, renderDeep, renderString, isTemplate } from '../../../src/template/index.js';
import { scope } from './helpers.js';

describe('native types', () => {
  // as ansible-playbook 2.14 (jinja2_native off) hands values on; the same cases run side by
  // side with it in test/e2e/compat/typing.test.ts
  it('a lone {{ name }} of a number, boolean or None keeps it; a list or dict stays one', () => {
    expect(render('{{ port }}', scope)).toBe(2379);
    expect(render('{{ port }}\n', scope)).toBe(2379); // Python's `$` matches before a final newline
    expect(render('{{ flag }}', scope)).toBe(true);
    expect(render('{{ nothing }}', scope)).toBeNull();
    expect(render('{{ items }}', scope)).toEqual(['a', 'b', 'c']);
    expect(render('{{ d.nested }}', scope)).toEqual({ deep: true });
    expect(render('{{ [1] }}\n', scope)).toEqual([1]); // Jinja drops the final newline
  });

  it('any other value is its text, read back as a list, dict or boolean when it is one', () => {
    expect(render('{{ d.a }}', scope)).toBe('1');
    expect(render('{{ 2000 + 379 }}', scope)).toBe('2379');
    expect(render('{{ port | int }}', scope)).toBe('2379');
    expect(render('{{ nothing | default(5) }}', scope)).toBe('');
    expect(render("{{ '5' }}", scope)).toBe('5');
    expect(render("{{ 'True' }}", scope)).toBe(true);
    expect(render('  {{ flag }} ', scope)).toBe('  True ');
    expect(render(' {{ [1] }}', scope)).toBe(' [1]');
    expect(render('[{{ port }}, 2]', scope)).toEqual([2379, 2]);
    expect(render('{{ \'{"a": null, "b": [true]}\' }}', scope)).toEqual({ a: null, b: [true] });
    expect(render("{{ '[not json' }}", scope)).toBe('[not json');
    // the string-type filters keep their text, by their short names only (as 2.14), however it
    // travels (a variable holding it, an {% if %} around it); the mark is on the text itself, so
    // each case here gives a text of its own
    expect(render('{{ d.nested | to_json }}', scope)).toBe('{"deep": true}');
    expect(render('{{ tj }}', { tj: '{{ [5] | to_json }}' })).toBe('[5]');
    expect(render('{% if true %}{{ [6] | to_nice_json }}{% endif %}', scope)).toBe('[\n    6\n]');
    expect(render('{{ [7] | ansible.builtin.to_json }}', scope)).toEqual([7]);
    expect(render("{{ '[1]' | string }}", scope)).toBe('[1]');
    expect(render("{{ [8] | to_json | replace('8', '9') }}", scope)).toEqual([9]);
    // (the limit of a mark on the text: another filter giving the very same text keeps it text, where 2.14 reads it back)
    expect(render('{{ [8] | to_json | trim }}', scope)).toBe('[8]');
  });

  it('a string result keeps the text around it and its final newlines', () => {
    expect(render("{{ 'abc' }}\n", scope)).toBe('abc\n');
    expect(render(" {{ 'abc' }} ", scope)).toBe(' abc ');
    // (a playbook value reads `\n` in a string literal as written: escape_backslashes)
    expect(render("{{ 'a\\nb' }}\n\n", scope)).toBe('a\\nb\n\n');
  });

  it('anything more is a string', () => {
    expect(render('port={{ port }}', scope)).toBe('port=2379');
    expect(render('{{ port }}{{ port }}', scope)).toBe('23792379');
    expect(renderString('{{ port }}', scope)).toBe('2379');
  });

  it('python-style formatting inside strings', () => {
    expect(render('x={{ flag }}', scope)).toBe('x=True');
    // Ansible's finalize: None prints as '' inside a string (ansible-playbook 2.14: msg "x={{ nothing }}" → "x=")
    expect(render('x={{ nothing }}', scope)).toBe('x=');
    expect(render('x={{ items }}', scope)).toBe("x=['a', 'b', 'c']");
    expect(render('x={{ d.nested }}', scope)).toBe("x={'deep': True}");
    expect(render('x={{ 1.5 }} {{ 2 * 3 }}', scope)).toBe('x=1.5 6');
    expect(render('x={{ ["it\'s"] }}', scope)).toBe('x=["it\'s"]');
  });

  it('strings without markers are returned unchanged', () => {
    expect(render('plain } text {', scope)).toBe('plain } text {');
    expect(isTemplate('a {{ b }}')).toBe(true);
    expect(isTemplate('a {% if %}')).toBe(true);
    expect(isTemplate('a {# c #}')).toBe(true);
    expect(isTemplate('a { b }')).toBe(false);
  });
});

describe('renderDeep', () => {
  it('walks lists and dicts, keys included', () => {
    const out = renderDeep({ '{{ host }}_port': '{{ port }}', list: ['{{ name }}', 3, { x: 'p{{ port }}' }], keep: true }, scope);
    expect(out).toEqual({ etcd1_port: 2379, list: ['World', 3, { x: 'p2379' }], keep: true });
  });

  it('leaves non-template values alone', () => {
    const v = { a: [1, 2], b: null };
    expect(renderDeep(v, scope)).toEqual(v);
    expect(renderDeep(5, scope)).toBe(5);
  });
});
