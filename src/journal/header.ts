// The header of a run's journal: the content hash of every input file, the git commit the
// playbook came from, who ran it where, the extra vars with secrets redacted.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { FileHash, GitInfo, RunHeader } from './model.js';

export function hashFile(path: string): FileHash {
  return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

const SECRET = /pass(word)?|secret|token|private|credential|(^|_)key$/i;

/** A variable name that looks like it holds a secret (its value is never recorded). */
export function isSecretName(name: string): boolean {
  return SECRET.test(name);
}

/** Extra vars as recorded: values of secret-looking names become '(redacted)', at any depth. */
export function redact(v: unknown, name = ''): unknown {
  if (name && SECRET.test(name)) return '(redacted)';
  if (Array.isArray(v)) return v.map((x) => redact(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k)]));
  return v;
}

/** The command line as recorded: secret values given with -e/--extra-vars redacted. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  const redactValue = (v: string): string => {
    if (v.startsWith('@')) return v;
    const t = v.trim();
    if (t.startsWith('{')) {
      try {
        return JSON.stringify(redact(JSON.parse(t)));
      } catch {
        return '(redacted)';
      }
    }
    return v.split(/\s+/).map((kv) => (/^([^=]+)=/.test(kv) && SECRET.test(kv.split('=')[0]!) ? `${kv.split('=')[0]}=(redacted)` : kv)).join(' ');
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^(--extra-vars|-e)(=(.*))?$/.exec(a);
    if (m && m[3] !== undefined) out.push(`${m[1]}=${redactValue(m[3])}`);
    else if (m && i + 1 < argv.length) {
      out.push(a, redactValue(argv[i + 1]!));
      i++;
    } else if (/^-e./.test(a)) out.push(`-e${redactValue(a.slice(2))}`);
    else out.push(a);
  }
  return out;
}

/** The git commit, branch and dirtiness of the repository holding `file`, if any. */
export function gitInfo(file: string): GitInfo | undefined {
  const git = (...args: string[]) => spawnSync('git', ['-C', dirname(file), ...args], { encoding: 'utf8' });
  const commit = git('rev-parse', 'HEAD');
  if (commit.status !== 0) return undefined;
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD').stdout.trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return { commit: commit.stdout.trim(), branch, dirty };
}

export interface HeaderInputs {
  readonly id: string;
  readonly argv: readonly string[];
  readonly mode: 'apply' | 'check';
  readonly playbook: string;
  readonly playbookFiles: readonly string[];
  readonly inventoryPath: string;
  readonly inventoryFiles: readonly string[];
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly resumedFrom?: string;
}

export function runHeader(i: HeaderInputs, now = new Date()): RunHeader {
  const files = [i.playbook, ...i.playbookFiles.filter((f) => f !== i.playbook)];
  const git = gitInfo(i.playbook);
  return {
    type: 'run-header',
    id: i.id,
    started: now.toISOString(),
    user: userInfo().username,
    controller: hostname(),
    pid: process.pid,
    argv: redactArgv(i.argv),
    mode: i.mode,
    playbook: hashFile(i.playbook),
    playbookFiles: files.map(hashFile),
    inventory: { path: i.inventoryPath, files: [...new Set(i.inventoryFiles)].sort().map(hashFile) },
    extraVars: redact(i.extraVars) as Record<string, unknown>,
    ...(git ? { git } : {}),
    ...(i.resumedFrom ? { resumedFrom: i.resumedFrom } : {}),
  };
}
