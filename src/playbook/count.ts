import type { Playbook, TaskNode } from './model.js';

export function countTasks(pb: Playbook): number {
  const count = (nodes: readonly TaskNode[]): number =>
    nodes.reduce((n, t) => n + (t.kind === 'block' ? count(t.block) + count(t.rescue) + count(t.always) : 1), 0);
  return pb.plays.reduce((n, p) => n + count(p.preTasks) + count(p.tasks) + count(p.postTasks) + p.handlers.length, 0);
}
