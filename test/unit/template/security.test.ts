import { describe, expect, it } from 'vitest';
import { evaluate, render, templateFunction } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

describe('no access to JavaScript internals', () => {
  const probes = [
    'd.constructor',
    'd.__proto__',
    "d['__proto__']",
    "d['constructor']",
    "''.constructor",
    "''.constructor.constructor",
    'items.constructor',
    'items.length',
    'items.push',
    'd.hasOwnProperty',
    'd.toString',
    'text.length',
    'port.constructor',
  ];
  for (const p of probes) {
    it(`${p} is undefined`, () => {
      const e = templateError(() => evaluate(p, scope));
      expect(e.kind).toBe('undefined');
    });
  }

  it('no prototype member is reachable through is defined', () => {
    expect(evaluate('d.constructor is defined', scope)).toBe(false);
    expect(evaluate("''.__proto__ is defined", scope)).toBe(false);
  });

  it('prototype members are not methods either', () => {
    expect(templateError(() => evaluate("''.constructor.constructor('return 1')()", scope)).kind).toBe('undefined');
    expect(templateError(() => evaluate('d.toString()', scope)).kind).toBe('call');
    expect(templateError(() => evaluate('items.map(1)', scope)).kind).toBe('call');
  });

  it('plain JS functions in data are never called', () => {
    let called = false;
    const s = {
      fn: () => {
        called = true;
        return 1;
      },
      obj: {
        m: () => {
          called = true;
        },
      },
    };
    expect(templateError(() => evaluate('fn()', s)).kind).toBe('call');
    expect(templateError(() => evaluate('obj.m()', s)).kind).toBe('call');
    expect(called).toBe(false);
  });

  it('getters in data are not invoked', () => {
    let called = false;
    const obj = {};
    Object.defineProperty(obj, 'g', {
      enumerable: true,
      get: () => {
        called = true;
        return 1;
      },
    });
    expect(templateError(() => evaluate('o.g', { o: obj })).kind).toBe('undefined');
    expect(called).toBe(false);
  });

  it('dict literals with __proto__ keys do not touch prototypes', () => {
    const v = evaluate("{'__proto__': {'polluted': 1}}", scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('scope inheritance does not expose Object.prototype', () => {
    expect(templateError(() => render('{{ toString }}', {})).kind).toBe('undefined');
    expect(templateError(() => render('{{ constructor }}', {})).kind).toBe('undefined');
  });

  it('marked functions are callable, with args and kwargs', () => {
    const lookup = templateFunction((args, kwargs) => `${args.join('/')}|${String(kwargs['default'] ?? '')}`);
    expect(render("{{ lookup('env', 'HOME', default='x') }}", { lookup })).toBe('env/HOME|x');
  });
});
