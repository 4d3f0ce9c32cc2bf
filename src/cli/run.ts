// `runbook plan` and `runbook apply`: load and validate, then run with a reporter.
import { renderDiagnostic, DiagnosticError } from '../core/diagnostic.js';
import { loadPlaybook } from '../playbook/load.js';
import { staticLookups } from '../executor/lookups.js';
import { moduleCatalog, loadModule } from '../modules/catalog.js';
import { loadInventory, emptyInventory } from '../inventory/index.js';
import { EventBus, type RunEvent } from '../executor/events.js';
import { runPlaybook, type RunDeps } from '../executor/run.js';
import type { RunOptions } from '../executor/options.js';
import type { RunControl } from '../executor/run-context.js';
import { splitTagOption } from '../plan/tags.js';
import { decisionBook } from '../plan/decisions.js';
import { describeNoTargets, playTargets } from '../plan/targets.js';
import { UsageError, type Options } from './args.js';
import { EXIT, exitCodeOf, withExitCode } from './exit.js';
import { parseExtraVars } from './extra-vars.js';
import { listed, startAtOption, syntaxCheck } from './ansible-listing.js';
import { connectionDefaults, connectTimeoutMs, openHostConnection, type HostWarning } from './connect.js';
import { withHostLock } from './host-lock.js';
import type { LockOwner } from '../journal/lock.js';
import { basename } from 'node:path';
import { setMaxListeners } from 'node:events';
import { hostname, userInfo } from 'node:os';
import { askYesNo, openTerminal, readSecret } from './prompt.js';
import { answerVarsPrompts, PromptRefused } from './vars-prompt.js';
import { createReporter, type ReporterKind } from '../ui/index.js';
import { flush } from '../ui/io.js';
import { TurnBatch } from '../core/turn-batch.js';
import { batchedStreams } from './turn-output.js';
import type { Playbook } from '../playbook/model.js';
import type { Inventory } from '../inventory/model.js';
import type { RunSummary } from '../journal/model.js';
import type { RunProfile } from './profile.js';
import type { RunVerdict } from '../core/verdict.js';

