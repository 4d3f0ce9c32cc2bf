// On a terminal (a real pty through script(1)) `apply` shows the plan and asks; only 'y' applies.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../../helpers/cli.js';
import { onPty } from '../../helpers/pty.js';

const LOCK_DIR = mkdtempSync(join(tmpdir(), 'rb-lock-'));

/** runs the CLI on a pty and types `answer` once the question `when` is on the screen */
function onTerminal(args: string, answer: string, when = '[y/N]'): string {
  // its own host lock and state dir: /tmp/runbook.lock and ./.runbook are shared by every local run here
  const lock = `-e runbook_lock_file=${LOCK_DIR}/runbook.lock --state-dir ${LOCK_DIR}/state`;
  return onPty(
    `stty cols 120 rows 40; node ${CLI} ${args.replace(/ -i localhost,/, ` -i localhost, ${lock}`)}`,
    answer === '' ? [] : [{ when, keys: `${answer}\\r` }],
  );
}

describe('apply on a terminal', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-tty-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: all\n  tasks:\n    - file: path=${d}/made state=touch\n`);

  it("shows the plan, asks, and changes nothing on 'n'", () => {
    const out = onTerminal(`apply ${pb} -i localhost,`, 'n');
    expect(out).toMatch(/would create/);
    expect(out).toMatch(/Plan: 1 to change/);
    expect(out).toMatch(/Apply these changes\? \[y\/N\]/);
    expect(out).toMatch(/Nothing applied/);
    expect(existsSync(join(d, 'made'))).toBe(false);
  });

  it("applies on 'y'", () => {
    const out = onTerminal(`apply ${pb} -i localhost, -o plain`, 'y');
    expect(out).toMatch(/PLAY RECAP/);
    expect(existsSync(join(d, 'made'))).toBe(true);
  });
});

describe('vars_prompt on a terminal', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-tty-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(
    pb,
    `- hosts: all
  vars_prompt:
    - name: ticket
      prompt: Incident ticket
      private: false
  tasks:
    - copy: content="{{ ticket }}" dest=${d}/ticket
`,
  );

  it('asks before the run and uses the answer', () => {
    const out = onTerminal(`apply ${pb} -i localhost, -o plain --yes`, 'INC-42', 'Incident ticket: ');
    expect(out).toMatch(/Incident ticket: /);
    expect(readFileSync(join(d, 'ticket'), 'utf8')).toBe('INC-42');
  });

  it('does not ask for a variable given with -e', () => {
    const out = onTerminal(`apply ${pb} -i localhost, -o plain --yes -e ticket=INC-7`, '');
    expect(out).not.toMatch(/Incident ticket/);
    expect(readFileSync(join(d, 'ticket'), 'utf8')).toBe('INC-7');
  });
});
