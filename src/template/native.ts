// What a playbook value's template gives, as ansible-core 2.14 gives it (jinja2_native off, its
// default): the rendered text, turned back into a list, a dict or a boolean when it reads as one
// (ansible/template/native_helpers.py ansible_eval_concat, with Json2Python, so a command's JSON
// output or a JSON file's lookup becomes a dict). So `"{{ 1 + 1 }}"` is the string "2",
// `"{{ x | int }}"` too, `"{{ [1, 2] }}"` a list, `"{{ '{"a": null}' }}"` a dict, and `"{{ none }}"`
// ''. One exception keeps a type (Templar.template): a template that is only `{{ name }}` of a
// variable holding a number, a boolean or None gives that value as it is.
import { literalEval } from '../core/python-literal.js';
import { isDateTime } from './datetime.js';
import { isDict, isNumber, pyStr } from './values.js';

/** Ansible's SINGLE_VAR: `{{ name }}` and nothing else (Python's `$` also matches before one final newline). */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}\n?$/;

/** The name of a template that is only `{{ name }}`, else undefined. */
export function singleVariable(text: string): string | undefined {
  return SINGLE_VAR.exec(text)?.[1];
}

/**
 * Ansible's STRING_TYPE_FILTERS (its default): their text is NativeJinjaText, which a value keeps
 * however it travels (a variable, set_fact, an `{% if %}` around it) and which is never read back
 * as a list or dict. Only these short names: `ansible.builtin.to_json` is not on the list, so 2.14
 * reads its JSON back.
 */
const STRING_TYPE_FILTERS: ReadonlySet<string> = new Set([
  'string',
  'to_json',
  'to_nice_json',
  'to_yaml',
  'to_nice_yaml',
  'ppretty',
  'json',
]);

/** The texts those filters gave in this run (a JS string cannot carry a mark; the newest 10000). */
const TEXTS = new Set<string>();

/** A filter's result as Ansible's loader wraps it: the text of a string-type filter is marked. */
export function filterResult(name: string, r: unknown): unknown {
  if (typeof r === 'string' && STRING_TYPE_FILTERS.has(name)) {
    TEXTS.delete(r);
    TEXTS.add(r);
    if (TEXTS.size > 10_000) TEXTS.delete(TEXTS.values().next().value as string);
  }
  return r;
}

/** A value `{{ name }}` gives as it is, without rendering it to text (numbers, booleans, None). */
export function keepsType(v: unknown): boolean {
  return v === null || isNumber(v);
}

/**
 * The value of a lone `{{ expr }}`: what rendering it to text and reading that back gives.
 * Lists, dicts and booleans read back as themselves (their Python repr is a literal); anything
 * else is its text, None ''.
 */
export function loneValue(v: unknown): unknown {
  if (typeof v === 'boolean' || Array.isArray(v) || (isDict(v) && !isDateTime(v))) return v;
  return fromText(v === null || v === undefined ? '' : pyStr(v));
}

/** Rendered text as Ansible hands it on: a list or dict literal, `True`, `False` become values. */
export function fromText(out: string): unknown {
  if (TEXTS.has(out)) return out;
  if (out === 'True') return true;
  if (out === 'False') return false;
  if (!out.startsWith('{') && !out.startsWith('[')) return out;
  const v = literalEval(out, { jsonNames: true });
  return v === out ? out : v;
}

/** Jinja drops one final newline of the template; Ansible puts back those the text had beyond the result's. */
export function trailingNewlines(text: string, out: string): string {
  const want = /\n*$/.exec(text)?.[0].length ?? 0;
  const have = /\n*$/.exec(out)?.[0].length ?? 0;
  return want > have ? out + '\n'.repeat(want - have) : out;
}
