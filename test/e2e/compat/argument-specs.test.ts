// A role's meta/argument_specs.yml side by side with ansible-playbook 2.14 (local connection):
// the implicit validation task before the role's tasks (its banner `role : Validating arguments
// against arg spec 'ENTRY' - short_description`), for `main` and a tasks_from entry point, the
// values from the play's vars and the role's params, and its failure message (ansible-core's
// ArgumentSpecValidator's); `rolespec_validate: false` leaves it out. Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-argspec-'));
  const files: Record<string, string> = {
    'roles/web/meta/argument_specs.yml': `argument_specs:
  main:
    short_description: The web role
    options:
      web_port: {type: int, required: true}
      web_mode: {type: str, choices: [a, b], default: a}
  other:
    options:
      web_name: {type: str, required: true}
`,
    'roles/web/tasks/main.yml': '- debug: msg="port {{ web_port }} {{ web_mode | default(\'-\') }}"\n',
    'roles/web/tasks/other.yml': '- debug: msg="other {{ web_name }}"\n',
    // meta/main.yml's argument_specs when there is no argument_specs file
    'roles/db/meta/main.yml': 'argument_specs:\n  main:\n    options:\n      db_size: {type: int}\n',
    'roles/db/tasks/main.yml': '- debug: msg="db {{ db_size }}"\n',
    'hosts.ini': 'local1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'pass.yml': `- hosts: all
  gather_facts: false
  vars: {web_port: "80", db_size: 3}
  roles:
    - role: web
      web_mode: b
    - db
  tasks:
    - include_role: {name: web, tasks_from: other}
      vars: {web_name: x}
    - import_role: {name: web}
`,
    // (not in pass.yml: there Ansible reuses the role it already loaded, with its validation task)
    'novalidate.yml': `- hosts: all
  gather_facts: false
  vars: {web_port: 1}
  tasks:
    - import_role: {name: web, rolespec_validate: false}
    - include_role: {name: web, tasks_from: other, rolespec_validate: no}
`,
    'missing.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_role: {name: web, tasks_from: other}\n',
    'choices.yml': '- hosts: all\n  gather_facts: false\n  vars: {web_port: 8080}\n  roles:\n    - {role: web, web_mode: c}\n',
    'type.yml': '- hosts: all\n  gather_facts: false\n  vars: {db_size: many}\n  roles: [db]\n',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

interface Shown {
  banners: string[];
  results: string[];
  msgs: string[];
  recap: string[];
}

/** Banners (include_role's own empty one left out), result lines' heads, failure messages, recap. */
function shown(out: string, ansible: boolean): Shown {
  const lines = out.split('\n').map((l) => l.trimEnd());
  const banners = lines.filter((l) => l.startsWith('TASK [') && !l.startsWith('TASK [include_role : ')).map((l) => l.replace(/ \*+$/, ''));
  const results = lines
    .filter((l) => /^(ok|fatal|changed|skipping): /.test(l))
    .map((l) => l.replace(/ => .*$/, '').replace(/: FAILED!$/, ''));
  const msgs: string[] = [];
  lines.forEach((l, i) => {
    const m = /^fatal: \[[^\]]+\]: FAILED! => (.*)$/.exec(l);
    if (!m) return;
    if (ansible) msgs.push(String((JSON.parse(m[1]!) as { msg: string }).msg));
    else {
      const more: string[] = [m[1]!];
      for (let j = i + 1; j < lines.length && lines[j] !== '' && !lines[j]!.startsWith('...') && !lines[j]!.startsWith('took '); j++)
        more.push(lines[j]!);
      msgs.push(more.join('\n'));
    }
  });
  const recap = lines.filter((l) => /^local1 +: ok=/.test(l));
  return { banners, results, msgs, recap };
}

async function both(dir: string, pb: string, extra: string[] = []): Promise<{ a: Shown; r: Shown; code: number }> {
  const a = await promisify(execFile)('ansible-playbook', ['-i', 'hosts.ini', pb, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
  }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  const r = await runCli(['apply', pb, '-i', 'hosts.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/l`, ...extra], {
    cwd: dir,
  });
  return { a: shown(a.stdout, true), r: shown(r.stdout, false), code: r.code };
}

describe("a role's argument spec: validated before the role runs, as ansible-playbook 2.14", () => {
  const dir = project();
  it('passes: the same banners, in check mode and for real', async () => {
    for (const extra of [['--check'], []]) {
      const { a, r, code } = await both(dir, 'pass.yml', extra);
      expect(code).toBe(0);
      expect(r).toEqual(a);
      expect(r.banners).toContain("TASK [web : Validating arguments against arg spec 'main' - The web role]");
      expect(r.banners).toContain("TASK [web : Validating arguments against arg spec 'other']");
      expect(r.banners).toContain("TASK [db : Validating arguments against arg spec 'main']");
    }
  });
  it('rolespec_validate: false leaves the validation out', async () => {
    const { a, r, code } = await both(dir, 'novalidate.yml');
    expect(code).not.toBe(0); // web_name is undefined in other.yml: nothing stopped it before
    expect(r.banners).toEqual(a.banners);
    expect(r.banners).toEqual(['TASK [web : debug]', 'TASK [web : debug]']);
  });
  it.each(['missing.yml', 'choices.yml', 'type.yml'])('%s: fails the host before the role runs, with the same message', async (pb) => {
    const { a, r, code } = await both(dir, pb);
    expect(code).not.toBe(0);
    expect(r).toEqual(a);
    expect(r.msgs).toHaveLength(1);
    expect(r.msgs[0]).toMatch(
      /^Validation of arguments failed:\n(missing required arguments: web_name|value of web_mode must be one of: a, b, got: c|argument 'db_size' is of type <class '[\w.]+'> and we were unable to convert to int: .*)$/,
    );
    if (pb === 'type.yml') expect(r.msgs[0]).toContain("<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>");
  });
});
