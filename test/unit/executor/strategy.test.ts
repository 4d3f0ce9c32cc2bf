// The play's strategy (src/executor/strategy.ts) on real local hosts: `linear` finishes a task on
// every host before the next one starts; `free` lets a host that is done go on, through its
// handlers too, while a slow host is still on its first task.
import { describe, expect, it } from 'vitest';
import { localHosts, runPlaybookText, type Run } from '../../helpers/run-playbook.js';

const play = (strategy: string): string => `- hosts: g
  strategy: ${strategy}
  tasks:
    - name: slow
      command: sleep {{ '0.6' if inventory_hostname == 'h1' else '0' }}
      notify: bump
    - name: next
      debug: msg=next
  handlers:
    - name: bump
      debug: msg=bumped
`;

/** where the result of `task` on `host` came, among the run's host results */
function at(r: Run, task: string, host: string): number {
  const results = r.events.filter((e) => e.type === 'host-result');
  const i = results.findIndex((e) => e.task === task && e.host === host);
  expect(i, `${task} on ${host}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe('play strategy', () => {
  it('linear: no host starts the next task before every host finished this one; handlers run at the end', async () => {
    const r = await runPlaybookText(play('linear'), localHosts(2));
    expect(r.exitCode).toBe(0);
    expect(at(r, 'next', 'h2')).toBeGreaterThan(at(r, 'slow', 'h1'));
    expect(at(r, 'bump', 'h2')).toBeGreaterThan(at(r, 'next', 'h1'));
    expect(r.debug('h1')).toEqual(['next', 'bumped']);
  });

  it('free: a fast host runs its next task and its handlers while a slow one is still on its first', async () => {
    const r = await runPlaybookText(play('free'), localHosts(2));
    expect(r.exitCode).toBe(0);
    expect(at(r, 'next', 'h2')).toBeLessThan(at(r, 'slow', 'h1'));
    expect(at(r, 'bump', 'h2')).toBeLessThan(at(r, 'slow', 'h1'));
    expect(r.debug('h1')).toEqual(['next', 'bumped']);
    expect(r.debug('h2')).toEqual(['next', 'bumped']);
    expect(r.recap['h1']).toMatchObject({ ok: 3, changed: 1 });
  });
});
