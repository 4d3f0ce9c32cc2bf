// Symbolic file modes (`u=rw,g=r,o=`, `a-s`, `og-rwx`, `u+rwX,g+rwX,o=rX`) turned into the
// octal mode they give a file, exactly as Ansible's _symbolic_mode_to_octal computes them from
// the file's current mode: `X` and the `u`/`g`/`o` copies read the mode before the change, an
// empty "who" means all minus the umask (022, the usual one: the host's is not read).

const SETID: Record<string, number> = { u: 0o4000, g: 0o2000, o: 0 };
const STICKY: Record<string, number> = { u: 0, g: 0, o: 0o1000 };
const SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };
const MASK: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };
const UMASK = 0o022;

import { parseMode } from './args.js';
import { failed, type ModuleResult } from '../../core/result.js';

/**
 * A module's `mode` argument (file, copy, template, lineinfile, blockinfile, replace): octal, or
 * symbolic (applied to the file's mode when it is known). A bad one throws, before anything runs.
 */
export function modeArg(v: unknown): { mode?: number | undefined; symbolic?: string | undefined } {
  if (!isSymbolicMode(v)) return { mode: parseMode(v) };
  const symbolic = v.trim();
  applySymbolicMode(0, symbolic, false); // refuse a bad one now
  return { symbolic };
}

/** modeArg as check() needs it: the mode, or the failed prediction saying why it is not one. */
export function readMode(
  v: unknown,
):
  | { readonly ok: true; readonly mode?: number | undefined; readonly symbolic?: string | undefined }
  | { readonly ok: false; readonly failure: { kind: 'failed'; result: ModuleResult } } {
  try {
    return { ok: true, ...modeArg(v) };
  } catch (e) {
    return { ok: false, failure: { kind: 'failed', result: failed((e as Error).message) } };
  }
}

/** A mode written symbolically (not octal digits). */
export function isSymbolicMode(v: unknown): v is string {
  return typeof v === 'string' && /^[ugoa]*[-+=]/.test(v.trim()) && !/^[0-7]+$/.test(v.trim());
}

export function applySymbolicMode(current: number, spec: string, isDirectory: boolean): number {
  const prev = current & 0o7777;
  let mode = prev;
  for (const clause of spec.split(',')) {
    const ops = clause.match(/[-+=]/g) ?? [];
    const parts = clause.split(/[-+=]/);
    let users = parts.shift() ?? '';
    const useUmask = users === '';
    if (users === 'a' || users === '') users = 'ugo';
    if (/[^ugo]/.test(users) || ops.length === 0) throw new Error(`bad symbolic permission for mode: ${clause}`);
    parts.forEach((perms, i) => {
      if (/[^rwxXstugo]/.test(perms)) throw new Error(`bad symbolic permission for mode: ${clause}`);
      for (const user of users) {
        const bits = permBits(prev, user, perms, useUmask, isDirectory);
        const op = ops[i]!;
        if (op === '=') mode = (mode & ~MASK[user]!) | bits;
        else if (op === '+') mode |= bits;
        else mode &= ~bits;
      }
    });
  }
  return mode;
}

function permBits(prev: number, user: string, perms: string, useUmask: boolean, isDirectory: boolean): number {
  const shift = SHIFT[user]!;
  const allowed = useUmask ? ~UMASK : 0o777;
  const applyX = isDirectory || (prev & 0o111) > 0;
  let bits = 0;
  for (const p of perms) {
    switch (p) {
      case 'r':
        bits |= (0o4 << shift) & allowed;
        break;
      case 'w':
        bits |= (0o2 << shift) & allowed;
        break;
      case 'x':
        bits |= (0o1 << shift) & allowed;
        break;
      case 'X':
        if (applyX) bits |= 0o1 << shift;
        break;
      case 's':
        bits |= SETID[user]!;
        break;
      case 't':
        bits |= STICKY[user]!;
        break;
      // copy another class's bits: u/g/o as a 0-7 triple moved to this class
      default:
        bits |= ((prev >> SHIFT[p]!) & 0o7) << shift;
    }
  }
  return bits;
}
