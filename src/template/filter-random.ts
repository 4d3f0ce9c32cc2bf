// Ansible's `random` filter: a random item of a list, a random number below an integer
// (`{{ 60 | random(start=10, step=5) }}`), and with `seed=` the same answer every time
// (Ansible's idiom for a stable per-host value: `random(seed=inventory_hostname)`).
import { nodeCrypto } from '../core/lazy-builtin.js';
import { arg, type FilterSpec } from './env.js';
import { filterError } from './errors.js';
import { pyStr, pyType } from './values.js';

/** a number in [0, n) from the seed, the same for the same seed */
function seeded(seed: unknown, n: number): number {
  const h = nodeCrypto().createHash('sha256').update(pyStr(seed)).digest();
  return Number(h.readBigUInt64BE(0) % BigInt(n));
}

export const RANDOM_FILTER: FilterSpec = {
  fn: (v, a, kw) => {
    const seed = arg(a, kw, 2, 'seed', null);
    const pick = (n: number): number => (seed === null ? nodeCrypto().randomInt(n) : seeded(seed, n));
    if (typeof v === 'number' && Number.isInteger(v)) {
      const start = Number(arg(a, kw, 0, 'start', 0));
      const step = Number(arg(a, kw, 1, 'step', 1));
      const count = Math.ceil((v - start) / step);
      if (!(step > 0) || count <= 0) throw filterError(`random: empty range for randrange(${start}, ${v}, ${step})`);
      return start + pick(count) * step;
    }
    const items = typeof v === 'string' ? Array.from(v) : Array.isArray(v) ? v : undefined;
    if (!items) throw filterError(`random: cannot choose from a ${pyType(v)}`);
    if (items.length === 0) throw filterError('random: cannot choose from an empty sequence');
    return items[pick(items.length)];
  },
};
