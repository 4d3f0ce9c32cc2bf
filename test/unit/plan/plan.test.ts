// The plan value (src/plan/): step ids stable across runs of the same playbook and inventory,
// typed predictions, drift between a saved plan and a fresh one, and decisions pinned at plan
// time (a task tagged `decision`). Hosts are local (ansible_connection: local): nothing faked.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCollector } from '../../../src/executor/plan-steps.js';
import { decisionBook } from '../../../src/plan/decisions.js';
import { drift, summarizeDrift } from '../../../src/plan/saved.js';
import { countPredictions, predictionOf, stepKey, type PlanStep } from '../../../src/plan/step.js';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const INVENTORY = 'all:\n  hosts:\n    a: { ansible_connection: local }\n    b: { ansible_connection: local }\n';
const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: pick an id
      set_fact:
        run_id: "{{ 1000000 | random }}"
      run_once: true
      tags: [decision]
    - name: a file
      copy: { dest: "{{ dir }}/{{ inventory_hostname }}.txt", content: "x" }
    - name: a command
      command: "true"
    - name: loop
      debug: { msg: "{{ item }}" }
      loop: [one, two]
    - name: skipped
      debug: { msg: no }
      when: false
    - name: show the id
      debug: { msg: "id {{ run_id }}" }
`;

async function plan(dir: string, extra: Record<string, unknown> = {}) {
  const c = planCollector();
  const r = await runPlaybookText(PLAYBOOK, INVENTORY, { dir, check: true, extraVars: { dir }, ...extra });
  for (const e of r.events) c.onEvent(e);
  return { c, r };
}

describe('the plan value', () => {
  it('step ids are the same across runs of the same playbook and inventory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-plan-'));
    const one = await plan(dir);
    const two = await plan(dir);
    expect(one.c.steps.map((s) => s.key)).toEqual(two.c.steps.map((s) => s.key));
    const ids = one.c.steps.map((s) => `${s.id.host} ${s.task}${s.id.item ? ` ${s.id.item}` : ''} n=${s.id.n}`);
    expect(ids).toEqual([
      'a pick an id n=1',
      'a a file n=1',
      'b a file n=1',
      'a a command n=1',
      'b a command n=1',
      'a loop one n=1',
      'a loop two n=1',
      'b loop one n=1',
      'b loop two n=1',
      'a skipped n=1',
      'b skipped n=1',
      'a show the id n=1',
      'b show the id n=1',
    ]);
    expect(new Set(one.c.steps.map((s) => s.key)).size).toBe(one.c.steps.length);
    expect(one.c.steps.every((s) => /pb\.yml:\d+:\d+$/.test(s.id.play) && /pb\.yml:\d+:\d+$/.test(s.id.task))).toBe(true);
  });

  it('predictions are typed: change, unknown, unchanged (converged or skipped)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-plan-'));
    const { c } = await plan(dir);
    const by = (task: string, host = 'a') => c.steps.find((s) => s.task === task && s.id.host === host)!.prediction;
    expect(by('a file')).toMatchObject({ kind: 'change' });
    expect(by('a command')).toMatchObject({ kind: 'unknown' });
    expect(by('skipped')).toEqual({ kind: 'unchanged', reason: 'skipped' });
    expect(by('show the id')).toEqual({ kind: 'unchanged', reason: 'converged' });
    expect(countPredictions(c.steps)).toEqual({ change: 2, unchanged: 7, unreachable: 0, failed: 0, unknown: 2 });
    // a skip whose message merely starts with "check mode:" is not an unknown
    expect(predictionOf({ status: 'skipped', msg: 'check mode: x' })).toEqual({ kind: 'unchanged', reason: 'skipped' });
  });

  it('a task tagged decision: its plan-time facts are the facts on apply, shown as pinned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-plan-'));
    const { c, r } = await plan(dir);
    expect(c.decisions).toHaveLength(1);
    const id = (c.decisions[0]!.values['ansible_facts'] as Record<string, unknown>)['run_id'];
    expect(r.debug('b')).toContain(`id ${String(id)}`);
    const applied = await runPlaybookText(PLAYBOOK, INVENTORY, { dir, extraVars: { dir }, decisions: decisionBook(c.decisions) });
    expect(applied.exitCode).toBe(0);
    expect(applied.debug('a')).toContain(`id ${String(id)}`);
    expect(applied.debug('b')).toContain(`id ${String(id)}`);
    const pinned = applied.events.find((e) => e.type === 'host-result' && e.task === 'pick an id');
    expect(pinned).toMatchObject({ pinned: true });
    // a run_once decision is found again when another host runs it (the first one left out)
    const other = await runPlaybookText(PLAYBOOK, INVENTORY, { dir, extraVars: { dir }, limit: 'b', decisions: decisionBook(c.decisions) });
    expect(other.debug('b')).toContain(`id ${String(id)}`);
    // without the plan's decisions a new id is drawn (10^6 values: the same twice is ~never)
    const fresh = await runPlaybookText(PLAYBOOK, INVENTORY, { dir, extraVars: { dir } });
    expect(fresh.debug('a')).not.toContain(`id ${String(id)}`);
  });
});

describe('saved plan drift', () => {
  const step = (host: string, p: PlanStep['prediction']): PlanStep => {
    const id = { play: 'pb.yml:1:3', task: 'pb.yml:3:7', host, n: 1 };
    return { id, key: stepKey(id), task: 'conf', prediction: p };
  };
  it('outcome changes are drift; wording alone is not', () => {
    expect(drift([step('a', { kind: 'change', summary: 'create /x-1' })], [step('a', { kind: 'change', summary: 'create /x-2' })])).toEqual(
      [],
    );
    expect(drift([step('a', { kind: 'unchanged', reason: 'converged' })], [step('a', { kind: 'change', summary: 'update /x' })])).toEqual([
      "a pb.yml:3:7 'conf': the plan saw no change, now a change (update /x)",
    ]);
    expect(
      drift(
        [step('a', { kind: 'unchanged', reason: 'converged' })],
        [step('a', { kind: 'failed', reason: 'unreachable', message: 'no route' })],
      ),
    ).toEqual(["a pb.yml:3:7 'conf': the plan saw no change, now the host unreachable (no route)"]);
    expect(drift([step('a', { kind: 'unchanged', reason: 'converged' })], [])).toEqual([
      "a pb.yml:3:7 'conf': the plan saw no change, now nothing",
    ]);
  });

  it('a step failing now comes first (it says why), and the message names only the first few', () => {
    const before = ['a', 'b', 'c', 'd', 'e'].map((h) => step(h, { kind: 'change', summary: 'update /x' }));
    const now = [step('e', { kind: 'failed', reason: 'failed', message: 'the hosts changed since the plan was made' })];
    const d = drift(before, now);
    expect(d[0]).toMatch(/^e pb\.yml:3:7 'conf': the plan saw a change \(update \/x\), now a failure \(the hosts changed/);
    expect(d).toHaveLength(5);
    const line = summarizeDrift(d);
    expect(line.startsWith(d[0]!)).toBe(true);
    expect(line).toMatch(/; and 2 more steps that differ$/);
    expect(summarizeDrift(d.slice(0, 3))).toBe(d.slice(0, 3).join('; '));
  });
});
