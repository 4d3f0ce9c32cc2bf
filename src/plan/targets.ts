// Before a plan or an apply: a run that would target no host at all is an error. A forgotten
// -i, a --limit matching nothing or a misspelt group would otherwise print "Plan: 0 to change"
// and exit 0, and an operator at 3 a.m. reads that as "nothing to do". Pure.
//
// ansible-playbook 2.14 errors on a --limit that leaves no host, warns ("Could not match
// supplied host pattern") and skips a play whose pattern matches nothing, and runs with an
// implicit localhost when no inventory is given. Here (docs/ansible-compatibility.md):
//   - no inventory given and a play matching no host: an error naming -i;
//   - --limit matching no host: an error, as Ansible;
//   - no play of the playbook matches a host (an empty group, a misspelt name, a limit that
//     excludes them): an error naming the first play, its pattern and the inventory;
//   - some plays match hosts: a play matching none is skipped with Ansible's warning (a
//     site.yml with plays for groups an inventory does not have runs unchanged);
//   - a pattern naming something the inventory does not know is not counted when an earlier
//     play creates groups at run time (group_by, add_host, or includes that may): such plays
//     are the branches of a decision, empty when their branch is not taken;
//   - a play may say it may be empty: `vars: { runbook_hosts_may_be_empty: true }` (a plain
//     variable: Ansible ignores it); it is then neither counted nor warned about.
import { applyLimit, selectHosts, splitPattern } from '../inventory/patterns.js';
import type { Inventory } from '../inventory/model.js';
import type { Play, Playbook, TaskNode } from '../playbook/model.js';
import { formatPos } from '../core/source.js';
import { ansibleBoolean } from '../core/boolean.js';
import { groupsMap } from '../inventory/variables.js';
import { isTemplate, renderDeep } from '../template/index.js';

export const MAY_BE_EMPTY = 'runbook_hosts_may_be_empty';

/**
 * A play's `hosts:` and name as Ansible 2.14 reads them when the play starts: templated with the
 * play's vars and the extra vars (no host's variables yet; `groups` is there), a list joined with
 * ','. An undefined variable throws (Ansible: "The field 'hosts' has an invalid value"). An unnamed
 * play is named by its hosts, as written, so it takes the rendered pattern.
 */
