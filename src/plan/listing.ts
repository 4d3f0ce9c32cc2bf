// ansible-playbook's --list-hosts, --list-tasks and --list-tags: what a playbook would touch,
// printed as 2.14 prints it, without connecting to any host. Task names are as written (not
// templated), a role's tasks are `role : name`, an include is one line (what it brings is known
// only when it runs), imports and blocks are flattened, tags are the task's with its parents'.
import type { Inventory } from '../inventory/model.js';
import { applyLimit, selectHosts, splitPattern } from '../inventory/index.js';
import type { Play, Playbook, TaskNode } from '../playbook/model.js';
import { playHead } from './targets.js';

export type ListKind = 'hosts' | 'tasks' | 'tags';

/** `play #1 (all): name	TAGS: [t]` and what each listing adds under it, as ansible-playbook 2.14. */
export function listPlaybook(
  pb: Playbook,
  inv: Inventory,
  what: ReadonlySet<ListKind>,
  o: { readonly limit?: string | undefined; readonly extraVars: Readonly<Record<string, unknown>> },
  shownFile: string,
): string {
  const out: string[] = ['', `playbook: ${shownFile}`];
  for (const [i, play] of pb.plays.entries()) {
    const { pattern, name } = playHead(play, inv, o.extraVars);
    out.push('', `  play #${i + 1} (${pattern}): ${name}\tTAGS: [${play.tags.join(', ')}]`);
    if (what.has('hosts')) {
      let hosts = selectHosts(inv, pattern);
      if (o.limit) hosts = applyLimit(inv, hosts, o.limit);
      out.push(
        `    pattern: [${splitPattern(pattern)
          .map((p) => `'${p}'`)
          .join(', ')}]`,
        `    hosts (${hosts.length}):`,
      );
      for (const h of hosts) out.push(`      ${h}`);
    }
    const tasks = what.has('tasks') || what.has('tags') ? playTasks(play) : [];
    if (what.has('tasks')) {
      out.push('    tasks:');
      for (const t of tasks) out.push(`      ${t.name}\tTAGS: [${t.tags.join(', ')}]`);
    }
    if (what.has('tags')) out.push(`      TASK TAGS: [${sortedUnique(tasks.flatMap((t) => t.tags)).join(', ')}]`);
  }
  return out.join('\n') + '\n';
}

interface Listed {
  readonly name: string;
  readonly tags: readonly string[];
}

function playTasks(play: Play): Listed[] {
  const out: Listed[] = [];
  const walk = (nodes: readonly TaskNode[], tags: readonly string[], role: string | undefined): void => {
    for (const n of nodes) {
      const here = [...tags, ...n.tags];
      if (n.kind === 'block') {
        const r = n.role ? (n.role.fqcn ?? n.role.name) : role;
        for (const part of [n.block, n.rescue, n.always]) walk(part, here, r);
        continue;
      }
      const bare = n.name ?? (n.kind === 'task' ? (n.action ?? n.module) : n.kind === 'include_role' ? 'include_role' : 'include_tasks');
      out.push({ name: role ? `${role} : ${bare}` : bare, tags: sortedUnique(here) });
    }
  };
  for (const part of [play.preTasks, play.tasks, play.postTasks]) walk(part, play.tags, undefined);
  return out;
}

function sortedUnique(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}
