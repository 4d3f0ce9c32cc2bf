// SHA-crypt ($5$ sha256-crypt, $6$ sha512-crypt), as Ulrich Drepper's specification
// (https://www.akkadia.org/drepper/SHA-crypt.txt) and glibc's crypt(3) make it: what Ansible's
// password_hash returns without passlib (Python's crypt module). Its own code rather than a
// package's so that node:crypto is loaded only when a template hashes a password: the
// package imported it at every start, `runbook validate` included.
import { nodeCrypto } from '../core/lazy-builtin.js';

const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** the hash, and how many full 3-byte groups its digest is encoded in (the rest: 2 bytes of 32, 1 of 64) */
const ALGORITHMS = { '5': { hash: 'sha256', triples: 10 }, '6': { hash: 'sha512', triples: 21 } } as const;
const ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;

/** `bytes` repeated (and cut) to `length` bytes */
function repeatTo(bytes: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += bytes.length) bytes.copy(out, i, 0, Math.min(bytes.length, length - i));
  return out;
}

/** The digest's bytes in the specification's order, 3 at a time (the first of each the high byte), 6 bits a character, low bits first. */
function encode(c: Buffer, id: '5' | '6'): string {
  const span = ALGORITHMS[id].triples;
  let out = '';
  const put = (w: number, chars: number): void => {
    for (let k = 0; k < chars; k++, w >>= 6) out += B64[w & 0x3f];
  };
  for (let i = 0; i < span; i++) {
    const [a, b, d] = [i, i + span, i + 2 * span];
    // the groups rotate, the other way round in sha256-crypt: $6$ (0,21,42) (22,43,1) (44,2,23)…, $5$ (0,10,20) (21,1,11) (12,22,2)…
    const turn = id === '6' ? i % 3 : (3 - (i % 3)) % 3;
    const [hi, mid, lo] = turn === 0 ? [a, b, d] : turn === 1 ? [b, d, a] : [d, a, b];
    put((c[hi]! << 16) | (c[mid]! << 8) | c[lo]!, 4);
  }
  if (id === '6') put(c[63]!, 2);
  else put((c[31]! << 8) | c[30]!, 3);
  return out;
}

/** crypt(3) of `key` with `$<id>$[rounds=<rounds>$]<salt>`: the salt cut at a '$' and to 16 characters, rounds clamped to 1000–999999999 as glibc does. */
export function shaCrypt(key: string, id: '5' | '6', salt: string, rounds?: number): string {
  const { hash } = ALGORITHMS[id];
  const H = () => nodeCrypto().createHash(hash);
  const k = Buffer.from(key, 'utf8');
  const s = Buffer.from(salt.split('$')[0]!, 'utf8').subarray(0, 16); // as crypt(3): up to a '$', at most 16
  const r = rounds === undefined ? ROUNDS_DEFAULT : Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, Math.trunc(rounds)));
  const b = H().update(k).update(s).update(k).digest();
  const a = H().update(k).update(s).update(repeatTo(b, k.length));
  for (let n = k.length; n > 0; n >>= 1) a.update(n & 1 ? b : k);
  let c = a.digest();
  const dp = H();
  for (let i = 0; i < k.length; i++) dp.update(k);
  const p = repeatTo(dp.digest(), k.length);
  const ds = H();
  for (let i = 0; i < 16 + c[0]!; i++) ds.update(s);
  const sBytes = repeatTo(ds.digest(), s.length);
  for (let i = 0; i < r; i++) {
    const h = H().update(i & 1 ? p : c);
    if (i % 3) h.update(sBytes);
    if (i % 7) h.update(p);
    c = h.update(i & 1 ? c : p).digest();
  }
  return `$${id}$${rounds === undefined ? '' : `rounds=${r}$`}${s.toString('utf8')}$${encode(c, id)}`;
}
