// Ansible's INI inventory format (the `ini` inventory plugin), rule for rule:
//   host lines before any section go to 'ungrouped'; `[g]` holds host lines
//   (`name[:port] key=value ...`, split like a POSIX shell, `#` starts a comment);
//   `[g:vars]` holds one `key = value` a line; `[g:children]` one group name a line;
//   `#` and `;` start comment lines.
// Values, inline or in `:vars`, go through Python's literal_eval as ansible-core's code does
// (`port=22` is a number, `flag=False` a boolean, `x=yes` and `x=true` strings) — Ansible's
// docs say `:vars` values stay strings, but its parser treats them like inline ones.
// A group named only in `[g:vars]` or only as a child must be declared by `[g]` or
// `[g:children]` somewhere in the file, else it is an error (as in Ansible).
import { error } from '../core/diagnostic.js';
import type { SourcePos } from '../core/source.js';
import { ensureGroup, linkGroups, placeHost } from './graph.js';
import { parseHostEntry } from './host-pattern.js';
import type { LoadContext } from './load-context.js';
import { literalEval } from '../core/python-literal.js';
import { scanWords } from '../core/words.js';

type State = 'hosts' | 'vars' | 'children';

interface Pending {
  readonly state: 'vars' | 'children';
  readonly pos: SourcePos;
  readonly parents: string[];
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:[#;].*)?$/;

export function readIniInventory(ctx: LoadContext, abs: string, text: string): void {
  const file = ctx.display(abs);
  const inv = ctx.inv;
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: State = 'hosts';
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const at = (offset = 0): SourcePos => ({ file, line: n + 1, col: indent + offset + 1 });
    const fail = (message: string, offset = 0): void => {
      ctx.errors.push(error(at(offset), message, raw));
    };

    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        fail(`section [${group}:${kind}] has an unknown type '${kind}': use [${group}], [${group}:vars] or [${group}:children]`);
        state = 'hosts';
        continue;
      }
      state = kind;
      if (!inv.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { state: 'vars', pos: at(), parents: [] });
        ensureGroup(inv, group);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') resolvePending(ctx, group, pending);
        else pending.delete(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section '${line}': a section is [group], [group:vars] or [group:children], with no spaces`);
      continue;
    }

    switch (state) {
      case 'hosts': {
        const split = scanWords(line, { comments: true });
        if (!split.ok) {
          fail(`cannot split the host line: ${split.message}`, split.at);
          break;
        }
        const [first, ...rest] = split.words;
        if (!first) break;
        if (first.text.trim() === '---') {
          fail("'---' starts a YAML document: name a YAML inventory .yml or .yaml");
          break;
        }
        const entry = parseHostEntry(first.text);
        if (!entry.ok) {
          fail(entry.message, first.start);
          break;
        }
        const vars: Record<string, unknown> = {};
        let ok = true;
        for (const t of rest) {
          const eq = t.text.indexOf('=');
          if (eq < 0) {
            fail(`expected key=value after the host name, got '${t.text}'`, t.start);
            ok = false;
            break;
          }
          vars[t.text.slice(0, eq)] = literalEval(t.text.slice(eq + 1));
        }
        if (!ok) break;
        for (const name of entry.hosts) {
          const host = placeHost(inv, name, group);
          if (entry.port !== undefined) host.vars['ansible_port'] = entry.port;
          Object.assign(host.vars, vars);
        }
        break;
      }
      case 'vars': {
        const eq = line.indexOf('=');
        if (eq < 0) {
          fail(`expected key=value in [${group}:vars], got '${line}'`);
          break;
        }
        ensureGroup(inv, group).vars[line.slice(0, eq).trim()] = literalEval(line.slice(eq + 1).trim());
        break;
      }
      case 'children': {
        const m = GROUP_NAME.exec(line);
        if (!m) {
          fail(`expected a group name in [${group}:children], got '${line}'`);
          break;
        }
        const child = m[1]!;
        if (inv.groups.has(child)) {
          if (!linkGroups(inv, group, child))
            fail(`group '${child}' cannot be a child of '${group}': '${group}' is already below '${child}' (a loop)`);
        } else {
          const p = pending.get(child);
          if (p) p.parents.push(group);
          else pending.set(child, { state: 'children', pos: at(), parents: [group] });
        }
        break;
      }
    }
  }
  for (const [name, p] of pending) {
    const message =
      p.state === 'vars'
        ? `section [${name}:vars] is for a group that is never declared: add a [${name}] or [${name}:children] section`
        : `[${p.parents[p.parents.length - 1] ?? ''}:children] names group '${name}', which is never declared: add a [${name}] section`;
    ctx.errors.push(error(p.pos, message));
  }
}

/** A child group named before its own section: link it to the parents that named it. */
function resolvePending(ctx: LoadContext, group: string, pending: Map<string, Pending>): void {
  const p = pending.get(group);
  if (!p) return;
  pending.delete(group);
  for (const parent of p.parents) {
    if (!linkGroups(ctx.inv, parent, group))
      ctx.errors.push(error(p.pos, `group '${group}' cannot be a child of '${parent}': '${parent}' is already below '${group}' (a loop)`));
    if (pending.get(parent)?.state === 'children') resolvePending(ctx, parent, pending);
  }
}