export async function runCommand(mode: 'plan' | 'apply', positionals: string[], opts: Options): Promise<number> {
  opts = { ...opts };
  // RUNBOOK_PROFILE=1: a per-phase breakdown on stderr at the end (cli/profile.ts)
  const profile = process.env['RUNBOOK_PROFILE']
    ? new (await import('./profile.js')).RunProfile(undefined, process.env['RUNBOOK_PROFILE'] === '2')
    : undefined;
  profile?.phase('start-up (node, imports)', performance.now());
  const loadStart = performance.now();
  if (positionals.length !== 1) throw new UsageError(`${mode} needs exactly one playbook (runbook ${mode} PLAYBOOK -i INVENTORY)`);
  const cwd = process.cwd();
  await (await import('./vault-secrets.js')).loadVaultSecrets(opts, cwd);
  // one flag, one meaning: -o is the output format; a plan is saved with --out
  if (opts.output !== undefined && !['tty', 'plain', 'json'].includes(opts.output)) {
    throw new UsageError(
      `-o/--output is the output format (tty, plain or json), got '${opts.output}'${mode === 'plan' ? `; save a plan with --out ${opts.output}` : ''}`,
    );
  }
  if (opts.out !== undefined && mode !== 'plan') throw new UsageError('--out saves a plan: runbook plan PLAYBOOK -i INV --out FILE');
  if (opts.report !== undefined && mode !== 'apply')
    throw new UsageError('--report writes the incident report of an apply: runbook apply PLAYBOOK -i INV --report FILE');
  if (opts['syntax-check']) return syntaxCheck(positionals[0]!, opts);
  const catalog = moduleCatalog();
  const sp = await import('./saved-plan.js');
  // `apply plan.json`: the saved plan names the playbook, inventory, extra vars, limit and tags
  const saved = mode === 'apply' && positionals[0]!.endsWith('.json') ? sp.readPlan(positionals[0]!, cwd) : undefined;
  if (mode === 'apply' && positionals[0]!.endsWith('.json') && !saved)
    throw new UsageError(`${positionals[0]} is not a plan saved by runbook plan --out`);
  if (saved) opts = sp.savedOptions(saved, opts, parseExtraVars(opts['extra-vars'], cwd));
  const loaded = loadPlaybook(saved ? saved.playbook : positionals[0]!, catalog, cwd, {
    rolesPath: opts['roles-path'] ?? [],
    lookups: staticLookups,
  });
  for (const d of loaded.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
  if (!loaded.playbook) return EXIT.invalid;
  // the journal header's git facts: git runs beside the rest of the start (apply records, plan does not)
  const gitAhead = mode === 'apply' ? (await import('../journal/header.js')).gitInfoAsync(loaded.playbook.file) : undefined;
  let inventory: Inventory;
  try {
    inventory = opts.inventory?.length
      ? await loadInventory(opts.inventory.join(','), { cwd, playbookDir: loaded.playbook.dir })
      : emptyInventory();
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
      return EXIT.invalid;
    }
    throw e;
  }
  // the inventory's warnings (a duplicate key...) are said as ansible-playbook says them, before the run
  for (const w of inventory.warnings ?? []) process.stderr.write(renderDiagnostic(w) + '\n');
  profile?.phase('load playbook + inventory', performance.now() - loadStart);
  const extraVars = parseExtraVars(opts['extra-vars'], cwd);
  const listing = listed(loaded.playbook, inventory, opts, extraVars, positionals[0]!);
  if (listing !== undefined) return listing;
  // a run that targets nothing is an error, not "Plan: 0 to change"; as Ansible, a play matching nothing is
  // skipped and a name the inventory does not know is warned about (plan/targets.ts)
  const targets = playTargets(loaded.playbook, inventory, {
    limit: opts.limit,
    inventoryGiven: (opts.inventory?.length ?? 0) > 0,
    extraVars,
  });
  if (targets.error) {
    process.stderr.write(`runbook: ${describeNoTargets(targets.error, opts.inventory?.join(',') ?? '(none)')}\n`);
    return EXIT.invalid;
  }
  for (const e of targets.skipped)
    for (const u of e.unknown) process.stderr.write(`[WARNING]: Could not match supplied host pattern, ignoring: ${u} (${e.where})\n`);
  const forks = opts.forks === undefined ? 20 : Number(opts.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a positive integer, got '${opts.forks}'`);
  const check = mode === 'plan' || opts.check === true;
  const base: { -readonly [K in keyof RunOptions]: RunOptions[K] } = {
    check,
    diff: opts.diff === true,
    ...(opts.limit ? { limit: opts.limit } : {}),
    tags: { only: splitTagOption(opts.tags), skip: splitTagOption(opts['skip-tags']) },
    forks,
    verbosity: opts.verbose?.length ?? 0,
    extraVars,
    acceptNewHostKeys: opts['accept-new-host-keys'] === true,
    connectTimeoutMs: connectTimeoutMs(opts),
    ...startAtOption(opts, loaded.playbook.plays),
    ...connectionDefaults(opts, cwd),
    cwd,
    ...(await secrets(opts)),
  };
  let playbook: Playbook;
  try {
    playbook = await answerVarsPrompts(loaded.playbook, base.extraVars);
  } catch (e) {
    if (!(e instanceof PromptRefused)) throw e;
    process.stderr.write(`${e.message}\n`);
    return EXIT.invalid;
  }
  if (base.sshPassphrase === undefined) {
    const asked = await (await import('./passphrase.js')).askKeyPassphrase(inventory);
    if (asked !== undefined) base.sshPassphrase = asked;
  }
  // the live view needs a real terminal width (a pty without a size would wrap every character)
  const planFile = mode === 'plan' ? opts.out : undefined;
  const output = opts.output ?? (process.stdout.isTTY && (process.stdout.columns ?? 0) >= 40 ? 'tty' : 'plain');
  if (!['tty', 'plain', 'json'].includes(output)) throw new UsageError(`--output must be tty, plain or json, got '${output}'`);
  const verbosity = opts.verbose?.length ?? 0;

  if (mode === 'apply' && !check && opts.yes !== true) {
    // no terminal: a plan that changes nothing still runs (health.yml from cron); any other is refused
    const term = openTerminal();
    // the plan shown is the plan applied: its decisions (ids, survivor, paths...) are pinned
    const shown = (await import('../executor/plan-steps.js')).planCollector();
    try {
      const summary = await import('./confirm-summary.js');
      const facts = new summary.PlanFacts();
      const planned = await execute(
        playbook,
        inventory,
        { ...base, check: true },
        'plan',
        verbosity,
        (e) => (shown.onEvent(e), facts.onEvent(e)),
      );
      if (planned.verdict === 'interrupted') return exitCodeOf(planned.verdict);
      // a plan that changes nothing (read-only playbooks: health.yml) needs no confirmation
      if (!shown.steps.some((st) => st.prediction.kind === 'change' || st.prediction.kind === 'unknown')) {
        process.stderr.write('The plan changes nothing: running it without asking.\n');
      } else if (!term) {
        process.stderr.write(
          'runbook: refusing to apply without confirmation: no terminal to ask on. Review with `runbook plan`, then re-run with --yes.\n',
        );
        return EXIT.invalid;
      } else {
        // the plan has scrolled away: its consequences, right above the question
        for (const l of summary.summaryLines(facts, await pastRuns(opts, cwd), playbook.file)) term.output.write(l + '\n');
        if (!(await askYesNo('Apply these changes? [y/N] ', term))) {
          process.stderr.write('Nothing applied.\n');
          return EXIT.ok;
        }
      }
    } finally {
      term?.close();
    }
    base.decisions = decisionBook(shown.decisions);
  }
  let resumedFrom: string | undefined;
  if (saved) {
    await sp.checkPlanStillHolds(saved, playbook, inventory, base, deps(base));
    base.decisions = decisionBook(saved.decisions);
    process.stderr.write(`runbook: the hosts are as the plan saw them (${saved.created}): applying it\n`);
  }
  const kind: ReporterKind = output === 'json' ? 'json' : mode === 'plan' ? 'plan' : (output as ReporterKind);
  // every apply is recorded (journal.jsonl, written once a turn of the event loop, fsynced per task); plans are not
  const jl = mode === 'apply' ? await import('./journal.js') : undefined;
  if (opts.resume !== undefined) {
    if (!jl) throw new UsageError('--resume applies to apply, not plan');
    const r = jl.prepareResume(opts, cwd, playbook);
    for (const n of r.notes) process.stderr.write(`runbook: ${n}\n`);
    base.resume = r.replay;
    base.recordOutcomes = true;
    resumedFrom = r.from.id;
  }
  const turn = new TurnBatch();
  const journalStart = performance.now();
  const journal = jl?.openJournal(
    playbook,
    inventory,
    opts,
    cwd,
    base.extraVars,
    check,
    resumedFrom,
    gitAhead ? await gitAhead : undefined,
  );
  if (journal) base.recordOutcomes = true;
  if (journal) profile?.phase('journal open + inventory lock', performance.now() - journalStart);
  try {
    const hostLock =
      journal && !check
        ? {
            run: basename(journal.dir),
            pid: process.pid,
            controller: hostname(),
            user: userInfo().username,
            since: new Date().toISOString(),
          }
        : undefined;
    const steps = planFile ? (await import('../executor/plan-steps.js')).planCollector() : undefined;
    // the journal's lines of one turn of the event loop in one write; its queue is made before
    // the reporter's, so what stdout shows is in the journal already (core/turn-batch.ts)
    const write = (es: readonly RunEvent[]): void => journal!.appendAll(es);
    const add = journal ? turn.queue(profile ? profile.wrapJournal(write) : write) : undefined;
    // progress events (a wait's elapsed time) are for the eyes, not for the record
    const listen = add ? (e: RunEvent) => void (e.type !== 'progress' && add(e)) : steps?.onEvent;
    const r = await execute(
      playbook,
      inventory,
      base,
      kind,
      verbosity,
      listen,
      hostLock ? { owner: hostLock, breakLock: opts['break-lock'] === true } : undefined,
      profile,
      turn,
    );
    if (planFile && steps) {
      sp.writePlan(planFile, playbook, inventory, opts.inventory?.join(',') ?? '', base, steps);
      process.stderr.write(`Plan saved to ${planFile}: apply exactly this plan with runbook apply ${planFile}\n`);
    }
    return exitCodeOf(r.verdict);
  } finally {
    turn.flush();
    journal?.close();
    if (journal && jl) {
      const written = jl.writeReport(journal.dir, cwd, opts.report);
      if (written && output !== 'json' && !check) process.stdout.write(jl.reportEndLines(written.report, written.path).join('\n') + '\n');
      if (opts.report)
        process.stderr.write(`Incident report written to ${opts.report} (also: runbook runs show ${basename(journal.dir)} --format md)\n`);
    }
    if (profile) process.stderr.write(profile.render());
  }
}

async function execute(
  playbook: Playbook,
  inventory: Inventory,
  options: RunOptions,
  kind: ReporterKind,
  verbosity: number,
  record?: (e: RunEvent) => void,
  hostLock?: { owner: LockOwner; breakLock: boolean },
  profile?: RunProfile,
  turn = new TurnBatch(),
): Promise<{ verdict: RunVerdict }> {
  const bus = new EventBus();
  if (profile) bus.on((e) => profile.onEvent(e));
  if (record) bus.on((e) => record(withExitCode(e)));
  // stdout (and the plain output's stderr: module warnings) once a turn too (the live view draws its own frames)
  const { out, err } = batchedStreams(turn, process.stdout, process.stderr);
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const reporter = await createReporter(kind, kind === 'tty' ? process.stdout : out, { verbosity, color, diff: options.diff, err });
  bus.on((e) => reporter.onEvent(withExitCode(e)));
  const abort = new AbortController();
  // every command running on every host (forks × hosts) listens for the abort: no leak warning at 11
  setMaxListeners(0, abort.signal);
  const control: RunControl = { stopping: false, signal: abort.signal };
  // acknowledged at once, where the operator looks: in the live view when there is one
  const say = (text: string): void => (reporter.notice ? reporter.notice(text) : void process.stderr.write(`\n${text}\n`));
  const onSigint = (): void => {
    if (!control.stopping) {
      control.stopping = true;
      say('Interrupted: finishing the running step, starting no new one; Ctrl-C again to abort.');
    } else {
      abort.abort();
      say('Aborting the running step.');
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    // every warning of the run goes through the bus: the live view stays whole and the journal has it
    const warn: HostWarning = (host, message) => bus.emit({ type: 'warning', host, message });
    const base = deps(options, warn);
    let open = base.openConnection;
    if (profile) open = profile.wrapConnect(open);
    if (hostLock) open = withHostLock(open, hostLock.owner, hostLock.breakLock, warn);
    if (profile) open = profile.wrapLocked(open);
    const r = await runPlaybook(playbook, inventory, options, bus, control, { ...base, openConnection: open });
    return { verdict: r.verdict };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await reporter.close();
    turn.flush();
    await flush(process.stdout);
  }
}

/** before a run's bus exists (checking a saved plan), a warning goes to stderr */
const toStderr: HostWarning = (host, message) => void process.stderr.write(`runbook: warning: ${host}: ${message}\n`);

function deps(options: RunOptions, warn: HostWarning = toStderr): RunDeps {
  return { catalog: moduleCatalog(), loadModule, openConnection: (host, vars) => openHostConnection(host, vars, options, warn) };
}

async function secrets(opts: Options): Promise<{ becomePassword?: string; sshPassphrase?: string }> {
  const out: { becomePassword?: string; sshPassphrase?: string } = {};
  const envName = opts['become-password-env'];
  if (envName) {
    const v = process.env[envName];
    if (v === undefined) throw new UsageError(`--become-password-env ${envName}: that environment variable is not set`);
    out.becomePassword = v;
  } else if (opts['ask-become-pass']) {
    out.becomePassword = await readSecret('BECOME password: ');
  } else if (process.env['RUNBOOK_BECOME_PASSWORD'] !== undefined) {
    out.becomePassword = process.env['RUNBOOK_BECOME_PASSWORD'];
  }
  if (process.env['RUNBOOK_SSH_PASSPHRASE'] !== undefined) out.sshPassphrase = process.env['RUNBOOK_SSH_PASSPHRASE'];
  return out;
}

/** The recorded runs, for the duration the confirmation expects (none when nothing was recorded). */
async function pastRuns(opts: Options, cwd: string): Promise<RunSummary[]> {
  const { runsDir } = await import('./journal.js');
  const { listRuns } = await import('../journal/read.js');
  return listRuns(runsDir(opts, cwd));
}
