// validate looks inside the template files tasks name literally (Ansible finds a bad template
// only when the task runs): a syntax error, an unknown filter or an unsupported lookup is
// reported at the template's FILE:LINE:COL; under a `when` it is a warning (a host may never
// get there), as an unsupported module is.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadPlaybook } from '../../../src/playbook/load.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-tplcheck-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const play = (task: string) => `- hosts: all\n  tasks:\n${task}`;
const diags = (dir: string) => loadPlaybook('site.yml', moduleCatalog(), dir).diagnostics;

describe('template files checked by validate', () => {
  it('a syntax error: the template file, its line and column', () => {
    const dir = project({
      'templates/etcd.conf.j2': 'name: {{ inventory_hostname }}\n{% if x %}\nport: {{ etcd_port }\n{% endif %}\n',
      'site.yml': play('    - template: { src: etcd.conf.j2, dest: /etc/etcd.conf }\n'),
    });
    const errors = diags(dir).filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.pos.file).toMatch(/templates\/etcd\.conf\.j2$/);
    expect(errors[0]!.pos.line).toBe(3);
    expect(errors[0]!.message).toMatch(/template syntax error/);
  });
  it('an unknown filter in a role template, at its line', () => {
    const dir = project({
      'roles/r/templates/a.j2': 'ok\n{{ x | no_such_filter }}\n',
      'roles/r/tasks/main.yml': '- template: src=a.j2 dest=/tmp/a\n',
      'site.yml': '- hosts: all\n  roles: [r]\n',
    });
    const errors = diags(dir).filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.pos.line}:${d.pos.col} ${d.message}`)).toEqual([
      "2:8 template syntax error: no filter named 'no_such_filter'",
    ]);
  });
  it('under a when: a warning naming the condition; a good template: nothing', () => {
    const dir = project({
      'templates/bad.j2': "{{ lookup('redis', 'k') }}\n",
      'templates/good.j2': "{% extends 'base.j2' %}{% block b %}{{ x | default('') }}{% endblock %}\n",
      'site.yml': play(
        "    - template: { src: bad.j2, dest: /tmp/b }\n      when: ansible_os_family == 'RedHat'\n    - template: { src: good.j2, dest: /tmp/g }\n",
      ),
    });
    const d = diags(dir);
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    const w = d.filter((x) => x.severity === 'warning');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/lookup plugin 'redis' is not supported.*runs only when 'ansible_os_family == 'RedHat''/);
  });
});
