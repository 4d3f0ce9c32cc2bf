// `-e`: `key=value key2="a b"`, a JSON/YAML mapping, or `@file` (YAML or JSON). Later wins.
import { relative, resolve } from 'node:path';
import { renderDiagnostic } from '../core/diagnostic.js';
import { readBounded, refusalLine } from '../core/read-bounded.js';
import { parseYaml } from '../core/yaml-source.js';
import { parseKeyValues } from '../playbook/free-form.js';
import { UsageError } from './args.js';

export function parseExtraVars(values: readonly string[] | undefined, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of values ?? []) Object.assign(out, parseOne(v, cwd));
  return out;
}

/** One -e value (as the journal records it: @file is never read again there; `quiet`: its warnings were said already). */
export function parseOne(v: string, cwd: string, quiet = false): Record<string, unknown> {
  const t = v.trim();
  if (t.startsWith('@')) {
    const path = resolve(cwd, t.slice(1));
    const read = readBounded(path);
    if (!read.ok) {
      const rel = relative(cwd, path);
      throw new UsageError(`${refusalLine(rel === '' || rel.startsWith('..') ? path : rel, read.why)} (-e ${t})`);
    }
    return mapping(read.text, `-e ${t}`, quiet, t.slice(1));
  }
  if (t.startsWith('{')) return mapping(t, `-e '${t.slice(0, 30)}'`, quiet);
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

/** Read as every YAML file is (core/yaml-source.ts): a duplicate key warns and the last wins, as in Ansible. */
function mapping(text: string, what: string, quiet: boolean, file = 'extra vars'): Record<string, unknown> {
  const parsed = parseYaml(file, text);
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new UsageError(`${what}: ${renderDiagnostic(error, false)}`);
  if (!quiet) for (const w of parsed.diagnostics) process.stderr.write(`${renderDiagnostic(w, false)}\n`);
  const data: unknown = parsed.source.doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${what}: extra vars must be a mapping`);
  return data as Record<string, unknown>;
}
