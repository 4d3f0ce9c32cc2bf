// stat's get_checksum / checksum_algorithm / get_mime / get_attributes side by side with
// ansible-playbook 2.14 (local connection): the same registered values.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const KEYS = ['exists', 'isreg', 'isdir', 'checksum', 'mimetype', 'charset', 'attr_flags', 'attributes', 'mode', 'size'];

describe('stat arguments: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-stat-'));
    writeFileSync(join(dir, 'data.txt'), 'hello\n');
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    const show = `{% for k in ${JSON.stringify(KEYS).replace(/"/g, "'")} %}{{ k }}={{ s.stat[k] | default('-') }};{% endfor %}`;
    const t = (args: string): string => `    - stat: { ${args} }\n      register: s\n    - debug: { msg: "${show}" }\n`;
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: localhost\n  gather_facts: false\n  tasks:\n${[
        `path: "${dir}/data.txt"`,
        `path: "${dir}/data.txt", checksum_algorithm: sha256`,
        `path: "${dir}/data.txt", checksum_algorithm: md5, get_mime: false, get_attributes: false`,
        `path: "${dir}", get_checksum: false`,
        `path: "${dir}/nope"`,
      ]
        .map(t)
        .join('')}`,
    );
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const msgs = (m: unknown[]): unknown[] => m.filter((_, i) => i % 2 === 1);
    expect(msgs(want).length).toBe(5);
    expect(String(msgs(want)[1])).toMatch(/checksum=[0-9a-f]{64};mimetype=text\/plain;charset=us-ascii;/);
    expect(msgs(got)).toEqual(msgs(want));
  });
});
