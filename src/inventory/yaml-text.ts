// YAML text of inventories and group_vars/host_vars files → a document whose nodes know their
// file:line:col. Parsed as YAML 1.1 because Ansible reads these files with PyYAML (1.1):
// `become: yes` is a boolean, `0644` an octal number, merge keys (`<<:`) work. Timestamps stay
// strings: a date object would not survive templating or JSON.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { error, warning, type Diagnostic } from '../core/diagnostic.js';
import type { SourcePos } from '../core/source.js';
import { ANSIBLE_YAML } from '../core/yaml-ansible.js';

export type { YamlNode };

export interface YamlText {
  /** the name shown in diagnostics (relative to the working directory) */
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface ParsedYamlText {
  readonly source: YamlText;
  readonly errors: Diagnostic[];
  /** duplicate keys: PyYAML keeps the last value and Ansible only warns, so do we */
  readonly warnings: Diagnostic[];
}


export function parseYamlText(file: string, text: string): ParsedYamlText {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    ...ANSIBLE_YAML,
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const source: YamlText = { file, text, doc, lines };
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const e of doc.errors) {
    const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (e.code === 'DUPLICATE_KEY') {
      warnings.push(warning(posAt(source, e.pos[0]), `duplicate key: the last value wins (${first})`));
      continue;
    }
    const opening = e.code === 'MISSING_CHAR' ? openingQuote(text, e.pos[0], first) : undefined;
    const offset = opening ?? e.pos[0];
    const message = opening === undefined ? `YAML syntax error: ${first}` : 'YAML syntax error: this quoted string is never closed';
    errors.push(error(posAt(source, offset), message, lineText(source, offset)));
  }
  for (const w of doc.warnings) {
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
    if (tag === '!vault') errors.push(error(posAt(source, w.pos[0]), 'ansible-vault encrypted values are not supported: decrypt it, or pass the secret with -e @file or an environment variable'));
    else warnings.push(warning(posAt(source, w.pos[0]), w.message.split('\n')[0]!));
  }
  return { source, errors, warnings };
}

/**
 * An unclosed quote is reported at the end of the file; point at where the string opens
 * instead, as PyYAML does: the last quote before the end that starts a value.
 */
function openingQuote(text: string, end: number, message: string): number | undefined {
  const q = /Missing closing (["'])quote/.exec(message)?.[1];
  if (q === undefined) return undefined;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === q && /(?:^|[:\-,[{]\s*|\n\s*)$/.test(text.slice(Math.max(0, i - 40), i))) return i;
  }
  return undefined;
}

export function posAt(source: YamlText, offset: number): SourcePos {
  const { line, col } = source.lines.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { file: source.file, line, col };
}

function lineText(source: YamlText, offset: number): string {
  const start = source.text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = source.text.indexOf('\n', offset);
  return source.text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
}

/** An error at a node, with its source line for the caret. */
export function diagAt(source: YamlText, node: unknown, message: string): Diagnostic {
  const offset = startOf(node);
  return error(posAt(source, offset), message, lineText(source, offset));
}

function startOf(node: unknown): number {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: readonly [number, number, number] | null }).range;
    if (r) return r[0];
  }
  return 0;
}

/** The key node and value node of `key` in a mapping node. */
export function entryOf(map: unknown, key: string): { key: YamlNode; value: YamlNode | null } | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) {
      return { key: item.key, value: (item.value as YamlNode | null) ?? null };
    }
  }
  return undefined;
}

/** The node at a path of keys/indexes below `node` (the deepest one found). */
export function nodeAtPath(node: YamlNode | null, path: readonly (string | number)[]): YamlNode | null {
  let cur = node;
  for (const seg of path) {
    let next: YamlNode | null | undefined;
    if (isSeq(cur) && typeof seg === 'number') next = cur.items[seg] as YamlNode | undefined;
    else {
      const e = entryOf(cur, String(seg));
      next = e ? (e.value ?? e.key) : undefined;
    }
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

export function describeNode(node: YamlNode | null | undefined): string {
  if (node == null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}

/** A YAML value that holds nothing: an empty document, `~`, `null` or an empty scalar. */
export function isEmptyNode(node: unknown): boolean {
  return node == null || (isScalar(node) && (node.value === null || node.value === ''));
}
