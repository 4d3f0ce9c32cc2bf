// Checks applied to every task-ish node: schema (ajv) and template syntax, each problem
// placed on the exact node.
import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import { error, warning } from '../core/diagnostic.js';
import { validateWith } from '../schema/registry.js';
import { checkExpressionSyntax, checkSyntax, isTemplate } from '../template/index.js';
import type { LoadContext } from './context.js';
import { CONDITION_KEYS } from './keywords.js';
import { diagAt, keyNode, lineText, nodeAtPath, posAt, type YamlNode, type YamlSource } from '../core/yaml-source.js';

/** Validate `value` (the JS form of `node`) against a schema; true when clean. */
export function checkSchema(ctx: LoadContext, src: YamlSource, node: YamlNode, value: unknown, ref: string, what = ''): boolean {
  const problems = validateWith(ref, value);
  if (!problems || problems.length === 0) return true;
  let reported = false;
  for (const p of problems) {
    if (p.atKey) {
      const parent = nodeAtPath(node, p.path.slice(0, -1));
      const key = String(p.path[p.path.length - 1]);
      ctx.add(diagAt(src, keyNode(parent, key) ?? parent, `${what}unknown key '${key}'`));
    } else {
      ctx.add(diagAt(src, nodeAtPath(node, p.path), `${what}${p.message}`));
    }
    reported = true;
  }
  return !reported;
}

/**
 * Template syntax of every string under `node` (not under `skipKeys`, which hold nested task
 * lists checked on their own). Condition keys and `exprPaths` hold bare expressions.
 */
export function checkTemplates(
  ctx: LoadContext,
  src: YamlSource,
  node: YAMLMap,
  skipKeys: readonly string[],
  exprPaths: readonly (readonly string[])[] = [],
): void {
  for (const item of node.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const key = String(item.key.value);
    if (skipKeys.includes(key)) continue;
    walk(ctx, src, item.value as YamlNode | null, [key], exprPaths);
  }
}

function walk(ctx: LoadContext, src: YamlSource, node: YamlNode | null, path: string[], exprPaths: readonly (readonly string[])[]): void {
  if (node === null || node === undefined) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return;
    const expr =
      (path.length >= 1 && CONDITION_KEYS.has(path[0]!) && path.length <= 2) ||
      exprPaths.some((p) => p.length <= path.length && p.every((s, i) => s === path[i]));
    checkString(ctx, src, node, node.value, expr);
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((n, i) => walk(ctx, src, n as YamlNode, [...path, String(i)], exprPaths));
    return;
  }
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key)) walk(ctx, src, item.value as YamlNode | null, [...path, String(item.key.value)], exprPaths);
    }
  }
}

function checkString(ctx: LoadContext, src: YamlSource, node: YamlNode, text: string, expression: boolean): void {
  const bare = expression && !isTemplate(text);
  const r0 = bare ? checkExpressionSyntax(text) : isTemplate(text) ? checkSyntax(text) : { ok: true as const };
  const r: { ok: true } | { ok: false; message: string; offset: number } = r0.ok && (bare || isTemplate(text)) ? checkLookups(text) : r0;
  if (r.ok) return;
  const range = (node as { range?: [number, number, number] }).range;
  let offset = range ? range[0] : 0;
  if (range) {
    const raw = src.text.slice(range[0], range[1]);
    const at = raw.indexOf(text);
    if (at >= 0) offset = range[0] + at + Math.min(r.offset, text.length);
  }
  const kind = bare ? 'expression' : 'template';
  const msg = r0.ok ? r.message : `${kind} syntax error: ${r.message}`;
  // a filter, test or lookup runbook lacks, in what Ansible reads only when it runs (a file an
  // include brings in, a block or include under a `when`): Ansible's --syntax-check takes it, and a
  // host fails only if it gets there
  const missing = !r0.ok ? /^no (filter|test) named /.test(r.message) : true;
  const where =
    ctx.dynamic > 0 ? 'it is in a file an include brings in, which Ansible reads only when it runs' : `it ${guardedText(ctx.guards)}`;
  if (missing && (ctx.dynamic > 0 || ctx.guards.length > 0))
    ctx.add(warning(posAt(src, offset), `${msg}; ${where}: a host that gets there fails`));
  else ctx.add(error(posAt(src, offset), msg, lineText(src, offset)));
}

function guardedText(guards: readonly string[]): string {
  return `runs only when ${guards.map((g) => `'${g}'`).join(' and ')}`;
}

/**
 * A template file a task names literally: its syntax, filters, tests and lookups, reported at
 * FILE:LINE:COL of the template (Ansible finds them only when the task runs). Under a `when`
 * (the task's, or a block's or include's around it) it is a warning: a host may never get there.
 */
export function checkTemplateFile(ctx: LoadContext, file: string, when: readonly string[]): void {
  const text = ctx.textOf(file);
  if (!isTemplate(text)) return;
  const r0 = checkSyntax(text, 'file');
  const r = r0.ok ? checkLookups(text) : r0;
  if (r.ok) return;
  const before = text.slice(0, Math.min(r.offset, text.length));
  const line = before.split('\n').length;
  const col = r.offset - (before.lastIndexOf('\n') + 1) + 1;
  const pos = { file: ctx.display(file), line, col };
  const msg = `${r0.ok ? r.message : `template syntax error: ${r.message}`}`;
  const guards = [...ctx.guards, ...when];
  if (guards.length > 0) ctx.add(warning(pos, `${msg}; the task using this template ${guardedText(guards)}: a host that gets there fails`));
  else ctx.add(error(pos, msg, text.split('\n')[line - 1] ?? ''));
}

/** lookup plugins runbook implements (src/executor/lookups.ts SUPPORTED; a unit test keeps them equal) */
export const LOOKUPS: ReadonlySet<string> = new Set([
  'env',
  'file',
  'template',
  'vars',
  'items',
  'list',
  'flattened',
  'first_found',
  'varnames',
  'inventory_hostnames',
  'url',
  'fileglob',
  'dict',
  'password',
  'pipe',
  'lines',
  'together',
  'collection_version',
]);

/** `lookup('pipe', ...)` and friends: named at validate time rather than failing mid-run. */
function checkLookups(text: string): { ok: true } | { ok: false; message: string; offset: number } {
  const re = /\b(lookup|query|q)\(\s*(['"])([\w.]+)\2/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[3]!.replace(/^(ansible\.builtin|community\.general)\./, '');
    if (!LOOKUPS.has(name)) {
      return { ok: false, offset: m.index, message: `lookup plugin '${m[3]}' is not supported (runbook has: ${[...LOOKUPS].join(', ')})` };
    }
  }
  return { ok: true };
}

export { diagAt };
