// A failure travels as a typed value (core/failure.ts) from where it happens to the events the
// reporters and the journal read; the registered variable keeps Ansible's shape without it.
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

// nothing listens on port 1 of 127.0.40.1: the connection is refused at once
const DEAD = `all:\n  hosts:\n    dead:\n      ansible_host: 127.0.40.1\n      ansible_port: 1\n      ssh_known_hosts_file: /dev/null\n`;

describe('typed failures', () => {
  it('an unreachable host: the result carries the connect failure, with its reason', async () => {
    const r = await runPlaybookText(
      `- hosts: dead
  tasks:
    - name: once
      command: "true"
      register: out
      ignore_unreachable: true
    - name: looped
      command: "echo {{ item }}"
      loop: [1, 2]
      ignore_unreachable: true
    - debug:
        msg: "{{ out }}"
`,
      DEAD,
    );
    for (const task of ['once', 'looped']) {
      const res = r.results(task)['dead']!;
      expect(res.status, JSON.stringify(res)).toBe('unreachable');
      expect(res.failure).toMatchObject({ kind: 'connect', reason: 'refused', host: 'dead' });
    }
    const out = r.debug('dead')[0] as Record<string, unknown>;
    expect(out).toMatchObject({ unreachable: true });
    expect(out).not.toHaveProperty('failure');
  });
});
