import { describe, expect, it } from 'vitest';
import { evaluate, render, renderString } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

const ev = (e: string): unknown => evaluate(e, scope);

describe('literals', () => {
  it('numbers, strings, booleans, none', () => {
    expect(ev('42')).toBe(42);
    expect(ev('1.5')).toBe(1.5);
    expect(ev('1_000')).toBe(1000);
    expect(ev("'it''s'")).toBe('its');
    expect(ev('"a\\tb"')).toBe('a\tb');
    expect(ev("'\\d+'")).toBe('\\d+');
    expect(ev('true')).toBe(true);
    expect(ev('False')).toBe(false);
    expect(ev('none')).toBeNull();
    expect(ev('None')).toBeNull();
    expect(ev('null')).toBeNull();
  });

  it('lists, dicts, tuples', () => {
    expect(ev('[1, "a", [2]]')).toEqual([1, 'a', [2]]);
    expect(ev("{'k': 1, 'n': {'x': [1]}}")).toEqual({ k: 1, n: { x: [1] } });
    expect(ev('(1, 2)')).toEqual([1, 2]);
    expect(ev('()')).toEqual([]);
    expect(ev('(3)')).toBe(3);
  });
});

describe('operators', () => {
  it('arithmetic with Python semantics', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('7 / 2')).toBe(3.5);
    expect(ev('7 // 2')).toBe(3);
    expect(ev('-7 // 2')).toBe(-4);
    expect(ev('-7 % 3')).toBe(2);
    expect(ev('2 ** 10')).toBe(1024);
    expect(ev('-port')).toBe(-2379);
    expect(ev("'ab' * 2")).toBe('abab');
  });

  it('concatenation', () => {
    expect(ev("'a' + 'b'")).toBe('ab');
    expect(ev('[1] + [2, 3]')).toEqual([1, 2, 3]);
    expect(ev("host ~ ':' ~ port")).toBe('etcd1:2379');
    expect(ev("'%s-%d' % ('a', 3)")).toBe('a-3');
  });

  it('comparisons, membership, logic', () => {
    expect(ev('port == 2379')).toBe(true);
    expect(ev('port != 2379')).toBe(false);
    expect(ev('1 < 2 < 3')).toBe(true);
    expect(ev('3 > 2 > 2')).toBe(false);
    expect(ev("'b' in items")).toBe(true);
    expect(ev("'z' not in items")).toBe(true);
    expect(ev("'ell' in text")).toBe(true);
    expect(ev("'a' in d")).toBe(true);
    expect(ev('flag and zero')).toBe(0);
    expect(ev('zero or port')).toBe(2379);
    expect(ev('not off')).toBe(true);
    expect(ev('true == 1')).toBe(true);
    expect(ev('[1, 2] == [1, 2]')).toBe(true);
    expect(ev("{'a': 1} == {'a': 1}")).toBe(true);
  });

  it('inline if', () => {
    expect(ev("'yes' if flag else 'no'")).toBe('yes');
    expect(ev("'yes' if off else 'no'")).toBe('no');
    expect(ev("'a' if off else 'b' if flag else 'c'")).toBe('b');
  });

  it('precedence of filters and tests', () => {
    expect(ev('missing | default(1) + 2')).toBe(3);
    expect(ev('-3 | abs')).toBe(3);
    expect(ev('not missing is defined')).toBe(true);
    expect(ev('items | length > 2')).toBe(true);
  });
});

describe('attributes and subscripts', () => {
  it('dotted and bracket access', () => {
    expect(ev('d.a')).toBe(1);
    expect(ev("d['b']")).toBe('two');
    expect(ev('d.nested.deep')).toBe(true);
    expect(ev('items[0]')).toBe('a');
    expect(ev('items.1')).toBe('b');
    expect(ev('items[-1]')).toBe('c');
    expect(ev('users[1].name')).toBe('bob');
    expect(ev('text[0]')).toBe('H');
    expect(evaluate('m.0.1', { m: [['x', 'y']] })).toBe('y');
  });

  it('slices', () => {
    expect(ev('items[1:]')).toEqual(['b', 'c']);
    expect(ev('items[:2]')).toEqual(['a', 'b']);
    expect(ev('items[::-1]')).toEqual(['c', 'b', 'a']);
    expect(ev('text[:5]')).toBe('Hello');
    expect(ev('text[-5:]')).toBe('World');
  });

  it('dynamic keys', () => {
    const s = { hostvars: { etcd1: { foo: 'bar' } }, inventory_hostname: 'etcd1' };
    expect(evaluate('hostvars[inventory_hostname].foo', s)).toBe('bar');
    expect(render('{{ hostvars[inventory_hostname].foo }}', s)).toBe('bar');
  });
});

describe('functions', () => {
  it('range', () => {
    expect(ev('range(3)')).toEqual([0, 1, 2]);
    expect(ev('range(1, 7, 2)')).toEqual([1, 3, 5]);
    expect(ev('range(3, 0, -1)')).toEqual([3, 2, 1]);
  });

  it('dict() and namespace()', () => {
    expect(ev('dict(a=1, b=2)')).toEqual({ a: 1, b: 2 });
    expect(renderString('{% set ns = namespace(n=0) %}{% for i in items %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}', scope)).toBe(
      '3',
    );
  });
});

describe('type errors', () => {
  it('mixing str and int', () => {
    const e = templateError(() => ev("'a' + 1"));
    expect(e.kind).toBe('type');
    expect(e.message).toContain("'str' and 'int'");
  });

  it('ordering unorderable types', () => {
    expect(templateError(() => ev("1 < 'a'")).kind).toBe('type');
  });

  it('division by zero', () => {
    expect(templateError(() => ev('1 / 0')).kind).toBe('type');
  });
});
