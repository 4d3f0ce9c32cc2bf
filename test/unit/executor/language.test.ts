// The executor on real local hosts (ansible_connection: local): when/register/loops/until,
// blocks, handlers, run_once, delegate_to, serial, set_fact/add_host/group_by, check mode,
// strict undefined variables with file:line, exit codes.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localHosts, runPlaybookText } from '../../helpers/run-playbook.js';

describe('executor on local hosts', () => {
  it('when, register, loop and debug see the right values', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  vars:
    names: [a, b]
  tasks:
    - command: echo {{ inventory_hostname }}
      register: out
    - debug:
        msg: "{{ out.stdout }}-{{ item }}"
      loop: "{{ names }}"
    - debug: msg=only-h1
      when: inventory_hostname == 'h1'
`,
      localHosts(2),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['h1-a', 'h1-b', 'only-h1']);
    expect(r.debug('h2')).toEqual(['h2-a', 'h2-b']);
    expect(r.recap['h2']!.skipped).toBe(1);
  });

  it('a free-form command is templated whole, then split as shlex (no shell)', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars:
    evil: "a b; echo pwned"
    one: "a b; echo pwned"
  tasks:
    - command: printf '%s|' {{ evil }}
      register: out
    - debug: msg="{{ out.stdout }}"
    - command:
        argv: [printf, '%s|', "{{ one }}"]
      register: argv
    - debug: msg="{{ argv.stdout }}"
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['a|b;|echo|pwned|', 'a b; echo pwned|']);
  });

  it("vars: every variable the task sees; `'k' in d` reads the keys only (values that would fail are not rendered)", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  gather_facts: false
  vars:
    a: 1
    broken: "{{ nothing.here }}"
    name: a
  tasks:
    - set_fact: { c: 3 }
    - debug: msg="{{ 'a' in vars }} {{ 'zz' not in vars }} {{ vars[name] }} {{ vars.c }} {{ 'lookup' in vars }} {{ 'broken' in vars }}"
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['True True 1 3 False True']);
  });

  it('a module given its arguments as one template (`file: "{{ fargs }}"`, `args: "{{ … }}"`) gets that mapping, k=v beside it winning', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  gather_facts: false
  vars:
    fargs: {path: "{{ playbook_dir }}/vp", state: touch, mode: "0644"}
  tasks:
    - file: "{{ fargs }} mode=0600"
    - stat:
      args: "{{ {'path': playbook_dir ~ '/vp'} }}"
      register: s
    - debug: msg="{{ s.stat.mode }}"
    - file: "{{ 'nope' }}"
      ignore_errors: true
      register: b
    - debug: msg="{{ b.msg }}"
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['0600', "invalid or malformed argument: 'nope'"]);
  });

  it('retries/until re-runs until the condition holds', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - shell: n=$(cat {{ playbook_dir }}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ playbook_dir }}/n; echo $n
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
    - debug: msg="{{ c.attempts }}"
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['3']); // "{{ c.attempts }}" is text, as in Ansible 2.14;
  });

  it('block/rescue/always: rescue runs after a failure and the host counts as rescued', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - block:
        - command: "false"
        - debug: msg=not-reached
      rescue:
        - debug: msg=rescued
      always:
        - debug: msg=always
    - debug: msg=after
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['rescued', 'always', 'after']);
    expect(r.recap['h1']!.rescued).toBe(1);
  });

  it('a failed host leaves the play, the others carry on; exit code 2', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - command: "false"
      when: inventory_hostname == 'h1'
    - debug: msg=next
`,
      localHosts(2),
    );
    expect(r.exitCode).toBe(2);
    expect(r.debug('h1')).toEqual([]);
    expect(r.debug('h2')).toEqual(['next']);
    expect(r.recap['h1']!.failed).toBe(1);
  });

  it('ignore_errors, failed_when and changed_when', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: "false"
      ignore_errors: true
    - command: echo hello
      register: out
      failed_when: "'hello' in out.stdout"
      ignore_errors: true
    - command: echo x
      changed_when: false
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(0);
    expect(r.recap['h1']!.ignored).toBe(2);
    // as ansible-playbook 2.14 counts them: an ignored failure is ok too, and changed when the command ran
    expect(r.recap['h1']!.ok).toBe(3);
    expect(r.recap['h1']!.changed).toBe(2);
  });

  it('handlers run once at the end of the play, only when notified by a change', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: echo a
      notify: restart
    - command: echo b
      notify: restart
    - command: echo c
      changed_when: false
      notify: other
  handlers:
    - name: restart
      debug: msg=restarted
    - name: other
      debug: msg=other
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['restarted']);
  });

  it("run_once runs on the first host only; delegate_to runs elsewhere with this host's vars", async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - command: echo once
      run_once: true
      register: o
    - debug: msg="{{ o.stdout }}"
    - command: echo {{ inventory_hostname }}
      delegate_to: localhost
      register: d
    - debug: msg="{{ d.stdout }}"
`,
      localHosts(3),
    );
    expect(r.exitCode).toBe(0);
    const runs = r.events.filter((e) => e.type === 'host-result' && e.task.startsWith('command') && e.result.stdout === 'once');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(r.debug('h3')).toEqual(['once', 'h3']);
  });

  it('serial runs batches in order', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  serial: 1
  tasks:
    - debug: msg="{{ ansible_play_batch | join(',') }}"
`,
      localHosts(3),
    );
    expect(r.debug('h1')).toEqual(['h1']);
    expect(r.debug('h2')).toEqual(['h2']);
    expect(r.events.filter((e) => e.type === 'batch-start').length).toBe(3);
  });

  it('set_fact, add_host and group_by change what later tasks and plays see', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - set_fact:
        role: "{{ 'leader' if inventory_hostname == 'h1' else 'follower' }}"
    - group_by:
        key: "role_{{ role }}"
    - add_host:
        name: extra
        groups: newgroup
        ansible_connection: local
        color: blue
      run_once: true
- hosts: role_leader
  tasks:
    - debug: msg="leader {{ inventory_hostname }}"
- hosts: newgroup
  tasks:
    - debug: msg="{{ color }}"
`,
      localHosts(2),
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['leader h1']);
    expect(r.debug('h2')).toEqual([]);
    expect(r.debug('extra')).toEqual(['blue']);
  });

  it('an undefined variable fails the task naming the variable and the task file:line', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - name: use it
      debug: msg="{{ nope }}"
`,
      localHosts(1),
    );
    expect(r.exitCode).toBe(2);
    const res = r.results('use it')['h1']!;
    expect(res.status).toBe('failed');
    expect(res.msg).toMatch(/'nope' is undefined/);
    expect(res.msg).toMatch(/pb\.yml:3/);
  });

  it('check mode predicts and changes nothing', async () => {
    const r0 = await runPlaybookText(`- hosts: h1\n  tasks: []\n`, localHosts(1));
    const target = join(r0.dir, 'out.txt');
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - copy:
        content: "hello\\n"
        dest: ${target}
    - command: touch ${target}.cmd
`,
      localHosts(1),
      { check: true, dir: r0.dir },
    );
    expect(r.exitCode).toBe(0);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(target + '.cmd')).toBe(false);
    expect(r.recap['h1']!.changed).toBe(1);
    const applied = await runPlaybookText(readFileSync(join(r0.dir, 'pb.yml'), 'utf8'), localHosts(1), { dir: r0.dir });
    expect(applied.exitCode).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('hello\n');
    const again = await runPlaybookText(readFileSync(join(r0.dir, 'pb.yml'), 'utf8').replace(/    - command.*\n/, ''), localHosts(1), {
      dir: r0.dir,
    });
    expect(again.recap['h1']!.changed).toBe(0);
  });

  it('include_tasks with a loop and tags filter', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - include_tasks: inc.yml
      loop: [1, 2]
    - debug: msg=tagged
      tags: [x]
    - debug: msg=untagged
`,
      localHosts(1),
      { files: { 'inc.yml': '- debug: msg="inc {{ item }}"\n' }, tags: { only: ['all'], skip: ['x'] } },
    );
    expect(r.debug('h1')).toEqual(['inc 1', 'inc 2', 'untagged']);
  });

  it('extra vars win over play vars', async () => {
    const r = await runPlaybookText(`- hosts: h1\n  vars: {v: play}\n  tasks:\n    - debug: msg="{{ v }}"\n`, localHosts(1), {
      extraVars: { v: 'extra' },
    });
    expect(r.debug('h1')).toEqual(['extra']);
  });

  it("hostvars renders another host's variables with that host's own values", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - debug: msg="{{ hostvars['h2'].url }}"
`,
      localHosts(2, { h1: { ip: '10.0.0.1', url: 'http://{{ ip }}:2379' }, h2: { ip: '10.0.0.2', url: 'http://{{ ip }}:2379' } }),
    );
    expect(r.debug('h1')).toEqual(['http://10.0.0.2:2379']);
  });
});
