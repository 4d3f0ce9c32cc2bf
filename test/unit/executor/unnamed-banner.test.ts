// An unnamed task is shown as ansible-playbook 2.14 shows it: the module as written.
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

describe('unnamed task banners', () => {
  it('the module as written, not its arguments', async () => {
    const pb =
      '- hosts: h1\n  gather_facts: false\n  tasks:\n    - command: echo hi\n    - ansible.builtin.shell: echo x\n    - debug: msg=x\n';
    const r = await runPlaybookText(pb, 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    expect(r.exitCode).toBe(0);
    const started = r.events.flatMap((e) => (e.type === 'task-start' ? [e.task] : []));
    expect(started).toEqual(['command', 'ansible.builtin.shell', 'debug']);
  });
});
