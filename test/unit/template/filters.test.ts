import { describe, expect, it } from 'vitest';
import { evaluate, render } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

const ev = (e: string, extra: Record<string, unknown> = {}): unknown => evaluate(e, { ...scope, ...extra });

describe('default and friends', () => {
  it('default / d', () => {
    expect(ev('missing | default(5)')).toBe(5);
    expect(ev('port | default(5)')).toBe(2379);
    expect(ev('missing | d("x")')).toBe('x');
    expect(ev("'' | default('e', true)")).toBe('e');
    expect(ev("'' | default('e')")).toBe('');
    expect(ev('d.a.b.c | default(1)')).toBe(1);
    expect(ev('d.zz.c | default(1)')).toBe(1);
    expect(ev('(d.zz | default(3))')).toBe(3);
    expect(ev('missing | default(omit)', { omit: '__omit_place_holder__' })).toBe('__omit_place_holder__');
  });

  it('an undefined fallback is an error only when it is used (ip | default(ansible_default_ipv4.address))', () => {
    expect(ev('port | default(missing)')).toBe(2379);
    expect(ev('port | default(missing.address)')).toBe(2379);
    expect(ev('missing | default(other | default(7))')).toBe(7);
    expect(templateError(() => ev('missing | default(other)')).message).toMatch(/'other' is undefined/);
  });

  it('mandatory', () => {
    expect(ev('port | mandatory')).toBe(2379);
    const e = templateError(() => ev('missing | mandatory'));
    expect(e.kind).toBe('undefined');
    expect(e.message).toContain("'missing'");
  });

  it('ternary and type_debug', () => {
    expect(ev("flag | ternary('on', 'off')")).toBe('on');
    expect(ev("off | ternary('on', 'off')")).toBe('off');
    expect(ev('items | type_debug')).toBe('list');
    expect(ev('d | type_debug')).toBe('dict');
    expect(ev('nothing | type_debug')).toBe('NoneType');
  });
});

describe('conversions', () => {
  it('bool / int / float / string', () => {
    expect(ev("'yes' | bool")).toBe(true);
    expect(ev("'False' | bool")).toBe(false);
    expect(ev("'off' | bool")).toBe(false);
    expect(ev("'42' | int")).toBe(42);
    expect(ev("'4.7' | int")).toBe(4);
    expect(ev("'abc' | int")).toBe(0);
    expect(ev("'abc' | int(7)")).toBe(7);
    expect(ev("'0x1A' | int(0, 16)")).toBe(26);
    expect(ev("'2.5' | float")).toBe(2.5);
    expect(ev('port | string')).toBe('2379');
    expect(ev('flag | string')).toBe('True');
  });
});

describe('strings', () => {
  it('case and whitespace', () => {
    expect(ev('text | lower')).toBe('hello world');
    expect(ev('text | upper')).toBe('HELLO WORLD');
    expect(ev("'hELLO' | capitalize")).toBe('Hello');
    expect(ev("'hello big world' | title")).toBe('Hello Big World');
    expect(ev("'  x  ' | trim")).toBe('x');
    expect(ev("'a-b-c' | replace('-', '+')")).toBe('a+b+c');
    expect(ev("'a b  c' | split")).toEqual(['a', 'b', 'c']);
    expect(ev("'a,b' | split(',')")).toEqual(['a', 'b']);
  });

  it('format and quote', () => {
    expect(ev("'%s:%d' | format(host, port)")).toBe('etcd1:2379');
    expect(ev("'%05.1f|%-3s|%x' | format(3.14159, 'a', 255)")).toBe('003.1|a  |ff');
    expect(ev("'simple' | quote")).toBe('simple');
    expect(ev('"it\'s here" | quote')).toBe(`'it'"'"'s here'`);
    expect(ev("'' | quote")).toBe("''");
  });

  it('indent, b64, hash, paths', () => {
    expect(ev("'a\\nb' | indent(2)")).toBe('a\n  b');
    expect(ev("'a\\nb' | indent(2, true)")).toBe('  a\n  b');
    expect(ev("'héllo' | b64encode")).toBe('aMOpbGxv');
    expect(ev("'aMOpbGxv' | b64decode")).toBe('héllo');
    expect(ev("'abc' | hash('sha256')")).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(ev("'abc' | hash('md5')")).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(ev("'abc' | checksum")).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(ev("'/etc/etcd/etcd.conf' | basename")).toBe('etcd.conf');
    expect(ev("'/etc/etcd/etcd.conf' | dirname")).toBe('/etc/etcd');
  });
});

