import { describe, expect, it } from 'vitest';
import { evaluate, render } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

const ev = (e: string, extra: Record<string, unknown> = {}): unknown => evaluate(e, { ...scope, ...extra });

describe('str methods', () => {
  it('split / rsplit', () => {
    expect(ev("'a,b,c'.split(',')")).toEqual(['a', 'b', 'c']);
    expect(ev("'a,b,c'.split(',', 1)")).toEqual(['a', 'b,c']);
    expect(ev("'  a  b '.split()")).toEqual(['a', 'b']);
    expect(ev("'a,b,c'.rsplit(',', 1)")).toEqual(['a,b', 'c']);
    expect(render("{{ x.split(',') | map('trim') | list }}", { x: 'a, b ,c' })).toEqual(['a', 'b', 'c']);
  });

  it('strip, replace, case', () => {
    expect(ev("'  x '.strip()")).toBe('x');
    expect(ev("'xxhixx'.strip('x')")).toBe('hi');
    expect(ev("'xxhi'.lstrip('x')")).toBe('hi');
    expect(ev("'hi\\n'.rstrip()")).toBe('hi');
    expect(ev("'a.b.c'.replace('.', '/')")).toBe('a/b/c');
    expect(ev("'a.b.c'.replace('.', '/', 1)")).toBe('a/b.c');
    expect(ev('text.lower()')).toBe('hello world');
    expect(ev('text.upper()')).toBe('HELLO WORLD');
    expect(ev("'hi there'.title()")).toBe('Hi There');
    expect(ev("'hI'.capitalize()")).toBe('Hi');
  });

  it('predicates and search', () => {
    expect(ev("text.startswith('Hell')")).toBe(true);
    expect(ev("text.startswith(('x', 'H'))")).toBe(true);
    expect(ev("text.endswith('x')")).toBe(false);
    expect(ev("text.find('World')")).toBe(6);
    expect(ev("text.find('zz')")).toBe(-1);
    expect(ev("text.index('o')")).toBe(4);
    expect(ev("text.count('o')")).toBe(2);
    expect(ev("'123'.isdigit()")).toBe(true);
    expect(ev("'12a'.isdigit()")).toBe(false);
    expect(ev("'abc'.isalpha()")).toBe(true);
  });

  it('join, format, splitlines, zfill', () => {
    expect(ev("'-'.join(items)")).toBe('a-b-c');
    expect(ev("'{}:{}'.format(host, port)")).toBe('etcd1:2379');
    expect(ev("'{0}/{name}'.format('a', name='b')")).toBe('a/b');
    expect(ev("'{:>5}|{:<3}|{:.2f}'.format('x', 'y', 3.14159)")).toBe('    x|y  |3.14');
    expect(ev("'a\\nb\\r\\nc'.splitlines()")).toEqual(['a', 'b', 'c']);
    expect(ev("'7'.zfill(3)")).toBe('007');
    expect(templateError(() => ev("'-'.join([1, 2])")).kind).toBe('type');
  });
});

describe('list and dict methods', () => {
  it('list.index / list.count', () => {
    expect(ev("items.index('b')")).toBe(1);
    expect(ev('[1, 2, 1].count(1)')).toBe(2);
  });

  it('dict.keys / values / items / get', () => {
    expect(ev('d.keys() | list')).toEqual(['a', 'b', 'nested']);
    expect(ev("{'a': 1}.values()")).toEqual([1]);
    expect(ev("{'a': 1}.items()")).toEqual([['a', 1]]);
    expect(ev("d.get('a')")).toBe(1);
    expect(ev("d.get('zz')")).toBeNull();
    expect(ev("d.get('zz', 5)")).toBe(5);
    expect(render('{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', { d: { a: 1, b: 2 } })).toBe('a=1;b=2;');
  });

  it('anything else is refused', () => {
    const e = templateError(() => ev('items.sort()'));
    expect(e.kind).toBe('call');
    expect(e.message).toContain("method 'sort' is not supported");
    expect(templateError(() => ev("'x'.toUpperCase()")).kind).toBe('call');
    expect(templateError(() => ev('port.toString()')).kind).toBe('call');
  });
});

describe('in-place list and dict methods (Jinja2 in Ansible is not sandboxed)', () => {
  it('accumulate in {% set %} blocks: append, extend, update, setdefault, pop', () => {
    expect(render('{% set acc = [] %}{% for x in [1, 2] %}{% set _ = acc.append(x * 10) %}{% endfor %}{{ acc }}', scope)).toEqual([10, 20]);
    expect(render("{% set d = {} %}{% set _ = d.update({'a': 1}) %}{% set _ = d.update(b=2) %}{{ d }}", scope)).toEqual({ a: 1, b: 2 });
    expect(render('{% set l = [1] %}{% set _ = l.extend([2, 3]) %}{{ l.pop() }} {{ l }}', scope)).toBe('3 [1, 2]');
    expect(render("{% set d = {'a': 1} %}{{ d.setdefault('b', 5) }} {{ d.pop('a') }} {{ d }}", scope)).toBe("5 1 {'b': 5}");
    expect(templateError(() => render('{{ [].pop() }}', scope)).message).toMatch(/pop from empty list/);
    expect(templateError(() => render('{% set d = {} %}{{ d.update(5) }}', scope)).message).toMatch(/dict.update\(\) needs a dict/);
  });

  it('cannot reach the prototype', () => {
    expect(render("{% set d = {} %}{% set _ = d.update({'__proto__': {'x': 1}}) %}{{ d.x is defined }}", scope)).toBe(false);
  });
});
