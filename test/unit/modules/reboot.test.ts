// reboot: accepted so playbooks with one validate and plan; never reboots. On a local
// connection it refuses as Ansible's action does (this machine is the controller); validate
// warns at the task.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { runPlaybookText, localHosts } from '../../helpers/run-playbook.js';

describe('reboot', () => {
  it('validate accepts it with a warning at the task', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-reboot-'));
    writeFileSync(
      join(dir, 'site.yml'),
      '- hosts: all\n  handlers:\n    - name: reboot\n      ansible.builtin.reboot: { reboot_timeout: 300 }\n  tasks: []\n',
    );
    const r = loadPlaybook('site.yml', moduleCatalog(), dir);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = r.diagnostics.find((d) => d.severity === 'warning');
    expect(w?.message).toMatch(/^reboot: runbook does not reboot hosts; --check predicts it/);
    expect(w?.pos.line).toBe(4);
  });
  it("on a local connection: Ansible's refusal, in check mode too", async () => {
    for (const check of [true, false]) {
      const r = await runPlaybookText(
        '- hosts: h1\n  tasks:\n    - reboot:\n      register: out\n      ignore_errors: true\n    - debug: { msg: "{{ out.msg }} {{ out.rebooted }}" }\n',
        localHosts(1),
        { check },
      );
      expect(r.debug('h1')).toEqual(['Running reboot with local connection would reboot the control node. False']);
    }
  });
});

describe('a module whose Ansible action plugin runbook cannot run, under a when', () => {
  it('validate warns naming the when; a host that reaches it fails with the reason (the module is never run without its plugin)', async () => {
    const pb =
      '- hosts: h1\n  tasks:\n    - script: /bin/true\n      when: go | bool\n      register: out\n      ignore_errors: true\n    - debug: { msg: "{{ out.msg }}" }\n';
    const dir = mkdtempSync(join(tmpdir(), 'rb-action-'));
    writeFileSync(join(dir, 'site.yml'), pb);
    const d = loadPlaybook('site.yml', moduleCatalog(), dir).diagnostics;
    if (d.some((x) => /install ansible-core/.test(x.message))) return; // no ansible-core here: the guarded not-built-in path (tested elsewhere)
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    expect(d.find((x) => x.severity === 'warning')?.message).toMatch(
      /module 'script': it needs Ansible's controller-side action plugin.*runs only when 'go \| bool'/,
    );
    const r = await runPlaybookText(pb, localHosts(1, { h1: { go: true } }));
    expect(r.debug('h1')[0]).toMatch(/^module 'script': it needs Ansible's controller-side action plugin/);
  });
});
