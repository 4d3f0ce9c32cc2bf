// Who a task runs as, side by side with ansible-playbook 2.14: Ansible's precedence is variables
// > keywords > command line. ansible_become / ansible_become_user beat the play's and task's
// become / become_user (a task's `become: false` does not undo an inventory's ansible_become),
// which beat -b / --become-user (local connection, sudo as root); over real sshd, ansible_user
// beats remote_user, which beats -u, and a task's `connection: local` runs on the controller.
// Needs ansible-core and sudo.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../../src/lab/sshd.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { ansibleMessagesByHost, runbookMessagesByHost, type Messages } from './side-by-side.js';

const LOGIN_USER = 'rbtest';
let hosts: SshHosts;
let dir: string;
beforeAll(async () => {
  await ensureUser(LOGIN_USER, '/bin/sh');
  hosts = await startSshHosts(2, 212);
  chmodSync(hosts.dir, 0o755); // sshd reads the authorized key as the user logging in
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-prec-'));
  chmodSync(dir, 0o1777); // the host locks in it are written by the login user too
  const local = 'ansible_connection=local ansible_python_interpreter=/usr/bin/python3';
  writeFileSync(join(dir, 'local.ini'), `local1 ${local} ansible_become=true ansible_become_user=daemon\nlocal2 ${local}\n`);
  // both engines read this one: Ansible's variable names only, runbook with the lab's known_hosts
  const node = (h: string, more: string): string => {
    const s = hosts.sshd[h]!;
    return `${h} ansible_host=${s.address} ansible_port=${s.port} ansible_ssh_private_key_file=${s.clientKeyFile} ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, h + '.lock')} ${more}`;
  };
  writeFileSync(
    join(dir, 'ssh.ini'),
    `[nodes]\n${node('node1', 'ansible_user=root ansible_connection=ssh')}\n${node('node2', '')}\n[nodes:vars]\nssh_known_hosts_file=${hosts.knownHosts}\n`,
  );
  const whoami = (extra: string): string => `    - command: whoami\n${extra}      register: r\n    - debug: msg="{{ r.stdout }}"\n`;
  const play = (keywords: string, tasks: string): string => `- hosts: all\n  gather_facts: false\n${keywords}  tasks:\n${tasks}`;
  writeFileSync(join(dir, 'become.yml'), play('  become: true\n  become_user: nobody\n', whoami('') + whoami('      become: false\n')));
  writeFileSync(join(dir, 'become-cli.yml'), play('', whoami('') + whoami('      become_user: bin\n')));
  writeFileSync(
    join(dir, 'reach.yml'),
    play(
      `  remote_user: ${LOGIN_USER}\n`,
      whoami('') +
        whoami('      remote_user: root\n') +
        '    - shell: if [ -n "$SSH_CONNECTION" ]; then echo over ssh; else echo on the controller; fi\n      connection: local\n      register: r\n    - debug: msg="{{ r.stdout }}"\n',
    ),
  );
  writeFileSync(join(dir, 'reach-cli.yml'), play('', whoami('')));
  // where a delegated task runs: the server address ssh reached, or the controller
  const where = (extra: string): string =>
    `    - shell: 'echo \${SSH_CONNECTION:-x x controller} | cut -d" " -f3'\n${extra}      register: r\n    - debug: msg="{{ r.stdout }}"\n`;
  writeFileSync(
    join(dir, 'delegate.yml'),
    `- hosts: node1\n  gather_facts: false\n  tasks:\n${where('')}${where('      delegate_to: node2\n')}${where('      delegate_to: localhost\n')}`,
  );
});
afterAll(async () => {
  await hosts?.stop();
});

/** the debug lines of each host (the whoami results), in order */
function said(m: Record<string, Messages>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [h, msgs] of Object.entries(m)) out[h] = msgs.filter((x) => typeof x === 'string' && x !== '');
  return out;
}

async function both(
  playbook: string,
  inventory: string,
  extra: string[] = [],
): Promise<{ ansible: Record<string, unknown[]>; runbook: Record<string, unknown[]> }> {
  const ansible = said(
    await ansibleMessagesByHost(dir, playbook, inventory, extra, {
      env: {
        // ssh checks the lab's host keys, as runbook does (not ~/.ssh/known_hosts)
        ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${hosts.knownHosts} -o StrictHostKeyChecking=yes -o ControlMaster=no`,
      },
    }),
  );
  const runbook = said(await runbookMessagesByHost(dir, playbook, inventory, extra));
  return { ansible, runbook };
}

describe('variables > keywords > command line, side by side with ansible-playbook 2.14', () => {
  it('become: the host variables win over the keywords, which win over -b / --become-user', async () => {
    const k = await both('become.yml', 'local.ini');
    expect(k.ansible).toEqual({ local1: ['daemon', 'daemon'], local2: ['nobody', 'root'] });
    expect(k.runbook).toEqual(k.ansible);
    const c = await both('become-cli.yml', 'local.ini', ['-b', '--become-user', 'nobody']);
    expect(c.ansible).toEqual({ local1: ['daemon', 'daemon'], local2: ['nobody', 'bin'] });
    expect(c.runbook).toEqual(c.ansible);
  });

  it('over ssh: ansible_user wins over remote_user, which wins over -u; a task with connection: local runs on the controller unless the host ansible_connection says otherwise; delegate_to reaches the delegate as its own variables say', async () => {
    const k = await both('reach.yml', 'ssh.ini');
    expect(k.ansible).toEqual({
      node1: ['root', 'root', 'over ssh'], // its ansible_connection=ssh wins over the keyword
      node2: [LOGIN_USER, 'root', 'on the controller'],
    });
    expect(k.runbook).toEqual(k.ansible);
    const c = await both('reach-cli.yml', 'ssh.ini', ['-u', LOGIN_USER]);
    expect(c.ansible).toEqual({ node1: ['root'], node2: [LOGIN_USER] });
    expect(c.runbook).toEqual(c.ansible);
    // delegate_to reaches the delegate with its own address, user and key; localhost is the
    // controller even though node1 says ansible_connection=ssh
    const d = await both('delegate.yml', 'ssh.ini', ['-u', LOGIN_USER]);
    expect(d.ansible).toEqual({ node1: [hosts.sshd['node1']!.address, hosts.sshd['node2']!.address, 'controller'] });
    expect(d.runbook).toEqual(d.ansible);
  });
});
