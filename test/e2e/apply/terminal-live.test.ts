// What an operator sees at 3 a.m., on a real pty (script(1)): the live view explains itself
// (decisions as lines, waits with target/elapsed/deadline, a failure as a red ✖ with its reason,
// step times), Ctrl-C is acknowledged at once, and the confirmation works under `| tee`.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../../helpers/cli.js';
import { onPty, type Keystroke } from '../../helpers/pty.js';

const LOCK_DIR = mkdtempSync(join(tmpdir(), 'rb-lock-'));

/** `args` run on a pty; each keystroke typed once its text is on the screen */
function onTerminal(args: string, input: Keystroke[], env: Record<string, string> = {}): string {
  // its own host lock and state dir: /tmp/runbook.lock and ./.runbook are shared by every local run here
  const lock = `-e runbook_lock_file=${LOCK_DIR}/runbook.lock --state-dir ${LOCK_DIR}/state`;
  return onPty(`stty cols 120 rows 40; node ${CLI} ${args.replace(/ -i localhost,/, ` -i localhost, ${lock}`)}`, input, {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

// the frames listr2 paints, as lines without escape codes
const screen = (raw: string): string => raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('the live view on a terminal', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-live-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(
    pb,
    `- hosts: all
  gather_facts: false
  tasks:
    - name: What this run will do, and why
      debug:
        msg: ["recover from etcd3 (newest revision)", "  member  revision", "  etcd3   5511"]
    - name: Wait for the flag
      command: test -e ${d}/flag
      register: r
      until: r.rc == 0
      retries: 3
      delay: 1
`,
  );

  it('shows a decision as lines, a wait with what it waits for, and a failure as ✖ with its reason', () => {
    const text = screen(onTerminal(`apply ${pb} -i localhost, --yes`, []));
    expect(text).toContain('  [localhost]:\n    recover from etcd3 (newest revision)\n      member  revision\n      etcd3   5511\n');
    expect(text).not.toContain('{"msg"');
    expect(text).toMatch(/localhost waiting for r\.rc == 0 — \d s of \d s \(attempt \d of 4\)/);
    expect(text).toMatch(/✖ Wait for the flag {2}failed: localhost {2}\(\d\.\ds\)/);
    expect(text).toMatch(/✖ localhost failed \(\d\.\ds\): rc=1: non-zero return code \(after 4 attempts\)/);
    expect(text).not.toContain('⚠');
    expect(text).toMatch(/✔ What this run will do, and why {2}ok: localhost {2}\(0\.\ds\)/);
  });

  it('acknowledges Ctrl-C in the view at once and finishes the running step', () => {
    const long = join(d, 'long.yml');
    writeFileSync(
      long,
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: A long step\n      command: sleep 7\n    - name: Never\n      command: touch ${d}/never\n`,
    );
    const started = Date.now();
    const text = screen(onTerminal(`apply ${long} -i localhost, --yes`, [{ when: '❯ A long step', keys: '\\003' }]));
    // the step was finished, not killed, and no new one started
    expect(text).toMatch(/✔ A long step {2}changed: localhost {2}\(([4-9]|1\d)\.\ds\)/);
    expect(existsSync(join(d, 'never'))).toBe(false);
    // acknowledged while the step still ran: the frame that says so still has the spinner's task
    const ack = text.indexOf('A long step  Interrupted: finishing the running step, starting no new one; Ctrl-C again to abort.');
    expect(ack).toBeGreaterThan(-1);
    expect(ack).toBeLessThan(text.indexOf('A long step  changed'));
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('the confirmation', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-tee-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n    - file: path=${d}/made state=touch\n`);

  it('asks on the terminal while stdout goes to `| tee`, and the log has the plan and the run', () => {
    const log = join(d, 'run.log');
    const text = screen(onTerminal(`apply ${pb} -i localhost, | tee ${log}`, [{ when: '[y/N]', keys: 'y\\r' }]));
    expect(text).toContain('Apply these changes? [y/N]');
    expect(existsSync(join(d, 'made'))).toBe(true);
    const logged = readFileSync(log, 'utf8');
    expect(logged).toContain('would create');
    expect(logged).toContain('PLAY RECAP');
    // the question went to the terminal, not into the log
    expect(logged).not.toContain('Apply these changes');
  });

  it('Ctrl-C at the question is a no', () => {
    const text = screen(onTerminal(`apply ${pb} -i localhost,; echo rc=$?`, [{ when: '[y/N]', keys: '\\003' }]));
    expect(text).toMatch(/Apply these changes\? \[y\/N\] \^C\nNothing applied\.\nrc=0/);
  });

  it('runs a playbook whose plan changes nothing without asking', () => {
    const ro = join(d, 'ro.yml');
    writeFileSync(ro, `- hosts: all\n  gather_facts: false\n  tasks:\n    - stat: path=${d}\n    - debug: msg=fine\n`);
    const text = screen(onTerminal(`apply ${ro} -i localhost,`, []));
    expect(text).not.toContain('Apply these changes');
    expect(text).toContain('The plan changes nothing: running it without asking.');
    expect(text).toContain('PLAY RECAP');
  });
});
