// Dynamic includes (include_tasks, include_role): each host may include a different file or
// role (templated name), skip it (when) or loop over different items. Hosts are grouped by
// (name, item) and each group runs once, in order.
import { randomBytes } from 'node:crypto';
import type { SourcePos } from '../core/source.js';
import type { IncludeSite } from '../playbook/load-included.js';
import type { ResultView } from './events.js';
import type { Loop } from '../playbook/model.js';
import { renderDeep, renderString } from '../template/index.js';
import { hostScope } from './host-scope.js';
import { failHost, tally } from './host-changes.js';
import type { Inherited } from './keywords.js';
import { itemLabel, loopItems, loopVars, type FirstFound } from './loops.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { conditionsHold } from './conditions.js';

export interface IncludeGroup {
  readonly name: string;
  /** the loop variable (and index) for this item */
  readonly vars?: Record<string, unknown>;
  readonly hosts: string[];
  /** the include's id in events: the same for every group of one include (its banner) */
  readonly id: string;
  /** the loop item's label as Ansible's `included:` line shows it */
  readonly label?: string;
}

export function includeGroups(
  ctx: RunContext,
  ps: PlayState,
  node: {
    readonly when: readonly (string | boolean)[];
    readonly loop?: Loop;
    readonly name?: string;
    readonly role?: unknown;
    readonly pos?: SourcePos;
  },
  hosts: readonly string[],
  eff: Inherited,
  what: string,
  nameOf: (scope: Record<string, unknown>) => string,
  firstFound?: FirstFound,
): IncludeGroup[] {
  const id = randomBytes(4).toString('hex');
  const groups = new Map<string, IncludeGroup>();
  const skippedHosts: string[] = [];
  for (const h of hosts) {
    const scope = hostScope(ctx, ps, h, eff);
    const cond = conditionsHold([...eff.when, ...node.when], scope, 'when');
    if (cond !== true) {
      if (cond === false) skippedHosts.push(h);
      continue;
    }
    const fail = (message: string): void =>
      failHost(ctx, h, `${what}: ${message}`, { task: what, pos: node.pos ?? { file: '', line: 0, col: 0 } });
    let items: unknown[] | undefined;
    if (node.loop) {
      let li;
      try {
        li = loopItems(node.loop, renderDeep(node.loop.items, scope), firstFound ? { firstFound } : {});
      } catch (e) {
        fail((e as Error).message);
        continue;
      }
      if (!li.ok) {
        fail(li.message);
        continue;
      }
      items = li.items;
      if (items.length === 0) skippedHosts.push(h); // "No items in the list"
    }
    for (const [index, item] of (items ?? [undefined]).entries()) {
      const loop = node.loop;
      const vars = items && loop ? loopVars(loop, items, index) : undefined;
      let name: string;
      try {
        name = nameOf(vars ? { ...scope, ...vars } : scope);
      } catch (e) {
        fail((e as Error).message);
        break;
      }
      const key = items ? `${name}\0${index}\0${JSON.stringify(item)}` : name;
      const label = items ? itemLabelOf(node.loop, item, { ...scope, ...vars }) : undefined;
      const g = groups.get(key) ?? { name, ...(vars ? { vars } : {}), hosts: [], id, ...(label !== undefined ? { label } : {}) };
      g.hosts.push(h);
      groups.set(key, g);
    }
  }
  if (skippedHosts.length) showSkipped(ctx, node, eff, what, skippedHosts, id);
  return [...groups.values()];
}

/** A loop item's label: loop_control.label rendered, else the item (as a task loop's `(item=...)`). */
function itemLabelOf(loop: Loop | undefined, item: unknown, scope: Record<string, unknown>): string {
  try {
    return loop?.label ? renderString(loop.label, scope) : itemLabel(item);
  } catch {
    return itemLabel(item);
  }
}

/**
 * An include's name on its banner, as Ansible 2.14 prints it: its name, else `include_tasks`
 * (a role's prefixed with the role); include_role's is its name or `include_role : ROLE` as
 * written (templates left in), never prefixed (IncludeRole.get_name).
 */
function includeName(node: { readonly name?: string; readonly role?: unknown }, eff: Inherited, what: string): string {
  if (what === 'include_role') return node.name ?? `include_role : ${String(node.role)}`;
  const bare = node.name ?? what;
  return eff.role ? `${eff.role.fqcn ?? eff.role.name} : ${bare}` : bare;
}

/** The include's banner (once) and, for include_tasks, Ansible's `included: FILE for HOSTS` line of one group. */
export function showIncluded(
  ctx: RunContext,
  node: { readonly name?: string; readonly role?: unknown; readonly pos?: SourcePos },
  eff: Inherited,
  what: string,
  g: IncludeGroup,
  file?: string,
): void {
  ctx.bus.emit({
    type: 'included',
    id: g.id,
    task: includeName(node, eff, what),
    ...(file !== undefined ? { file } : {}),
    hosts: g.hosts,
    ...(g.label !== undefined ? { label: g.label } : {}),
    pos: node.pos ?? { file: '', line: 0, col: 0 },
    time: Date.now(),
  });
}

/** A skipped include as Ansible shows it: its banner, `skipping: [host]`, and counted skipped. */
function showSkipped(
  ctx: RunContext,
  node: { readonly name?: string; readonly role?: unknown; readonly pos?: SourcePos },
  eff: Inherited,
  what: string,
  hosts: readonly string[],
  id: string,
): void {
  const time = Date.now();
  const task = includeName(node, eff, what);
  const pos = node.pos ?? { file: '', line: 0, col: 0 };
  ctx.bus.emit({ type: 'task-start', id, task, module: what, hosts, handler: false, pos, time });
  tally(ctx, hosts, 'skipped');
  for (const host of hosts) {
    ctx.bus.emit({ type: 'host-result', id, task, host, result: { status: 'skipped' } as ResultView, durationMs: 0, time });
  }
  ctx.bus.emit({ type: 'task-end', id, task, time });
}

/** The include's vars (and loop item) as include params for the tasks it brings. */
export function withIncludeParams(eff: Inherited, vars: Readonly<Record<string, unknown>>): Inherited {
  if (Object.keys(vars).length === 0) return eff;
  return { ...eff, includeParams: [...(eff.includeParams ?? []), vars] };
}

/** Where the play stands, for the playbook layer to load what an include brings (playbook/load-included.ts). */
export function includeSite(ctx: RunContext, ps: PlayState, eff: Inherited): IncludeSite {
  return {
    catalog: ctx.catalog,
    cwd: ctx.options.cwd,
    rolesPath: ctx.playbook.rolesPath,
    collectionsPath: ctx.playbook.collectionsPath ?? [],
    playbookFile: ctx.playbook.file,
    playDir: ps.play.dir,
    role: eff.role,
    ...(ps.play.collections ? { collections: ps.play.collections } : {}),
    appliedRoles: ps.appliedRoles,
  };
}
