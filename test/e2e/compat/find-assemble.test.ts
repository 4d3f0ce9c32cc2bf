// find and assemble, built in, side by side with ansible-playbook 2.14: one playbook run by
// ansible-playbook (local connection: it hangs on the lab's sshd here, see ansible-compat.test.ts)
// and by runbook, on a local connection and over a real sshd on 127.0.71.1 (the same machine,
// so the same files), each `--check`, then for real twice. Asserted equal: every registered
// value (find's files key for key and in order, but atime, which reading moves), the files
// assemble writes (content and mode), and that the second real run changes nothing.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let dir: string;
let h: SshHosts;
const OLD = 'old content\n';

const FINDS = [
  '{ paths: "{{ tree }}" }',
  '{ paths: "{{ tree }}", recurse: true, file_type: any, hidden: true }',
  '{ paths: "{{ tree }},{{ tree }}/nope,{{ tree }}/a.txt", recurse: true, depth: 2, patterns: "*.txt,*.conf", get_checksum: true }',
  '{ paths: "{{ tree }}", recurse: true, contains: "fo+ ba[rz]" }',
  '{ paths: "{{ tree }}", recurse: true, contains: "second.*\\n.*third", read_whole_file: true }',
  '{ paths: "{{ tree }}/", recurse: true, use_regex: true, patterns: ["^[ab]\\\\.", "q"], excludes: "b\\\\.c.*", follow: true, file_type: any }',
  '{ paths: "{{ tree }}", recurse: true, size: 1k, age: -1d }',
  '{ paths: "{{ tree }}", recurse: true, size: -10, age: 2h, age_stamp: ctime }',
  '{ path: "{{ tree }}", recurse: yes, file_type: link }',
  '{ name: "{{ tree }}", recurse: true, file_type: directory, hidden: true, excludes: deep* }',
  '{ paths: "{{ tree }}", age: 3x }',
];

function playbook(): string {
  const finds = FINDS.map((a, i) => `    - find: ${a}\n      register: f${i}\n      ignore_errors: true\n`).join('');
  const names = [...FINDS.map((_, i) => `f${i}`), 'a0', 'a1', 'a2', 'a3'];
  return `- hosts: all
  gather_facts: false
  tasks:
${finds}    - assemble: { src: "{{ frags }}", dest: "{{ out }}/one", delimiter: '### x', mode: '0600' }
      register: a0
    - ansible.builtin.assemble: { src: lfr, dest: "{{ out }}/two", remote_src: false, delimiter: "--\\n", ignore_hidden: true }
      register: a1
    - assemble: { src: "{{ frags }}", dest: "{{ out }}/three", regexp: '^0[12]', backup: true, validate: 'grep -q one %s' }
      register: a2
    - assemble: { src: "{{ frags }}/nope", dest: "{{ out }}/four" }
      register: a3
      ignore_errors: true
    - copy: { dest: "{{ res }}", content: "{{ { ${names.map((n) => `'${n}': ${n}`).join(', ')} } | to_json }}" }
      check_mode: false
`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-find-'));
  const t = join(dir, 'tree');
  for (const d of ['sub/deep/deeper', '.hd', 'sub/deepish']) mkdirSync(join(t, d), { recursive: true });
  writeFileSync(join(t, 'a.txt'), 'hello\n');
  chmodSync(join(t, 'a.txt'), 0o4750);
  writeFileSync(join(t, 'sub/b.conf'), 'x\nfoo bar\n');
  writeFileSync(join(t, 'sub/c.txt'), 'first\nsecond\nthird\nfooo baz\n');
  writeFileSync(join(t, '.hidden'), 'yy\n');
  writeFileSync(join(t, '.hd/in.txt'), 'z\n');
  writeFileSync(join(t, 'sub/deep/big.bin'), Buffer.alloc(5000, 7));
  writeFileSync(join(t, 'sub/deep/deeper/q.txt'), 'q\n');
  writeFileSync(join(t, 'empty'), '');
  symlinkSync('sub', join(t, 'lnk'));
  symlinkSync('nowhere', join(t, 'broken'));
  await promisify(execFile)('mkfifo', [join(t, 'fifo')]);
  const f = join(dir, 'frags');
  mkdirSync(join(f, '03-dir'), { recursive: true });
  writeFileSync(join(f, '01-a'), 'one\n');
  writeFileSync(join(f, '02-b'), 'two');
  writeFileSync(join(f, '.h'), 'hid\n');
  writeFileSync(join(f, '04-c'), 'four\n');
  mkdirSync(join(dir, 'files', 'lfr'), { recursive: true });
  writeFileSync(join(dir, 'files', 'lfr', 'a'), 'L1');
  writeFileSync(join(dir, 'files', 'lfr', 'b'), 'L2\n');
  writeFileSync(join(dir, 'files', 'lfr', '.c'), 'hidden\n');
  writeFileSync(join(dir, 'pb.yml'), playbook());
  writeFileSync(join(dir, 'local.ini'), `[all]\nlocalhost ansible_connection=local runbook_lock_file=${dir}/local.lock\n`);
  h = await startSshHosts(1, 71);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

type Run = { registered: Record<string, any>; files: Record<string, { content: string; mode: number }> };

/** One engine's three runs (--check, real, real) from a fresh output directory holding an old `three`. */
async function runs(engine: (extra: string[]) => Promise<void>): Promise<Run[]> {
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  writeFileSync(join(out, 'three'), OLD);
  const got: Run[] = [];
  for (const check of [true, false, false]) {
    const res = join(dir, 'res.json');
    rmSync(res, { force: true });
    const vars = JSON.stringify({ tree: join(dir, 'tree'), frags: join(dir, 'frags'), out, res });
    await engine(['-e', vars, ...(check ? ['--check'] : [])]);
    const files: Run['files'] = {};
    for (const n of readdirSync(out).sort()) {
      const name = /^three\..*~$/.test(n) ? 'three.backup' : n;
      files[name] = { content: readFileSync(join(out, n), 'utf8'), mode: statSync(join(out, n)).mode & 0o7777 };
    }
    got.push({ registered: JSON.parse(readFileSync(res, 'utf8')) as Record<string, any>, files });
  }
  return got;
}

/** What may differ: Ansible's interpreter fact, `failed` on a skipped result, atime (reading moves it), a temporary path, a backup's timestamped name. */
function comparable(r: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(r)) {
    const { ansible_facts: _f, ...rest } = v as Record<string, any>;
    // runbook registers failed: false on every skipped result (a when: false one too); Ansible leaves it out
    if (rest['skipped'] === true && rest['failed'] === false) delete rest['failed'];
    if (Array.isArray(rest['files'])) rest['files'] = rest['files'].map(({ atime: _a, ...e }: Record<string, unknown>) => e);
    if (k === 'a1') delete rest['src']; // Ansible reports its temporary copy on the host
    if (typeof rest['backup_file'] === 'string') rest['backup_file'] = /\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/.test(rest['backup_file']);
    out[k] = rest;
  }
  return out;
}

