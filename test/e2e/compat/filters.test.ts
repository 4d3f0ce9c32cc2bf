// Filters and tests of Ansible 2.14 and of the collections playbooks use (comment, product,
// shuffle, password_hash, json_query, community.general.dict, ansible.utils ipaddr / ipv4 /
// ipv6 / ipwrap / ipsubnet, tests ipv4 / ipv6), side by side with ansible-playbook 2.14 on the
// same playbook (local connection): every task's message must be the same. Needs Debian
// ansible (ansible.utils, community.general), python3-netaddr and python3-jmespath
// (scripts/install-deps.sh).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    addrs: ['192.168.1.5', '192.168.1.0/24', '10.0.0.1/8', 'fe80::1', '2001:db8::5/64', 'nope', '8.8.8.8']
    data: {users: [{name: a, uid: 1}, {name: b, uid: 2}]}
  tasks:
    - debug: { msg: "{{ 'managed by runbook' | comment }}" }
    - debug: { msg: "{{ 'line one\\nline two' | comment('c') }}" }
    - debug: { msg: "{{ 'x' | comment('cblock') }}" }
    - debug: { msg: "{{ 'x\\ny' | comment('xml') }}" }
    - debug: { msg: "{{ 'x' | comment(decoration='; ', prefix_count=2) }}" }
    - debug: { msg: "{{ [1, 2] | product(['a', 'b']) | list }}" }
    - debug: { msg: "{{ [1, 2, 3] | shuffle | sort }}" }
    - debug: { msg: "{{ 'secret' | password_hash('sha512', 'saltsaltsalt') }}" }
    - debug: { msg: "{{ 'secret' | password_hash('sha256', 'abc', rounds=6000) }}" }
    - debug: { msg: "{{ data | json_query('users[*].name') }}" }
    - debug: { msg: "{{ data | community.general.json_query('users[?uid > \`1\`].name | [0]') }}" }
    - debug: { msg: "{{ [['a', 1], ['b', 2]] | community.general.dict }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('address') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('network') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('netmask') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('prefix') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('host') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('net') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('subnet') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('broadcast') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('private') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipaddr('public') }}" }
    - debug: { msg: "{{ '192.168.1.0/24' | ansible.utils.ipaddr(5) }}" }
    - debug: { msg: "{{ '192.168.1.0/24' | ansible.utils.ipaddr(-2) }}" }
    - debug: { msg: "{{ ('192.168.1.0/24' | ansible.utils.ipaddr('size')) == 256 }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipv4 }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipv6 }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipv4('address') }}" }
    - debug: { msg: "{{ addrs | ansible.utils.ipwrap }}" }
    - debug: { msg: "{{ 'fe80::1' | ansible.utils.ipwrap }}" }
    - debug: { msg: "{{ '192.168.0.0/16' | ansible.utils.ipsubnet(20) }}" }
    - debug: { msg: "{{ '192.168.0.0/16' | ansible.utils.ipsubnet(20, 3) }}" }
    - debug: { msg: "{{ '192.168.0.0/16' | ansible.utils.ipsubnet(20, -1) }}" }
    - debug: { msg: "{{ '192.168.144.5' | ansible.utils.ipsubnet(20) }}" }
    - debug: { msg: "{{ '192.168.144.5/20' | ansible.utils.ipsubnet }}" }
    - debug: { msg: "{{ addrs | select('ansible.utils.ipv4') | list }}" }
    - debug: { msg: "{{ addrs | select('ansible.utils.ipv6') | list }}" }
    - debug: { msg: "{{ '10.0.0.1' is ansible.utils.ipv4 }}" }
`;

describe('filters and tests: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-filters-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    expect(want.length).toBe(39);
    expect(got).toEqual(want);
  });
});
