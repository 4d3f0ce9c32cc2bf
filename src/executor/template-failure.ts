// What a failed template says: the error, where the task is, and the hint a newcomer needs
// (a fact not gathered, a registered result that is empty because check mode did not run its
// task). Shared by the task's run (task.ts), its conditions (conditions.ts) and the per-host
// keywords (task-hosts.ts).
import { failed, NOT_RUN_IN_CHECK_MODE, type ModuleResult } from '../core/result.js';
import { formatPos, type SourcePos } from '../core/source.js';

/**
 * In check mode a command's registered result has no output (it did not run): say so when a
 * template that reads such a variable fails, and how to make a read-only command run.
 */
export function checkModeHint(scope: Readonly<Record<string, unknown>>, text: string): string {
  const names = Object.entries(scope)
    .filter(
      ([k, v]) => isRecord(v) && (v as Record<symbol, unknown>)[NOT_RUN_IN_CHECK_MODE] === true && new RegExp(`\\b${k}\\b`).test(text),
    )
    .map(([k]) => `'${k}'`);
  if (names.length === 0) return '';
  return `in check mode ${names.join(', ')} has no output because its task did not run (mark a read-only command 'check_mode: false' so it runs in plans)`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function templateFailure(e: unknown, where: string, pos?: SourcePos): ModuleResult {
  const msg = e instanceof Error ? e.message : String(e);
  // Ansible gathers facts by default, runbook only with gather_facts: true: say so
  const fact =
    /(?:^|has no attribute |: )'(ansible_(?!check_mode|diff_mode|loop|play_|version|failed|parent_role|role_name|run_tags|skip_tags|limit|inventory_sources|config_file|index_var)\w+)'(?: is undefined|$)/.exec(
      msg,
    );
  const hint = fact
    ? `; facts such as ${fact[1]} are gathered with 'gather_facts: true' on the play (left unset, runbook gathers only when it sees the play use a fact)`
    : '';
  return failed(`${where}: ${msg}${hint}${pos ? ` (task at ${formatPos(pos)})` : ''}`);
}