const ansible = (inventory: string) => async (extra: string[]) => {
  await promisify(execFile)('ansible-playbook', ['-i', inventory, 'pb.yml', ...extra], {
    cwd: dir,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
    maxBuffer: 64 << 20,
  });
};
const runbook = (inventory: () => string) => async (extra: string[]) => {
  const r = await runCli(['apply', 'pb.yml', '-i', inventory(), '--yes', ...extra], { cwd: dir });
  if (r.code !== 0) throw new Error(`runbook exit ${r.code}: ${r.stderr}\n${r.stdout}`);
};

describe('find and assemble: the same as ansible-playbook 2.14', () => {
  let want: Run[];
  it('ansible-playbook: check, then changed, then unchanged', async () => {
    want = await runs(ansible(join(dir, 'local.ini')));
    const [check, first, second] = want as [Run, Run, Run];
    expect(check.registered['a0']).toEqual({ changed: false, msg: 'check mode is not supported for this task.', skipped: true });
    expect(check.registered['f1'].matched).toBeGreaterThan(10);
    expect(check.files).toEqual({ three: { content: OLD, mode: 0o644 } });
    expect(first.registered['a0'].changed).toBe(true);
    expect(first.files['one']).toEqual({ content: 'hid\n### x\none\n### x\ntwo\n### x\nfour\n', mode: 0o600 });
    expect(first.files['three.backup']?.content).toBe(OLD);
    expect(second.registered['a0'].changed).toBe(false);
    expect(second.registered['a2'].changed).toBe(false);
  }, 180_000);

  for (const [name, inventory] of [
    ['local connection', () => join(dir, 'local.ini')],
    ['over a real sshd', () => h.inventory()],
  ] as const) {
    it(`runbook (${name}): every registered value and file the same, three runs`, async () => {
      expect(want).toBeDefined();
      const got = await runs(runbook(inventory));
      for (let i = 0; i < 3; i++) {
        expect(Object.keys(got[i]!.registered)).toEqual(Object.keys(want[i]!.registered));
        for (const k of Object.keys(want[i]!.registered)) {
          const files = (want[i]!.registered[k] as { files?: Record<string, unknown>[] }).files;
          // key for key and in Ansible's key order
          if (files) expect(got[i]!.registered[k].files.map((f: object) => Object.keys(f))).toEqual(files.map((f) => Object.keys(f)));
        }
        expect(comparable(got[i]!.registered), `run ${i}`).toEqual(comparable(want[i]!.registered));
        expect(got[i]!.files, `run ${i}`).toEqual(want[i]!.files);
      }
      expect(existsSync(join(dir, 'out', 'two'))).toBe(true);
    }, 180_000);
  }
});
