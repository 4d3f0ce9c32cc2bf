// Python floats side by side with ansible-playbook 2.14 (issue 18): a float whose value is whole
// prints as Python prints it (`2.0`, `1e+16`, `-0.0`), wherever it comes from (vars files, group_vars,
// an INI inventory, -e JSON, set_fact, include_vars of JSON, from_json/from_yaml, the template's
// literals, `/`, `| float`, `| round`, arithmetic with a float) and wherever it goes (a template
// file, str(), `~`, `| string`, `%`/format, to_json/to_nice_json/to_nice_yaml, `is float`,
// type_debug, equality and `in`, sum/max/min/abs, a loop's item label, `debug: var=`, copy's content). Asserted:
// the same rendered file, and the same result lines of the default callback (where a float shows
// as `2.0`, the JSON callback's numbers cannot). Local connection, no net. Left out, as they
// differ for reasons of their own (docs/ansible-compatibility.md): `to_yaml` of a dict (2.14 writes
// flow style), ints beyond 2^53, and a dict with a non-string key.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainOutputs } from './side-by-side.js';

const CASES = [
  '{{ version }}',
  '{{ (memtotal * 0.5) | round }}',
  '{{ 10 / 5 }}',
  '{{ 3 | float }}',
  '{{ [1.0, 2] }}',
  "{{ {'a': 1.0} | to_json }}",
  '{{ 1e3 }}',
  '{{ 7 // 2 }}',
  '{{ 7.0 // 2 }}',
  '{{ 2.0 | int }}',
  '{{ 2.0 == 2 }}',
  '{{ 0.1 + 0.2 }}',
  '{{ 1e16 }}',
  '{{ 2.5 | round }}',
  '{{ 3.5 | round }}',
  '{{ 2 | round }}',
  '{{ version | string }}',
  "{{ version ~ 'x' }}",
  "{{ 'v%s' % version }}",
  "{{ '%d' % version }}",
  "{{ '%r' % version }}",
  "{{ '{}'.format(version) }}",
  '{{ version is float }}',
  '{{ version is integer }}',
  '{{ version is number }}',
  '{{ version | type_debug }}',
  '{{ (10 / 5) | type_debug }}',
  '{{ version in [2] }}',
  '{{ 2 in [version] }}',
  "{{ {2: 'a'}[version] }}",
  '{{ version + 1 }}',
  '{{ version - 1 }}',
  '{{ version * 2 }}',
  '{{ version / 2 }}',
  '{{ version // 2 }}',
  '{{ version % 2 }}',
  '{{ version ** 2 }}',
  '{{ 2 ** -1 }}',
  '{{ 4 ** 0.5 }}',
  '{{ 2 ** 2 }}',
  '{{ -version }}',
  '{{ version | abs }}',
  '{{ -2.0 | abs }}',
  '{{ [1.0, 2.0] | sum }}',
  '{{ [1, 2.0] | max }}',
  '{{ [2.0, 2] | max }}',
  '{{ [1, 2.0] | min }}',
  '{{ [1.5, 0.5] | sum }}',
  '{{ range(3) | list }}',
  '{{ lst }}',
  '{{ dct }}',
  '{{ dct | to_json }}',
  '{{ dct | to_nice_json }}',
  '{{ dct | to_nice_yaml }}',
  '{{ lst | to_json }}',
  '{{ version | to_json }}',
  '{{ big }}',
  '{{ big_y }}',
  '{{ neg0 }}',
  '{{ version | int }}',
  '{{ version | float }}',
  "{{ '2.0' | float }}",
  "{{ '3' | float }}",
  "{{ 'x' | float }}",
  '{{ version | round(1) }}',
  '{{ 2.567 | round(2) }}',
  "{{ version | round(0, 'floor') }}",
  "{{ 2.5 | round(0, 'ceil') }}",
  '{{ 1 / 3 }}',
  '{{ 1e300 * 1e10 }}',
  '{{ 1.5e-7 }}',
  '{{ 100000000000000000.0 }}',
  '{{ 0.0 }}',
  "{{ 0.0 if 0.0 else 'falsy' }}",
  '{{ version | int + 1 }}',
  "{{ [version] | join(',') }}",
  '{{ version | string | length }}',
  '{{ 5 % 2.0 }}',
  '{{ -7 // 2.0 }}',
  '{{ true + 1.0 }}',
  "{{ [1, 2, 3] | map('float') | list }}",
  '{{ 1.0 | string }}',
  '{{ 10 / 4 }}',
  '{{ (version * 1) | type_debug }}',
  '{{ \'{"a": 2.0}\' | from_json }}',
  '{{ (\'{"a": 2.0}\' | from_json).a + 1 }}',
  "{{ 'a: 2.0' | from_yaml }}",
  '{{ ev.a }}',
  '{{ es }}',
  '{{ es | type_debug }}',
  '{{ ev.a | type_debug }}',
  '{{ inv_f }}',
  '{{ grp_f }}',
  '{{ fact_f }}',
  '{{ fact_s }}',
  '{{ fact_v }}',
  '{{ fact_v | type_debug }}',
  '{{ fact_s | type_debug }}',
  "{{ reg.stat.mode | default('') }}",
  '{{ 3.0 | string }}',
  '{{ 2.0 | int | type_debug }}',
  '{{ 1.0 * 3 }}',
  "{{ '%.2f' % version }}",
  "{{ '%5.1f|' % version }}",
  "{{ '{:.1f}'.format(version) }}",
  "{{ '%g' % version }}",
  "{{ '%s' % 1e16 }}",
  '{{ [1.0] | first }}',
  '{{ [version, 2] | unique }}',
  '{{ (1e16) | int }}',
  '{{ 2.0 | bool }}',
  '{{ 0.0 | bool }}',
  '{{ -0.0 }}',
  '{{ 1.0 != 1 }}',
  '{{ 1.0 < 2 }}',
  '{{ [2.0, 1] | sort }}',
  "{{ range(1, 3) | map('float') | sum }}",
  '{{ version | abs | type_debug }}',
  "{{ lst | map('int') | list }}",
  "{{ '%x' % 255 }}",
  '{{ 7 / 7 }}',
  '{{ 6 % 4 }}',
  '{{ 6.5 % 4 }}',
  '{{ lst[0] }}',
  '{{ dct.a }}',
  "{{ dct['a'] + 1 }}",
  '{{ version | b64encode }}',
  '{{ version | upper }}',
  "{{ version | replace('.', ',') }}",
  "{{ version | hash('md5') }}",
];

