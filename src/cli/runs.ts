// `runbook runs` (recent runs) and `runbook runs show ID` (one run: who, what, from which
// commit, its recap, and the results that changed or failed).
import { join } from 'node:path';
import { listRuns, readJournal } from '../journal/read.js';
import type { RunSummary } from '../journal/model.js';
import { UsageError, type Options } from './args.js';
import { EXIT } from './exit.js';
import { runsDir } from './journal.js';

const secs = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);

function find(runs: RunSummary[], id: string): RunSummary {
  const hits = id === 'latest' ? runs.slice(0, 1) : runs.filter((r) => r.id.startsWith(id));
  if (hits.length === 0) throw new UsageError(`no run '${id}' (runbook runs lists them)`);
  if (hits.length > 1) throw new UsageError(`'${id}' names ${hits.length} runs: give more of the id`);
  return hits[0]!;
}

export function runsCommand(args: string[], opts: Options): number {
  const dir = runsDir(opts, process.cwd());
  const runs = listRuns(dir);
  const out = (l: string) => process.stdout.write(l + '\n');
  if (args.length === 0 || args[0] === 'list') {
    if (runs.length === 0) {
      out(`no runs recorded in ${dir}`);
      return EXIT.ok;
    }
    out(['RUN'.padEnd(28), 'STATUS'.padEnd(12), 'DURATION'.padStart(8), 'CHANGED'.padStart(8), 'FAILED'.padStart(7), '  PLAYBOOK'].join(''));
    for (const r of runs.slice(0, 20)) {
      out([r.id.padEnd(28), r.status.padEnd(12), secs(r.durationMs).padStart(8), String(r.changed).padStart(8), String(r.failed).padStart(7), `  ${r.header.playbook.path}${r.header.mode === 'check' ? ' (check)' : ''}`].join(''));
    }
    return EXIT.ok;
  }
  if (args[0] !== 'show' || !args[1]) throw new UsageError('usage: runbook runs [list] | runbook runs show ID|latest');
  const r = find(runs, args[1]);
  const h = r.header;
  out(`run ${h.id}: ${r.status}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}, ${secs(r.durationMs)}${r.torn ? ' (last line torn: the run crashed while writing)' : ''}`);
  out(`  by ${h.user}@${h.controller} (pid ${h.pid}) at ${h.started}: runbook ${h.argv.join(' ')}`);
  out(`  playbook ${h.playbook.path} sha256:${h.playbook.sha256.slice(0, 16)}…`);
  if (h.git) out(`  git ${h.git.commit}${h.git.dirty ? ' (dirty: uncommitted changes)' : ''} on ${h.git.branch}  (git show ${h.git.commit.slice(0, 12)})`);
  out(`  inventory ${h.inventory.path} (${h.inventory.files.length} file${h.inventory.files.length === 1 ? '' : 's'})`);
  if (Object.keys(h.extraVars).length) out(`  extra vars ${JSON.stringify(h.extraVars)}`);
  const { lines } = readJournal(join(r.dir, 'journal.jsonl'));
  for (const l of lines) {
    if (l.type !== 'host-result') continue;
    const e = l as unknown as { task: string; host: string; delegatedTo?: string; resumed?: boolean; result: { status: string; msg?: string; predicted?: string } };
    if (e.result.status !== 'changed' && e.result.status !== 'failed' && e.result.status !== 'unreachable') continue;
    const msg = e.result.msg ?? e.result.predicted ?? '';
    // a change replayed from the run resumed was made by that run
    const status = e.resumed ? 'replayed' : e.result.status;
    out(`  ${status.padEnd(11)} [${e.host}${e.delegatedTo ? ` -> ${e.delegatedTo}` : ''}] ${e.task}${msg ? `: ${msg.split('\n')[0]}` : ''}`);
  }
  const end = lines.find((l) => l.type === 'run-end') as { recap?: Record<string, Record<string, number>> } | undefined;
  if (end?.recap) {
    out('  recap:');
    for (const [host, c] of Object.entries(end.recap)) out(`    ${host.padEnd(20)} ok=${c['ok']} changed=${c['changed']} unreachable=${c['unreachable']} failed=${c['failed']} skipped=${c['skipped']}`);
  }
  return EXIT.ok;
}