describe('lists', () => {
  it('join, length, first, last, min, max, sum', () => {
    expect(render("{{ etcd_members | join(',') }}", { etcd_members: ['e1=http://a', 'e2=http://b'] })).toBe('e1=http://a,e2=http://b');
    expect(ev('nums | join')).toBe('312');
    expect(ev('items | length')).toBe(3);
    expect(ev('d | length')).toBe(3);
    expect(ev('text | count')).toBe(11);
    expect(ev('items | first')).toBe('a');
    expect(ev('items | last')).toBe('c');
    expect(ev('nums | min')).toBe(1);
    expect(ev('nums | max')).toBe(3);
    expect(ev('nums | sum')).toBe(6);
    expect(ev("users | sum(attribute='uid')")).toBe(3006);
  });

  it('sort, unique, reverse, list, flatten', () => {
    expect(ev('nums | sort')).toEqual([1, 2, 3]);
    expect(ev('nums | sort(reverse=true)')).toEqual([3, 2, 1]);
    expect(ev("['b', 'A', 'c'] | sort")).toEqual(['A', 'b', 'c']);
    expect(ev("users | sort(attribute='uid', reverse=true) | map(attribute='name') | list")).toEqual(['carol', 'bob', 'alice']);
    expect(ev('[1, 2, 1, 3, 2] | unique')).toEqual([1, 2, 3]);
    expect(ev('items | reverse | list')).toEqual(['c', 'b', 'a']);
    expect(ev("'ab' | list")).toEqual(['a', 'b']);
    expect(ev('[1, [2, [3, [4]]]] | flatten')).toEqual([1, 2, 3, 4]);
    expect(ev('[1, [2, [3]]] | flatten(levels=1)')).toEqual([1, 2, [3]]);
  });

  it('map, select, reject, selectattr, rejectattr', () => {
    expect(ev("items | map('upper') | list")).toEqual(['A', 'B', 'C']);
    expect(ev("['1', '2'] | map('int') | list")).toEqual([1, 2]);
    expect(ev("users | map(attribute='name') | list")).toEqual(['alice', 'bob', 'carol']);
    expect(ev("users | selectattr('admin') | map(attribute='name') | list")).toEqual(['alice', 'carol']);
    expect(ev("users | rejectattr('admin') | map(attribute='name') | list")).toEqual(['bob']);
    expect(ev("users | selectattr('uid', 'gt', 1001) | map(attribute='name') | list")).toEqual(['bob', 'carol']);
    expect(ev("users | selectattr('name', 'equalto', 'bob') | list | length")).toBe(1);
    expect(ev("['apple', 'banana', 'avocado'] | select('match', '^a') | list")).toEqual(['apple', 'avocado']);
    expect(ev("[0, 1, '', 'x', none] | select | list")).toEqual([1, 'x']);
    expect(ev("nums | reject('odd') | list")).toEqual([2]);
    expect(ev("[{'a': 1}, {'b': 2}] | selectattr('a', 'defined') | list")).toEqual([{ a: 1 }]);
  });

  it('map on an unknown filter is an error', () => {
    const e = templateError(() => ev("items | map('attr') | list"));
    expect(e.kind).toBe('filter');
    expect(e.message).toContain("no filter named 'attr'");
  });

  it('extract (groups to hostvars)', () => {
    const s = {
      groups: { etcd: ['e1', 'e2'] },
      hostvars: { e1: { ansible_host: '10.0.0.1' }, e2: { ansible_host: '10.0.0.2' } },
    };
    expect(render("{{ groups['etcd'] | map('extract', hostvars, 'ansible_host') | list }}", s)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(evaluate("[0, 2] | map('extract', ['x', 'y', 'z']) | list", s)).toEqual(['x', 'z']);
  });

  it('set operations and zip', () => {
    expect(ev('[1, 2, 3] | difference([2])')).toEqual([1, 3]);
    expect(ev('[1, 2, 3] | intersect([3, 2, 9])')).toEqual([2, 3]);
    expect(ev('[1, 2] | union([2, 3])')).toEqual([1, 2, 3]);
    expect(ev("[1, 2] | zip(['a', 'b']) | list")).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('dict helpers', () => {
    expect(ev("{'a': 1} | dict2items")).toEqual([{ key: 'a', value: 1 }]);
    expect(ev("{'a': 1} | dict2items(key_name='k', value_name='v')")).toEqual([{ k: 'a', v: 1 }]);
    expect(ev("[{'key': 'a', 'value': 1}] | items2dict")).toEqual({ a: 1 });
    expect(ev("[{'n': 'a', 'v': 1}] | items2dict(key_name='n', value_name='v')")).toEqual({ a: 1 });
    expect(ev("{'a': {'x': 1, 'y': 2}} | combine({'a': {'y': 3}})")).toEqual({ a: { y: 3 } });
    expect(ev("{'a': {'x': 1, 'y': 2}} | combine({'a': {'y': 3}}, recursive=true)")).toEqual({ a: { x: 1, y: 3 } });
    expect(ev("{'a': [1]} | combine({'a': [2]}, list_merge='append')")).toEqual({ a: [1, 2] });
    expect(ev("[['a', 1], ['b', 2]] | dict")).toEqual({ a: 1, b: 2 });
    expect(ev("{'b': 1, 'a': 2} | dictsort")).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(ev('d | dict2items | items2dict')).toEqual(scope['d']);
  });
});

describe('data formats', () => {
  it('to_json / to_nice_json / from_json', () => {
    expect(ev("{'a': 1, 'b': [true, none, 'é']} | to_json")).toBe('{"a": 1, "b": [true, null, "\\u00e9"]}');
    expect(ev("{'b': 1, 'a': [1]} | to_nice_json")).toBe('{\n    "a": [\n        1\n    ],\n    "b": 1\n}');
    expect(ev('(out.stdout | from_json).header.revision | int', { out: { stdout: '{"header": {"revision": "42"}}' } })).toBe(42);
    expect(templateError(() => ev("'{bad' | from_json")).kind).toBe('filter');
  });

  it('to_yaml / from_yaml', () => {
    expect(ev("{'a': 1, 'b': ['x']} | to_yaml")).toBe('a: 1\nb:\n- x\n');
    expect(ev("{'a': {'b': 1}} | to_nice_yaml")).toBe('a:\n    b: 1\n');
    expect(ev("{'a': [1, {'b': 'yes'}]} | to_nice_yaml | from_yaml")).toEqual({ a: [1, { b: 'yes' }] });
    expect(ev("'a: [1, 2]' | from_yaml")).toEqual({ a: [1, 2] });
  });
});

describe('regex filters', () => {
  it('regex_search', () => {
    expect(ev("'etcd-3.5.9' | regex_search('\\\\d+\\\\.\\\\d+')")).toBe('3.5');
    expect(ev("'etcd-3.5.9' | regex_search('x')")).toBeNull();
    expect(ev("'key=val' | regex_search('(\\\\w+)=(\\\\w+)', '\\\\2', '\\\\1')")).toEqual(['val', 'key']);
    expect(ev("'v=12' | regex_search('v=(?P<n>\\\\d+)', '\\\\g<n>')")).toEqual(['12']);
  });

  it('regex_replace with Python backreferences', () => {
    expect(ev("'a-b' | regex_replace('(\\\\w)-(\\\\w)', '\\\\2-\\\\1')")).toBe('b-a');
    expect(ev("'k=v' | regex_replace('(?P<k>\\\\w)=(?P<v>\\\\w)', '\\\\g<v>=\\\\g<k>')")).toBe('v=k');
    expect(ev("'price 5' | regex_replace('\\\\d', '$1')")).toBe('price $1');
    expect(ev("'AbA' | regex_replace('a', 'x', ignorecase=true)")).toBe('xbx');
  });

  it('regex_findall and regex_escape', () => {
    expect(ev("'a1 b22 c333' | regex_findall('\\\\d+')")).toEqual(['1', '22', '333']);
    expect(ev("'a=1 b=2' | regex_findall('(\\\\w)=(\\\\d)')")).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(ev("'1.2.3' | regex_escape")).toBe('1\\.2\\.3');
  });
});

describe('unknown filters', () => {
  it('raise kind filter', () => {
    const e = templateError(() => ev('port | foo'));
    expect(e.kind).toBe('filter');
    expect(e.message).toBe("no filter named 'foo'");
  });

  it('FQCN names are accepted', () => {
    expect(ev('items | ansible.builtin.join("-")')).toBe('a-b-c');
  });
});

describe('random', () => {
  it('an item, a number in range (start/step), the same with the same seed', () => {
    for (let i = 0; i < 20; i++) {
      expect([1, 2, 3]).toContain(ev('[1, 2, 3] | random'));
      const n = ev('60 | random(start=10, step=5)') as number;
      expect(n >= 10 && n < 60 && (n - 10) % 5 === 0).toBe(true);
    }
    expect(ev("100 | random(seed='etcd1')")).toBe(ev("100 | random(seed='etcd1')"));
    expect(new Set(['a', 'b', 'c', 'd', 'e'].map((s) => ev(`1000000 | random(seed='${s}')`))).size).toBeGreaterThan(1);
    expect(templateError(() => ev('[] | random')).message).toMatch(/empty sequence/);
  });
});
