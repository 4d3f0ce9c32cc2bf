// The module catalog the loader and the CLI use: names, free-form arguments, argument names
// and expression arguments come from a static table (no module code, no schema file is read
// at start-up); argument schemas (schemas/modules/<name>.json) are read on the first
// checkArgs. A unit test keeps this table equal to the schemas.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleCatalog, ModuleVerdict } from '../playbook/catalog.js';
import { validateWith, type SchemaProblem } from '../schema/registry.js';
import { suggest } from '../core/suggest.js';
import type { Module } from './types.js';
import { isAnsibleOnly } from './ansible-only.js';
import { load } from './registry.js';
import { table } from '../core/table.js';
import { ansibleCore, resolveModules } from './ansible/controller.js';
import { ansibleModule, NO_ANSIBLE } from './ansible/module.js';

export interface CatalogEntry {
  /** every argument the schema declares */
  readonly args: readonly string[];
  readonly freeForm?: string;
  /** arguments holding bare Jinja expressions */
  readonly expressionArgs?: readonly string[];
  /** accepts arbitrary other keys (set_fact variables, add_host host vars) */
  readonly open?: boolean;
}

const FILE_ATTRS = ['mode', 'owner', 'group'] as const;
const ETCD = ['etcdctl_path', 'etcdutl_path', 'cacert', 'cert', 'key'] as const;
const CMD = ['chdir', 'creates', 'removes', 'stdin', 'stdin_add_newline', 'strip_empty_ends'] as const;

