// `runbook plan` and `runbook apply`: load and validate, then run with a reporter.
import { renderDiagnostic, DiagnosticError } from '../core/diagnostic.js';
import { loadPlaybook } from '../playbook/load.js';
import { moduleCatalog, loadModule } from '../modules/catalog.js';
import { loadInventory, emptyInventory } from '../inventory/index.js';
import { EventBus, type RunEvent } from '../executor/events.js';
import { runPlaybook, type RunDeps } from '../executor/run.js';
import type { RunOptions } from '../executor/options.js';
import type { RunControl } from '../executor/run-context.js';
import { splitTagOption } from '../plan/tags.js';
import { decisionBook } from '../plan/decisions.js';
import { checkTargets, describeNoTargets } from '../plan/targets.js';
import { UsageError, type Options } from './args.js';
import { EXIT } from './exit.js';
import { parseExtraVars } from './extra-vars.js';
import { openHostConnection } from './connect.js';
import { withHostLock } from './host-lock.js';
import type { LockOwner } from '../journal/lock.js';
import { basename } from 'node:path';
import { hostname, userInfo } from 'node:os';
import { askYesNo, readSecret } from './prompt.js';
import { answerVarsPrompts, PromptRefused } from './vars-prompt.js';
import { createReporter, type ReporterKind } from '../ui/index.js';
import type { Playbook } from '../playbook/model.js';
import type { Inventory } from '../inventory/model.js';

