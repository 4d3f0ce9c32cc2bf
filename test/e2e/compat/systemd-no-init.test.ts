// The systemd module on a host where systemd is not PID 1 (this container), side by side with
// ansible-playbook 2.14 (local connection): a unit systemd's files do not know fails with
// systemctl's own error (`System has not been booted with systemd…`, cmd, rc, stdout, stderr) for
// `masked`, `state` and `enabled`, as 2.14's run_command(systemctl, check_rc=True); a
// daemon-reload fails with 2.14's message; a unit the files know (ssh) has no state to read:
// "Service is in unknown state". Only units that do not exist are ever asked to change, and
// `masked` only in --check. Needs ansible-core; skipped where systemd runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const UNIT = 'rb-compat-no-such-unit';
const init = readFileSync('/proc/1/comm', 'utf8').trim();

const RUN = `- hosts: localhost
  gather_facts: false
  tasks:
    - systemd: { name: ${UNIT}, state: started }
      register: r1
      ignore_errors: true
    - debug: { msg: "{{ r1 }}" }
    - systemd: { name: ${UNIT}, enabled: true }
      register: r2
      ignore_errors: true
    - debug: { msg: "{{ r2 }}" }
    - systemd: { daemon_reload: true }
      register: r3
      ignore_errors: true
    - debug: { msg: "{{ r3 }}" }
`;

const CHECK = `- hosts: localhost
  gather_facts: false
  tasks:
    - systemd: { name: ${UNIT}, masked: true }
      register: c1
      ignore_errors: true
    - debug: { msg: "{{ c1 }}" }
    - systemd: { name: ssh, state: started }
      register: c2
      ignore_errors: true
    - debug: { msg: "{{ c2 }}" }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-systemd-'));
  writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  writeFileSync(join(dir, 'run.yml'), RUN);
  writeFileSync(join(dir, 'check.yml'), CHECK);
});

const registered = (msgs: unknown[]) => msgs.filter((_, i) => i % 2 === 1);

describe.skipIf(init === 'systemd')('systemd without systemd as PID 1: as ansible-playbook 2.14', () => {
  it('state, enabled and daemon_reload fail with what systemctl says', async () => {
    const want = registered(await ansibleMessages(dir, 'run.yml', 'inv.ini', 'localhost'));
    const got = registered(await runbookMessages(dir, 'run.yml', 'inv.ini', 'localhost'));
    expect(want[0]).toMatchObject({ failed: true, cmd: expect.stringMatching(/systemctl$/), rc: 1 });
    expect((want[0] as { msg: string }).msg).toMatch(/System has not been booted with systemd/);
    expect((want[2] as { msg: string }).msg).toMatch(/^failure 1 during daemon-reload: /);
    expect(got).toEqual(want);
  });

  it('--check: masked fails the same way; a unit the files know has no state to read', async () => {
    const want = registered(await ansibleMessages(dir, 'check.yml', 'inv.ini', 'localhost', ['--check']));
    const got = registered(await runbookMessages(dir, 'check.yml', 'inv.ini', 'localhost', ['--check']));
    expect(want[1]).toEqual({ changed: false, failed: true, msg: 'Service is in unknown state', status: {} });
    expect(got).toEqual(want);
  });
});