export const CATALOG: Readonly<Record<string, CatalogEntry>> = table({
  command: { freeForm: 'cmd', args: ['cmd', 'argv', ...CMD] },
  shell: { freeForm: 'cmd', args: ['cmd', 'executable', ...CMD] },
  copy: { args: ['src', 'content', 'dest', 'mode', 'owner', 'group', 'backup', 'force', 'remote_src', 'validate', 'seuser', 'serole', 'setype', 'selevel'] },
  template: { args: ['src', 'dest', 'mode', 'owner', 'group', 'backup', 'force', 'validate', 'seuser', 'serole', 'setype', 'selevel'] },
  fetch: { args: ['src', 'dest', 'flat', 'fail_on_missing', 'validate_checksum'] },
  get_url: { args: ['url', 'dest', 'checksum', 'force', 'backup', ...FILE_ATTRS, 'timeout', 'headers', 'validate_certs', 'use_proxy', 'http_agent', 'url_username', 'url_password', 'username', 'password', 'force_basic_auth'] },
  unarchive: { args: ['src', 'dest', 'remote_src', 'copy', 'creates', 'extra_opts', 'exclude', 'include', 'list_files', 'keep_newer', 'validate_certs', ...FILE_ATTRS] },
  file: { args: ['path', 'dest', 'name', 'state', 'src', 'mode', 'owner', 'group', 'force', 'modification_time', 'access_time', 'recurse', 'seuser', 'serole', 'setype', 'selevel', 'follow'] },
  stat: { args: ['path', 'dest', 'name', 'follow', 'get_checksum', 'checksum_algorithm', 'get_mime', 'get_attributes'] },
  setup: { args: ['filter', 'gather_subset', 'gather_timeout'] },
  lineinfile: { args: ['path', 'dest', 'destfile', 'name', 'line', 'regexp', 'search_string', 'state', 'insertafter', 'insertbefore', 'create', 'backup', 'backrefs', 'firstmatch', 'validate', ...FILE_ATTRS] },
  replace: { args: ['path', 'dest', 'destfile', 'name', 'regexp', 'replace', 'after', 'before', 'backup', ...FILE_ATTRS] },
  service: { args: ['name', 'state', 'enabled', 'manager', 'use', 'start_command', 'stop_command', 'status_command', 'restart_command', 'reload_command', 'daemon_reload', 'sleep'] },
  systemd: { args: ['name', 'state', 'enabled', 'daemon_reload', 'masked'] },
  wait_for: { args: ['host', 'port', 'path', 'search_regex', 'state', 'timeout', 'connect_timeout', 'delay', 'sleep', 'msg'] },
  assert: { args: ['that', 'fail_msg', 'msg', 'success_msg', 'quiet'], expressionArgs: ['that'] },
  fail: { args: ['msg'] },
  async_status: { args: ['jid', 'mode'] },
  debug: { args: ['msg', 'var', 'verbosity'], expressionArgs: ['var'] },
  set_fact: { args: ['cacheable'], open: true },
  tempfile: { args: ['state', 'path', 'prefix', 'suffix'] },
  include_vars: { freeForm: 'file', args: ['file', 'dir', 'name', 'files_matching', 'ignore_files', 'extensions', 'depth'] },
  add_host: { args: ['name', 'hostname', 'host', 'groups', 'group', 'groupname'], open: true },
  group_by: { args: ['key', 'parents'] },
  pause: { args: ['seconds', 'minutes', 'prompt', 'echo'] },
  meta: { freeForm: '_raw_params', args: ['_raw_params'] },
  slurp: { args: ['src', 'path'] },
  blockinfile: { args: ['path', 'dest', 'destfile', 'name', 'state', 'block', 'content', 'marker', 'marker_begin', 'marker_end', 'insertafter', 'insertbefore', 'create', 'backup', ...FILE_ATTRS] },
  raw: { freeForm: '_raw_params', args: ['_raw_params', 'executable'] },
  getent: { args: ['database', 'key', 'split', 'fail_key', 'service'] },
  // packages and accounts
  package: { args: ['name', 'state', 'use', 'pkg', 'package', 'update_cache', 'cache_valid_time', 'purge', 'install_recommends', 'lock_timeout', 'default_release', 'default-release', 'allow_downgrade', 'allow-downgrade', 'allow_downgrades', 'allow-downgrades', 'policy_rc_d', 'enablerepo', 'disablerepo', 'allowerasing', 'autoremove', 'bugfix', 'cacheonly', 'conf_file', 'disable_excludes', 'disable_gpg_check', 'disable_plugin', 'download_dir', 'download_only', 'enable_plugin', 'exclude', 'install_weak_deps', 'installroot', 'nobest', 'releasever', 'security', 'skip_broken', 'sslverify', 'update_only', 'validate_certs'] },
  apt: { args: ['name', 'pkg', 'package', 'state', 'update_cache', 'cache_valid_time', 'purge', 'install_recommends', 'lock_timeout', 'default_release', 'default-release', 'allow_downgrade', 'allow-downgrade', 'allow_downgrades', 'allow-downgrades', 'policy_rc_d'] },
  group: { args: ['name', 'state', 'gid', 'system', 'non_unique'] },
  user: { args: ['name', 'state', 'uid', 'non_unique', 'group', 'groups', 'append', 'shell', 'home', 'create_home', 'createhome', 'move_home', 'system', 'comment', 'password_lock', 'remove', 'force'] },
  // etcd (src/modules/etcd)
  etcd_facts: { args: ['name', 'client_url', 'peer_url', 'data_dir', 'backup_dir', 'env_file', 'service', ...ETCD] },
  etcd_recovery_plan: { args: ['members', 'group', 'survivor', 'strategy', 'v2_data', 'allow_v2_loss', 'accept_data_loss'] },
  etcd_snapshot: { args: ['client_url', 'data_dir', 'name', 'env_file', 'service', 'dest', 'dest_dir', ...ETCD] },
  etcd_prune_snapshots: { args: ['dir', 'keep'] },
  etcd_restore: { args: ['snapshot', 'name', 'peer_url', 'initial_cluster', 'token', 'data_dir', 'client_url', 'env_file', 'service', 'backup_dir', 'keep', 'aside_suffix', 'bump_revision', 'owner', ...ETCD] },
  etcd_member: { args: ['endpoints', 'name', 'peer_url', 'state', 'learner', 'timeout', 'keep_quorum', ...ETCD] },
  etcd_health: { args: ['endpoints', 'timeout', 'learner', ...ETCD] },
  etcd_verify: { args: ['endpoints', 'members', 'keys', 'key_count', 'v2_key_count', 'test_write', 'newest_revision', 'newest_key_count', 'source_revision', 'source_key_count', 'accept_loss', 'unreachable', ...ETCD] },
  etcd_move_aside: { args: ['path', 'suffix', 'copy', 'name', 'client_url', 'env_file', 'service', 'backup_dir', 'keep'] },
  etcd_status: { args: ['name', 'client_url', 'server_cert', ...ETCD] },
  etcd_health_report: { args: ['members', 'group', 'warn_days'] },
  etcd_defrag: { args: ['name', 'client_url', 'min_reclaim', 'timeout', ...ETCD] },
  etcd_compact: { args: ['endpoints', 'retain_revisions', 'physical', 'timeout', ...ETCD] },
  etcd_alarm: { args: ['endpoints', 'state', 'quota_bytes', 'min_free_percent', ...ETCD] },
  etcd_hashkv: { args: ['endpoints', 'revision', 'timeout', ...ETCD] },
});

