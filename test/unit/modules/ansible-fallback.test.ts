// Modules runbook does not build in: the one verdict (moduleVerdict) with and without
// ansible-core, validation of what ansible-core finds, and reading a module's answer as
// Ansible reads it. ansible-core (Debian `ansible`, with its collections) is installed by
// scripts/install-deps.sh; the runs over real sshd are in test/e2e/apply/ansible-fallback.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog, moduleVerdict } from '../../../src/modules/catalog.js';
import { forgetAnsibleCore } from '../../../src/modules/ansible/controller.js';
import { controllerSideArgs, internalArgs } from '../../../src/modules/ansible/module.js';
import { jsonOf, moduleResult } from '../../../src/modules/ansible/result.js';

const MYMOD = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
AnsibleModule(argument_spec=dict(word=dict(type='str'))).exit_json(changed=False)
`;

function diagnose(tasks: string): string[] {
  const d = mkdtempSync(join(tmpdir(), 'rb-fallback-'));
  mkdirSync(join(d, 'library'));
  writeFileSync(join(d, 'library', 'mymod.py'), MYMOD);
  writeFileSync(join(d, 'pb.yml'), `- hosts: all\n  tasks:\n${tasks}`);
  return loadPlaybook(join(d, 'pb.yml'), moduleCatalog(), d).diagnostics.map((x) => `${x.pos.line}:${x.pos.col}: ${x.message}`);
}

afterEach(() => {
  delete process.env['RUNBOOK_ANSIBLE_PYTHON'];
  forgetAnsibleCore();
});

describe('without ansible-core', () => {
  it('says a known Ansible module (or a library/ module) is not built in and what to install', () => {
    process.env['RUNBOOK_ANSIBLE_PYTHON'] = 'none';
    forgetAnsibleCore();
    expect(diagnose('    - sysctl: name=vm.swappiness value=5\n')).toEqual([
      "3:7: module 'sysctl' is not built in; install ansible-core to run it through Ansible's module code",
    ]);
    expect(diagnose('    - mymod: word=hi\n')).toEqual([
      "3:7: module 'mymod' is not built in; install ansible-core to run it through Ansible's module code",
    ]);
    expect(diagnose('    - comand: ls\n')).toEqual(["3:7: unknown module 'comand' (did you mean 'command'?)"]);
    expect(moduleVerdict('command', [])).toEqual({ kind: 'builtin', module: 'command' });
  });
});

describe('with ansible-core', () => {
  it('accepts what ansible-core finds: builtin routing, collections, the playbook library/', () => {
    expect(moduleVerdict('sysctl', [])).toEqual({ kind: 'ansible', module: 'sysctl' });
    expect(
      diagnose(
        '    - sysctl: name=vm.swappiness value=5\n    - community.general.ini_file: {path: /tmp/x, section: s}\n    - mymod: word=hi\n    - ansible.builtin.getent: database=passwd\n',
      ),
    ).toEqual([]);
  });

  it('refuses what it does not find, as an unknown module, in one message', () => {
    expect(diagnose('    - comand: ls\n')).toEqual(["3:7: unknown module 'comand' (did you mean 'command'?)"]);
    expect(diagnose('    - sysctll: name=x\n')).toEqual(["3:7: unknown module 'sysctll'"]);
    expect(diagnose('    - command: ls\n      registr: out\n')).toEqual(["4:7: unknown task keyword 'registr' (did you mean 'register'?)"]);
  });

  it('refuses a module that needs its controller-side action plugin, and a free form the module does not take', () => {
    expect(diagnose('    - community.general.shutdown: {delay: 5}\n')).toEqual([
      "3:7: module 'community.general.shutdown': it needs Ansible's controller-side action plugin (community.general.shutdown), which runbook does not run",
    ]);
    // synchronize's action plugin is built in (modules/builtin/synchronize/)
    expect(diagnose('    - ansible.posix.synchronize: {src: a, dest: b}\n')).toEqual([]);
    // ... and every argument of ansible.posix's declared: an unknown one is an unknown argument, as for etcd_*
    // (there is no ansible.builtin module of that name to fall back to)
    expect(diagnose('    - synchronize: {src: a, dest: b, bogus: 1}\n')[0]).toMatch(
      /^3:38: module 'synchronize': unknown argument 'bogus' \(arguments: src, dest, mode,/,
    );
    expect(diagnose('    - etcd_status: {name: a, client_url: "http://x:2379", bogus: 1}\n')).toEqual([
      "3:59: module 'etcd_status': unknown argument 'bogus' (arguments: name, client_url, server_cert, etcdctl_path, etcdutl_path, cacert, cert, key)",
    ]);
    // kubernetes.core's action plugin passes its arguments on: the module runs (controllerSideArgs refuses the rest)
    expect(diagnose('    - kubernetes.core.helm_repository: {name: a, repo_url: "https://x.invalid"}\n')).toEqual([]);
    expect(diagnose('    - sysctl: echo hi\n')[0]).toMatch(/^3:15: module 'sysctl' does not take a free-form argument: 'echo hi'/);
  });
});

describe("a module's answer", () => {
  const args = { path: '/etc/x.ini' };
  it('is the JSON among its output lines, as Ansible filters it', () => {
    expect(jsonOf('noise\n{"changed": true}\nmore noise')).toEqual({ changed: true });
    expect(jsonOf('no json here')).toBeUndefined();
  });

  it('maps changed/failed/skipped, rc without failed, and drops _ansible_ keys', () => {
    const r = moduleResult(
      'ini_file',
      { rc: 0, stdout: '{"changed": true, "msg": "option added", "path": "/etc/x.ini", "_ansible_no_log": false}', stderr: '' },
      args,
    );
    expect(r).toMatchObject({ status: 'changed', msg: 'option added', data: { path: '/etc/x.ini' } });
    expect(r.data).not.toHaveProperty('_ansible_no_log');
    expect(moduleResult('m', { rc: 0, stdout: '{"rc": 2, "stdout": "x"}', stderr: '' }, {}).status).toBe('failed');
    expect(moduleResult('m', { rc: 0, stdout: '{"rc": 2, "failed": false}', stderr: '' }, {}).status).toBe('ok');
    expect(
      moduleResult('m', { rc: 0, stdout: '{"skipped": true, "msg": "remote module (m) does not support check mode"}', stderr: '' }, {}),
    ).toMatchObject({ status: 'skipped', msg: 'remote module (m) does not support check mode' });
  });

  it('is a MODULE FAILURE with its output when it printed no JSON; rc 127 names the interpreter', () => {
    expect(moduleResult('m', { rc: 1, stdout: 'Traceback...', stderr: 'boom' }, {})).toMatchObject({
      status: 'failed',
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
      data: { module_stdout: 'Traceback...', module_stderr: 'boom' },
    });
    expect(moduleResult('m', { rc: 127, stdout: '', stderr: 'sh: 1: /usr/bin/python9: not found' }, {}).msg).toMatch(/set the interpreter/);
  });

  it('shows its diff as file diffs and registers it as the module returned it', () => {
    const raw = { before: 'a\n', after: 'b\n', before_header: '/etc/x.ini (content)' };
    const r = moduleResult('ini_file', { rc: 0, stdout: JSON.stringify({ changed: true, diff: raw }), stderr: '' }, args);
    expect(r.diff).toEqual([{ path: '/etc/x.ini (content)', before: 'a\n', after: 'b\n' }]);
    expect(r.data?.['diff']).toEqual(raw);
    const dict = moduleResult(
      'm',
      { rc: 0, stdout: JSON.stringify({ changed: true, diff: { before: { b: 1, a: 2 }, after: {} } }), stderr: '' },
      args,
    );
    expect(dict.diff?.[0]?.before).toBe('{\n    "a": 2,\n    "b": 1\n}\n');
  });

  it("gets Ansible's internal arguments: check mode and diff as the task has them", () => {
    const a = internalArgs({ python: 'python3', version: '2.14.18' }, 'sysctl', { checkMode: true, diffMode: false });
    expect(a).toMatchObject({
      _ansible_check_mode: true,
      _ansible_diff: false,
      _ansible_version: '2.14.18',
      _ansible_module_name: 'sysctl',
      _ansible_remote_tmp: '~/.ansible/tmp',
    });
  });
});

describe("kubernetes.core's action plugin: the arguments it handles on the controller", () => {
  it('refuses template everywhere and relative kubeconfig/src only on a local connection', () => {
    expect(controllerSideArgs('kubernetes.core.helm', { name: 'x', kubeconfig: '/etc/k.conf' }, 'local')).toBeUndefined();
    expect(controllerSideArgs('kubernetes.core.helm', { name: 'x', kubeconfig: 'k.conf' }, 'ssh')).toBeUndefined();
    expect(controllerSideArgs('helm_repository', { name: 'x', kubeconfig: '/a:b.conf' }, 'local')).toMatch(
      /^helm_repository: kubeconfig: '\/a:b.conf' is relative/,
    );
    expect(controllerSideArgs('kubernetes.core.k8s', { template: 'x.j2' }, 'ssh')).toMatch(/template: is rendered on the controller/);
    expect(controllerSideArgs('kubernetes.core.k8s', { src: 'https://example.invalid/m.yml' }, 'local')).toBeUndefined();
    expect(controllerSideArgs('kubernetes.core.k8s', { src: 'm.yml' }, 'local')).toMatch(/src: 'm.yml' is relative/);
    expect(controllerSideArgs('kubernetes.core.k8s_cp', { local_path: 'f', state: 'from_pod' }, 'local')).toBeUndefined();
    expect(controllerSideArgs('community.general.helmish', { template: 'x' }, 'ssh')).toBeUndefined();
  });
});
