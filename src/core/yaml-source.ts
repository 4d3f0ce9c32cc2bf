// YAML text → a document whose every node knows its file:line:col (the `yaml` package's
// LineCounter and node ranges), read as Ansible's PyYAML reads it (core/yaml-ansible.ts). The
// one reader of YAML files with positions: playbooks, task files, vars files, inventories,
// group_vars/host_vars. Duplicate keys warn and the last one wins, as in Ansible.
import { parseDocument, LineCounter, isAlias, isMap, isSeq, isScalar, isPair, visit, type Document, type Node as YamlNode } from 'yaml';
import { error, warning, type Diagnostic } from './diagnostic.js';
import type { SourcePos } from './source.js';
import { ANSIBLE_YAML } from './yaml-ansible.js';
import { relaxQuotedContinuations } from './yaml-continuations.js';
import { anchorResolver, type AnchorOf } from './yaml-anchors.js';

export type { YamlNode };

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface ParsedYaml {
  readonly source: YamlSource;
  /** errors (the document is not usable) and warnings (duplicate keys, other YAML warnings) */
  readonly diagnostics: Diagnostic[];
}

/** the document can be used: nothing but warnings */
export const parsedOk = (p: ParsedYaml): boolean => p.diagnostics.every((d) => d.severity !== 'error');

function parseText(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    ...ANSIBLE_YAML,
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    merge: true,
  });
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
  let duplicates = false;
  for (const e of doc.errors) {
    if (e.code === 'DUPLICATE_KEY') {
      // Ansible (PyYAML) warns and keeps the last value; so do we, and drop the earlier pairs
      // so that every reader of the tree (positions, schema checks, values) sees the same one
      duplicates = true;
      const key = duplicateKey(text, e.pos[0]);
      diagnostics.push(
        warning(posAt(source, e.pos[0]), `found a duplicate dict key${key ? ` (${key})` : ''}. Using last defined value only.`),
      );
      continue;
    }
    let offset = e.pos[0];
    let message = yamlMessage(e.code, e.message);
    const q = e.code === 'MISSING_CHAR' && /quote/i.test(e.message) ? (/single/i.test(e.message) ? "'" : '"') : undefined;
    if (q !== undefined) {
      // the parser notices at the end of the input; point at the quote that opened the value
      offset = openingQuote(text, offset, q) ?? offset;
      message = `YAML syntax error: unclosed ${q === '"' ? 'double' : 'single'} quote`;
    }
    diagnostics.push(error(posAt(source, offset), message, lineText(source, offset)));
  }
  if (duplicates) keepLastOfDuplicates(doc);
  for (const w of doc.warnings) {
    // custom tags (`!vault` is decrypted: core/vault.ts): the tagged text would silently become
    // the value (PyYAML has no constructor for them: Ansible fails too)
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
    if (!tag) {
      diagnostics.push(warning(posAt(source, w.pos[0]), w.message.split('\n')[0]!));
      continue;
    }
    const message = `YAML tag '${tag}' is not supported`;
    diagnostics.push(error(posAt(source, w.pos[0]), message, lineText(source, w.pos[0])));
  }
  if (diagnostics.every((d) => d.severity !== 'error')) {
    // before aliases are replaced by their targets: an alias bomb is refused while it is still aliases
    const resolve = anchorResolver(doc);
    const d = conversionError(source, resolve);
    if (d) diagnostics.push(d);
    else if (text.includes('*')) resolveAliases(doc, resolve);
  }
  return { source, diagnostics };
}

/** The key written at a DUPLICATE_KEY error's offset (a plain or quoted scalar). */
function duplicateKey(text: string, at: number): string | undefined {
  const m = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n#]*?))\s*:/.exec(text.slice(at, at + 200));
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Every mapping keeps only the last pair of a key written twice (PyYAML's result). */
function keepLastOfDuplicates(doc: Document.Parsed): void {
  visit(doc, {
    Map(_k, map) {
      const last = new Map<string, unknown>();
      for (const item of map.items) if (isScalar(item.key)) last.set(String(item.key.value), item);
      map.items = map.items.filter((item) => !isScalar(item.key) || last.get(String(item.key.value)) === item);
    },
  });
}

/**
 * An unclosed quote is reported at the end of the input; the string opens at the last quote
 * before it that starts a value (after `key: `, `- `, `[`, `{`, `,` or indentation).
 */
function openingQuote(text: string, end: number, q: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === q && /(?:^|[:\-,[{]\s*|\n\s*)$/.test(text.slice(Math.max(0, i - 40), i))) return i;
  }
  return undefined;
}

/**
 * `tasks: *common`: PyYAML hands Ansible the anchored node itself, so an alias is replaced by
 * its target and every walker of the tree sees a list or mapping (errors in it point at the
 * anchor, where the text is).
 */
function resolveAliases(doc: Document.Parsed, resolve: AnchorOf): void {
  let budget = 10_000; // a recursive alias (`&a [*a]`) would never end
  visit(doc, {
    Alias(_key, node) {
      if (--budget < 0) return visit.BREAK;
      const target = resolve(node);
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
function conversionError(source: YamlSource, resolve: AnchorOf): Diagnostic | undefined {
  const { doc } = source;
  let found: { node: unknown; message: string } | undefined;
  let firstAlias: unknown;
  let merges = false;
  // PyYAML refuses an anchor set twice in one document ("found duplicate anchor"): so does Ansible
  const anchors = new Map<string, unknown>();
  const anchored = (node: YamlNode): void => {
    const name = (node as { anchor?: string }).anchor;
    if (found || !name) return;
    const first = anchors.get(name);
    if (first === undefined) anchors.set(name, node);
    else found = { node, message: `YAML error: found duplicate anchor &${name} (first set at line ${posOf(source, first).line})` };
  };
  visit(doc, {
    Scalar(_k, node) {
      anchored(node);
    },
    Collection(_k, node) {
      anchored(node);
    },
    Alias(_k, node) {
      firstAlias ??= node;
      if (!found && resolve(node) === undefined)
        found = { node, message: `YAML error: unresolved alias *${node.source} (the anchor &${node.source} must be set before it)` };
    },
    Pair(_k, pair) {
      if (found || !isScalar(pair.key) || pair.key.value !== '<<') return;
      merges = true;
      const v = isAlias(pair.value) ? resolve(pair.value) : pair.value;
      const sources = isSeq(v) ? v.items.map((i) => (isAlias(i) ? resolve(i) : i)) : [v];
      if (sources.some((m) => m !== undefined && !isMap(m)))
        found = { node: pair.value ?? pair.key, message: 'YAML error: a merge key (<<) needs a mapping or a list of mappings' };
    },
  });
  // only aliases and merges fail to build (the count, a merge's source): a document without
  // either is not built twice
  if (!found && (firstAlias !== undefined || merges)) {
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const why = (e as Error).message;
      found = /alias count/i.test(why)
        ? {
            node: firstAlias,
            message: `YAML error: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per alias): refusing a document that would exhaust memory`,
          }
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
    case 'TAG_RESOLVE_FAILED':
      return first; // a `!vault` value that does not decrypt (core/vault.ts says why)
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
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}

/** The key node and value node of `key` in a mapping node (value null: written without one). */
export function entryOf(map: unknown, key: string): { key: YamlNode; value: YamlNode | null } | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key)
      return { key: item.key, value: (item.value ?? null) as YamlNode | null };
  }
  return undefined;
}

/** A YAML value that holds nothing: an empty document, `~`, `null` or an empty scalar. */
export function isEmptyNode(node: unknown): boolean {
  return node == null || (isScalar(node) && (node.value === null || node.value === ''));
}
