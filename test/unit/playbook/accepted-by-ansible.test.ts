// What ansible-playbook 2.14 --syntax-check accepts and validate refused before issue 18
// (each checked with ansible-playbook; test/e2e/compat runs them side by side).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { forgetAnsibleCore } from '../../../src/modules/ansible/controller.js';
import { applySymbolicMode } from '../../../src/modules/support/mode.js';

function load(map: Record<string, string>): string[] {
  const d = mkdtempSync(join(tmpdir(), 'rb-accept-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d)
    .diagnostics.filter((x) => x.severity === 'error')
    .map((x) => `${x.pos.line}:${x.pos.col}: ${x.message}`);
}

const play = (tasks: string, extra = ''): string => `- hosts: all\n${extra}  tasks:\n${tasks}`;

describe('accepted as by Ansible 2.14', () => {
  it.each([
    [
      'notify on a block',
      play('    - block:\n        - command: /bin/true\n      notify: h\n', '  handlers:\n    - name: h\n      debug: msg=h\n'),
    ],
    [
      'a block in handlers',
      '- hosts: all\n  tasks:\n    - command: /bin/true\n      notify: h\n  handlers:\n    - block:\n        - name: h\n          debug: msg=h\n',
    ],
    [
      'with_first_found on include_tasks',
      play('    - include_tasks: "{{ item }}"\n      with_first_found:\n        - files: [a.yml, b.yml]\n'),
    ],
    ['play-level user', play('    - debug: msg=x\n', '  user: root\n')],
    ['collections', play('    - debug: msg=x\n      collections: [community.general]\n', '  collections: [community.general]\n')],
    ['throttle', play('    - command: /bin/true\n      throttle: 1\n')],
    ['delegate_facts', play('    - setup:\n      delegate_to: other\n      delegate_facts: true\n')],
    [
      'async and poll, async_status',
      play('    - command: sleep 1\n      async: 10\n      poll: 0\n      register: j\n    - async_status: jid={{ j.ansible_job_id }}\n'),
    ],
    [
      'symbolic file modes',
      play("    - file: path=/x mode=u=rw,g=r,o=\n    - file: path=/x mode=a-s\n    - file: { path: /x, mode: 'u+rwX,g+rwX,o=rX' }\n"),
    ],
    ['service daemon_reload without a name', play('    - service: daemon_reload=true\n')],
    // geerlingguy.varnish's handler: an alias with a hyphen, written key=value
    ['systemd: daemon-reload=true', play('    - systemd: daemon-reload=true\n    - systemd: { name: x, daemon-reload: true }\n')],
    // robertdebock.rsyslog's handler: a block with rescue (2.14 runs its block: tasks, never its rescue)
    [
      'a handler block with rescue',
      '- hosts: all\n  tasks:\n    - command: /bin/true\n      notify: h\n  handlers:\n    - block:\n        - name: h\n          debug: msg=h\n      rescue:\n        - debug: msg=r\n',
    ],
    ['a TAB starting a continuation line in a double-quoted scalar', play('    - debug:\n        msg: "a long\n\tcontinued line"\n')],
    ['tasks: *alias', '- hosts: all\n  vars:\n    t: &t\n      - debug: msg=x\n  tasks: *t\n'],
  ])('%s', (_name, text) => {
    expect(load({ 'site.yml': text, 'b.yml': '- debug: msg=b\n' })).toEqual([]);
  });

  it('a task file including itself from rescue is not a cycle; import_tasks of itself is', () => {
    const retry = '- block:\n    - fail: msg=x\n  rescue:\n    - include_tasks: retry.yml\n';
    expect(load({ 'site.yml': play('    - include_tasks: retry.yml\n'), 'retry.yml': retry })).toEqual([]);
    expect(load({ 'site.yml': play('    - import_tasks: loop.yml\n'), 'loop.yml': '- import_tasks: loop.yml\n' })[0]).toMatch(
      /includes itself/,
    );
  });

  it('an unsupported module in a branch a host may never reach is a warning naming the when (it fails only when reached)', () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-accept-'));
    writeFileSync(
      join(d, 'site.yml'),
      play('    - include_tasks: redhat.yml\n      when: ansible_os_family == "RedHat"\n    - yum: name=x\n'),
    );
    writeFileSync(join(d, 'redhat.yml'), '- yum: name=httpd\n');
    // without ansible-core on the controller yum cannot run at all (with it, it runs through Ansible's module code)
    const saved = process.env['RUNBOOK_ANSIBLE_PYTHON'];
    process.env['RUNBOOK_ANSIBLE_PYTHON'] = 'none';
    forgetAnsibleCore();
    try {
      const diags = loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics;
      expect(diags.filter((x) => x.severity === 'warning').map((x) => `${x.pos.file}:${x.pos.line}`)).toEqual(['redhat.yml:1']);
      expect(diags.find((x) => x.severity === 'warning')!.message).toMatch(
        /module 'yum' is not built in.*runs only when 'ansible_os_family == "RedHat"'/,
      );
      expect(diags.filter((x) => x.severity === 'error').map((x) => x.pos.line)).toEqual([5]); // the unguarded one
    } finally {
      if (saved === undefined) delete process.env['RUNBOOK_ANSIBLE_PYTHON'];
      else process.env['RUNBOOK_ANSIBLE_PYTHON'] = saved;
      forgetAnsibleCore();
    }
  });

  it("an ansible.builtin module of ansible-core 2.15 (deb822_repository): a warning in a file an include brings (geerlingguy.docker), an error in an imported one (geerlingguy.nodejs), as 2.14's syntax-check", () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-accept-'));
    writeFileSync(
      join(d, 'repo.yml'),
      '- ansible.builtin.deb822_repository: { name: docker, types: deb, uris: "https://x", suites: bookworm, components: stable }\n',
    );
    writeFileSync(join(d, 'site.yml'), play('    - include_tasks: repo.yml\n'));
    writeFileSync(join(d, 'static.yml'), play('    - import_tasks: repo.yml\n'));
    const diags = loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics;
    if (diags.some((x) => /install ansible-core/.test(x.message))) return; // no ansible-core here: refused as any module not built in
    expect(diags.filter((x) => x.severity === 'error')).toEqual([]);
    expect(diags.find((x) => x.severity === 'warning')?.message).toMatch(
      /is ansible-core 2\.15's and the ansible-core installed here does not have it: the include that brings this file fails when it runs/,
    );
    const stat = loadPlaybook(join(d, 'static.yml'), moduleCatalog(), d).diagnostics.filter((x) => x.severity === 'error');
    expect(stat.map((x) => x.message)).toEqual([expect.stringMatching(/is ansible-core 2\.15's .*couldn't resolve module\/action/)]);
  });

  it('a module of a collection not installed: a warning inside what an include brings (Ansible reads it when it runs), an error in a play', () => {
    const files = { 'roles/db/tasks/main.yml': '- acme.mysql.mysql_user: { name: x }\n' };
    const d = mkdtempSync(join(tmpdir(), 'rb-accept-'));
    for (const [name, text] of Object.entries({
      ...files,
      'site.yml': play('    - include_role: { name: db }\n'),
      'static.yml': play('    - acme.mysql.mysql_user: { name: x }\n'),
    })) {
      mkdirSync(dirname(join(d, name)), { recursive: true });
      writeFileSync(join(d, name), text);
    }
    const dyn = loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics;
    expect(dyn.filter((x) => x.severity === 'error')).toEqual([]);
    expect(dyn.find((x) => x.severity === 'warning')?.message).toMatch(
      /module 'acme.mysql.mysql_user' is not found \(is the collection 'acme.mysql' installed\?\).*a host that reaches this task fails/,
    );
    const stat = loadPlaybook(join(d, 'static.yml'), moduleCatalog(), d).diagnostics;
    expect(stat.filter((x) => x.severity === 'error').length).toBe(1);
  });

  it('a with_<lookup> not built in is named as an unsupported loop, not an unknown module (with_flattened is built in)', () => {
    expect(load({ 'site.yml': play('    - debug: msg={{ item }}\n      with_flattened: [[1]]\n') })).toEqual([]);
    expect(load({ 'site.yml': play('    - debug: msg={{ item }}\n      with_cartesian: [[1]]\n') })[0]).toMatch(
      /loop 'with_cartesian' is not supported/,
    );
  });
});

describe('symbolic modes as Ansible computes them', () => {
  // each value is what ansible-playbook 2.14 left on a real file (test/e2e/compat too)
  it.each([
    [0o755, 'u=rw,g=r,o=', false, 0o640],
    [0o6755, 'a-s', false, 0o755],
    [0o777, 'og-rwx', false, 0o700],
    [0o644, 'u+rwX,g+rwX,o=rX', false, 0o664],
    [0o754, 'u+rwX,g+rwX,o=rX', false, 0o775],
    [0o644, 'u+rwX,g+rwX,o=rX', true, 0o775],
    [0o600, 'go=u-w', false, 0o644],
    [0o600, '+x', false, 0o711],
  ])('%o with %s (directory: %s) is %o', (from, spec, dir, want) => {
    expect(applySymbolicMode(from, spec, dir)).toBe(want);
  });
  it('refuses a bad one', () => {
    expect(() => applySymbolicMode(0o644, 'q+r', false)).toThrow(/bad symbolic permission/);
  });
});
