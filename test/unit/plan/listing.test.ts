// --list-hosts / --list-tasks / --list-tags as ansible-playbook 2.14 prints them (its output for
// this playbook, captured from ansible-playbook 2.14.18 side by side, is the expectation).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { listPlaybook } from '../../../src/plan/listing.js';
import { playHead, PlayHeadError } from '../../../src/plan/targets.js';

const PB = `- name: First play
  hosts: all
  gather_facts: false
  tags: [p1]
  tasks:
    - name: one
      command: whoami
      tags: [a, b]
    - command: id
    - block:
        - name: in block
          debug: msg=x
      tags: blk
    - include_tasks: foo.yml
    - import_tasks: imp.yml
- hosts: local1
  roles: [r1]
  tasks:
    - debug: msg=y
`;

describe('ansible-playbook listings', () => {
  it('lists hosts, tasks and tags as 2.14 does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-list-'));
    mkdirSync(join(dir, 'roles/r1/tasks'), { recursive: true });
    writeFileSync(join(dir, 'roles/r1/tasks/main.yml'), '- name: role task\n  debug: msg=r\n');
    writeFileSync(join(dir, 'imp.yml'), '- name: imported\n  debug: msg=i\n  tags: [imp]\n');
    writeFileSync(join(dir, 'foo.yml'), '- debug: msg=foo\n');
    writeFileSync(join(dir, 'lt.yml'), PB);
    writeFileSync(join(dir, 'inv'), 'localhost ansible_connection=local\n');
    const pb = loadPlaybook(join(dir, 'lt.yml'), moduleCatalog(), dir, { rolesPath: [] }).playbook!;
    const inv = await loadInventory(join(dir, 'inv'), { cwd: dir, playbookDir: dir });
    expect(listPlaybook(pb, inv, new Set(['hosts']), { extraVars: {} }, 'lt.yml')).toBe(
      "\nplaybook: lt.yml\n\n  play #1 (all): First play\tTAGS: [p1]\n    pattern: ['all']\n    hosts (1):\n      localhost\n\n  play #2 (local1): local1\tTAGS: []\n    pattern: ['local1']\n    hosts (0):\n",
    );
    expect(listPlaybook(pb, inv, new Set(['tasks']), { extraVars: {} }, 'lt.yml')).toBe(
      '\nplaybook: lt.yml\n\n  play #1 (all): First play\tTAGS: [p1]\n    tasks:\n      one\tTAGS: [a, b, p1]\n      command\tTAGS: [p1]\n      in block\tTAGS: [blk, p1]\n      include_tasks\tTAGS: [p1]\n      imported\tTAGS: [imp, p1]\n\n  play #2 (local1): local1\tTAGS: []\n    tasks:\n      r1 : role task\tTAGS: []\n      debug\tTAGS: []\n',
    );
    expect(listPlaybook(pb, inv, new Set(['tags']), { extraVars: {} }, 'lt.yml')).toBe(
      '\nplaybook: lt.yml\n\n  play #1 (all): First play\tTAGS: [p1]\n      TASK TAGS: [a, b, blk, imp, p1]\n\n  play #2 (local1): local1\tTAGS: []\n      TASK TAGS: []\n',
    );
  });
});

describe("a play's hosts and name, templated as Ansible 2.14 does when the play starts", () => {
  it('renders with the play vars and the extra vars (-e wins); an unnamed play takes the rendered pattern; undefined is one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-head-'));
    writeFileSync(
      join(dir, 'pb.yml'),
      '- hosts: "{{ target }}"\n  vars: { target: web, env: prod }\n  tasks: []\n- name: "deploy {{ env }}"\n  hosts: "{{ groups[\'web\'] }}"\n  vars: { env: prod }\n  tasks: []\n',
    );
    writeFileSync(join(dir, 'inv'), '[web]\nw1\nw2\n');
    const pb = loadPlaybook(join(dir, 'pb.yml'), moduleCatalog(), dir, { rolesPath: [] }).playbook!;
    const inv = await loadInventory(join(dir, 'inv'), { cwd: dir, playbookDir: dir });
    expect(playHead(pb.plays[0]!, inv, {})).toEqual({ pattern: 'web', name: 'web' });
    expect(playHead(pb.plays[0]!, inv, { target: 'w2' })).toEqual({ pattern: 'w2', name: 'w2' });
    expect(playHead(pb.plays[1]!, inv, {})).toEqual({ pattern: 'w1,w2', name: 'deploy prod' });
    const bare = { ...pb.plays[0]!, vars: {} };
    expect(() => playHead(bare, inv, {})).toThrow(PlayHeadError);
    expect(() => playHead(bare, inv, {})).toThrow(/^pb\.yml:1:3: the field 'hosts' has an invalid value: 'target' is undefined$/);
  });
});
