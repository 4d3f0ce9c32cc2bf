// `-e`: `key=value key2="a b"`, a JSON/YAML mapping, or `@file` (YAML or JSON). Later wins.
import { relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readBounded, refusalLine } from '../core/read-bounded.js';
import { ANSIBLE_YAML } from '../core/yaml-ansible.js';
import { parseKeyValues } from '../playbook/free-form.js';
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
  // as ansible-playbook's parse_kv: `x='it''s'` stays `it''s`, `x="a b"` is `a b`, `a\nb` a newline
  const kv = parseKeyValues(t);
  if (!kv.ok) throw new UsageError(`-e '${t}': ${kv.message}`);
  const [word] = kv.rest;
  if (word !== undefined) {
    // ansible-playbook keeps such a word as `_raw_params` and says nothing: after `y=c\ d` it
    // would set y to `c\` and drop `d`, a value cut short without a word
    const cut = /\\$/.test(t.slice(0, t.indexOf(word)).trimEnd())
      ? " (a backslash does not escape a space here, as in ansible-playbook: quote the value, k='a b')"
      : '';
    throw new UsageError(`-e '${t}': '${word}' is not key=value${cut}; expected key=value words, a JSON/YAML mapping or @file`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kv.vars)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`-e '${t}': '${key}' is not a valid variable name`);
    // key=value values stay strings, as in Ansible
    out[key] = value;
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
