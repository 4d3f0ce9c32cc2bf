// ansible-core on the controller: which Python has it, and runbook's bridge script
// (python/ansible_payload.py) that calls its plugin loader and AnsiballZ builder. Found once
// per process and only when a playbook names a module runbook does not build in, so a
// playbook of built-in modules never starts Python.
import { nodeChildProcess } from '../../core/lazy-builtin.js';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';

export interface AnsibleCore {
  /** the controller Python that imports ansible */
  readonly python: string;
  readonly version: string;
}

/** The bridge script, shipped beside src/ and dist/ (package.json "files"). */
export const BRIDGE = join(PACKAGE_ROOT, 'python', 'ansible_payload.py');

let found: AnsibleCore | null | undefined;

/**
 * Where ansible-core lives: RUNBOOK_ANSIBLE_PYTHON when set ("none" turns the fallback off),
 * else the Python of `ansible-playbook` on PATH (its shebang: Debian's, pip's or pipx's), else
 * the system python3. A Python first on PATH (pyenv) is not asked: it rarely has ansible.
 */
export function ansibleCore(): AnsibleCore | undefined {
  if (found !== undefined) return found ?? undefined;
  found = null;
  const explicit = process.env['RUNBOOK_ANSIBLE_PYTHON'];
  const candidates = explicit
    ? explicit === 'none'
      ? []
      : [explicit]
    : [...playbookPython(), '/usr/bin/python3', '/usr/local/bin/python3'];
  for (const python of [...new Set(candidates)]) {
    const r = nodeChildProcess().spawnSync(python, [BRIDGE, 'probe'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) continue;
    try {
      const v = JSON.parse(r.stdout) as { version?: unknown };
      if (typeof v.version === 'string') {
        found = { python, version: v.version };
        break;
      }
    } catch {
      // not our bridge's answer; try the next Python
    }
  }
  return found ?? undefined;
}

/** Look again on the next ansibleCore() (tests switch RUNBOOK_ANSIBLE_PYTHON). */
export function forgetAnsibleCore(): void {
  found = undefined;
  resolved.clear();
}

/** The interpreter on the `#!` line of ansible-playbook found on PATH. */
function playbookPython(): string[] {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'ansible-playbook');
    if (!existsSync(file)) continue;
    try {
      const first = readFileSync(file, 'utf8').slice(0, 300).split('\n')[0] ?? '';
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
      if (!m) return [];
      // `#!/usr/bin/env python3` names the program in the second word
      return m[1]!.endsWith('/env') && m[2] ? [m[2]] : [m[1]!];
    } catch {
      return [];
    }
  }
  return [];
}

export type Resolution =
  | { readonly ok: true; readonly fqcn: string; readonly path: string; readonly action?: string }
  | { readonly ok: false; readonly why: string };

const resolved = new Map<string, Resolution>();

/**
 * Find modules as Ansible would (builtin routing, installed collections, the given library/
 * dirs), all names in one Python call; answers are kept for the process.
 */
export function resolveModules(core: AnsibleCore, names: readonly string[], dirs: readonly string[]): Map<string, Resolution> {
  const key = (n: string): string => `${dirs.join(delimiter)}\0${n}`;
  const todo = [...new Set(names)].filter((n) => !resolved.has(key(n)));
  if (todo.length > 0) {
    const r = nodeChildProcess().spawnSync(core.python, [BRIDGE, 'resolve'], {
      input: JSON.stringify({ names: todo, dirs }),
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 16 << 20,
    });
    let answer: Record<string, { fqcn?: string; path?: string; action?: string; error?: string }> = {};
    try {
      answer = JSON.parse(r.stdout) as typeof answer;
    } catch {
      const why = `ansible-core (${core.python}) could not look modules up: ${(r.stderr || r.error?.message || 'no answer').trim().split('\n').pop()}`;
      for (const n of todo) resolved.set(key(n), { ok: false, why });
    }
    for (const n of todo) {
      const a = answer[n];
      if (!a) continue;
      resolved.set(
        key(n),
        a.fqcn && a.path
          ? { ok: true, fqcn: a.fqcn, path: a.path, ...(a.action ? { action: a.action } : {}) }
          : { ok: false, why: a.error ?? 'no module of that name' },
      );
    }
  }
  return new Map(names.map((n) => [n, resolved.get(key(n)) ?? { ok: false, why: 'no answer from ansible-core' }]));
}

/**
 * A collection's lookup plugin run by ansible-core's own lookup_loader (one that reads no task
 * variables), the collections beside `playbookDir` searched first as ansible-playbook does.
 * Answers are kept for the process: the same terms give the same values within a run.
 */
export function runAnsibleLookup(
  core: AnsibleCore,
  name: string,
  terms: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  playbookDir: string,
): { ok: true; values: unknown[] } | { ok: false; why: string } {
  const input = JSON.stringify({ name, terms, kwargs, playbook_dir: playbookDir });
  const hit = lookedUp.get(input);
  if (hit) return hit;
  const r = nodeChildProcess().spawnSync(core.python, [BRIDGE, 'lookup'], { input, cwd: playbookDir, encoding: 'utf8', timeout: 120_000 });
  let answer: { values?: unknown[]; error?: string } = {};
  try {
    answer = JSON.parse(r.stdout) as typeof answer;
  } catch {
    answer = {
      error: `ansible-core (${core.python}) could not run it: ${(r.stderr || r.error?.message || 'no answer').trim().split('\n').pop()}`,
    };
  }
  const out = Array.isArray(answer.values)
    ? { ok: true as const, values: answer.values }
    : { ok: false as const, why: answer.error ?? 'no answer' };
  lookedUp.set(input, out);
  return out;
}
const lookedUp = new Map<string, { ok: true; values: unknown[] } | { ok: false; why: string }>();
