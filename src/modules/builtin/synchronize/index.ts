// ansible.posix.synchronize: dest holds what src holds, as rsync makes it — pushed from the
// controller to the host, or pulled back (mode: pull). check() is rsync --dry-run and reads its
// itemized output (Ansible's check mode); apply() runs rsync for real. Changed when rsync names
// an item. rsync's ssh is the host's connection's own: its address, port, user and keys, pinned
// to the host key runbook verified (route.ts, connection/ssh/external.ts).
import { changed, failed, ok, type ModuleResult, type ResultFields } from '../../../core/result.js';
import { quoteArgv } from '../../../connection/quote.js';
import type { SynchronizeArgs } from '../../generated/args.js';
import type { Module, ModuleContext, Prediction } from '../../types.js';
import { readReport, rsyncArgv } from './argv.js';
import { routeOf, type Route } from './route.js';

interface Plan {
  readonly route: Route;
}

type Run =
  { readonly ok: true; readonly changed: boolean; readonly fields: ResultFields } | { readonly ok: false; readonly result: ModuleResult };

async function runRsync(ctx: ModuleContext, a: SynchronizeArgs, route: Route, dryRun: boolean): Promise<Run> {
  const built = rsyncArgv(a, { ...route, dryRun });
  if ('error' in built) return { ok: false, result: failed(built.error, { rc: 1 }) };
  const cmd = quoteArgv(built.argv);
  const r = await route.runner.exec(built.argv, {
    env: ctx.env,
    ...(route.become ? { become: route.become } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (r.rc !== 0) {
    const msg =
      r.rc === 127 && /ENOENT|not found/.test(r.stderr)
        ? `${route.rsync} is not installed where rsync runs (${route.runner.host}): ${r.stderr.trim()}`
        : r.stderr;
    return { ok: false, result: failed(msg, { rc: r.rc, cmd }) };
  }
  const report = readReport(r.stdout, (a.link_dest ?? []).length > 0);
  return { ok: true, changed: report.changed, fields: { msg: report.msg, rc: 0, cmd, data: { stdout_lines: report.lines } } };
}

const synchronize: Module<SynchronizeArgs, Plan> = {
  name: 'synchronize',
  async check(ctx, a): Promise<Prediction<Plan>> {
    if (a.use_ssh_args)
      return { kind: 'failed', result: failed('use_ssh_args is not supported: runbook has no ansible_ssh_args for rsync to reuse') };
    const route = await routeOf(ctx, a);
    if ('error' in route) return { kind: 'failed', result: failed(route.error) };
    const dry = await runRsync(ctx, a, route, true);
    if (!dry.ok) return { kind: 'failed', result: dry.result };
    if (!dry.changed) return { kind: 'unchanged', result: ok(dry.fields) };
    const items = (dry.fields.data?.['stdout_lines'] as string[] | undefined)?.length ?? 0;
    return { kind: 'change', summary: `rsync ${route.src} → ${route.dest}: ${items} item(s)`, plan: { route }, checkFields: dry.fields };
  },
  async apply(ctx, a, prediction) {
    const run = await runRsync(ctx, a, prediction.plan.route, false);
    if (!run.ok) return run.result;
    return run.changed ? changed(run.fields) : ok(run.fields);
  },
};

export default synchronize;
