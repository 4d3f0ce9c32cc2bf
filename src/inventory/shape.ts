// The structure of a YAML inventory, checked against schemas/inventory.json (the schema editors
// use) with ajv. ajv says where (instancePath) and what rule broke; the message is written here
// from where in the inventory grammar that path points: a group, its hosts, a host's vars...
import type { Diagnostic } from '../core/diagnostic.js';
import { suggest } from '../core/suggest.js';
import { validator } from '../schema/registry.js';
import { describeNode, diagAt, entryOf, nodeAtPath, type YamlNode, type YamlSource } from '../core/yaml-source.js';

const SECTIONS = ['hosts', 'children', 'vars'] as const;

/** Where a path of keys lands in the inventory grammar. */
type Place =
  | { kind: 'root' }
  | { kind: 'group'; group: string }
  | { kind: 'section'; group: string; section: string }
  | { kind: 'host'; group: string; host: string }
  | { kind: 'var'; owner: string; name: string };

export function checkShape(src: YamlSource, root: YamlNode | null, value: unknown): Diagnostic[] {
  const validate = validator('inventory.json');
  if (!validate) throw new Error('schemas/inventory.json is missing');
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    const path = pointerToPath(e.instancePath);
    const extra =
      e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
    const id = `${e.instancePath}\0${extra ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(extra === undefined ? typeProblem(src, root, path) : unknownKey(src, root, path, extra));
  }
  return out;
}

function unknownKey(src: YamlSource, root: YamlNode | null, path: string[], key: string): Diagnostic {
  const parent = nodeAtPath(root, path);
  const at = entryOf(parent, key)?.key ?? parent;
  const place = placeOf(path);
  const group = place.kind === 'group' ? place.group : String(path[path.length - 1] ?? '');
  const near = suggest(key, SECTIONS);
  const hint = near !== undefined ? ` (did you mean '${near}'?)` : `; to put host '${key}' in the group, list it under 'hosts:'`;
  return diagAt(src, at, `unknown key '${key}' in group '${group}': a group holds only 'hosts', 'children' and 'vars'${hint}`);
}

function typeProblem(src: YamlSource, root: YamlNode | null, path: string[]): Diagnostic {
  const node = nodeAtPath(root, path);
  const got = describeNode(node);
  const place = placeOf(path);
  switch (place.kind) {
    case 'root':
      return diagAt(src, node, `an inventory is a mapping of groups ('all:' with 'hosts:', 'children:', 'vars:'), got ${got}`);
    case 'group':
      return diagAt(src, node, `group '${place.group}' must be a mapping with 'hosts:', 'children:' or 'vars:' (or empty), got ${got}`);
    case 'section':
      switch (place.section) {
        case 'hosts':
          return diagAt(
            src,
            node,
            `'hosts' of group '${place.group}' must be a mapping of host names (one 'name:' a line, not '- name'), got ${got}`,
          );
        case 'children':
          return diagAt(
            src,
            node,
            `'children' of group '${place.group}' must be a mapping of group names (one 'name:' a line, not '- name'), got ${got}`,
          );
        default:
          return diagAt(src, node, `'vars' of group '${place.group}' must be a mapping of variable names to values, got ${got}`);
      }
    case 'host':
      return diagAt(
        src,
        node,
        `host '${place.host}' in group '${place.group}' must map to a mapping of its variables, or to nothing, got ${got}`,
      );
    case 'var':
      // only ansible_group_priority has a schema of its own
      return diagAt(src, node, `'${place.name}' of ${place.owner} must be an integer, got ${got}`);
  }
}

/** Reads a path like all/children/etcd/hosts/etcd1 as the grammar sees it. */
function placeOf(path: readonly string[]): Place {
  if (path.length === 0) return { kind: 'root' };
  let place: Place = { kind: 'group', group: path[0]! };
  for (const seg of path.slice(1)) {
    switch (place.kind) {
      case 'group':
        place = { kind: 'section', group: place.group, section: seg };
        break;
      case 'section':
        if (place.section === 'children') place = { kind: 'group', group: seg };
        else if (place.section === 'hosts') place = { kind: 'host', group: place.group, host: seg };
        else place = { kind: 'var', owner: `group ${place.group}`, name: seg };
        break;
      case 'host':
        place = { kind: 'var', owner: `host ${place.host}`, name: seg };
        break;
      default:
        return place;
    }
  }
  return place;
}

function pointerToPath(p: string): string[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
