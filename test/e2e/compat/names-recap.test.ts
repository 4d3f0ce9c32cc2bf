// Side by side with ansible-playbook 2.14 on the same playbook (local connection): the task and
// handler banners (names templated with the first host's variables, left as written when a
// variable in them is undefined — a loop's `item` at the banner), and the PLAY RECAP counts
// (an ignored failure is ok + ignored, and changed when the command ran; a rescued failure is
// rescued, not failed; each file an include_tasks brings in is ok). Needs ansible-core.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainOutputs } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars:
    pkg: nginx
  roles: [web]
  tasks:
    - name: "Install {{ pkg }}"
      command: /bin/true
      notify: "restart {{ pkg }}"
    - name: "Loop {{ item }}"
      debug: msg={{ item }}
      loop: [a, b]
    - name: "Undefined {{ nope }} and {{ pkg }}"
      debug: msg=x
    - name: "Host var {{ colour }}"
      debug: msg=x
    - name: fail ignored
      command: /bin/false
      ignore_errors: true
    - name: "fail ignored in a loop {{ item }}"
      command: /bin/false
      loop: [1, 2]
      ignore_errors: true
    - name: failed_when ignored
      debug: msg=x
      failed_when: true
      ignore_errors: true
    - block:
        - name: "fails {{ pkg | upper }}"
          command: /bin/false
      rescue:
        - debug: msg=rescued
    - include_tasks: inc.yml
    - include_tasks: inc.yml
      loop: [1, 2]
    - include_tasks: inc.yml
      when: false
    - include_tasks: "{{ item.f }}"
      loop: [{f: inc.yml, n: labelled}]
      loop_control: {label: "{{ item.n }}"}
    - name: per host
      include_tasks: "inc-{{ colour }}.yml"
    - name: "filter {{ [1, 2] | join(',') }} {{ pkg }}"
      debug: msg=y
      when: colour == 'red'
  handlers:
    - name: "restart {{ pkg }}"
      debug: msg=handler
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-names-'));
  mkdirSync(join(dir, 'roles/web/tasks'), { recursive: true });
  writeFileSync(join(dir, 'roles/web/tasks/main.yml'), '- name: "role task {{ pkg }}"\n  debug: msg=role\n- include_tasks: more.yml\n');
  writeFileSync(join(dir, 'roles/web/tasks/more.yml'), '- debug: msg=more\n');
  for (const c of ['red', 'blue']) writeFileSync(join(dir, `inc-${c}.yml`), `- name: "${c} {{ pkg }}"\n  debug: msg=${c}\n`);
  writeFileSync(join(dir, 'inc.yml'), '- name: "inside {{ pkg }}"\n  debug: msg=inc\n');
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  const host = (n: string, colour: string) =>
    `${n} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 colour=${colour} runbook_lock_file=${join(dir, n + '.lock')}`;
  writeFileSync(join(dir, 'hosts.ini'), [host('local1', 'red'), host('local2', 'blue'), ''].join('\n'));
});

/**
 * TASK / RUNNING HANDLER banners (include_role's own too: test/e2e/compat/include-role.test.ts),
 * `included:` lines (their hosts sorted: Ansible lists them as their results arrive),
 * `skipping:` lines and the recap lines, as printed.
 */
function shown(out: string): { banners: string[]; included: string[]; skipping: string[]; recap: string[] } {
  const lines = out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  const banners = lines.filter((l) => /^(TASK|RUNNING HANDLER) \[/.test(l)).map((l) => l.replace(/ \*+$/, ''));
  const included = lines
    .filter((l) => l.startsWith('included: '))
    .map((l) =>
      l.replace(/ for ([^=]+?)( => |$)/, (_m, hosts: string, tail: string) => ` for ${hosts.split(', ').sort().join(', ')}${tail}`),
    );
  const skipping = lines.filter((l) => l.startsWith('skipping: '));
  const at = lines.findIndex((l) => l.startsWith('PLAY RECAP'));
  const recap = lines.slice(at + 1).filter((l) => /^local\d +: ok=/.test(l));
  return {
    banners: perHostSorted(banners, /^TASK \[(red|blue) /),
    included: perHostSorted(included, /inc-(red|blue)\.yml/),
    skipping,
    recap,
  };
}

/**
 * The per-host include (`inc-{{ colour }}.yml`) brings two files in, one per host. Ansible runs and
 * announces them in the order the hosts' results arrived (two forks: either order, seen both ways
 * under load); runbook in inventory order, one of Ansible's two. The adjacent lines are compared
 * as a set.
 */
function perHostSorted(lines: string[], pattern: RegExp): string[] {
  const out = [...lines];
  const at = out.findIndex((l) => pattern.test(l));
  if (at >= 0) {
    let end = at;
    while (end < out.length && pattern.test(out[end]!)) end++;
    out.splice(at, end - at, ...out.slice(at, end).sort());
  }
  return out;
}

describe('task names and recap, side by side with ansible-playbook 2.14', () => {
  it('prints the same banners and the same recap', async () => {
    const { ansible: stdout, runbook } = await plainOutputs(dir, 'site.yml', 'hosts.ini');
    const a = shown(stdout);
    const r = shown(runbook);
    expect(r.banners).toEqual(a.banners);
    expect(r.banners).toContain('TASK [include_tasks]');
    expect(r.banners).toContain('TASK [web : include_tasks]');
    expect(r.banners).toContain('TASK [per host]'); // the skipped one: banner and skipping lines
    expect(r.skipping).toEqual(a.skipping);
    expect(r.included).toEqual(a.included);
    expect(r.included).toEqual([
      `included: ${dir}/roles/web/tasks/more.yml for local1, local2`,
      `included: ${dir}/inc.yml for local1, local2`,
      `included: ${dir}/inc.yml for local1, local2 => (item=1)`,
      `included: ${dir}/inc.yml for local1, local2 => (item=2)`,
      `included: ${dir}/inc.yml for local1, local2 => (item=labelled)`,
      `included: ${dir}/inc-blue.yml for local2`,
      `included: ${dir}/inc-red.yml for local1`,
    ]);
    expect(r.banners).toContain('TASK [Install nginx]');
    expect(r.banners).toContain('TASK [Loop {{ item }}]');
    expect(r.banners).toContain('RUNNING HANDLER [restart nginx]');
    expect(r.recap).toEqual(a.recap);
    expect(a.recap.length).toBe(2);
  });
});
