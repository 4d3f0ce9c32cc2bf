// A module runbook does not build in, run through Ansible's own module code: ansible-core on
// the controller builds the payload (AnsiballZ), runbook sends it over the task's connection
// to the host's Python and reads the JSON the module prints. It converges to whatever the
// module converges to; check mode and diff reach it as Ansible passes them
// (_ansible_check_mode, _ansible_diff), so the module decides what check mode means.
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { failed, type ModuleResult } from '../../core/result.js';
import { quote } from '../../connection/quote.js';
import { splitWords } from '../../core/words.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import { execOpts } from '../support/exec.js';
import type { ExecOptions, ExecResult } from '../../connection/types.js';
import type { BackgroundJob } from '../support/async-job.js';
import { ansibleCore, type AnsibleCore } from './controller.js';
import { buildPayload, type Payload } from './builder.js';
import { moduleResult } from './result.js';
import { interpreterOf, PYTHONS } from '../support/python.js';
import { pythonJson } from '../../core/python-json.js';

/** Runs the first Python found with these arguments (none: the payload on standard input, Ansible's pipelining). */
const discover = (pyArgs: readonly string[]): string =>
  `for p in ${PYTHONS.join(' ')}; do command -v "$p" >/dev/null 2>&1 && exec "$p"${pyArgs.map((a) => ' ' + quote(a)).join('')}; done; echo "runbook: no Python found on this host (set ansible_python_interpreter)" >&2; exit 127`;

/** The host's Python (ansible_python_interpreter, else the first of Ansible's fallback list found) run with these arguments. */
export function hostPython(ctx: ModuleContext, pyArgs: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const interpreter = interpreterOf(ctx.vars);
  return interpreter ? ctx.conn.exec([...splitWords(interpreter), ...pyArgs], opts) : ctx.conn.shell(discover(pyArgs), opts);
}

export const NO_ANSIBLE = (name: string): string =>
  `module '${name}' is not built in; install ansible-core to run it through Ansible's module code`;

/** library/ dirs Ansible would search for this task: the role's, its sibling roles', the playbook's. */
export function libraryDirs(ctx: Pick<ModuleContext, 'playbookDir' | 'roleDir'>): string[] {
  const dirs: string[] = [];
  if (ctx.roleDir) {
    dirs.push(join(ctx.roleDir, 'library'));
    try {
      const rolesDir = dirname(ctx.roleDir);
      for (const r of readdirSync(rolesDir)) if (join(rolesDir, r) !== ctx.roleDir) dirs.push(join(rolesDir, r, 'library'));
    } catch {
      // no readable roles dir: the role's own library/ is enough
    }
  }
  dirs.push(join(ctx.playbookDir, 'library'));
  return dirs;
}

/** The arguments Ansible's ActionBase._update_module_args adds to every module call. */
export function internalArgs(core: AnsibleCore, name: string, ctx: Pick<ModuleContext, 'checkMode' | 'diffMode'>): Record<string, unknown> {
  return {
    _ansible_check_mode: ctx.checkMode,
    _ansible_no_log: false,
    _ansible_debug: false,
    _ansible_diff: ctx.diffMode,
    _ansible_verbosity: 0,
    _ansible_version: core.version,
    _ansible_module_name: name,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_socket: null,
    _ansible_shell_executable: '/bin/sh',
    _ansible_keep_remote_files: false,
    _ansible_tmpdir: null,
    _ansible_remote_tmp: '~/.ansible/tmp',
  };
}

const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && ['yes', 'true', 'on', '1', 'y'].includes(v.toLowerCase()));

/**
 * Arguments that Ansible's action plugin for assemble handles on the controller (a file
 * sent from it); runbook runs only the module, so it says so instead of sending nothing.
 */
export function controllerSideArgs(
  name: string,
  args: Readonly<Record<string, unknown>>,
  transport: 'local' | 'ssh' = 'ssh',
): string | undefined {
  const leaf = name.split('.').pop() ?? name;
  if (leaf === 'assemble' && !truthy(args['remote_src'] ?? true))
    return "assemble: remote_src: false (fragments on the controller) needs Ansible's action plugin; assemble them on the host (remote_src: true)";
  if (KUBERNETES_CORE.test(name)) return kubernetesControllerArgs(name, args, transport);
  return undefined;
}

/** kubernetes.core's modules (helm, helm_info, helm_repository, k8s, ...), as written with or without the collection. */
const KUBERNETES_CORE = /^(kubernetes\.core\.)?(helm|k8s)(_\w+)?$/;

/**
 * kubernetes.core 2.4's action plugin (the same code for every helm and k8s module) passes the
 * arguments on unchanged but for `template` (rendered on the controller) and, on a local
 * connection, `kubeconfig`/`src`/`local_path` looked up under the role's files/ on the
 * controller. runbook runs the module itself, so it refuses those rather than send them unresolved.
 */
