// Command-line parsing: Ansible's flags where they exist (-i, -e, -l, -t, -C, -D, -f, -v).
import { parseArgs } from 'node:util';

export const COMMON_OPTIONS = {
  inventory: { type: 'string', short: 'i', multiple: true },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  limit: { type: 'string', short: 'l' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  forks: { type: 'string', short: 'f' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  output: { type: 'string', short: 'o' },
  'accept-new-host-keys': { type: 'boolean' },
  'become-password-env': { type: 'string' },
  'ask-become-pass': { type: 'boolean', short: 'K' },
  'connect-timeout': { type: 'string' },
  // ansible-playbook's connection options: defaults under the playbook's keywords and the inventory's variables
  user: { type: 'string', short: 'u' },
  connection: { type: 'string', short: 'c' },
  become: { type: 'boolean', short: 'b' },
  'become-user': { type: 'string' },
  'become-method': { type: 'string' },
  'private-key': { type: 'string' },
  'key-file': { type: 'string' },
  timeout: { type: 'string', short: 'T' },
  'ask-pass': { type: 'boolean', short: 'k' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  'list-tags': { type: 'boolean' },
  'syntax-check': { type: 'boolean' },
  'start-at-task': { type: 'string' },
  'vault-password-file': { type: 'string', multiple: true },
  'vault-id': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean', short: 'J' },
  step: { type: 'boolean' },
  list: { type: 'boolean' },
  graph: { type: 'boolean' },
  host: { type: 'string' },
  members: { type: 'string' },
  // lab
  net: { type: 'string' },
  dir: { type: 'string' },
  tls: { type: 'boolean' },
  v2: { type: 'boolean' },
  'install-deps': { type: 'boolean' },
  'etcd-version': { type: 'string' },
  'etcd-bin-dir': { type: 'string' },
  'service-manager': { type: 'string' },
  'inventory-dir': { type: 'string' },
  'state-dir': { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  format: { type: 'string' },
  resume: { type: 'string' },
  force: { type: 'boolean' },
  'break-lock': { type: 'boolean' },
  'journal-vars': { type: 'string', multiple: true },
  'require-clean': { type: 'boolean' },
  'roles-path': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type Options = ReturnType<typeof parse>['values'];

export function parse(argv: readonly string[]) {
  return parseArgs({ args: resumeValue(argv), options: COMMON_OPTIONS, allowPositionals: true, strict: true });
}

/** `--resume` takes an optional run id: `--resume` alone means the latest run. */
function resumeValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--resume') out.push(argv[i]!);
    else if (/^\d{8}T\d{6}/.test(argv[i + 1] ?? '')) out.push(`--resume=${argv[++i]}`);
    else out.push('--resume=latest');
  }
  return out;
}

export class UsageError extends Error {}
