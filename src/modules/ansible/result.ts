// What an Ansible module printed, read as ansible-core reads it (ActionBase._parse_returned_data
// and TaskExecutor): the JSON object among its output lines, `failed` from `rc` when the
// module did not say, `_ansible_*` keys dropped; then mapped onto runbook's result value.
import { changed, failed, ok, skipped, type Deprecation, type FileDiff, type ModuleResult, type ResultFields } from '../../core/result.js';
import { sortKeysDeep } from '../../core/sorted-keys.js';
import { parseJsonKeepingFloats } from '../../core/python-float.js';

type Json = Record<string, unknown>;

/** The first line starting a JSON object through the last line ending one (module noise around it is ignored, as Ansible does). */
export function jsonOf(stdout: string): Json | undefined {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\s*[{[]/.test(l));
  if (start < 0) return undefined;
  let end = lines.length - 1;
  while (end >= start && !/[}\]]\s*$/.test(lines[end]!)) end--;
  if (end < start) return undefined;
  try {
    const v = parseJsonKeepingFloats(lines.slice(start, end + 1).join('\n'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

const FIELDS = new Set([
  'warnings',
  'deprecations',
  'changed',
  'failed',
  'skipped',
  'msg',
  'rc',
  'stdout',
  'stderr',
  'cmd',
  'diff',
  'ansible_facts',
  'stdout_lines',
  'stderr_lines',
]);

function truthy(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && ['true', 'yes', '1', 'on'].includes(v.toLowerCase()));
}

/** A module's return value (or its unparsable output) as runbook's result. */
export function moduleResult(module: string, out: { rc: number; stdout: string; stderr: string }, args: Readonly<Json>): ModuleResult {
  const data = jsonOf(out.stdout);
  if (!data) {
    const noPython = out.rc === 127 && /not found|No such file/i.test(out.stderr);
    const msg = noPython
      ? 'The module failed to execute correctly, you probably need to set the interpreter.'
      : 'MODULE FAILURE\nSee stdout/stderr for the exact error';
    return failed(msg, { rc: out.rc, data: { module_stdout: out.stdout, module_stderr: out.stderr } });
  }
  const extra: Json = {};
  for (const [k, v] of Object.entries(data)) if (!FIELDS.has(k) && !k.startsWith('_ansible_')) extra[k] = v;
  // registered as the module returned it (Ansible's shape); `fields.diff` is for showing it
  if (data['diff'] !== undefined) extra['diff'] = data['diff'];
  const fields: ResultFields = {
    ...(typeof data['msg'] === 'string' ? { msg: data['msg'] } : data['msg'] !== undefined ? { msg: JSON.stringify(data['msg']) } : {}),
    ...(typeof data['rc'] === 'number' ? { rc: data['rc'] } : {}),
    ...(typeof data['stdout'] === 'string' ? { stdout: data['stdout'] } : {}),
    ...(typeof data['stderr'] === 'string' ? { stderr: data['stderr'] } : {}),
    ...(typeof data['cmd'] === 'string' || Array.isArray(data['cmd']) ? { cmd: data['cmd'] as string | string[] } : {}),
    ...(data['ansible_facts'] && typeof data['ansible_facts'] === 'object' ? { ansible_facts: data['ansible_facts'] as Json } : {}),
    ...warningsOf(data),
    ...(Object.keys(extra).length ? { data: extra } : {}),
  };
  const diff = diffsOf(data['diff'], module, args);
  if (diff.length) fields.diff = diff;
  // TaskExecutor: a module that does not say `failed` failed when it returned a non-zero rc
  const isFailed = 'failed' in data ? truthy(data['failed']) : data['rc'] !== undefined && data['rc'] !== 0 && data['rc'] !== '0';
  if (isFailed) return failed(fields.msg ?? `${module} failed`, fields);
  if (truthy(data['skipped'])) return skipped(fields.msg ?? `${module} skipped`, fields);
  return truthy(data['changed']) ? changed(fields) : ok(fields);
}

/** `warnings` and `deprecations` when the module returned any (AnsibleModule adds them only then). */
function warningsOf(data: Json): Pick<ResultFields, 'warnings' | 'deprecations'> {
  const w = Array.isArray(data['warnings']) ? data['warnings'].map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
  const d = Array.isArray(data['deprecations'])
    ? (data['deprecations'] as unknown[]).flatMap((x) =>
        x && typeof x === 'object' && typeof (x as Json)['msg'] === 'string'
          ? [x as Deprecation]
          : typeof x === 'string'
            ? [{ msg: x }]
            : [],
      )
    : [];
  return { ...(w.length ? { warnings: w } : {}), ...(d.length ? { deprecations: d } : {}) };
}

/** Ansible's diff dicts ({before, after, before_header, after_header}) as runbook's file diffs. */
export function diffsOf(raw: unknown, module: string, args: Readonly<Json>): FileDiff[] {
  const items = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const out: FileDiff[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const d = item as Json;
    if (d['before'] === undefined && d['after'] === undefined) continue;
    const header = [d['before_header'], d['after_header'], args['path'], args['dest'], args['name']].find(
      (h) => typeof h === 'string' && h !== '',
    );
    out.push({ path: typeof header === 'string' ? header : module, before: text(d['before']), after: text(d['after']) });
  }
  return out;
}

/** Strings as they are; other values as Ansible's diff callback shows them (sorted-key JSON). */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(sortKeysDeep(v), null, 4) + '\n';
}
