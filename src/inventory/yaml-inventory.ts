// Ansible's YAML inventory format (the `yaml` inventory plugin):
//
//   all:
//     vars: {...}
//     hosts: {name: {vars} | null, ...}
//     children: {group: <the same shape, nested>, ...}
//
// A group may appear in several places (its parts merge), a host in several groups (its vars
// merge, later wins). `hosts: name` (a string) is one host, as Ansible allows.
import { isMap, isPair, isScalar, type Document, type Scalar } from 'yaml';
import { warning } from '../core/diagnostic.js';
import { placeHost, ensureGroup, linkGroups } from './graph.js';
import { parseHostEntry } from './host-pattern.js';
import type { LoadContext } from './load-context.js';
import { checkShape } from './shape.js';
import { diagAt, entryOf, isEmptyNode, parseYaml, parsedOk, type YamlNode, type YamlSource } from '../core/yaml-source.js';

export function readYamlInventory(ctx: LoadContext, abs: string, text: string): void {
  const parsed = parseYaml(ctx.display(abs), text);
  ctx.add(parsed.diagnostics);
  if (!parsedOk(parsed)) return;
  const src = parsed.source;
  const root = src.doc.contents as YamlNode | null;
  if (isEmptyNode(root)) {
    ctx.warnings.push(warning({ file: src.file, line: 1, col: 1 }, 'the inventory file is empty'));
    return;
  }
  const plugin = entryOf(root, 'plugin');
  if (plugin && isScalar(plugin.value)) {
    ctx.add([
      diagAt(
        src,
        plugin.key,
        `inventory plugins ('plugin: ${String(plugin.value.value)}') are not supported: runbook reads static YAML and INI inventories`,
      ),
    ]);
    return;
  }
  const problems = checkShape(src, root, src.doc.toJS());
  if (problems.length > 0) {
    ctx.add(problems);
    return;
  }
  if (!isMap(root)) return; // checkShape has reported it
  const reader = new GroupReader(ctx, src);
  for (const item of root.items) {
    if (isPair(item) && isScalar(item.key)) reader.group(String(item.key.value), item.value as YamlNode | null);
  }
}

/** Walks groups once the shape is known to be right; reports what the schema cannot see. */
class GroupReader {
  private readonly doc: Document.Parsed;

  constructor(
    private readonly ctx: LoadContext,
    private readonly src: YamlSource,
  ) {
    this.doc = src.doc;
  }

  group(name: string, node: YamlNode | null): void {
    const group = ensureGroup(this.ctx.inv, name);
    if (!isMap(node)) return;
    for (const item of node.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const value = item.value as YamlNode | null;
      switch (String(item.key.value)) {
        case 'vars':
          Object.assign(group.vars, this.js(value));
          break;
        case 'children':
          this.children(name, value);
          break;
        case 'hosts':
          this.hosts(name, value);
          break;
      }
    }
  }

  private children(parent: string, node: YamlNode | null): void {
    for (const [key, value] of this.entries(node)) {
      const child = String(key.value);
      this.group(child, value);
      if (!linkGroups(this.ctx.inv, parent, child)) {
        this.ctx.add([
          diagAt(this.src, key, `group '${child}' cannot be a child of '${parent}': '${parent}' is already below '${child}' (a loop)`),
        ]);
      }
    }
  }

  private hosts(group: string, node: YamlNode | null): void {
    for (const [key, value] of this.entries(node)) {
      const entry = parseHostEntry(String(key.value));
      if (!entry.ok) {
        this.ctx.add([diagAt(this.src, key, entry.message)]);
        continue;
      }
      const vars = this.js(value);
      for (const name of entry.hosts) {
        const host = placeHost(this.ctx.inv, name, group);
        if (entry.port !== undefined) host.vars['ansible_port'] = entry.port;
        Object.assign(host.vars, vars);
      }
    }
  }

  /** The pairs of a mapping; a lone string stands for `{string: null}` as in Ansible. */
  private entries(node: YamlNode | null): [Scalar, YamlNode | null][] {
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return [[node, null]];
    if (!isMap(node)) return [];
    const out: [Scalar, YamlNode | null][] = [];
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key)) out.push([item.key, item.value as YamlNode | null]);
    }
    return out;
  }

  private js(node: YamlNode | null): Record<string, unknown> {
    if (!isMap(node)) return {};
    return node.toJS(this.doc) as Record<string, unknown>;
  }
}
