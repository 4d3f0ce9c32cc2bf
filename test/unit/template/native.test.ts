import { describe, expect, it } from 'vitest';
import { render, renderDeep, renderString, isTemplate } from '../../../src/template/index.js';
import { scope } from './helpers.js';

describe('native types', () => {
  it('a lone expression keeps its type', () => {
    expect(render('{{ port }}', scope)).toBe(2379);
    expect(render('  {{ flag }} ', scope)).toBe(true);
    expect(render('{{ items }}', scope)).toEqual(['a', 'b', 'c']);
    expect(render('{{ d.nested }}', scope)).toEqual({ deep: true });
    expect(render('{{ nothing }}', scope)).toBeNull();
    expect(render("{{ '5' }}", scope)).toBe('5');
    // a string value keeps the text around it (copy content: "{{ x }}\n")
    expect(render("{{ 'abc' }}\n", scope)).toBe('abc\n');
    expect(render(" {{ 'abc' }} ", scope)).toBe(' abc ');
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
