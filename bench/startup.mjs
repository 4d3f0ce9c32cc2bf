#!/usr/bin/env node
// Start-up figures for issues 3 and 21: `runbook --version` and `runbook validate` of a
// 200-line playbook, median of N runs each, as a new process every time (what an operator
// pays; wall clock, and the CPU time user+sys from wait4(2)'s rusage, which load on a shared
// machine disturbs less), beside `node -e 0` (the floor: node's own start) measured in the same rotation.
// `--baseline DIR` adds another build (DIR/dist) to the rotation: before/after side by side.
// Usage: npm run build && node bench/startup.mjs [runs] [--baseline DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const baseline = argv.includes('--baseline') ? argv[argv.indexOf('--baseline') + 1] : undefined;
const runs = Number(argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--baseline') ?? 15);

function playbook200() {
  const lines = [
    '# a 200-line playbook: 2 plays, mixed modules, templates, loops, blocks',
    '- name: Prepare members',
    '  hosts: etcd',
    '  vars:',
    '    etcd_data_dir: /var/lib/etcd',
    '    etcd_port: 2379',
    '  tasks:',
  ];
  let i = 0;
  while (lines.length < 190) {
    i++;
    switch (i % 5) {
      case 0:
        lines.push(
          `    - name: Check data dir ${i}`,
          '      stat:',
          '        path: "{{ etcd_data_dir }}/member"',
          `      register: st${i}`,
        );
        break;
      case 1:
        lines.push(
          `    - name: Run step ${i}`,
          `      command: echo step ${i} {{ inventory_hostname }}`,
          `      when: st${i - 1} is not defined or st${i - 1}.stat.exists`,
          '      changed_when: false',
        );
        break;
      case 2:
        lines.push(
          `    - name: Env line ${i}`,
          '      lineinfile:',
          '        path: /etc/default/etcd',
          `        regexp: '^ETCD_X${i}='`,
          `        line: "ETCD_X${i}={{ etcd_port | int + ${i} }}"`,
        );
        break;
      case 3:
        lines.push(`    - name: Loop ${i}`, '      debug:', '        msg: "{{ item | upper }}"', '      loop: [a, b, c]');
        break;
      case 4:
        lines.push(
          `    - name: Block ${i}`,
          '      block:',
          `        - shell: test -d {{ etcd_data_dir | quote }} || true`,
          '      rescue:',
          '        - fail:',
          '            msg: broken',
        );
        break;
    }
  }
  while (lines.length < 200) lines.push('    - meta: flush_handlers');
  return lines.join('\n') + '\n';
}

/** Runs argv[1:] and prints its wall time (fork to exit: python's own start is not in it) and CPU time (user, sys) from wait4(2)'s rusage, in seconds to the µs: /usr/bin/time prints 10 ms steps. */
const RUSAGE = [
  'import os, sys, time',
  't0 = time.monotonic()',
  'pid = os.fork()',
  'if pid == 0:',
  '    os.execv(sys.argv[1], sys.argv[1:])',
  '_, status, ru = os.wait4(pid, 0)',
  'sys.stderr.write("\\n%.6f %.6f %.6f\\n" % (time.monotonic() - t0, ru.ru_utime, ru.ru_stime))',
  'sys.exit(os.waitstatus_to_exitcode(status))',
].join('\n');

/** Each variant once per round, rounds alternating, so load on the machine hits all alike. */
function rotate(variants) {
  const samples = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    variants.forEach((v, k) => {
      const r = spawnSync('python3', ['-c', RUSAGE, process.execPath, ...v.argv], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.error(`${v.name} exited ${r.status}:\n${r.stderr}`);
        process.exit(1);
      }
      const [wall, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
      samples[k].push({ ms: wall * 1000, cpu: (user + sys) * 1000 });
    });
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return samples.map((s) => {
    const ms = s.map((x) => x.ms).sort((a, b) => a - b);
    const cpu = s.map((x) => x.cpu).sort((a, b) => a - b);
    return {
      median: ms[Math.floor(ms.length / 2)],
      min: ms[0],
      max: ms[ms.length - 1],
      cpu: med(cpu),
      cpuMin: cpu[0],
      cpuMax: cpu[cpu.length - 1],
    };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
try {
  const pb = join(dir, 'pb.yml');
  const text = playbook200();
  writeFileSync(pb, text);
  const builds = [['runbook', root], ...(baseline ? [['baseline', baseline]] : [])];
  const variants = [{ name: 'node -e 0', argv: ['-e', '0'] }];
  for (const [name, dir] of builds) {
    const bin = join(dir, 'dist', 'cli', 'main.js');
    variants.push({ name: `${name} --version`, argv: [bin, '--version'] }, { name: `${name} validate`, argv: [bin, 'validate', pb] });
  }
  const res = rotate(variants);
  const fmt = (x) => x.toFixed(0).padStart(5) + ' ms';
  const floor = res[0].median;
  console.log(
    `runs per figure: ${runs} (median, min–max), all alternating; playbook: ${text.split('\n').length - 1} lines${baseline ? `; baseline: ${baseline}` : ''}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  variants.forEach((v, k) => {
    const r = res[k];
    const goal = v.name.endsWith('--version') ? '  goal <= 100 ms' : v.name.endsWith('validate') ? '  goal <= 200 ms' : '  (the floor)';
    console.log(
      `${v.name.padEnd(22)} ${fmt(r.median)}  (${fmt(r.min).trim()}–${fmt(r.max).trim()})  cpu ${fmt(r.cpu).trim()} (${fmt(r.cpuMin).trim()}–${fmt(r.cpuMax).trim()})  ${k ? `${(r.median / floor).toFixed(2)}× node -e 0` : ''}${goal}`,
    );
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