export async function runCommand(mode: 'plan' | 'apply', positionals: string[], opts: Options): Promise<number> {
  opts = { ...opts };
  if (positionals.length !== 1) throw new UsageError(`${mode} needs exactly one playbook (runbook ${mode} PLAYBOOK -i INVENTORY)`);
  const cwd = process.cwd();
  const catalog = moduleCatalog();
  const sp = await import('./saved-plan.js');
  // `apply plan.json`: the saved plan names the playbook, inventory, extra vars, limit and tags
  const saved = mode === 'apply' && positionals[0]!.endsWith('.json') ? sp.readPlan(positionals[0]!, cwd) : undefined;
  if (mode === 'apply' && positionals[0]!.endsWith('.json') && !saved) throw new UsageError(`${positionals[0]} is not a plan saved by runbook plan -o`);
  if (saved) {
    const extraVars = sp.planExtraVars(saved, parseExtraVars(opts['extra-vars'], cwd));
    opts = { ...opts, inventory: saved.inventory ? [saved.inventory] : [], 'extra-vars': [JSON.stringify(extraVars)], tags: [...saved.tags.only], 'skip-tags': [...saved.tags.skip], yes: true };
    if (saved.limit) opts.limit = saved.limit;
  }
  const loaded = loadPlaybook(saved ? saved.playbook : positionals[0]!, catalog, cwd, { rolesPath: opts['roles-path'] ?? [] });
  for (const d of loaded.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
  if (!loaded.playbook) return EXIT.invalid;
  let inventory: Inventory;
  try {
    inventory = opts.inventory?.length ? await loadInventory(opts.inventory.join(','), { cwd, playbookDir: loaded.playbook.dir }) : emptyInventory();
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
      return EXIT.invalid;
    }
    throw e;
  }
  // a play that targets nothing is an error, not "Plan: 0 to change" (plan/targets.ts)
  const noTargets = checkTargets(loaded.playbook, inventory, { limit: opts.limit, inventoryGiven: (opts.inventory?.length ?? 0) > 0 });
  if (noTargets) {
    process.stderr.write(`runbook: ${describeNoTargets(noTargets, opts.inventory?.join(',') ?? '(none)')}\n`);
    return EXIT.invalid;
  }
  const forks = opts.forks === undefined ? 20 : Number(opts.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a positive integer, got '${opts.forks}'`);
  const connectTimeout = opts['connect-timeout'] === undefined ? 10 : Number(opts['connect-timeout']);
  if (!(connectTimeout > 0)) throw new UsageError(`--connect-timeout must be a number of seconds, got '${opts['connect-timeout']}'`);
  const check = mode === 'plan' || opts.check === true;
  const base: { -readonly [K in keyof RunOptions]: RunOptions[K] } = {
    check,
    diff: opts.diff === true,
    ...(opts.limit ? { limit: opts.limit } : {}),
    tags: { only: splitTagOption(opts.tags), skip: splitTagOption(opts['skip-tags']) },
    forks,
    verbosity: opts.verbose?.length ?? 0,
    extraVars: parseExtraVars(opts['extra-vars'], cwd),
    acceptNewHostKeys: opts['accept-new-host-keys'] === true,
    connectTimeoutMs: connectTimeout * 1000,
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
  const planFile = mode === 'plan' ? sp.planOut(opts.out, opts.output) : undefined;
  if (planFile) delete opts.output;
  const output = opts.output ?? (process.stdout.isTTY && (process.stdout.columns ?? 0) >= 40 ? 'tty' : 'plain');
  if (!['tty', 'plain', 'json'].includes(output)) throw new UsageError(`--output must be tty, plain or json, got '${output}'`);
  const verbosity = opts.verbose?.length ?? 0;

  if (mode === 'apply' && !check && opts.yes !== true) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stderr.write('runbook: refusing to apply without confirmation: no terminal to ask on. Review with `runbook plan`, then re-run with --yes.\n');
      return EXIT.invalid;
    }
    // the plan shown is the plan applied: its decisions (ids, survivor, paths...) are pinned
    const shown = (await import('../executor/plan-steps.js')).planCollector();
    const planned = await execute(playbook, inventory, { ...base, check: true }, 'plan', verbosity, shown.onEvent);
    if (planned.exitCode === EXIT.interrupted) return planned.exitCode;
    if (!(await askYesNo('Apply these changes? [y/N] '))) {
      process.stderr.write('Nothing applied.\n');
      return EXIT.ok;
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
  // every apply is recorded (journal.jsonl, fsynced per event); plans are not
  const jl = mode === 'apply' ? await import('./journal.js') : undefined;
  if (opts.resume !== undefined) {
    if (!jl) throw new UsageError('--resume applies to apply, not plan');
    const r = jl.prepareResume(opts, cwd, playbook);
    for (const n of r.notes) process.stderr.write(`runbook: ${n}\n`);
    base.resume = r.replay;
    base.recordOutcomes = true;
    resumedFrom = r.from.id;
  }
  const journal = jl?.openJournal(playbook, inventory, opts, cwd, base.extraVars, check, resumedFrom);
  if (journal) base.recordOutcomes = true;
  try {
    const hostLock = journal && !check ? { run: basename(journal.dir), pid: process.pid, controller: hostname(), user: userInfo().username, since: new Date().toISOString() } : undefined;
    const steps = planFile ? (await import('../executor/plan-steps.js')).planCollector() : undefined;
    const listen = journal ? (e: RunEvent) => journal.append(e) : steps?.onEvent;
    const r = await execute(playbook, inventory, base, kind, verbosity, listen, hostLock ? { owner: hostLock, breakLock: opts['break-lock'] === true } : undefined);
    if (planFile && steps) {
      sp.writePlan(planFile, playbook, inventory, opts.inventory?.join(',') ?? '', base, steps);
      process.stderr.write(`Plan saved to ${planFile}: apply exactly this plan with runbook apply ${planFile}\n`);
    }
    return r.exitCode;
  } finally {
    journal?.close();
  }
}

async function execute(
  playbook: Playbook, inventory: Inventory, options: RunOptions, kind: ReporterKind, verbosity: number,
  record?: (e: RunEvent) => void, hostLock?: { owner: LockOwner; breakLock: boolean },
): Promise<{ exitCode: number }> {
  const bus = new EventBus();
  if (record) bus.on(record);
  const reporter = await createReporter(kind, process.stdout, { verbosity, color: process.stdout.isTTY === true && !process.env['NO_COLOR'], diff: options.diff });
  bus.on((e) => reporter.onEvent(e));
  const abort = new AbortController();
  const control: RunControl = { stopping: false, signal: abort.signal };
  const onSigint = (): void => {
    if (!control.stopping) {
      control.stopping = true;
      process.stderr.write('\nInterrupted: finishing the tasks that are running, starting no new one (Ctrl-C again to abort).\n');
    } else {
      abort.abort();
      process.stderr.write('\nAborting.\n');
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const r = await runPlaybook(playbook, inventory, options, bus, control, {
      ...deps(options),
      openConnection: hostLock
        ? withHostLock((host, vars) => openHostConnection(host, vars, options), hostLock.owner, hostLock.breakLock, (m) => process.stderr.write(`runbook: ${m}\n`))
        : deps(options).openConnection,
    });
    return { exitCode: r.exitCode };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await reporter.close();
  }
}

function deps(options: RunOptions): RunDeps {
  return { catalog: moduleCatalog(), loadModule, openConnection: (host, vars) => openHostConnection(host, vars, options) };
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
