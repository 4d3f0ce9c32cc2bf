// Argument readings shared by the modules. Arguments arrive coerced by their schema
// (schema/coerce.ts: booleans through core/boolean.ts, numbers); these read what a schema
// cannot type: a list given as text, a command as argv or text, a file mode.
import { splitWords } from '../../core/words.js';

export function num(v: unknown, dflt: number): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) throw new Error(`'${String(v)}' is not a number`);
  return n;
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** A list given as a YAML list or as a comma-separated string (`groups: a,b`). */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A command given as argv (list) or as text split like a shell would, without a shell. */
export function argvOf(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x));
  const words = splitWords(String(v));
  return words.length ? words : undefined;
}

/**
 * A file mode: '0644', '644', '1777' (octal text) or a number. YAML 1.2 reads an unquoted
 * 0644 as the integer 644, so an integer whose decimal digits are all octal digits is read
 * as those octal digits (644 → 0o644); other integers are taken as the mode value itself.
 * Symbolic modes (u+x) are not supported.
 */
export function parseMode(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new Error(`invalid mode ${v}`);
    const dec = String(v);
    if (/^[0-7]{1,4}$/.test(dec)) return parseInt(dec, 8);
    if (v <= 0o7777) return v;
    throw new Error(`invalid mode ${v}`);
  }
  const t = String(v).trim();
  if (/^0o?[0-7]{1,4}$/.test(t)) return parseInt(t.replace(/^0o/, ''), 8);
  if (/^[0-7]{1,4}$/.test(t)) return parseInt(t, 8);
  throw new Error(`invalid mode '${t}' (write an octal mode such as '0644'; symbolic modes are not supported)`);
}

/** 0o644 → '0644' as Ansible prints modes. */
export function modeText(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