/** Other names of runbook modules (Ansible's newer or older names). */
const ALIASES: Readonly<Record<string, string>> = table({ systemd_service: 'systemd' });

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

export function canonicalName(name: string): string | undefined {
  let n = name;
  for (const p of PREFIXES) if (n.startsWith(p)) n = n.slice(p.length);
  n = ALIASES[n] ?? n;
  return Object.prototype.hasOwnProperty.call(CATALOG, n) ? n : undefined;
}

function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && /\{[{%]/.test(v);
}

/** true when the value at `path`, or any value on the way there, is a template string. */
function templatedAlong(root: unknown, path: readonly (string | number)[]): boolean {
  let cur = root;
  for (const seg of path) {
    if (isTemplated(cur)) return true;
    if (cur && typeof cur === 'object') cur = (cur as Record<string | number, unknown>)[seg];
    else return false;
  }
  return isTemplated(cur);
}

export function checkModuleArgs(module: string, args: Record<string, unknown>, opts: { strict?: boolean } = {}): SchemaProblem[] {
  const entry = CATALOG[module];
  if (!entry) return [];
  const problems = validateWith(`modules/${module}.json`, args);
  if (problems === undefined) return [{ path: [], atKey: false, message: `no argument schema for module '${module}'` }];
  const out: SchemaProblem[] = [];
  for (const p of problems) {
    if (!opts.strict && !p.atKey && templatedAlong(args, p.path)) continue;
    if (p.atKey && p.path.length === 1 && /^unknown key '/.test(p.message)) {
      const key = String(p.path[0]);
      const near = suggest(key, entry.args);
      out.push({ ...p, message: `unknown argument '${key}'${near ? ` (did you mean '${near}'?)` : ` (arguments: ${entry.args.join(', ')})`}` });
      continue;
    }
    out.push(p);
  }
  return out;
}

/** A module file in a library/ dir (any extension: Ansible also runs scripts and binaries). */
function inLibrary(name: string, dirs: readonly string[]): boolean {
  return !name.includes('/') && dirs.some((d) => ['.py', '', '.sh', '.ps1'].some((ext) => existsSync(join(d, name + ext))));
}

/**
 * The one place that says whether a module can run (playbook/catalog.ts ModuleVerdict). Only a
 * name runbook does not build in looks for ansible-core, so built-in playbooks never start Python.
 */
export function moduleVerdict(name: string, dirs: readonly string[]): ModuleVerdict {
  const canon = canonicalName(name);
  if (canon) return { kind: 'builtin', module: canon };
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return { kind: 'unknown' };
  if (ansibleCore()) return { kind: 'ansible', module: name };
  if (isAnsibleOnly(name) || inLibrary(name, dirs)) return { kind: 'not-runnable', message: NO_ANSIBLE(name) };
  return { kind: 'unknown' };
}

export function findAnsibleModules(names: readonly string[], dirs: readonly string[]): Map<string, string | undefined> {
  const core = ansibleCore();
  const out = new Map<string, string | undefined>();
  if (!core) {
    for (const n of names) out.set(n, NO_ANSIBLE(n));
    return out;
  }
  for (const [n, r] of resolveModules(core, names, dirs)) {
    if (!r.ok) out.set(n, r.why);
    else if (r.action) out.set(n, `it needs Ansible's controller-side action plugin (${r.action}), which runbook does not run`);
    else out.set(n, undefined);
  }
  return out;
}

export function moduleCatalog(): ModuleCatalog {
  return {
    canonical: canonicalName,
    verdict: moduleVerdict,
    findAnsibleModules,
    isAnsibleOnly: (name) => canonicalName(name) === undefined && isAnsibleOnly(name),
    names: () => Object.keys(CATALOG),
    freeForm: (module) => CATALOG[module]?.freeForm,
    argNames: (module) => CATALOG[module]?.args ?? [],
    checkArgs: checkModuleArgs,
    expressionArgs: (module) => CATALOG[module]?.expressionArgs ?? [],
  };
}

/** The implementation of a module: a built-in one imported on first use, else Ansible's module code. */
export async function loadModule(name: string): Promise<Module> {
  const canon = canonicalName(name);
  if (canon) return load(canon);
  // the loader let it through: ansible-core found it (or, without ansible-core, the run says so)
  return ansibleModule(name);
}