function kubernetesControllerArgs(name: string, args: Readonly<Record<string, unknown>>, transport: 'local' | 'ssh'): string | undefined {
  if (args['template'] !== undefined)
    return `${name}: template: is rendered on the controller by kubernetes.core's action plugin, which runbook does not run; render it with the template module (or a lookup('template', ...)) and pass it as definition:`;
  if (transport !== 'local') return undefined;
  const relative = (v: unknown): boolean => typeof v === 'string' && v !== '' && v.split(':').some((p) => !p.startsWith('/'));
  const src = args['src'];
  for (const [key, v] of [
    ['kubeconfig', args['kubeconfig']],
    ['src', typeof src === 'string' && /^(https?|ftp):\/\//.test(src) ? undefined : src],
    ['local_path', args['state'] === 'to_pod' ? args['local_path'] : undefined],
  ] as const) {
    if (relative(v))
      return `${name}: ${key}: '${String(v)}' is relative: on a local connection kubernetes.core's action plugin looks it up under files/ on the controller, which runbook does not do; give an absolute path`;
  }
  return undefined;
}

/** Run one module call on the host and read its answer. */
export async function runAnsibleModule(ctx: ModuleContext, name: string, args: Record<string, unknown>): Promise<ModuleResult> {
  const core = ansibleCore();
  if (!core) return failed(NO_ANSIBLE(name));
  const refused = controllerSideArgs(name, args, ctx.conn.kind);
  if (refused) return failed(refused);
  const payload = await payloadFor(ctx, core, name, args);
  const out =
    payload.style === 'new' ? await hostPython(ctx, [], { ...execOpts(ctx), stdin: payload.data }) : await viaFiles(ctx, payload, args);
  return moduleResult(name, out, args);
}

/** Old-style, WANT_JSON and binary modules read their arguments from a file named on the command line. */
async function viaFiles(
  ctx: ModuleContext,
  payload: Payload,
  args: Record<string, unknown>,
): Promise<{ rc: number; stdout: string; stderr: string }> {
  const opts = execOpts(ctx);
  const tmp = await ctx.conn.exec(['mktemp', '-d', '/tmp/runbook-ansible-XXXXXXXX'], opts);
  if (tmp.rc !== 0) return { rc: tmp.rc, stdout: '', stderr: `cannot make a temporary directory: ${tmp.stderr.trim()}` };
  const dir = tmp.stdout.trim();
  const become = ctx.become ? { become: ctx.become } : {};
  try {
    const mod = `${dir}/module`;
    const argsFile = `${dir}/args`;
    await ctx.conn.writeFileAtomic(mod, payload.data, { mode: 0o700, ...become });
    const text =
      payload.style === 'old'
        ? Object.entries(args)
            .map(([k, v]) => `${k}=${quote(typeof v === 'string' ? v : pythonJson(v))}`)
            .join(' ')
        : pythonJson(args); // a float 2.0 reaches the module as one
    await ctx.conn.writeFileAtomic(argsFile, text, { mode: 0o600, ...become });
    const shebang =
      payload.shebang ??
      (payload.data.subarray(0, 2).toString() === '#!' ? payload.data.toString('utf8', 0, 200).split('\n')[0] : undefined);
    const argv = shebang ? [...splitWords(shebang.replace(/^#!\s*/, '')), mod, argsFile] : [mod, argsFile];
    return await ctx.conn.exec(argv, opts);
  } finally {
    await ctx.conn.exec(['rm', '-rf', dir], opts).catch(() => undefined);
  }
}

function payloadFor(ctx: ModuleContext, core: AnsibleCore, name: string, args: Record<string, unknown>): Promise<Payload> {
  return buildPayload(core, {
    name,
    dirs: libraryDirs(ctx),
    args: { ...args, ...internalArgs(core, name, ctx) },
    interpreter: interpreterOf(ctx.vars) ?? '/usr/bin/python3',
    become: ctx.become !== undefined,
  });
}

/** `async:`: the AnsiballZ payload run by the host's Python in the background (other module styles run in the foreground). */
async function background(ctx: ModuleContext, name: string, args: Record<string, unknown>): Promise<BackgroundJob | undefined> {
  const core = ansibleCore();
  if (!core || controllerSideArgs(name, args, ctx.conn.kind)) return undefined; // the foreground run says why
  const payload = await payloadFor(ctx, core, name, args);
  if (payload.style !== 'new') return undefined;
  const interpreter = interpreterOf(ctx.vars);
  return {
    argv: interpreter ? splitWords(interpreter) : [],
    python: interpreter === undefined,
    cmd: name,
    output: 'module',
    stdin: payload.data.toString('utf8'),
  };
}

/** The module object the executor runs for `name` (as written: `sysctl`, `ansible.posix.sysctl`, a library/ module). */
export function ansibleModule(name: string): Module {
  return {
    name,
    factsLevel: 'host-facts',
    async check(ctx, args): Promise<Prediction> {
      // in check mode the module itself decides (it was told _ansible_check_mode); outside
      // it there is nothing to predict without running it, as for command/shell
      if (!ctx.checkMode) return { kind: 'unknown', summary: `${name} (Ansible's module code)`, plan: undefined };
      return { kind: 'decided', result: await runAnsibleModule(ctx, name, args) };
    },
    apply(ctx, args) {
      return runAnsibleModule(ctx, name, args);
    },
    background(ctx, args) {
      return background(ctx, name, args);
    },
  };
}
