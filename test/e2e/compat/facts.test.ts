// Facts gathered in the one setup round trip, side by side with ansible-playbook 2.14's setup
// on this machine (local connection): all_ipv6_addresses, per-interface ansible_<iface>
// (speed/pciid/features, which runbook does not gather, left out), ansible_facts.<iface>,
// mounts (free space, which moves between the two runs, left out), selinux,
// virtualization_type/role, python_version, env. The interface is the default route's (lo in a network namespace
// without one), so the test runs on any machine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `- hosts: localhost
  gather_facts: true
  tasks:
    - debug: { msg: "{{ ansible_all_ipv6_addresses }}" }
    - debug: { msg: "{{ ansible_facts[ansible_default_ipv4.interface | default('lo')] | dict2items | rejectattr('key', 'in', ['pciid', 'speed', 'features', 'timestamping', 'hw_timestamp_filters']) | items2dict }}" }
    - debug: { msg: "{{ ansible_lo }}" }
    - debug: { msg: "{{ hostvars[inventory_hostname]['ansible_' + (ansible_default_ipv4.interface | default('lo'))].ipv4.address }}" }
    - debug: { msg: "{{ ansible_mounts | map(attribute='mount') | list }}" }
    - debug: { msg: "{{ ansible_mounts | map('dict2items') | map('rejectattr', 'key', 'in', ['options', 'block_available', 'block_used', 'size_available', 'inode_available', 'inode_used']) | map('items2dict') | list }}" }
    - debug: { msg: "{{ ansible_selinux }}" }
    - debug: { msg: "{{ ansible_virtualization_type }} {{ ansible_virtualization_role }}" }
    - debug: { msg: "{{ ansible_facts.lo.ipv4.network }}" }
    - debug: { msg: "{{ ansible_python_version == ansible_python.version.major ~ '.' ~ ansible_python.version.minor ~ '.' ~ ansible_python.version.micro }}" }
    - debug: { msg: "{{ ansible_env.HOME }} {{ ansible_env.PATH is string }} {{ ansible_facts.env.HOME }}" }
`;

describe('facts: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-facts-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    const want = (await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost')).slice(1); // without Gathering Facts
    const got = (await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost')).slice(-want.length);
    expect(want.length).toBe(11);
    expect(got).toEqual(want);
  });
});