export function playHead(play: Play, inv: Inventory, extraVars: Readonly<Record<string, unknown>>): { pattern: string; name: string } {
  if (!isTemplate(play.hosts) && !isTemplate(play.name)) return { pattern: play.hosts, name: play.name };
  const scope = { ...play.vars, ...extraVars, groups: groupsMap(inv) };
  const text = (field: string, v: string): string => {
    try {
      const r = renderDeep(v, scope);
      return Array.isArray(r) ? r.map(String).join(',') : String(r);
    } catch (e) {
      throw new PlayHeadError(`${formatPos(play.pos)}: the field '${field}' has an invalid value: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  const pattern = isTemplate(play.hosts) ? text('hosts', play.hosts) : play.hosts;
  const name = play.name === play.hosts ? pattern : isTemplate(play.name) ? text('name', play.name) : play.name;
  return { pattern, name };
}

/** A play's hosts or name that does not render: one line, with where. */
export class PlayHeadError extends Error {}

export type NoTargets =
  | { readonly reason: 'no-inventory'; readonly play: string; readonly pattern: string }
  | { readonly reason: 'limit'; readonly limit: string }
  | { readonly reason: 'hosts-template'; readonly message: string }
  | {
      readonly reason: 'empty-play';
      readonly play: string;
      readonly pattern: string;
      readonly where: string;
      readonly unknown: readonly string[];
    };

const GROUP_MAKERS = new Set(['group_by', 'add_host']);

/** true when some task of these plays may add groups or hosts while it runs */
function createsGroups(plays: readonly Play[]): boolean {
  const any = (nodes: readonly TaskNode[]): boolean =>
    nodes.some((n) =>
      n.kind === 'task' ? GROUP_MAKERS.has(n.module) : n.kind === 'block' ? any(n.block) || any(n.rescue) || any(n.always) : true,
    );
  return plays.some((p) => any(p.preTasks) || any(p.tasks) || any(p.postTasks) || any(p.handlers));
}

function mayBeEmpty(play: Play): boolean {
  return ansibleBoolean(play.vars[MAY_BE_EMPTY]) === true;
}

/** a name of the pattern the inventory knows (host, group, or a glob/regex/subscript that is not a plain name) */
function known(inv: Inventory, name: string): boolean {
  const bare = name.replace(/^[&!]/, '').replace(/\[[^\]]*\]$/, '');
  if (/[*?~]/.test(bare)) return true;
  return inv.hosts.has(bare) || inv.groups.has(bare);
}

export function checkTargets(
  pb: Playbook,
  inv: Inventory,
  o: { readonly limit?: string | undefined; readonly inventoryGiven: boolean },
): NoTargets | undefined {
  return playTargets(pb, inv, o).error;
}

/** The plays skipped for matching no host while others run: Ansible's warning, not an error (see above). */
export function emptyPlays(
  pb: Playbook,
  inv: Inventory,
  o: { readonly limit?: string | undefined; readonly inventoryGiven: boolean },
): readonly EmptyPlay[] {
  return playTargets(pb, inv, o).skipped;
}

type EmptyPlay = Extract<NoTargets, { reason: 'empty-play' }>;

/** Both at once: the error, else the plays skipped for matching no host. */
export function playTargets(
  pb: Playbook,
  inv: Inventory,
  o: { readonly limit?: string | undefined; readonly inventoryGiven: boolean; readonly extraVars?: Readonly<Record<string, unknown>> },
): { readonly error?: NoTargets; readonly skipped: readonly EmptyPlay[] } {
  if (o.limit && applyLimit(inv, [...inv.hosts.keys()], o.limit).length === 0 && inv.hosts.size > 0)
    return { error: { reason: 'limit', limit: o.limit }, skipped: [] };
  const empty: EmptyPlay[] = [];
  let someRun = false;
  for (const [i, play] of pb.plays.entries()) {
    // a play's hosts are fixed when it starts: only an earlier play can have made its group
    const runtime = createsGroups(pb.plays.slice(0, i));
    if (mayBeEmpty(play) || play.varsPrompt.length > 0) continue;
    let pattern: string;
    try {
      pattern = playHead(play, inv, o.extraVars ?? {}).pattern;
    } catch (e) {
      if (!(e instanceof PlayHeadError)) throw e;
      return { error: { reason: 'hosts-template', message: e.message }, skipped: [] };
    }
    let hosts = selectHosts(inv, pattern);
    if (o.limit) hosts = applyLimit(inv, hosts, o.limit);
    if (hosts.length > 0) {
      someRun = true;
      continue;
    }
    if (!o.inventoryGiven) return { error: { reason: 'no-inventory', play: play.name, pattern }, skipped: [] };
    const unknown = splitPattern(pattern).filter((n) => !n.startsWith('!') && !known(inv, n));
    if (unknown.length > 0 && runtime) continue; // a group made at run time (group_by): empty when its branch is not taken
    empty.push({ reason: 'empty-play', play: play.name, pattern, where: formatPos(play.pos), unknown });
  }
  // nothing of the playbook would run on any host: an error; some plays run: the empty ones are skipped, as Ansible's
  if (empty.length > 0 && !someRun) return { error: empty[0]!, skipped: [] };
  return { skipped: empty };
}

export function describeNoTargets(t: NoTargets, inventory: string): string {
  switch (t.reason) {
    case 'no-inventory':
      return `no inventory given: play '${t.play}' targets '${t.pattern}' and there is no host to match it; name one with -i INVENTORY`;
    case 'hosts-template':
      return t.message;
    case 'limit':
      return `--limit '${t.limit}' matches no host of the inventory ${inventory}: nothing would run`;
    case 'empty-play':
      return `${t.where}: play '${t.play}': hosts '${t.pattern}' matches no host of the inventory ${inventory}${t.unknown.length ? ` (it has no group or host ${t.unknown.map((u) => `'${u}'`).join(', ')})` : ''}; fix the pattern or the inventory, or say the play may be empty with vars: { ${MAY_BE_EMPTY}: true }`;
  }
}
