// `runbook runs` (recent runs) and `runbook runs show ID` (one run: who, what, from which
// commit, its recap, and the results that changed or failed).
import { join } from 'node:path';
import { listRuns, readJournal } from '../journal/read.js';
import type { RunSummary } from '../journal/model.js';
import { asideText, buildReport } from '../journal/report.js';
import { reportMarkdown } from '../journal/report-markdown.js';
import { UsageError, type Options } from './args.js';
import { EXIT } from './exit.js';
import { findRunsDir } from './journal.js';

const secs = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);

function find(runs: RunSummary[], id: string): RunSummary {
  const hits = id === 'latest' ? runs.slice(0, 1) : runs.filter((r) => r.id.startsWith(id));
  if (hits.length === 0) throw new UsageError(`no run '${id}' (runbook runs lists them)`);
  if (hits.length > 1) throw new UsageError(`'${id}' names ${hits.length} runs: give more of the id`);
  return hits[0]!;
}

export function runsCommand(args: string[], opts: Options): number {
  const { dir, remembered } = findRunsDir(opts, process.cwd());
  if (remembered) process.stderr.write(`runbook: runs recorded in ${dir} (by the last apply; -i INVENTORY or --state-dir for others)\n`);
  const runs = listRuns(dir);
  const out = (l: string) => process.stdout.write(l + '\n');
  if (args.length === 0 || args[0] === 'list') {
    if (opts.format === 'json' || opts.output === 'json') {
      out(
        JSON.stringify(
          runs.slice(0, 20).map((r) => ({
            id: r.id,
            status: r.status,
            durationMs: r.durationMs,
            changed: r.changed,
            failed: r.failed,
            playbook: r.header.playbook.path,
            mode: r.header.mode,
            started: r.header.started,
            user: r.header.user,
            controller: r.header.controller,
          })),
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (runs.length === 0) {
      out(`no runs recorded in ${dir}`);
      return EXIT.ok;
    }
    out(
      ['RUN'.padEnd(28), 'STATUS'.padEnd(12), 'DURATION'.padStart(8), 'CHANGED'.padStart(8), 'FAILED'.padStart(7), '  PLAYBOOK'].join(''),
    );
    for (const r of runs.slice(0, 20)) {
      out(
        [
          r.id.padEnd(28),
          r.status.padEnd(12),
          secs(r.durationMs).padStart(8),
          String(r.changed).padStart(8),
          String(r.failed).padStart(7),
          `  ${r.header.playbook.path}${r.header.mode === 'check' ? ' (check)' : ''}`,
        ].join(''),
      );
    }
    return EXIT.ok;
  }
  if (args[0] !== 'show' || !args[1])
    throw new UsageError('usage: runbook runs [list] | runbook runs show ID|latest [--format text|md|json]');
  const format = opts.format ?? (opts.output === 'json' ? 'json' : 'text');
  if (!['text', 'md', 'json'].includes(format)) throw new UsageError(`--format must be text, md or json, got '${format}'`);
  const r = find(runs, args[1]);
  if (format !== 'text') {
    const report = buildReport(r, readJournal(join(r.dir, 'journal.jsonl')).lines);
    process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : reportMarkdown(report));
    return EXIT.ok;
  }
  const h = r.header;
  out(
    `run ${h.id}: ${r.status}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}, ${secs(r.durationMs)}${r.torn ? ' (last line torn: the run crashed while writing)' : ''}`,
  );
  out(`  by ${h.user}@${h.controller} (pid ${h.pid}) at ${h.started}: runbook ${h.argv.join(' ')}`);
  out(`  playbook ${h.playbook.path} sha256:${h.playbook.sha256.slice(0, 16)}…`);
  if (h.git)
    out(
      `  git ${h.git.commit}${h.git.dirty ? ' (dirty: uncommitted changes)' : ''} on ${h.git.branch}  (git show ${h.git.commit.slice(0, 12)})`,
    );
  out(`  inventory ${h.inventory.path} (${h.inventory.files.length} file${h.inventory.files.length === 1 ? '' : 's'})`);
  if (Object.keys(h.extraVars).length) out(`  extra vars ${JSON.stringify(h.extraVars)}`);
  const { lines } = readJournal(join(r.dir, 'journal.jsonl'));
  const report = buildReport(r, lines);
  const d = report.decision;
  if (d)
    out(
      `  decision: ${d.action}${d.survivor ? ` from ${d.survivor}` : ''}${d.strategy ? ` (strategy ${d.strategy})` : ''}${d.reason ? `: ${d.reason}` : ''}`,
    );
  for (const m of report.movedAside) out(`  moved aside on ${m.host}: ${asideText(m)}`);
  if (report.verify) out(`  verify: ${report.verify.ok ? '' : 'FAILED: '}${report.verify.msg}`);
  for (const s of report.timeline) {
    if (s.status !== 'changed' && s.status !== 'failed' && s.status !== 'unreachable') continue;
    out(
      `  ${(s.replayed ? 'replayed' : s.status).padEnd(11)} [${s.host}${s.delegatedTo ? ` -> ${s.delegatedTo}` : ''}] ${s.step} (${secs(s.durationMs)})${s.msg ? `: ${s.msg}` : ''}`,
    );
  }
  const end = lines.find((l) => l.type === 'run-end') as { recap?: Record<string, Record<string, number>> } | undefined;
  if (end?.recap) {
    out('  recap:');
    for (const [host, c] of Object.entries(end.recap))
      out(
        `    ${host.padEnd(20)} ok=${c['ok']} changed=${c['changed']} unreachable=${c['unreachable']} failed=${c['failed']} skipped=${c['skipped']}`,
      );
  }
  out(`  the incident report: runbook runs show ${h.id} --format md`);
  return EXIT.ok;
}
