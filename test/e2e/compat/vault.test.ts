// ansible-vault side by side with ansible-playbook 2.14 (local connection): files encrypted by the
// real ansible-vault — a whole group_vars file, a vars_files file, an include_vars file, an inline
// `!vault` value in host_vars and in a play's vars (1.2 with a vault id), a copy src (binary) and a
// template src — read with
// --vault-password-file, --vault-id LABEL@FILE, an executable password script and
// ANSIBLE_VAULT_PASSWORD_FILE give the same values; a wrong password is refused in one line before
// anything runs. Needs ansible-core (ansible-vault).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessagesByHost, runbookMessagesByHost } from './side-by-side.js';

let dir: string;
const encrypt = (file: string, ...id: string[]) =>
  execFileSync('ansible-vault', ['encrypt', ...(id.length ? id : ['--vault-password-file', 'pw']), file], { cwd: dir, stdio: 'pipe' });
const inline = (value: string, name: string, ...id: string[]) =>
  execFileSync('ansible-vault', ['encrypt_string', ...(id.length ? id : ['--vault-password-file', 'pw']), value, '--name', name], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-vault-'));
  writeFileSync(join(dir, 'pw'), 'first secret\n');
  writeFileSync(join(dir, 'pw-prod'), 'second secret\n');
  writeFileSync(join(dir, 'pw-script'), '#!/bin/sh\necho "first secret"\n');
  chmodSync(join(dir, 'pw-script'), 0o755);
  writeFileSync(join(dir, 'wrong'), 'not it\n');
  mkdirSync(join(dir, 'group_vars'));
  mkdirSync(join(dir, 'host_vars'));
  writeFileSync(join(dir, 'group_vars/all.yml'), 'from_group: "group value"\nnested: {user: admin, port: 5432}\n');
  encrypt('group_vars/all.yml');
  writeFileSync(join(dir, 'host_vars/vault1.yml'), inline('host: value with spaces', 'from_host'));
  writeFileSync(join(dir, 'files.yml'), 'from_vars_files: [1, two]\n');
  encrypt('files.yml');
  writeFileSync(join(dir, 'inc.yml'), 'from_include_vars: included\n');
  encrypt('inc.yml');
  const play = inline('prod value', 'from_play', '--vault-id', 'prod@pw-prod')
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  writeFileSync(
    join(dir, 'site.yml'),
    `- hosts: all
  gather_facts: false
  vars_files: [files.yml]
  vars:
${play}
  tasks:
    - include_vars: inc.yml
    - debug: msg="{{ from_group }} {{ nested.user }}:{{ nested.port + 1 }}"
    - debug: msg="{{ from_host }}"
    - debug: msg="{{ from_vars_files }} {{ from_include_vars }} {{ from_play }}"
    - copy: {src: secret.bin, dest: "{{ out }}/copied.bin", mode: "0600"}
    - template: {src: secret.j2, dest: "{{ out }}/templated.txt", mode: "0600"}
    - slurp: {src: "{{ out }}/copied.bin"}
      register: c
    - debug: msg="{{ c.content }} {{ lookup('file', out + '/templated.txt') }}"
`,
  );
  writeFileSync(join(dir, 'secret.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 10]));
  encrypt('secret.bin');
  writeFileSync(join(dir, 'secret.j2'), 'templated {{ from_group }}\n');
  encrypt('secret.j2');
  writeFileSync(
    join(dir, 'hosts.ini'),
    `vault1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, 'v.lock')}\n`,
  );
});

describe('ansible-vault, side by side with ansible-playbook 2.14', () => {
  it.each([
    [['--vault-password-file', 'pw', '--vault-id', 'prod@pw-prod'], {}],
    [['--vault-id', 'pw-script', '--vault-id', 'prod@pw-prod'], {}],
    [['--vault-id', 'prod@pw-prod'], { ANSIBLE_VAULT_PASSWORD_FILE: 'pw' }],
  ])('%j %j', async (extra, env) => {
    const out = (engine: string) => ['-e', `out=${mkdtempSync(join(dir, engine))}`];
    const a = await ansibleMessagesByHost(dir, 'site.yml', 'hosts.ini', [...extra, ...out('ansible')], { env });
    expect(a['vault1']!.slice(1, 4)).toEqual(['group value admin:5433', 'host: value with spaces', "[1, 'two'] included prod value"]);
    expect(a['vault1']!.at(-1)).toBe(`${Buffer.from([0, 1, 2, 0xff, 0xfe, 10]).toString('base64')} templated group value`);
    expect(await runbookMessagesByHost(dir, 'site.yml', 'hosts.ini', [...extra, ...out('runbook')], { env })).toEqual(a);
  });

  it('reads an inventory file encrypted with ansible-vault', async () => {
    writeFileSync(
      join(dir, 'enc-hosts.yml'),
      `all:\n  hosts:\n    venc: {ansible_connection: local, runbook_lock_file: ${join(dir, 'e.lock')}}\n`,
    );
    encrypt('enc-hosts.yml');
    writeFileSync(join(dir, 'plain.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="{{ inventory_hostname }}"\n');
    const r = await runCli(['apply', 'plain.yml', '-i', 'enc-hosts.yml', '--yes', '-o', 'plain', '--vault-password-file', 'pw'], {
      cwd: dir,
    });
    expect(r.stdout).toMatch(/venc +: ok=1/);
  });

  it('refuses a wrong password in one line, before anything runs', async () => {
    const r = await runCli(['apply', 'site.yml', '-i', 'hosts.ini', '--yes', '--vault-password-file', 'wrong'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^site\.yml:5:\d+: ansible-vault: Decryption failed/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).not.toContain('TASK [');
  });
});
