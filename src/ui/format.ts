// Result lines in Ansible's default-callback shape, shared by the plain and tty reporters.
import { sortKeysDeep } from '../core/sorted-keys.js';
import { pythonJson } from '../core/python-json.js';
import type { ResultView } from '../executor/events.js';
import { paintStatus, type Palette } from './color.js';
import { unifiedDiff } from './diff.js';
import { printable } from '../core/printable.js';

export const WIDTH = 80;

/** `PLAY [x] ****` padded with stars to 80 columns, at least three of them (Ansible's banner). */
export function banner(text: string): string {
  const line = printable(text); // a play or task name never breaks its banner into forged lines
  return `${line} ${'*'.repeat(Math.max(3, WIDTH - 1 - line.length))}`;
}

export function hostLabel(host: string, delegatedTo?: string): string {
  if (/[\u0000-\u001f]/.test(host + (delegatedTo ?? '')))
    return hostLabel(printable(host), delegatedTo === undefined ? undefined : printable(delegatedTo));
  return delegatedTo !== undefined && delegatedTo !== host ? `${host} -> ${delegatedTo}` : host;
}

export function firstLine(s: string | undefined): string {
  if (s === undefined) return '';
  return (
    s
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** `rc=1: msg`; with `fallback`, stderr/stdout's first line stands in for an empty msg. */
export function failureText(r: ResultView, fallback = true): string {
  const msg = r.msg?.trim() ? r.msg.trim() : fallback ? firstLine(r.stderr) || firstLine(r.stdout) : '';
  const parts = [r.rc !== undefined && r.status === 'failed' ? `rc=${r.rc}` : '', msg].filter(Boolean);
  const text = parts.join(': ') || (r.status === 'failed' ? 'failed' : 'unreachable');
  return r.attempts !== undefined && r.attempts > 1 ? `${text} (after ${r.attempts} attempts)` : text;
}

/** debug's payload (its msg or var), which is shown even without -v. */
export function shownData(module: string | undefined, r: ResultView): Readonly<Record<string, unknown>> | undefined {
  const data = r.data;
  if (r.verboseAlways) return { changed: r.status === 'changed', ...(r.msg !== undefined ? { msg: r.msg } : {}), ...data };
  if (!data || Object.keys(data).length === 0) return undefined;
  const isDebug = module !== undefined && /(^|\.)debug$/.test(module);
  if (isDebug) return data; // `debug: var=ansible_facts` shows the facts, as Ansible's
  if (!('msg' in data)) return undefined;
  const { ansible_facts: _facts, ...rest } = data;
  return Object.keys(rest).length ? rest : undefined;
}

export interface LineOptions {
  readonly verbosity: number;
  readonly diff: boolean;
  /** the module of the task, to recognise debug */
  readonly module?: string;
  /** how long the step took on this host, shown at the end of its line */
  readonly durationMs?: number;
}

/**
 * The lines for one result (or loop item, when `item` is set on it):
 *   ok: [h]   changed: [h -> d] => (item=a)   fatal: [h]: FAILED! => rc=1: msg   ...ignoring
 */
export function resultLines(
  host: string,
  delegatedTo: string | undefined,
  r: ResultView,
  p: Palette,
  o: LineOptions,
  isItem = false,
): string[] {
  // Ansible's strategy runs a meta task itself and prints no result for it, only `skipping:` by a when
  if (!isItem && r.status === 'ok' && o.module !== undefined && /(^|\.)meta$/.test(o.module)) return [];
  const label = `[${hostLabel(host, delegatedTo)}]`;
  const item = r.item !== undefined ? `(item=${printable(r.item)})` : '';
  const paint = paintStatus(p, r.status);
  const out: string[] = [];
  const dumped = dumpedResult(o, r);
  if (dumped !== undefined) {
    out.push(...`${verboseHead(r, label, item, isItem)} => ${dumped}`.split('\n').map(paint));
    if (o.diff && r.diff) for (const d of r.diff) out.push(...unifiedDiff(d, p));
    if (r.ignored) out.push(p.skipped('...ignoring'));
    return out;
  }
  let head: string;
  switch (r.status) {
    case 'ok':
    case 'changed':
    case 'skipped': {
      const word = r.status === 'skipped' ? 'skipping' : r.status;
      const tail: string[] = [];
      if (item) tail.push(item);
      if (r.status === 'changed' && r.predicted !== undefined) tail.push(`would ${r.predicted}`);
      if (r.status === 'skipped' && o.verbosity >= 1 && r.msg) tail.push(r.msg);
      if (r.status !== 'skipped' && o.verbosity >= 1 && r.rc !== undefined) tail.push(`rc=${r.rc}`);
      head = `${word}: ${label}${tail.length ? ' => ' + tail.join(' => ') : ''}`;
      if (r.status === 'skipped' && isItem && tail.length === 1) head += ' '; // 2.14's "skipping: [%s] => (item=%s) "
      break;
    }
    case 'failed':
      head = isItem
        ? `failed: ${label} ${item} => ${failureText(r, false)}`
        : `fatal: ${label}: FAILED! => ${item ? item + ' ' : ''}${failureText(r, false)}`;
      break;
    case 'unreachable':
      head = `fatal: ${label}: UNREACHABLE! => ${item ? item + ' ' : ''}${failureText(r, false)}`;
      break;
  }
  if (o.durationMs !== undefined && !isItem) head += ` (${formatDuration(o.durationMs)})`;
  const data = r.status === 'ok' || r.status === 'changed' ? shownData(o.module, r) : undefined;
  if (data) {
    const json = pythonJson(sortKeysDeep(data), { indent: 4, ensureAscii: false }).split('\n'); // sort_keys, as Ansible's default callback
    out.push(...[`${head} => ${json[0]!}`, ...json.slice(1)].map(paint));
  } else {
    out.push(paint(head));
  }
  out.push(...detailLines(r, p, o, data !== undefined));
  if (o.diff && r.diff) for (const d of r.diff) out.push(...unifiedDiff(d, p));
  if (r.ignored) out.push(p.skipped('...ignoring'));
  return out;
}

const DEBUG_HIDDEN = new Set(['changed', 'failed', 'skipped', 'invocation', 'skip_reason']);

/**
 * -v: the result as Ansible's default callback dumps it after `=>` (sorted keys, Python's
 * separators; indented at -vvv); debug (its own shape, shown without -v too) keeps its lines.
 */
function dumpedResult(o: LineOptions, r: ResultView): string | undefined {
  if (o.verbosity < 1 || !r.shown || r.verboseAlways) return undefined;
  let shown = r.shown;
  if (o.module !== undefined && /(^|\.)debug$/.test(o.module)) {
    if (r.status === 'ok' || r.status === 'changed') return undefined; // verbose always: its indented lines (shownData)
    // CallbackBase._clean_results: a debug result shows its msg alone, else without these keys
    const keep =
      'msg' in shown ? (k: string) => ['msg', 'exception', 'warnings', 'deprecations'].includes(k) : (k: string) => !DEBUG_HIDDEN.has(k);
    shown = Object.fromEntries(Object.entries(shown).filter(([k]) => keep(k)));
  }
  return pythonJson(sortKeysDeep(shown), { ensureAscii: false, ...(o.verbosity > 2 ? { indent: 4 } : {}) });
}

/** The line before `=> {…}`, as 2.14's default callback words it for each outcome (a skipped item's trailing space kept). */
function verboseHead(r: ResultView, label: string, item: string, isItem: boolean): string {
  switch (r.status) {
    case 'ok':
    case 'changed':
    case 'skipped': {
      const word = r.status === 'skipped' ? 'skipping' : r.status;
      return `${word}: ${label}${item ? ` => ${item}${r.status === 'skipped' ? ' ' : ''}` : ''}`;
    }
    case 'failed':
      return isItem ? `failed: ${label} ${item}` : `fatal: ${label}: FAILED!${item ? ' ' + item : ''}`;
    case 'unreachable':
      return `fatal: ${label}: UNREACHABLE!${item ? ' ' + item : ''}`;
  }
}

const COMPACT_LINES = 10;

/** -v: msg/stdout/stderr under the result line; failures also show them when msg is empty. */
function detailLines(r: ResultView, p: Palette, o: LineOptions, dataShown: boolean): string[] {
  const failed = r.status === 'failed' || r.status === 'unreachable';
  const out: string[] = [];
  if (o.verbosity >= 1) {
    // debug's msg is in the data shown above: not twice
    if (!failed && r.status !== 'skipped' && !dataShown && r.msg?.trim()) out.push(...block('msg', r.msg, o.verbosity));
    if (r.stdout?.trim()) out.push(...block('stdout', r.stdout, o.verbosity));
    if (r.stderr?.trim()) out.push(...block('stderr', r.stderr, o.verbosity));
  } else if (failed) {
    // a failed command says why in its stderr: show it (compact) without -v, as Ansible does
    if (r.stderr?.trim()) out.push(...block('stderr', r.stderr, 0));
    else if (r.stdout?.trim() && !r.msg?.trim()) out.push(`    stdout: ${firstLine(r.stdout)}`);
  }
  return failed ? out.map((l) => p.failed(l)) : out;
}

function block(name: string, text: string, verbosity: number): string[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  const shown = verbosity >= 2 ? lines : lines.slice(0, COMPACT_LINES);
  const pad = ' '.repeat(name.length + 2);
  const out = shown.map((l, i) => `    ${i === 0 ? name + ': ' : pad}${l}`);
  if (shown.length < lines.length) out.push(`    ${pad}... (${lines.length - shown.length} more lines, -vv shows all)`);
  return out;
}

/** `1.2s`, `2m 03.4s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${(s - m * 60).toFixed(1).padStart(4, '0')}s`;
}
