// Where runs are recorded and how `apply` opens its journal: `.runbook/runs/` beside the
// inventory (or --state-dir), one directory per run.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Journal, newRunId } from '../journal/writer.js';
import { acquireLock, LockHeld, LockUnusable, type Lock } from '../journal/lock.js';
import { gitInfo, runHeader } from '../journal/header.js';
import { listRuns, readJournal, summarize } from '../journal/read.js';
import { asideText, buildReport, type IncidentReport } from '../journal/report.js';
import { reportMarkdown } from '../journal/report-markdown.js';
import { changedInputs, replayFrom, type Replay } from '../journal/resume.js';
import type { TaskOutcome } from '../executor/task.js';
import type { GitInfo, RunSummary } from '../journal/model.js';
import type { Playbook } from '../playbook/model.js';
import type { Inventory } from '../inventory/model.js';
import { parseOne } from './extra-vars.js';
import { UsageError, type Options } from './args.js';
import { recall, remember } from './remember.js';

/**
 * Where `runbook runs` looks: as apply records (--state-dir, -i), else the current directory's
 * `.runbook/` when it has runs, else the state dir the last apply recorded in.
 */
export function findRunsDir(opts: Options, cwd: string): { dir: string; remembered: boolean } {
  const dir = runsDir(opts, cwd);
  if (opts['state-dir'] || opts.inventory?.length || existsSync(dir)) return { dir, remembered: false };
  const last = recall('state-dir');
  return last && existsSync(join(last, 'runs')) ? { dir: join(last, 'runs'), remembered: true } : { dir, remembered: false };
}

/** The runs directory: --state-dir, else `.runbook/runs` beside the inventory (its dir). */
export function runsDir(opts: Options, cwd: string): string {
  if (opts['state-dir']) return join(resolve(cwd, opts['state-dir']), 'runs');
  const inv = opts.inventory?.[0];
  if (inv && !inv.includes(',') && existsSync(resolve(cwd, inv))) {
    const p = resolve(cwd, inv);
    return join(statSync(p).isDirectory() ? p : dirname(p), '.runbook', 'runs');
  }
  return join(cwd, '.runbook', 'runs');
}

/** The inventory's lock (`<state dir>/lock`), taken by apply before anything runs. */
export function lockRun(opts: Options, cwd: string, run: string): Lock {
  try {
    return acquireLock(join(dirname(runsDir(opts, cwd)), 'lock'), run, { breakLock: opts['break-lock'] === true });
  } catch (e) {
    if (e instanceof LockHeld) throw new UsageError(`another run holds this inventory: ${e.message}`);
    if (e instanceof LockUnusable) throw new UsageError(e.message);
    throw e;
  }
}

export function openJournal(
  playbook: Playbook,
  inventory: Inventory,
  opts: Options,
  cwd: string,
  extraVars: Record<string, unknown>,
  check: boolean,
  resumedFrom?: string,
  gitFacts?: GitInfo | null,
): Journal {
  if (opts['require-clean'] && !check) {
    const git = gitFacts !== undefined ? (gitFacts ?? undefined) : gitInfo(playbook.file);
    if (git?.dirty)
      throw new UsageError(
        `--require-clean: the repository of ${playbook.file} has uncommitted changes (commit them, or drop --require-clean)`,
      );
    if (!git) throw new UsageError(`--require-clean: ${playbook.file} is not in a git repository`);
  }
  const id = newRunId();
  const lock = lockRun(opts, cwd, id);
  if (lock.tookOver) process.stderr.write(`runbook: took over the ${lock.tookOver}\n`);
  const journal = Journal.create(
    runsDir(opts, cwd),
    runHeader({
      id,
      argv: process.argv.slice(2),
      mode: check ? 'check' : 'apply',
      playbook: playbook.file,
      playbookFiles: playbook.files,
      inventoryPath: opts.inventory?.join(',') ?? '',
      inventoryFiles: inventory.sources,
      extraVars,
      parseExtraVar: (v) => parseOne(v, cwd, true),
      journalVars: new Set(
        (opts['journal-vars'] ?? [])
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean),
      ),
      ...(resumedFrom ? { resumedFrom } : {}),
      ...(gitFacts !== undefined ? { git: gitFacts } : {}),
    }),
    () => lock.release(),
  );
  remember('state-dir', dirname(runsDir(opts, cwd)));
  return journal;
}

/**
 * --resume [ID]: the run to continue (default: the latest of this playbook and inventory),
 * refused when its inputs changed since it began (unless --force).
 */
export function prepareResume(
  opts: Options,
  cwd: string,
  playbook: Playbook,
): { replay: Replay<TaskOutcome>; from: RunSummary; notes: string[] } {
  const runs = listRuns(runsDir(opts, cwd));
  const inventoryPath = opts.inventory?.join(',') ?? '';
  const wanted = opts.resume ?? 'latest';
  const candidates =
    wanted === 'latest'
      ? runs.filter(
          (r) => r.header.playbook.path === playbook.file && r.header.inventory.path === inventoryPath && r.header.mode === 'apply',
        )
      : runs.filter((r) => r.id.startsWith(wanted));
  const from = candidates[0];
  if (!from)
    throw new UsageError(
      wanted === 'latest'
        ? `--resume: no earlier run of ${playbook.file} with -i ${inventoryPath} in ${runsDir(opts, cwd)}`
        : `--resume: no run '${wanted}' (runbook runs lists them)`,
    );
  if (from.status === 'running')
    throw new UsageError(`--resume: run ${from.id} is still running (pid ${from.header.pid} on ${from.header.controller})`);
  const changed = changedInputs(from.header);
  if (changed.length && !opts.force)
    throw new UsageError(
      `--resume: refusing to resume run ${from.id}: ${changed.join(', ')} since it began (re-run without --resume, or --force)`,
    );
  const replay = replayFrom<TaskOutcome>(readJournal(join(from.dir, 'journal.jsonl')).lines);
  const notes = [`resuming run ${from.id} (${from.status}): ${replay.recorded} finished results are replayed, the rest runs again`];
  if (changed.length) notes.push(`--force: resuming although ${changed.join(', ')}`);
  return { replay, from, notes };
}

/**
 * The incident report of a finished run: `report.md` beside its journal, and (--report FILE)
 * a copy where the operator asked. Built from the journal, as `runbook runs show` builds it.
 */
export function writeReport(runDir: string, cwd: string, file?: string): { report: IncidentReport; path: string } | undefined {
  const read = readJournal(join(runDir, 'journal.jsonl')); // once, for the summary and the report
  const summary = summarize(runDir, read);
  if (!summary) return undefined;
  const report = buildReport(summary, read.lines);
  const md = reportMarkdown(report);
  writeFileSync(join(runDir, 'report.md'), md, { mode: 0o600 });
  if (file) writeFileSync(resolve(cwd, file), md, { mode: 0o600 });
  return { report, path: join(runDir, 'report.md') };
}

/** After the recap: what the operator needs next, without -v (the verify result, the old data). */
export function reportEndLines(r: IncidentReport, path: string): string[] {
  const out: string[] = [];
  if (r.verify) out.push(`${r.verify.ok ? 'Verified' : 'Verification FAILED'}: ${r.verify.msg.replace(/^verified: /, '')}`);
  if (r.movedAside.length) out.push(`Old data moved aside (kept): ${r.movedAside.map((m) => `${m.host} ${asideText(m)}`).join(', ')}`);
  out.push(`Incident report: ${path} (runbook runs show ${r.run.id} --format md)`);
  return out;
}
