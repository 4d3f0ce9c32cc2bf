// Ansible's free-form arguments: `command: ls -l creates=/x` and `file: path=/x state=touch`.
// Known `key=value` tokens become arguments; for a free-form module the rest is kept verbatim.

// (split_args keeps each token's raw text and a backslash-quote is no quote: not shlex, so not
// core/words.ts, which is Python's shlex)
import { decodeKvEscapes } from '../core/python-escape.js';

export type FreeFormResult = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

interface Token {
  raw: string;
  start: number;
  end: number;
}

/**
 * Split on unquoted whitespace, keeping each token's raw text (quotes included). As Ansible's
 * split_args, a quote preceded by a backslash neither opens nor closes a quoted part.
 * `state.open` says whether the text ended inside quotes.
 */
function tokens(text: string, state: { open?: boolean } = {}): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let quote: string | undefined;
    let depth = 0; // inside {{ }} / {% %} / {# #}: whitespace does not split (as Ansible's split_args)
    while (i < text.length) {
      const c = text[i]!;
      const two = text.slice(i, i + 2);
      if (!quote && (two === '{{' || two === '{%' || two === '{#')) {
        depth++;
        i += 2;
        continue;
      }
      if (!quote && depth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
        depth--;
        i += 2;
        continue;
      }
      const escaped = i > 0 && text[i - 1] === '\\';
      if (quote) {
        if (c === quote && !escaped) quote = undefined;
      } else if ((c === '"' || c === "'") && !escaped) quote = c;
      else if (depth === 0 && /\s/.test(c)) break;
      i++;
    }
    out.push({ raw: text.slice(start, i), start, end: i });
    if (quote) state.open = true;
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    return v.slice(1, -1);
  }
  return v;
}

/** `key=value`; a key may hold `-` (parse_kv splits at the first `=`: `daemon-reload=true`, `default-release=x` are aliases) */
const KV = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s;

/**
 * Ansible's argument splitter drops a stand-alone `\\` word outside quotes, and the line break
 * after it: a YAML single-quoted scalar with `\\` line ends folds into `a \\ b`, which Ansible
 * runs as `a b` (a shell would make `b` a command name). The spaces before it go too, those
 * after it (the next line's indentation) stay, as in Ansible's split_args.
 */
export function dropLineContinuations(text: string): string {
  const ts = tokens(text).filter((t) => t.raw === '\\');
  if (ts.length === 0) return text;
  let out = '';
  let at = 0;
  for (const t of ts) {
    let start = t.start;
    while (start > at && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    let end = t.end;
    let e = end;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    if (text[e] === '\n') end = e + 1;
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

export function parseFreeForm(raw: string, freeForm: string | undefined, argNames: readonly string[]): FreeFormResult {
  const text = dropLineContinuations(raw);
  const known = new Set(argNames);
  const args: Record<string, unknown> = {};
  const rest: Token[] = [];
  for (const t of tokens(text)) {
    const m = KV.exec(t.raw);
    if (m && known.has(m[1]!) && m[1] !== freeForm) {
      args[m[1]!] = unquote(decodeKvEscapes(m[2]!));
    } else if (m && !freeForm) {
      args[m[1]!] = unquote(decodeKvEscapes(m[2]!));
    } else {
      rest.push(t);
    }
  }
  if (rest.length > 0) {
    if (!freeForm)
      return {
        ok: false,
        message: `does not take a free-form argument: '${rest.map((t) => t.raw).join(' ')}' (write key=value pairs or a mapping)`,
      };
    // keep the text between the first and last remaining token exactly as written
    args[freeForm] = joinRaw(text, rest);
  }
  return { ok: true, args };
}

/** Rejoin kept tokens, preserving the original spacing when they were contiguous. */
function joinRaw(text: string, kept: Token[]): string {
  let out = '';
  for (let i = 0; i < kept.length; i++) {
    const t = kept[i]!;
    if (i > 0) {
      const prev = kept[i - 1]!;
      const gap = text.slice(prev.end, t.start);
      out += /^\s+$/.test(gap) ? gap : ' ';
    }
    out += t.raw;
  }
  return out;
}

/**
 * `-e 'k=v k2="a b"'` as ansible-playbook reads it (parse_kv): split at unquoted spaces, each
 * `key=value` unquoted when the whole value is quoted, escapes decoded. Words that are not
 * `key=value` are returned in `rest` (Ansible would keep them as `_raw_params`, silently).
 */
export function parseKeyValues(text: string): { ok: true; vars: Record<string, string>; rest: string[] } | { ok: false; message: string } {
  const state: { open?: boolean } = {};
  const ts = tokens(text, state);
  if (state.open) return { ok: false, message: 'unbalanced quotes' };
  const vars: Record<string, string> = Object.create(null) as Record<string, string>;
  const rest: string[] = [];
  for (const t of ts) {
    const m = /^([^=]+)=(.*)$/s.exec(t.raw);
    if (m) vars[m[1]!] = unquote(decodeKvEscapes(m[2]!));
    else rest.push(t.raw);
  }
  return { ok: true, vars, rest };
}
