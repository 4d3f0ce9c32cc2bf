import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

const ev = (e: string, extra: Record<string, unknown> = {}): unknown => evaluate(e, { ...scope, ...extra });

describe('tests (is ...)', () => {
  it('defined / undefined / none', () => {
    expect(ev('port is defined')).toBe(true);
    expect(ev('missing is defined')).toBe(false);
    expect(ev('missing is undefined')).toBe(true);
    expect(ev('d.a is defined')).toBe(true);
    expect(ev('d.zz is defined')).toBe(false);
    expect(ev('d.zz.yy is defined')).toBe(false);
    expect(ev('missing is not defined')).toBe(true);
    expect(ev('nothing is none')).toBe(true);
    expect(ev('nothing is defined')).toBe(true);
  });

  it('types', () => {
    expect(ev('host is string')).toBe(true);
    expect(ev('port is number')).toBe(true);
    expect(ev('port is integer')).toBe(true);
    expect(ev('1.5 is float')).toBe(true);
    expect(ev('port is float')).toBe(false);
    expect(ev('flag is boolean')).toBe(true);
    expect(ev('d is mapping')).toBe(true);
    expect(ev('items is mapping')).toBe(false);
    expect(ev('items is iterable')).toBe(true);
    expect(ev('items is sequence')).toBe(true);
    expect(ev('port is sequence')).toBe(false);
  });

  it('comparisons', () => {
    expect(ev('port is equalto 2379')).toBe(true);
    expect(ev('port is eq(2379)')).toBe(true);
    expect(ev('port is ne(1)')).toBe(true);
    expect(ev('port is gt 2000')).toBe(true);
    expect(ev('port is lt(2000)')).toBe(false);
    expect(ev('port is ge 2379')).toBe(true);
    expect(ev('port is le 2378')).toBe(false);
    expect(ev("'a' is in items")).toBe(true);
    expect(ev("items is contains('b')")).toBe(true);
    expect(ev('flag is sameas true')).toBe(true);
  });

  it('regular expressions', () => {
    expect(ev("'etcd-1' is match('etcd')")).toBe(true);
    expect(ev("'my-etcd' is match('etcd')")).toBe(false);
    expect(ev("'my-etcd' is search('etcd')")).toBe(true);
    expect(ev("'my-etcd' is regex('^my')")).toBe(true);
    expect(ev("'my-etcd' is regex('etcd', match_type='match')")).toBe(false);
    expect(ev("'ETCD' is match('etcd', ignorecase=true)")).toBe(true);
  });

  it('registered results', () => {
    const r = { ok: { rc: 0, changed: true }, bad: { rc: 1, failed: true }, skip: { skipped: true } };
    expect(ev('ok is succeeded', r)).toBe(true);
    expect(ev('ok is success', r)).toBe(true);
    expect(ev('ok is failed', r)).toBe(false);
    expect(ev('bad is failed', r)).toBe(true);
    expect(ev('bad is failure', r)).toBe(true);
    expect(ev('bad is succeeded', r)).toBe(false);
    expect(ev('ok is changed', r)).toBe(true);
    expect(ev('bad is changed', r)).toBe(false);
    expect(ev('skip is skipped', r)).toBe(true);
    expect(ev('ok is skipped', r)).toBe(false);
    expect(templateError(() => ev("'x' is failed")).kind).toBe('type');
  });

  it('numbers', () => {
    expect(ev('3 is odd')).toBe(true);
    expect(ev('4 is even')).toBe(true);
    expect(ev('9 is divisibleby 3')).toBe(true);
    expect(ev('10 is divisibleby(3)')).toBe(false);
  });

  it('version', () => {
    expect(ev("'3.4.1' is version('3.4', '>=')")).toBe(true);
    expect(ev("'3.4.1' is version('3.10', '<')")).toBe(true);
    expect(ev("'3.5.9' is version('3.5.9', 'eq')")).toBe(true);
    expect(ev("'3.5.9' is version('3.5.10', 'gt')")).toBe(false);
    expect(ev("'v3.5' is version('v3.4', 'ge')")).toBe(true);
    expect(templateError(() => ev("'1' is version('2', '~')")).kind).toBe('filter');
  });

  it('subset / superset', () => {
    expect(ev('[1, 2] is subset([1, 2, 3])')).toBe(true);
    expect(ev('[1, 4] is subset([1, 2, 3])')).toBe(false);
    expect(ev('[1, 2, 3] is superset([3])')).toBe(true);
  });

  it('unknown test', () => {
    const e = templateError(() => ev('port is frobbed'));
    expect(e.kind).toBe('filter');
    expect(e.message).toContain("no test named 'frobbed'");
  });
});
