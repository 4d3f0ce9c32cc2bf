// The play and task keywords not covered in language.test.ts, on real local hosts.
import { describe, expect, it } from 'vitest';
import { localHosts, runPlaybookText } from '../../helpers/run-playbook.js';

describe('executor keywords', () => {
  it('any_errors_fatal stops the play for every host at the first failure', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  any_errors_fatal: true
  tasks:
    - command: "{{ 'false' if inventory_hostname == 'h2' else 'true' }}"
    - debug: msg=after
`,
      localHosts(3),
    );
    expect(r.exitCode).toBe(2);
    for (const h of ['h1', 'h2', 'h3']) expect(r.debug(h)).toEqual([]);
  });

  it('max_fail_percentage aborts when more than that share of a batch failed', async () => {
    const pb = (pct: number) => `- hosts: g
  max_fail_percentage: ${pct}
  tasks:
    - command: "{{ 'false' if inventory_hostname in ['h1', 'h2'] else 'true' }}"
    - debug: msg=after
`;
    const strict = await runPlaybookText(pb(50), localHosts(4)); // 2 of 4 = 50%: not more than 50 → goes on
    expect(strict.debug('h3')).toEqual(['after']);
    const stricter = await runPlaybookText(pb(25), localHosts(4)); // 50% > 25% → abort
    expect(stricter.debug('h3')).toEqual([]);
    expect(stricter.exitCode).toBe(2);
  });

  it('pre_tasks, tasks, post_tasks run in order, handlers flushed after each section', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  pre_tasks:
    - command: echo pre
      notify: h
    - debug: msg=pre
  tasks:
    - debug: msg=main
  post_tasks:
    - debug: msg=post
  handlers:
    - name: h
      debug: msg=handler
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['pre', 'handler', 'main', 'post']);
  });

  it('handlers: listen topics and meta: flush_handlers', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: echo x
      notify: restart etcd
    - meta: flush_handlers
    - debug: msg=after-flush
  handlers:
    - name: one
      debug: msg=one
      listen: restart etcd
    - name: two
      debug: msg=two
      listen: restart etcd
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['one', 'two', 'after-flush']);
  });

  it('meta: end_host ends one host; end_play ends the play for all', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - meta: end_host
      when: inventory_hostname == 'h1'
    - debug: msg=still
- hosts: g
  tasks:
    - meta: end_play
    - debug: msg=never
`,
      localHosts(2),
    );
    expect(r.debug('h1')).toEqual([]);
    expect(r.debug('h2')).toEqual(['still']);
    expect(r.exitCode).toBe(0);
  });

  it('strategy free lets a fast host run ahead of a slow one', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  strategy: free
  tasks:
    - command: sleep {{ 0.6 if inventory_hostname == 'h1' else 0 }}
    - debug: msg=done
`,
      localHosts(2),
    );
    const order = r.events
      .filter((e) => e.type === 'host-result')
      .map((e) => `${e.host}:${e.task.startsWith('debug') ? 'debug' : 'sleep'}`);
    expect(order.indexOf('h2:debug')).toBeLessThan(order.indexOf('h1:sleep'));
  });

  it('environment and vars at play, block and task level; task wins', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  environment: { A: play, B: play }
  vars: { v: play }
  tasks:
    - block:
        - shell: echo "$A $B $C"
          environment: { C: task }
          register: out
        - debug: msg="{{ out.stdout }} {{ v }}"
      environment: { B: block }
      vars: { v: block }
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['play block task block']);
  });

  it('no_log hides the result and the loop items', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars: { password: s3cret }
  tasks:
    - command: echo {{ password }}-{{ item }}
      loop: ["{{ password }}"]
      no_log: true
`,
      localHosts(1),
    );
    expect(JSON.stringify(r.events)).not.toMatch(/s3cret/);
  });

  it('loop_control loop_var/label/index_var, with_dict, with_nested, with_sequence', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - debug: msg="{{ i }}:{{ m.name }}"
      loop: [{name: a}, {name: b}]
      loop_control: { loop_var: m, index_var: i, label: "{{ m.name }}" }
    - debug: msg="{{ item.key }}={{ item.value }}"
      with_dict: { x: 1 }
    - debug: msg="{{ item[0] }}{{ item[1] }}"
      with_nested: [[a, b], [1, 2]]
    - debug: msg="{{ item }}"
      with_sequence: start=1 end=3 format=n%02d
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['0:a', '1:b', 'x=1', 'a1', 'a2', 'b1', 'b2', 'n01', 'n02', 'n03']);
    const labels = r.events.find((e) => e.type === 'host-result' && e.items)!;
    expect(labels.type === 'host-result' && labels.items!.map((i) => i.item)).toEqual(['a', 'b']);
  });

  it('retries exhausted: failed, with attempts in the registered result', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: "false"
      register: x
      until: x.rc == 0
      retries: 2
      delay: 0
      ignore_errors: true
    - debug: msg="{{ x.attempts }} {{ x.failed }}"
`,
      localHosts(1),
    );
    expect(r.debug('h1')).toEqual(['3 True']);
  });

  it('timeout fails a task that runs too long', async () => {
    const t0 = Date.now();
    const r = await runPlaybookText(`- hosts: h1\n  tasks:\n    - command: sleep 5\n      timeout: 1\n`, localHosts(1));
    expect(r.exitCode).toBe(2);
    expect(String(r.results('command')['h1']!.msg)).toMatch(/timed out|timeout/i);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('tags and skip-tags select tasks; always and never', async () => {
    const pb = `- hosts: h1
  tasks:
    - debug: msg=a
      tags: [a]
    - debug: msg=b
      tags: [b]
    - debug: msg=always
      tags: [always]
    - debug: msg=never
      tags: [never, debugonly]
`;
    expect((await runPlaybookText(pb, localHosts(1))).debug('h1')).toEqual(['a', 'b', 'always']);
    expect((await runPlaybookText(pb, localHosts(1), { tags: { only: ['b'], skip: [] } })).debug('h1')).toEqual(['b', 'always']);
    expect((await runPlaybookText(pb, localHosts(1), { tags: { only: [], skip: ['a'] } })).debug('h1')).toEqual(['b', 'always']);
    expect((await runPlaybookText(pb, localHosts(1), { tags: { only: ['debugonly'], skip: [] } })).debug('h1')).toEqual([
      'always',
      'never',
    ]);
  });

  it('--limit restricts the hosts; a limit matching nothing is an error', async () => {
    const r = await runPlaybookText(`- hosts: g\n  tasks:\n    - debug: msg=hi\n`, localHosts(3), { limit: 'h2' });
    expect(r.debug('h2')).toEqual(['hi']);
    expect(r.debug('h1')).toEqual([]);
  });

  it('import_tasks is static (tags and when apply to each task), vars_files loaded', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars_files: [vars.yml]
  tasks:
    - import_tasks: tasks.yml
      when: flag
`,
      localHosts(1),
      { files: { 'vars.yml': 'flag: true\nname: etcd\n', 'tasks.yml': '- debug: msg="hello {{ name }}"\n' } },
    );
    expect(r.debug('h1')).toEqual(['hello etcd']);
  });

  it('ignore_unreachable keeps an unreachable host in the play', async () => {
    const inv = `all:\n  hosts:\n    dead:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n      ssh_known_hosts_file: /dev/null\n`;
    const r = await runPlaybookText(
      `- hosts: dead
  tasks:
    - command: "true"
      ignore_unreachable: true
    - debug: msg=still-here
`,
      inv,
    );
    expect(r.debug('dead')).toEqual(['still-here']);
  });
});
