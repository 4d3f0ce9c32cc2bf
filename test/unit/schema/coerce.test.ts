// Module arguments are coerced once, by what the schema says (schema/coerce.ts, the table in
// modules/generated/coercion.ts): what each kind turns into, and what is refused.
import { describe, expect, it } from 'vitest';
import { coerceArgs, CoercionError } from '../../../src/schema/coerce.js';
import { coercedArgs } from '../../../src/modules/arguments.js';

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
