// user: password (a crypt hash as given), update_password and password_expire_min/max side by
// side with ansible-playbook 2.14 on this machine (local connection, run as root): each tool
// manages its own account; asserted equal: what every task registered as changed, the
// registered password (NOT_LOGGING_PASSWORD) and the shadow entries both leave (hash, lock,
// ageing). afterAll removes both accounts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const USERS = { ansible: 'rb-cmp-pw-a', runbook: 'rb-cmp-pw-b' };
const H1 = '$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/';
const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    h1: "${H1}"
  tasks:
    - user: { name: "{{ u }}", password: "{{ h1 }}", create_home: false }
      register: r1
    - user: { name: "{{ u }}", password: "{{ h1 }}", create_home: false }
      register: r2
    - user: { name: "{{ u }}", password: "!{{ h1 }}", create_home: false }
      register: r3
    - user: { name: "{{ u }}", password_expire_min: 3, password_expire_max: 90, create_home: false }
      register: r4
    - user: { name: "{{ u }}", password_expire_min: 3, password_expire_max: 90, create_home: false }
      register: r5
    - user: { name: "{{ u }}", password: "$6$x$y", update_password: on_create, create_home: false }
      register: r6
    - user: { name: "{{ u }}", password: "*", create_home: false }
      register: r7
    - user: { name: "{{ u }}", password: "{{ h1 }}", password_lock: true, create_home: false }
      register: r8
    - debug: msg="{{ [r1.changed, r2.changed, r3.changed, r4.changed, r5.changed, r6.changed, r7.changed, r8.changed, r1.password] | to_json }}"
`;

/** the shadow fields after the name and the last-change date: hash, min, max, warn... */
function shadow(user: string): string[] {
  const f = execFileSync('getent', ['shadow', user], { encoding: 'utf8' }).trim().split(':');
  return [f[1]!, ...f.slice(3)];
}

afterAll(() => {
  for (const u of Object.values(USERS)) {
    try {
      execFileSync('userdel', ['-f', u], { stdio: 'ignore' });
    } catch {
      /* not created */
    }
  }
});

describe('user password and ageing: the same as ansible-playbook 2.14', () => {
  it('registers the same changes and leaves the same shadow entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-pw-'));
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `u=${USERS.ansible}`]);
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `u=${USERS.runbook}`]);
    expect(want[want.length - 1]).toBe('[true, false, false, true, false, false, true, true, "NOT_LOGGING_PASSWORD"]');
    expect(got[got.length - 1]).toEqual(want[want.length - 1]);
    expect(shadow(USERS.runbook)).toEqual(shadow(USERS.ansible));
    expect(shadow(USERS.runbook).slice(0, 3)).toEqual([`!${H1}`, '3', '90']);
  });
});
