// Module arguments are coerced once, by what the schema says (schema/coerce.ts, the table in
// modules/generated/coercion.ts): what each kind turns into, and what is refused.
import { describe, expect, it } from 'vitest';
import { coerceArgs, CoercionError, withoutNulls } from '../../../src/schema/coerce.js';
import { coercedArgs } from '../../../src/modules/arguments.js';
import { checkModuleArgs } from '../../../src/modules/catalog.js';

describe('schema coercion of module arguments', () => {
  it("booleans in Ansible's spellings, numbers from text, comma lists", () => {
    const spec = { boolean: ['a', 'b', 'c', 'd'], number: ['n', 'm'], list: ['l', 'k'] };
    expect(coerceArgs({ a: 'yes', b: 'off', c: 1, d: 'True', n: '300', m: 1.5, l: 'x, y,,z', k: ['p', 2] }, spec)).toEqual({
      a: true,
      b: false,
      c: true,
      d: true,
      n: 300,
      m: 1.5,
      l: ['x', 'y', 'z'],
      k: ['p', '2'],
    });
  });

  it('defaults fill what is absent or null; an alias reaches its argument before the default', () => {
    const spec = { boolean: ['create_home'], aliases: { createhome: 'create_home' }, defaults: { create_home: true } };
    expect(coerceArgs({}, spec)).toEqual({ create_home: true });
    expect(coerceArgs({ create_home: null }, spec)).toEqual({ create_home: true });
    expect(coerceArgs({ createhome: 'no' }, spec)).toMatchObject({ create_home: false });
    // the input is not changed
    const args = { createhome: 'no' };
    coerceArgs(args, spec);
    expect(args).toEqual({ createhome: 'no' });
  });

  it('a value that is not what the schema says is refused naming the argument', () => {
    expect(() => coerceArgs({ follow: 'maybe' }, { boolean: ['follow'] })).toThrow(CoercionError);
    expect(() => coerceArgs({ follow: 'maybe' }, { boolean: ['follow'] })).toThrow(/^follow: /);
    expect(() => coerceArgs({ port: 'abc' }, { number: ['port'] })).toThrow("port: 'abc' is not a number");
  });

  it("the generated table drives a built-in module; a module without one (Ansible's code) gets its arguments as written", () => {
    expect(coercedArgs('stat', { path: '/x', follow: 'yes' })).toMatchObject({ path: '/x', follow: true, get_checksum: true });
    const written = { name: 'vm.swappiness', value: '10', reload: 'yes' };
    expect(coercedArgs('sysctl', written)).toBe(written);
  });
});

describe('withoutNulls: null arguments as Ansible reads None', () => {
  const spec = {
    boolean: ['force', 'enabled'],
    defaults: { force: true },
    choices: { state: ['present', 'absent'] },
    nullKept: ['msg'],
  };
  const declared = ['mode', 'force', 'enabled', 'state', 'msg'];
  it('not given for most, false for a boolean with a default, null kept for another default', () => {
    expect(withoutNulls({ mode: null, force: null, enabled: null, msg: null, path: '/x' }, spec, declared)).toEqual({
      args: { force: false, msg: null, path: '/x' },
      problems: [],
    });
  });
  it('refused for an argument with choices, with Ansible message, and said once', () => {
    expect(withoutNulls({ state: null }, spec, declared)).toEqual({
      args: {},
      problems: [{ arg: 'state', message: 'value of state must be one of: present, absent, got: None' }],
    });
  });
  it('undeclared keys keep their nulls (set_fact variables), and values are left alone', () => {
    expect(withoutNulls({ v: null, mode: '0644', force: false }, spec, declared).args).toEqual({ v: null, mode: '0644', force: false });
  });
});

describe('null arguments of the built-in modules (the generated table)', () => {
  it('file mode/owner: ~ are not given; copy force: ~ is false; set_fact keeps a null', () => {
    expect(checkModuleArgs('file', { path: '/x', state: 'touch', mode: null, owner: null })).toEqual([]);
    expect(coercedArgs('file', { path: '/x', state: 'touch', mode: null, owner: null })).not.toHaveProperty('mode');
    expect(coercedArgs<{ force: boolean }>('copy', { content: 'x', dest: '/x', force: null }).force).toBe(false);
    expect(coercedArgs('set_fact', { v: null })).toHaveProperty('v', null);
  });
  it("file state: ~ is refused with Ansible's message", () => {
    expect(checkModuleArgs('file', { path: '/x', state: null }).map((p) => p.message)).toEqual([
      'value of state must be one of: file, directory, absent, touch, link, hard, got: None',
    ]);
  });
  it('a required argument given as null is missing', () => {
    expect(checkModuleArgs('file', { path: null, state: 'touch' }).map((p) => p.message)).toEqual([expect.stringMatching(/path/)]);
  });
});
