// A connection setting runbook cannot honour is said through the run's event bus, naming the
// host (the live view stays whole, the journal keeps it), never dropped silently.
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

describe('connection warnings', () => {
  it('an unsupported become method is a warning event of that host, and the task still runs', async () => {
    const inv = 'all:\n  hosts:\n    h1: { ansible_connection: local, ansible_become_method: su }\n    h2: { ansible_connection: local }\n';
    const r = await runPlaybookText('- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n', inv);
    expect(r.exitCode).toBe(0);
    const warnings = r.events.filter((e) => e.type === 'warning');
    expect(warnings).toEqual([
      { type: 'warning', host: 'h1', message: "ansible_become_method is ignored: become always runs sudo, not 'su'" },
    ]);
  });
});
