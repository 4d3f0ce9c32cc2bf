#!/usr/bin/env node
// Start-up figures for issue 3: `runbook --version` and `runbook validate` of a 200-line
// playbook, median of N runs each, as a new process every time (what an operator pays).
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const runs = Number(process.argv[2] ?? 15);

function playbook200() {
  const lines = ['# a 200-line playbook: 2 plays, mixed modules, templates, loops, blocks', '- name: Prepare members', '  hosts: etcd', '  vars:', '    etcd_data_dir: /var/lib/etcd', '    etcd_port: 2379', '  tasks:'];
  let i = 0;
  while (lines.length < 190) {
    i++;
    switch (i % 5) {
      case 0:
        lines.push(`    - name: Check data dir ${i}`, '      stat:', '        path: "{{ etcd_data_dir }}/member"', `      register: st${i}`);
        break;
      case 1:
        lines.push(`    - name: Run step ${i}`, `      command: echo step ${i} {{ inventory_hostname }}`, `      when: st${i - 1} is not defined or st${i - 1}.stat.exists`, '      changed_when: false');
        break;
      case 2:
        lines.push(`    - name: Env line ${i}`, '      lineinfile:', '        path: /etc/default/etcd', `        regexp: '^ETCD_X${i}='`, `        line: "ETCD_X${i}={{ etcd_port | int + ${i} }}"`);
        break;
      case 3:
        lines.push(`    - name: Loop ${i}`, '      debug:', '        msg: "{{ item | upper }}"', '      loop: [a, b, c]');
        break;
      case 4:
        lines.push(`    - name: Block ${i}`, '      block:', `        - shell: test -d {{ etcd_data_dir | quote }} || true`, '      rescue:', '        - fail:', '            msg: broken');
        break;
    }
  }
  while (lines.length < 200) lines.push('    - meta: flush_handlers');
  return lines.join('\n') + '\n';
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) {
      console.error(`runbook ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
      process.exit(1);
    }
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
}

const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
try {
  const pb = join(dir, 'pb.yml');
  const text = playbook200();
  writeFileSync(pb, text);
  const bare = (() => {
    const s = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(process.execPath, ['-e', '0']);
      s.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    s.sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  })();
  const v = time(['--version']);
  const val = time(['validate', pb]);
  const fmt = (x) => x.toFixed(0).padStart(5) + ' ms';
  console.log(`runs per figure: ${runs} (median, min, max); playbook: ${text.split('\n').length - 1} lines`);
  console.log(`node -e 0 (baseline)        ${fmt(bare)}`);
  console.log(`runbook --version           ${fmt(v.median)}  (min ${fmt(v.min)}, max ${fmt(v.max)})  target <= 150 ms`);
  console.log(`runbook validate 200 lines  ${fmt(val.median)}  (min ${fmt(val.min)}, max ${fmt(val.max)})  target <= 300 ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
