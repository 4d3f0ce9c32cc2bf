// The journal on real files: lines written at once, fsynced per task, a torn last line tolerated, summaries, redaction.
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, newRunId } from '../../../src/journal/writer.js';
import { listRuns, readJournal, summarize } from '../../../src/journal/read.js';
import { fingerprint, recordArgv, recordVars, runHeader } from '../../../src/journal/header.js';

function header(dir: string, id: string) {
  const pb = join(dir, 'pb.yml');
  writeFileSync(pb, '- hosts: all\n  tasks: []\n');
  const inv = join(dir, 'hosts.yml');
  writeFileSync(inv, 'all: {}\n');
  return runHeader({
    id,
    argv: ['apply', 'pb.yml', '-e', 'db_password=s3cret x=1'],
    mode: 'apply',
    playbook: pb,
    playbookFiles: [pb],
    inventoryPath: inv,
    inventoryFiles: [inv],
    extraVars: { db_password: 's3cret', x: 1, nested: { api_token: 't' } },
    parseExtraVar: () => ({ db_password: 's3cret', x: '1' }),
  });
}

describe('journal', () => {
  it('records a header with hashes and no extra-var value, then events; summarises the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-journal-'));
    const id = newRunId(new Date('2026-11-23T10:00:00.000Z'), () => 0.5);
    expect(id).toBe('20261123T100000.000Z-8000');
    const j = Journal.create(join(dir, 'runs'), header(dir, id));
    j.append({ type: 'host-result', task: 't', host: 'h', result: { status: 'changed' } });
    j.append({ type: 'host-result', task: 't', host: 'h2', result: { status: 'failed', msg: 'x' } });
    j.append({ type: 'run-end', exitCode: 2, durationMs: 1234, interrupted: false, recap: {} });
    j.close();
    const { lines, torn } = readJournal(j.file);
    expect(torn).toBe(false);
    expect(lines[0]).toMatchObject({
      type: 'run-header',
      id,
      extraVars: { db_password: fingerprint('s3cret'), x: fingerprint(1), nested: fingerprint({ api_token: 't' }) },
    });
    expect(JSON.stringify(lines)).not.toMatch(/s3cret/);
    expect((lines[0] as { playbook: { sha256: string } }).playbook.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summarize(j.dir)).toMatchObject({ status: 'failed', changed: 1, failed: 1, exitCode: 2, durationMs: 1234 });
  });

  it('appendAll writes the lines of a turn in order, each a line of its own, readable before close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-journal-'));
    const j = Journal.create(join(dir, 'runs'), header(dir, 'R1'));
    j.appendAll([
      { type: 'host-result', task: 't', host: 'h', result: { status: 'ok' } },
      { type: 'task-end', task: 't' },
      { type: 'task-start', task: 'u' },
    ]);
    j.appendAll([]);
    // what a SIGKILL now would leave: the kernel has every line written
    expect(readJournal(j.file).lines.map((l) => l.type)).toEqual(['run-header', 'host-result', 'task-end', 'task-start']);
    j.close();
    expect(readJournal(j.file).torn).toBe(false);
  });

  it('the run-end verdict is the status; a journal from before verdicts has only its exit code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-journal-'));
    const runs = join(dir, 'runs');
    const cases: [Record<string, unknown>, string][] = [
      [{ verdict: 'unreachable', exitCode: 4 }, 'unreachable'],
      [{ verdict: 'interrupted', exitCode: 130, interrupted: true }, 'interrupted'],
      [{ verdict: 'ok', exitCode: 0 }, 'ok'],
      [{ exitCode: 4 }, 'unreachable'],
      [{ exitCode: 0 }, 'ok'],
      [{ exitCode: 2 }, 'failed'],
    ];
    for (const [i, [end, status]] of cases.entries()) {
      const j = Journal.create(runs, header(dir, `R${i}`));
      j.append({ type: 'run-end', durationMs: 1, recap: {}, ...end });
      j.close();
      expect(summarize(j.dir)?.status).toBe(status);
    }
  });

  it('a torn last line (crash mid-write) is tolerated; a run without run-end from a dead pid is crashed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-journal-'));
    const h = { ...header(dir, 'R1'), pid: 999_999_999 };
    const j = Journal.create(join(dir, 'runs'), h);
    j.append({ type: 'task-start', task: 't' });
    j.close();
    appendFileSync(j.file, '{"type":"host-res');
    expect(readJournal(j.file).torn).toBe(true);
    expect(summarize(j.dir)).toMatchObject({ status: 'crashed', torn: true });
    expect(listRuns(join(dir, 'runs')).map((r) => r.id)).toEqual(['R1']);
  });

  it('keeps extra-var names and a hash of each value, never the value; --journal-vars keeps named values', () => {
    const rec = recordVars({ pw: 's3cr3t B', region: 'eu' }, new Set(['region']));
    expect(rec).toEqual({ pw: fingerprint('s3cr3t B'), region: 'eu' });
    expect(JSON.stringify(rec)).not.toContain('s3cr3t');
    const parse = (v: string): Record<string, unknown> => (v.startsWith('{') ? JSON.parse(v) : { pw: 's3cr3t B' });
    const argv = recordArgv(['apply', 'p', '-e', 'pw="s3cr3t B"', '--extra-vars={"token":"t"}', '-e', '@vars.yml'], parse);
    expect(argv.join(' ')).not.toMatch(/s3cr3t|B"|"t"/);
    expect(argv).toEqual([
      'apply',
      'p',
      '-e',
      JSON.stringify({ pw: fingerprint('s3cr3t B') }),
      `--extra-vars=${JSON.stringify({ token: fingerprint('t') })}`,
      '-e',
      '@vars.yml',
    ]);
    expect(
      recordArgv(['-e', 'x'], () => {
        throw new Error('bad');
      }),
    ).toEqual(['-e', '(unparsed)']);
  });
});

describe('journal: the gathered environment', () => {
  it('keeps only the names and hashes of ansible_env and ansible_facts.env, wherever a result holds them', () => {
    const env = { HOME: '/root', AWS_SECRET_ACCESS_KEY: 'k3y-value' };
    const facts = { ansible_env: env, ansible_hostname: 'db1', ansible_facts: { env, hostname: 'db1' } };
    const dir = mkdtempSync(join(tmpdir(), 'rb-journal-env-'));
    const j = Journal.create(dir, header(dir, newRunId()));
    j.append({
      type: 'host-result',
      outcome: { result: { status: 'ok', ansible_facts: facts }, registered: { ansible_facts: facts } },
      result: { status: 'ok', data: { ansible_env: env } },
    });
    j.append({ type: 'warning', message: 'k3y-value is only redacted in results' });
    j.close();
    const lines = readJournal(j.file).lines;
    const line = JSON.stringify(lines[1]);
    expect(line).not.toContain('k3y-value');
    expect(line).not.toContain('/root');
    expect(line.match(/"AWS_SECRET_ACCESS_KEY":"\(sha256:[0-9a-f]{16}\)"/g)).toHaveLength(5);
    expect(line).toContain('"ansible_hostname":"db1"');
    expect(line).toContain(`"AWS_SECRET_ACCESS_KEY":"${fingerprint('k3y-value')}"`);
    expect(JSON.stringify(lines[2])).toContain('k3y-value');
  });
});
