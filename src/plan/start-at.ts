// ansible-playbook's --start-at-task (executor/play_iterator.py): in the first play that has a
// task whose name matches — the name as written, or `role : name` (an unnamed task: its module
// as written), equal or an fnmatch glob — every task before it is passed over silently; the
// plays before that one run nothing (not even fact gathering); everything after runs as usual.
// Only the tasks known when the play starts count: the inside of an include_tasks/include_role
// cannot match (Ansible: "--start-at-task can only follow static includes"), the include itself can.
// A block is walked as its hosts go through it when nothing fails: block, then always.
import { globToRegExp } from '../core/glob.js';
import type { Play, RoleScope, TaskNode } from '../playbook/model.js';

/** What a play passes over: the nodes before the match that do not lead to it. */
export type StartAtSkips = ReadonlySet<TaskNode>;

/** Ansible's task.name (when named) and task.get_name(): `role : name`, an unnamed task's `role : action`. */
function namesOf(n: TaskNode, role: RoleScope | undefined): string[] {
  const action = n.kind === 'task' ? (n.action ?? n.module) : n.kind === 'include' ? 'include_tasks' : 'include_role';
  // an unnamed task written with its FQCN carries that as its name (its banner): still unnamed here
  const name = n.name !== undefined && !(n.kind === 'task' && n.action !== undefined && n.name === n.action) ? n.name : undefined;
  const roleName = role?.fqcn ?? role?.name;
  const full = roleName ? `${roleName} : ${name ?? action}` : (name ?? action);
  return name !== undefined ? [name, full] : [full];
}

/** The play's skips when it holds the task `pattern` names, else undefined (the whole play is passed over). */
export function startAtSkips(play: Play, pattern: string): StartAtSkips | undefined {
  const glob = globToRegExp(pattern);
  const skip = new Set<TaskNode>();
  const walk = (nodes: readonly TaskNode[], role: RoleScope | undefined): boolean => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        const r = n.role ?? role;
        if (walk(n.block, r) || walk(n.always, r)) return true;
      } else if (namesOf(n, role).some((name) => name === pattern || glob.test(name))) return true;
      skip.add(n);
    }
    return false;
  };
  for (const section of [play.preTasks, play.tasks, play.postTasks]) if (walk(section, undefined)) return skip;
  return undefined;
}

/** Whether any play of the playbook has a task --start-at-task `pattern` names. */
export function startAtFound(plays: readonly Play[], pattern: string): boolean {
  return plays.some((p) => startAtSkips(p, pattern) !== undefined);
}