const VARS = `version: 2.0
memtotal: 7999
big: 1e3
big_y: 1.0e+3
neg0: -0.0
lst: [1.0, 2]
dct: {a: 1.0}
`;

const VAR_TASKS = ['version', 'lst', 'dct', 'fact_f', 'fact_s', 'fact_v', 'ev', 'es', 'inv_f', 'grp_f', 'big', 'neg0'];

function playbook(): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    '- hosts: all',
    '  gather_facts: false',
    '  vars_files: [floats.yml]',
    '  tasks:',
    '    - set_fact: {fact_f: 2.0, fact_s: "{{ 10 / 5 }}", fact_v: "{{ version }}"}',
    '    - stat: {path: /etc}',
    '      register: reg',
    '    - template: {src: floats.j2, dest: "{{ out }}/floats.txt"}',
    '    - copy: {content: "{{ version }}", dest: "{{ out }}/copy-float.txt"}',
    '    - copy: {content: "{{ dct }}", dest: "{{ out }}/copy-dict.txt"}',
    '    - copy: {content: "{{ lst }}", dest: "{{ out }}/copy-list.txt"}',
    ...CASES.map((c, i) => `    - debug: { msg: ${q(`${i}: ${c}`)} }`),
    ...VAR_TASKS.map((v) => `    - debug: { var: ${v} }`),
    '    - include_vars: {file: data.json, name: incl}',
    '    - debug: { var: incl }',
    '    - debug: { var: "10 / 5" }',
    '    - debug: { var: "version + 1" }',
    '    - debug: { var: "lst[0]" }',
    '    - debug: { var: "[version, 1 + 1]" }',
    '    - debug: { msg: "{{ version }}" }',
    '    - debug: { msg: "{{ lst }}" }',
    '    - debug: { msg: "{{ [version, 2.5] }}" }',
    '    - debug: { msg: [1.0, "{{ version }}"] }',
    '    - debug: { msg: "{{ item }}" }',
    '      loop: "{{ lst }}"',
    '    - debug: { msg: "{{ ansible_loop.index / 1 }}" }',
    '      loop: [a]',
    '      loop_control: {extended: true}',
    '',
  ].join('\n');
}

