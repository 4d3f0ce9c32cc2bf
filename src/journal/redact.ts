// What the journal keeps of a gathered environment: `ansible_env` (and `ansible_facts.env`)
// holds whatever the remote login or sudo put there — AWS_SECRET_ACCESS_KEY, *_TOKEN,
// SSH_AUTH_SOCK — so only its names and a hash of each value are written (recordVars, as
// for extra vars), in every result of a line: facts, registered values, loop items. A
// resumed run gathers facts again instead of replaying them (executor/task-hosts.ts).
import { recordVars } from './header.js';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON.stringify's replacer for one journal line: every environment fact as names and hashes. */
function withoutEnvironment(key: string, value: unknown): unknown {
  if (key === 'ansible_env' && isMap(value)) return recordVars(value);
  if (key === 'ansible_facts' && isMap(value) && isMap(value['env'])) return { ...value, env: recordVars(value['env']) };
  return value;
}

/** One journal line as written: a host's result without its environment's values. */
export function journalText(line: { readonly type: string }): string {
  return line.type === 'host-result' ? JSON.stringify(line, withoutEnvironment) : JSON.stringify(line);
}
