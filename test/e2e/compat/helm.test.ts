// kubernetes.core's helm modules through Ansible's module code, side by side with
// ansible-playbook 2.14 (local connection): their action plugin passes the arguments on
// unchanged (but for `template` and, on a local connection, relative kubeconfig/src), so the
// module run by runbook must register what Ansible registers. A stand-in `helm` (a shell script
// that logs its arguments and answers `repo list` from a file) plays the binary, in check mode
// and for real. A relative kubeconfig on a local connection is refused, naming why.
// Needs ansible-core with the kubernetes.core collection (Debian `ansible`).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';
import { runCli } from '../../helpers/cli.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-helm-'));
  // `helm repo list` prints the repos added so far (YAML), `helm repo add NAME URL` adds one
  writeFileSync(
    join(dir, 'helm'),
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "repo list") if [ -s "${dir}/repos" ]; then cat "${dir}/repos"; else echo "Error: no repositories to show" >&2; exit 1; fi;;
  "repo add") printf -- '- name: %s\\n  url: %s\\n' "$3" "$4" >> "${dir}/repos"; echo "\\"$3\\" has been added";;
esac
`,
  );
  chmodSync(join(dir, 'helm'), 0o755);
  writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  writeFileSync(
    join(dir, 'pb.yml'),
    `- hosts: localhost
  gather_facts: false
  tasks:
    - kubernetes.core.helm_repository:
        name: stable
        repo_url: https://charts.example.invalid/stable
        binary_path: "${dir}/helm"
      register: r
    - debug: { msg: "{{ r.changed }}|{{ r.failed }}|{{ r.command | default('-') }}|{{ r.repo_name | default('-') }}" }
    - kubernetes.core.helm_repository:
        name: stable
        repo_url: https://charts.example.invalid/stable
        binary_path: "${dir}/helm"
      register: r2
    - debug: { msg: "{{ r2.changed }}|{{ r2.failed }}" }
    - kubernetes.core.helm:
        name: x
        chart_ref: stable/x
        release_namespace: default
        binary_path: /nonexistent/helm
      register: h
      ignore_errors: true
    - debug: { msg: "{{ h.failed }}|{{ h.msg }}" }
`,
  );
  return dir;
}

const reset = (dir: string): void => rmSync(join(dir, 'repos'), { force: true });

describe('kubernetes.core helm modules: the same as ansible-playbook 2.14', () => {
  it('check mode and a real run register the same, and the binary sees the same calls', async () => {
    const dir = project();
    const calls = (): string => readFileSync(join(dir, 'calls'), 'utf8');
    for (const extra of [['--check'], []]) {
      reset(dir);
      writeFileSync(join(dir, 'calls'), '');
      const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', extra);
      const ansibleCalls = calls();
      reset(dir);
      writeFileSync(join(dir, 'calls'), '');
      const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', extra);
      expect(got).toEqual(want);
      expect(calls()).toBe(ansibleCalls);
      // check mode adds nothing: the second task is changed again; for real, it is not
      expect(want[3]).toBe(extra.length ? 'True|False' : 'False|False');
    }
    expect(calls()).toContain('repo add stable https://charts.example.invalid/stable');
  });

  it('validate accepts helm, and a relative kubeconfig on a local connection is refused saying why', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'rel.yml'),
      `- hosts: localhost
  gather_facts: false
  tasks:
    - kubernetes.core.helm_repository: { name: stable, repo_url: "https://x.invalid", binary_path: "${dir}/helm", kubeconfig: admin.conf }
`,
    );
    const v = await runCli(['validate', 'pb.yml'], { cwd: dir });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const r = await runCli(['apply', 'rel.yml', '-i', 'inv.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/l`], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(
      "kubernetes.core.helm_repository: kubeconfig: 'admin.conf' is relative: on a local connection kubernetes.core's action plugin looks it up under files/ on the controller",
    );
  });
});