/** The result lines of a default-callback run: what each task printed, without banners and the recap. */
function results(stdout: string): string[] {
  const body = stdout.slice(stdout.indexOf('TASK ['), stdout.indexOf('PLAY RECAP'));
  return body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('TASK ['));
}

describe('Python floats: as ansible-playbook 2.14', () => {
  it('the same rendered file and the same debug output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-floats-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'all.yml'), 'grp_f: 2.0\n');
    writeFileSync(
      join(dir, 'hosts.ini'),
      `[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3 inv_f=2.0 runbook_lock_file=${dir}/rb.lock\n`,
    );
    writeFileSync(join(dir, 'floats.yml'), VARS);
    writeFileSync(join(dir, 'data.json'), '{"j": 4.0, "k": [1.0, 2]}\n');
    writeFileSync(join(dir, 'floats.j2'), CASES.map((c, i) => `${i}: ${c}\n`).join(''));
    writeFileSync(join(dir, 'site.yml'), playbook());
    for (const d of ['ansible', 'runbook']) mkdirSync(join(dir, d));
    const extra = ['-e', '{"ev": {"a": 2.0}}', '-e', 'es=2.0'];
    const out = await plainOutputs(
      dir,
      'site.yml',
      'hosts.ini',
      [...extra, '-e', `out=${dir}/ansible`],
      [...extra, '-e', `out=${dir}/runbook`],
    );
    const want = readFileSync(join(dir, 'ansible', 'floats.txt'), 'utf8').split('\n');
    const got = readFileSync(join(dir, 'runbook', 'floats.txt'), 'utf8').split('\n');
    // spot checks of what 2.14 writes, so a change on either side is seen here too
    const line = (c: string): string | undefined => want.find((l) => l.startsWith(`${CASES.indexOf(c)}: `));
    expect(line('{{ version }}')).toBe('0: 2.0');
    expect(line('{{ 7 // 2 }}')).toMatch(/: 3$/);
    expect(line('{{ 7.0 // 2 }}')).toMatch(/: 3\.0$/);
    expect(line('{{ 1e16 }}')).toMatch(/: 1e\+16$/);
    expect(line('{{ 2.5 | round }}')).toMatch(/: 2\.0$/);
    expect(line('{{ 2 | round }}')).toMatch(/: 2$/);
    expect(line('{{ lst }}')).toMatch(/: \[1\.0, 2\]$/);
    expect(got).toEqual(want);
    // copy's content: str() of a float, json.dumps of a dict or list
    for (const f of ['copy-float.txt', 'copy-dict.txt', 'copy-list.txt'])
      expect(readFileSync(join(dir, 'runbook', f), 'utf8'), f).toBe(readFileSync(join(dir, 'ansible', f), 'utf8'));
    expect(readFileSync(join(dir, 'ansible', 'copy-dict.txt'), 'utf8')).toBe('{"a": 1.0}');
    const rb = results(out.runbook);
    expect(rb.length).toBeGreaterThan(CASES.length + VAR_TASKS.length);
    expect(rb).toContain('    "fact_f": 2.0');
    expect(rb).toContain('    "10 / 5": "2.0"');
    expect(rb).toEqual(results(out.ansible));
  }, 180_000);
});
