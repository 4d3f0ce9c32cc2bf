// import_playbook: the plays of another file, in place, with its vars/tags/when; relative paths
// in the imported plays resolve from the imported file's directory; problems point at the import.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { runPlaybookText } from '../../helpers/run-playbook.js';

function files(map: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rb-imp-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const load = (d: string, f = 'site.yml') => loadPlaybook(join(d, f), moduleCatalog(), d);
const messages = (d: string, f?: string): string[] =>
  load(d, f).diagnostics.map((x) => `${x.pos.file}:${x.pos.line}:${x.pos.col}: ${x.message}`);

describe('import_playbook', () => {
  it('splices the plays in order; their relative files resolve beside the imported playbook', async () => {
    const inv = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n';
    const r = await runPlaybookText(
      `- hosts: h1
  tasks: [{ debug: msg=first }]
- import_playbook: sub/other.yml
  vars: { who: importer }
- import_playbook: sub/other.yml
  when: false
- hosts: h1
  tasks: [{ debug: msg=last }]
`,
      inv,
      {
        files: {
          'sub/other.yml':
            '- hosts: h1\n  vars_files: [vars.yml]\n  vars: { who: play }\n  tasks:\n    - debug: msg="{{ who }} {{ v }} {{ playbook_dir is string }}"\n',
          'sub/vars.yml': 'v: from-sub\n',
        },
      },
    );
    expect(r.exitCode).toBe(0);
    // the import's vars beat the imported play's own vars (Ansible); `when: false` skips every task
    expect(r.debug('h1')).toEqual(['first', 'importer from-sub True', 'last']);
  });

  it('points at the import when the file is missing, templated, or imports itself', () => {
    expect(messages(files({ 'site.yml': '- import_playbook: nope.yml\n' }))).toEqual([
      expect.stringMatching(/site\.yml:1:20: playbook not found: 'nope\.yml'/),
    ]);
    expect(messages(files({ 'site.yml': '- import_playbook: "{{ x }}.yml"\n' }))[0]).toMatch(
      /site\.yml:1:20: import_playbook is read before the run: its file name '\{\{ x \}\}\.yml' is templated with the import's vars, playbook_dir and lookups only \('x' is undefined\)/,
    );
    expect(messages(files({ 'site.yml': '- import_playbook: a.yml\n', 'a.yml': '- import_playbook: site.yml\n' }))[0]).toMatch(
      /a\.yml:1:3: .*site\.yml' imports itself \(cycle: site\.yml → a\.yml → site\.yml\)/,
    );
    expect(messages(files({ 'site.yml': '- import_playbook: a.yml\n  serial: 1\n', 'a.yml': '- hosts: all\n' }))[0]).toMatch(
      /site\.yml:2:3: unknown key 'serial'/,
    );
  });

  it('a problem inside the imported playbook is reported in that file', () => {
    expect(messages(files({ 'site.yml': '- import_playbook: a.yml\n', 'a.yml': '- hosts: all\n  tasks:\n    - comand: ls\n' }))[0]).toMatch(
      /^a\.yml:3:7: unknown module 'comand' \(did you mean 'command'\?\)/,
    );
  });
});
