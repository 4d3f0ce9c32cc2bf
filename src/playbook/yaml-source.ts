// YAML text → a document whose every node knows its file:line:col (the `yaml` package's
// LineCounter and node ranges). Shared by playbooks, task files and vars files.
import { parseDocument, LineCounter, isAlias, isMap, isSeq, isScalar, isPair, visit, type Document, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic } from '../core/diagnostic.js';
import type { SourcePos } from '../core/source.js';
import { ANSIBLE_YAML } from '../core/yaml-ansible.js';
import { relaxQuotedContinuations } from './yaml-continuations.js';

export type { YamlNode };

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface ParsedYaml {
  readonly source: YamlSource;
  readonly diagnostics: Diagnostic[];
}

function parseText(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...ANSIBLE_YAML, lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
  return { doc, lines };
}

export function parseYaml(file: string, written: string): ParsedYaml {
  let text = written;
  let { doc, lines } = parseText(text);
  if (doc.errors.length > 0) {
    // what PyYAML reads but the yaml package refuses: TABs in quoted scalars' continuation lines
    const relaxed = relaxQuotedContinuations(written);
    const second = relaxed !== written ? parseText(relaxed) : undefined;
    if (second && second.doc.errors.length === 0) ({ doc, lines, text } = { ...second, text: relaxed });
  }
  const source: YamlSource = { file, text, doc, lines };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    let offset = e.pos[0];
    let message = yamlMessage(e.code, e.message);
    if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
      // the parser notices at the end of the input; point at the quote that was opened
      const q = /single/i.test(e.message) ? "'" : '"';
      const at = text.lastIndexOf(q, Math.max(0, offset - 1));
      if (at >= 0) offset = at;
      message = `YAML syntax error: unclosed ${q === '"' ? 'double' : 'single'} quote`;
    }
    diagnostics.push(error(posAt(source, offset), message, lineText(source, offset)));
  }
  for (const w of doc.warnings) {
    // `!vault |` and other custom tags: the tagged text would silently become the value
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
    if (!tag) continue;
    const message = tag === '!vault'
      ? 'ansible-vault encrypted values are not supported: decrypt it, or pass the secret with -e @file or lookup(\'env\', ...)'
      : `YAML tag '${tag}' is not supported`;
    diagnostics.push(error(posAt(source, w.pos[0]), message, lineText(source, w.pos[0])));
  }
  if (diagnostics.length === 0) {
    // before aliases are replaced by their targets: an alias bomb is refused while it is still aliases
    const d = conversionError(source);
    if (d) diagnostics.push(d);
    else if (text.includes('*')) resolveAliases(doc);
  }
  return { source, diagnostics };
}

/**
 * `tasks: *common`: PyYAML hands Ansible the anchored node itself, so an alias is replaced by
 * its target and every walker of the tree sees a list or mapping (errors in it point at the
 * anchor, where the text is).
 */
function resolveAliases(doc: Document.Parsed): void {
  let budget = 10_000; // a recursive alias (`&a [*a]`) would never end
  visit(doc, {
    Alias(_key, node) {
      if (--budget < 0) return visit.BREAK;
      const target = node.resolve(doc);
      return target ?? undefined;
    },
  });
}

/** Aliases a document may expand (the yaml package's default): a bigger "billion laughs" is refused. */
const MAX_ALIAS_COUNT = 100;

/**
 * Errors the yaml package only finds when it builds values (an alias to no anchor, a merge of
 * a non-mapping, too many aliases): found here once, with the position of the node at fault,
 * instead of an exception later that would stop the other files of the command.
 */
function conversionError(source: YamlSource): Diagnostic | undefined {
  const { doc } = source;
  let found: { node: unknown; message: string } | undefined;
  let firstAlias: unknown;
  visit(doc, {
    Alias(_k, node) {
      firstAlias ??= node;
      if (!found && node.resolve(doc) === undefined) found = { node, message: `YAML error: unresolved alias *${node.source} (the anchor &${node.source} must be set before it)` };
    },
    Pair(_k, pair) {
      if (found || !isScalar(pair.key) || pair.key.value !== '<<') return;
      const v = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      const sources = isSeq(v) ? v.items.map((i) => (isAlias(i) ? i.resolve(doc) : i)) : [v];
      if (sources.some((m) => m !== undefined && !isMap(m))) found = { node: pair.value ?? pair.key, message: 'YAML error: a merge key (<<) needs a mapping or a list of mappings' };
    },
  });
  if (!found) {
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const why = (e as Error).message;
      found = /alias count/i.test(why)
        ? { node: firstAlias, message: `YAML error: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per alias): refusing a document that would exhaust memory` }
        : { node: firstAlias, message: `YAML error: ${why.split('\n')[0]}` };
    }
  }
  return found ? diagAt(source, found.node, found.message) : undefined;
}

function yamlMessage(code: string, message: string): string {
  // the yaml package's first line is the useful part; the rest repeats the source
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return `YAML syntax error (bad indentation?): ${first}`;
    case 'DUPLICATE_KEY':
      return `duplicate key: ${first}`;
    case 'TAB_AS_INDENT':
      return 'YAML syntax error: tabs are not allowed for indentation';
    default:
      return `YAML syntax error: ${first}`;
  }
}

export function posAt(source: YamlSource, offset: number): SourcePos {
  const { line, col } = source.lines.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { file: source.file, line, col };
}

export function posOf(source: YamlSource, node: unknown): SourcePos {
  const range = nodeRange(node);
  return posAt(source, range ? range[0] : 0);
}

export function lineText(source: YamlSource, offset: number): string {
  const start = source.text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = source.text.indexOf('\n', offset);
  return source.text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
}

/** The source position of a node, with the line shown under the message. */
export function diagAt(source: YamlSource, node: unknown, message: string): Diagnostic {
  const range = nodeRange(node);
  const offset = range ? range[0] : 0;
  return error(posAt(source, offset), message, lineText(source, offset));
}

function nodeRange(node: unknown): readonly [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    return r ?? undefined;
  }
  return undefined;
}

/** The key node of `key` in a mapping node (for errors about the key itself). */
export function keyNode(map: YamlNode | null | undefined, key: string): YamlNode | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key;
  }
  return undefined;
}

/** The value node of `key` in a mapping node. */
export function valueNode(map: YamlNode | null | undefined, key: string | number): YamlNode | undefined {
  if (isMap(map)) {
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) {
        return (item.value ?? item.key) as YamlNode;
      }
    }
    return undefined;
  }
  if (isSeq(map) && typeof key === 'number') return (map.items[key] as YamlNode | undefined) ?? undefined;
  return undefined;
}

/** Follow a JSON pointer-ish path of keys from a node; stops at the deepest node found. */
export function nodeAtPath(node: YamlNode | null | undefined, path: readonly (string | number)[]): YamlNode | undefined {
  let cur: YamlNode | undefined = node ?? undefined;
  for (const seg of path) {
    const next: YamlNode | undefined = isSeq(cur) ? valueNode(cur, Number(seg)) : valueNode(cur, String(seg));
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
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}
