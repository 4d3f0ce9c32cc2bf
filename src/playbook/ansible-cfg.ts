// The parts of an ansible.cfg runbook honours: `roles_path` in [defaults], so existing projects
// run unchanged. As Ansible, only the first config found is read: $ANSIBLE_CONFIG,
// ./ansible.cfg, then (runbook's addition) the one beside the playbook, ~/.ansible.cfg,
// /etc/ansible/ansible.cfg.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';

/** The ansible.cfg that applies, if any. */
export function ansibleConfigFile(playbookDir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const candidates = [
    ...(env['ANSIBLE_CONFIG'] ? [resolve(cwd, env['ANSIBLE_CONFIG'])] : []),
    join(cwd, 'ansible.cfg'),
    join(playbookDir, 'ansible.cfg'),
    join(env['HOME'] ?? homedir(), '.ansible.cfg'),
    '/etc/ansible/ansible.cfg',
  ];
  return candidates.find((p) => existsSync(p) && statSync(p).isFile());
}

/** Role directories from --roles-path, then ANSIBLE_ROLES_PATH or else ansible.cfg's roles_path, absolute. */
export function rolesPathFor(
  playbookDir: string,
  cliPaths: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string[] {
  const out: string[] = [];
  for (const p of cliPaths) out.push(...splitPath(p, cwd));
  // as Ansible, the environment variable replaces the config file's setting
  if (env['ANSIBLE_ROLES_PATH']) out.push(...splitPath(env['ANSIBLE_ROLES_PATH'], cwd));
  const cfg = env['ANSIBLE_ROLES_PATH'] ? undefined : ansibleConfigFile(playbookDir, env, cwd);
  if (cfg) {
    const v = iniValue(readFileSync(cfg, 'utf8'), 'defaults', 'roles_path');
    if (v !== undefined) out.push(...splitPath(v, dirname(cfg)));
  }
  return [...new Set(out)];
}

/**
 * Where collections are looked for, in Ansible's order: `collections/` beside the playbook, then
 * ANSIBLE_COLLECTIONS_PATH (or the older ANSIBLE_COLLECTIONS_PATHS), else ansible.cfg's
 * `collections_path`/`collections_paths`, else ~/.ansible/collections and
 * /usr/share/ansible/collections. Each holds ansible_collections/NS/NAME (or is that directory).
 */
export function collectionsPathFor(playbookDir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const out = [join(playbookDir, 'collections')];
  const fromEnv = env['ANSIBLE_COLLECTIONS_PATH'] ?? env['ANSIBLE_COLLECTIONS_PATHS'];
  const cfg = fromEnv ? undefined : ansibleConfigFile(playbookDir, env, cwd);
  const text = cfg ? readFileSync(cfg, 'utf8') : '';
  const v = fromEnv ?? iniValue(text, 'defaults', 'collections_path') ?? iniValue(text, 'defaults', 'collections_paths');
  if (v !== undefined) out.push(...splitPath(v, fromEnv ? cwd : dirname(cfg!)));
  else out.push(join(env['HOME'] ?? homedir(), '.ansible', 'collections'), '/usr/share/ansible/collections');
  return [...new Set(out)];
}

function splitPath(v: string, base: string): string[] {
  return v
    .split(':')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => resolve(base, s.replace(/^~(?=\/|$)/, homedir())));
}

/** A value from an INI text (`key = value` or `key: value`, `#`/`;` comments). */
export function iniValue(text: string, section: string, key: string): string | undefined {
  let current = '';
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      current = sec[1]!.trim();
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (kv && current === section && kv[1] === key) found = kv[2]!.replace(/\s+[#;].*$/, '');
  }
  return found;
}
