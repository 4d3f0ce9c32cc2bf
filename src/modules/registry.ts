// Module name → lazy loader. Nothing here imports module code until a task asks for it, so
// start-up (and `runbook validate`) stays cheap.
import type { Module } from './types.js';
import { table } from '../core/table.js';

type Loader = () => Promise<{ default: Module<never, unknown> }>;

export const LOADERS: Readonly<Record<string, Loader>> = table({
  add_host: () => import('./builtin/add_host.js'),
  apt: () => import('./builtin/apt.js'),
  assert: () => import('./builtin/assert.js'),
  async_status: () => import('./builtin/async_status.js'),
  command: () => import('./builtin/command.js'),
  copy: () => import('./builtin/copy.js'),
  debug: () => import('./builtin/debug.js'),
  fail: () => import('./builtin/fail.js'),
  fetch: () => import('./builtin/fetch.js'),
  file: () => import('./builtin/file/index.js'),
  get_url: () => import('./builtin/get_url.js'),
  group: () => import('./builtin/group.js'),
  group_by: () => import('./builtin/group_by.js'),
  lineinfile: () => import('./builtin/lineinfile.js'),
  meta: () => import('./builtin/meta.js'),
  package: () => import('./builtin/package.js'),
  pause: () => import('./builtin/pause.js'),
  replace: () => import('./builtin/replace/index.js'),
  service: () => import('./builtin/service.js'),
  set_fact: () => import('./builtin/set_fact.js'),
  tempfile: () => import('./builtin/tempfile.js'),
  include_vars: () => import('./builtin/include_vars.js'),
  setup: () => import('./builtin/setup.js'),
  slurp: () => import('./builtin/slurp.js'),
  blockinfile: () => import('./builtin/blockinfile/index.js'),
  raw: () => import('./builtin/raw.js'),
  reboot: () => import('./builtin/reboot.js'),
  getent: () => import('./builtin/getent.js'),
  shell: () => import('./builtin/shell.js'),
  stat: () => import('./builtin/stat.js'),
  synchronize: () => import('./builtin/synchronize/index.js'),
  systemd: () => import('./builtin/systemd.js'),
  template: () => import('./builtin/template.js'),
  unarchive: () => import('./builtin/unarchive/index.js'),
  uri: () => import('./builtin/uri/index.js'),
  validate_argument_spec: () => import('./builtin/validate_argument_spec.js'),
  user: () => import('./builtin/user/index.js'),
  wait_for: () => import('./builtin/wait_for.js'),
  etcd_facts: () => import('./etcd/facts.js'),
  etcd_recovery_plan: () => import('./etcd/recovery_plan.js'),
  etcd_snapshot: () => import('./etcd/snapshot.js'),
  etcd_restore: () => import('./etcd/restore.js'),
  etcd_member: () => import('./etcd/member.js'),
  etcd_health: () => import('./etcd/health.js'),
  etcd_verify: () => import('./etcd/verify.js'),
  etcd_move_aside: () => import('./etcd/move_aside.js'),
  etcd_manifest: () => import('./etcd/manifest.js'),
  etcd_status: () => import('./etcd/status.js'),
  etcd_prune_snapshots: () => import('./etcd/prune.js'),
  etcd_health_report: () => import('./etcd/health_report.js'),
  etcd_defrag: () => import('./etcd/defrag.js'),
  etcd_compact: () => import('./etcd/compact.js'),
  etcd_alarm: () => import('./etcd/alarm.js'),
  etcd_hashkv: () => import('./etcd/hashkv.js'),
});

const cache = new Map<string, Promise<Module>>();

/** The module implementation by canonical name; throws for a name runbook does not have. */
export function load(name: string): Promise<Module> {
  const hit = cache.get(name);
  if (hit) return hit;
  const loader = Object.prototype.hasOwnProperty.call(LOADERS, name) ? LOADERS[name] : undefined;
  if (!loader) return Promise.reject(new Error(`unknown module '${name}'`));
  const p = loader().then((m) => m.default as unknown as Module);
  cache.set(name, p);
  return p;
}
