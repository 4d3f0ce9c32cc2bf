// `-e`: `key=value key2="a b"`, a JSON/YAML mapping, or `@file` (YAML or JSON). Later wins.
import { relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readBounded, refusalLine } from '../core/read-bounded.js';
import { ANSIBLE_YAML } from '../core/yaml-ansible.js';
import { splitWords } from '../connection/quote.js';
import { UsageError } from './args.js';

export function parseExtraVars(values: readonly string[] | undefined, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of values ?? []) Object.assign(out, parseOne(v, cwd));
  return out;
}

/** One -e value (as the journal records it: @file is never read again there). */
export function parseOne(v: string, cwd: string): Record<string, unknown> {
  const t = v.trim();
  if (t.startsWith('@')) {
    const path = resolve(cwd, t.slice(1));
    const read = readBounded(path);
    if (!read.ok) {
      const rel = relative(cwd, path);
      throw new UsageError(`${refusalLine(rel === '' || rel.startsWith('..') ? path : rel, read.why)} (-e ${t})`);
    }
    const text = read.text;
    return mapping(text, `-e ${t}`);
  }
  if (t.startsWith('{')) return mapping(t, `-e '${t.slice(0, 30)}'`);
  const out: Record<string, unknown> = {};
  let words: string[];
  try {
    words = splitWords(t);
  } catch (e) {
    throw new UsageError(`-e '${t}': ${(e as Error).message}`);
  }
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new UsageError(`-e '${w}': expected key=value, a JSON/YAML mapping or @file`);
    const key = w.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`-e '${w}': '${key}' is not a valid variable name`);
    // key=value values stay strings, as in Ansible
    out[key] = w.slice(eq + 1);
  }
  return out;
}

function mapping(text: string, what: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(text, ANSIBLE_YAML);
  } catch (e) {
    throw new UsageError(`${what}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${what}: extra vars must be a mapping`);
  return data as Record<string, unknown>;
}
