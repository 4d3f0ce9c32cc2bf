// The incident report as Markdown, to paste into the ticket: every section present (an empty
// one says so), tables GitHub/GitLab/Jira-markdown render, nothing but what the journal holds.
import { asideText, type IncidentReport, type ReportStep } from './report.js';

const secs = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
// a cell never breaks the table
const cell = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '-' : String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function hms(iso: string): string {
  return iso.slice(11, 23);
}

export function reportMarkdown(r: IncidentReport): string {
  const run = r.run;
  const out: string[] = [];
  out.push(`# Run ${run.id}: ${run.status}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`, '');
  out.push(`- **Playbook:** \`${run.playbook}\`${run.mode === 'check' ? ' (check mode: nothing changed)' : ''}`);
  out.push(`- **Inventory:** \`${run.inventory}\``);
  out.push(`- **Started:** ${run.started}, took ${secs(run.durationMs)}`);
  out.push(`- **Run by:** ${run.user}@${run.controller} (pid ${run.pid}): \`${run.command}\``);
  out.push(
    `- **Runbook version:** ${run.git ? `git ${run.git.commit}${run.git.dirty ? ' **(dirty: uncommitted changes)**' : ''} on ${run.git.branch}` : 'not in git'}; content sha256 ${run.contentHash}`,
  );
  if (Object.keys(run.extraVars).length) out.push(`- **Extra vars:** \`${JSON.stringify(run.extraVars)}\``);
  if (run.resumedFrom) out.push(`- **Resumed:** run ${run.resumedFrom}`);
  out.push('');

  out.push('## What was wrong', '');
  if (r.facts.length)
    out.push(
      ...table(
        ['host', 'state read'],
        r.facts.map((f) => [f.host, f.summary]),
      ),
    );
  else out.push('No member state was read by this playbook.');
  out.push('');

  out.push('## What was decided, and why', '');
  const d = r.decision;
  if (!d) out.push('This playbook made no recovery decision.');
  else {
    out.push(`- **Action:** ${d.action}${d.survivor ? `, survivor **${d.survivor}**` : ''}`);
    if (d.reason) out.push(`- **Why:** ${d.reason}`);
    if (d.strategy) out.push(`- **Strategy:** ${d.strategy}${d.strategyReason ? ` (${d.strategyReason})` : ''}`);
    if (d.recoveryId) out.push(`- **Recovery id:** ${d.recoveryId}${d.snapshot ? `, snapshot \`${d.snapshot}\`` : ''}`);
    if (d.join.length) out.push(`- **Rejoined:** ${d.join.join(', ')}`);
    const rebuilt = d.rebuilt.length
      ? `${d.rebuilt.join(', ')} rebuilt from the survivor, which had everything ${d.rebuilt.length === 1 ? 'it' : 'they'} had`
      : '';
    out.push(`- **Data given up:** ${d.givenUp.length ? '' : `none${rebuilt ? ` (${rebuilt})` : ''}`}`);
    for (const g of d.givenUp) out.push(`  - ${g}`);
    if (d.givenUp.length && rebuilt) out.push(`  - ${rebuilt}`);
    if (d.table.length) {
      out.push(
        '',
        ...table(
          ['host', 'member', 'state', 'revision', 'raft term', 'raft index', 'read from'],
          d.table.map((t) => [t['host'], t['name'], t['state'], t['revision'], t['raft_term'], t['raft_index'], t['source']]),
        ),
      );
    }
  }
  out.push('');

  out.push('## Timeline', '');
  const shown = r.timeline.filter((s) => s.status !== 'skipped');
  const skipped = r.timeline.length - shown.length;
  out.push(
    ...table(
      ['start (UTC)', 'step', 'host', 'took', 'result'],
      shown.map((s: ReportStep) => [
        hms(s.start),
        s.step,
        s.delegatedTo ? `${s.host} -> ${s.delegatedTo}` : s.host,
        secs(s.durationMs),
        s.replayed ? `replayed (${s.status} in the run resumed)` : s.msg && s.status !== 'ok' ? `${s.status}: ${s.msg}` : s.status,
      ]),
    ),
  );
  if (skipped)
    out.push('', `${skipped} skipped step${skipped === 1 ? '' : 's'} not shown (runbook runs show ${run.id} --format json has them).`);
  out.push('');

  out.push('## Where the old data went', '');
  if (r.movedAside.length)
    out.push(
      ...table(
        ['host', 'moved aside to'],
        r.movedAside.map((m) => [m.host, asideText(m)]),
      ),
    );
  else out.push('Nothing was moved aside.');
  out.push('');

  out.push('## Verification', '');
  const v = r.verify;
  if (!v) out.push('This playbook ran no verification.');
  else {
    out.push(`- **Result:** ${v.ok ? 'ok' : '**FAILED**'}: ${v.msg}`);
    out.push(`- **Members:** ${v.members.length ? `${v.members.length} (${v.members.join(', ')})` : '-'}`);
    out.push(`- **Cluster id:** ${v.clusterIds.join(', ') || '-'}${v.clusterIds.length > 1 ? ' **(more than one cluster)**' : ''}`);
    out.push(
      `- **Keys:** ${v.keyCount ?? '-'}${v.keysBefore !== undefined ? ` (the survivor had ${v.keysBefore} after its restore${v.keyCount === v.keysBefore ? ': all there' : ''})` : ''}`,
    );
    out.push(`- **Test write:** ${v.testWrite ? 'ok' : 'not done or failed'}`);
  }
  out.push('');

  if (r.failures.length) {
    out.push(
      '## Failures',
      '',
      ...table(
        ['step', 'host', 'why'],
        r.failures.map((f) => [f.step, f.host, f.msg ?? f.status]),
      ),
      '',
    );
  }
  out.push('## Recap', '');
  const hosts = Object.keys(r.recap).sort();
  if (hosts.length)
    out.push(
      ...table(
        ['host', 'ok', 'changed', 'unreachable', 'failed', 'skipped'],
        hosts.map((h) => [
          h,
          r.recap[h]!['ok'],
          r.recap[h]!['changed'],
          r.recap[h]!['unreachable'],
          r.recap[h]!['failed'],
          r.recap[h]!['skipped'],
        ]),
      ),
    );
  else out.push('The run did not finish: no recap was recorded.');
  return out.join('\n') + '\n';
}
