// The header of a run's journal: the content hash of every input file, the git commit the
// playbook came from, who ran it where, the extra vars' names with a hash of each value.
import { execFile, spawnSync } from 'node:child_process';
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

/**
 * Extra vars as recorded: the names, and a hash of each value (never the value itself: any
 * name may hold a secret, `-e pw=...` as well as `-e db_password=...`). Names in `keep`
 * (--journal-vars) are kept in clear. The hash still tells two runs' values apart.
 */
export function recordVars(vars: Readonly<Record<string, unknown>>, keep: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(vars)) out[k] = keep.has(k) ? v : fingerprint(v);
  return out;
}

/** `sha256:<16 hex>` of a value's JSON: enough to compare, far too short to brute-force back. */
export function fingerprint(v: unknown): string {
  return `(sha256:${createHash('sha256')
    .update(JSON.stringify(v) ?? 'undefined')
    .digest('hex')
    .slice(0, 16)})`;
}

/**
 * The command line as recorded: each -e/--extra-vars value (but @file) becomes its names and
 * hashes. `parse` is the CLI's own -e parser, so a quoted value is never split apart; a value
 * it cannot parse is recorded as `(unparsed)`, never as given.
 */
export function recordArgv(
  argv: readonly string[],
  parse: (value: string) => Record<string, unknown>,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  const record = (v: string): string => {
    if (v.trim().startsWith('@')) return v;
    try {
      return JSON.stringify(recordVars(parse(v), keep));
    } catch {
      return '(unparsed)';
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^(--extra-vars|-e)(=(.*))?$/.exec(a);
    if (m && m[3] !== undefined) out.push(`${m[1]}=${record(m[3])}`);
    else if (m && i + 1 < argv.length) {
      out.push(a, record(argv[i + 1]!));
      i++;
    } else if (/^-e./.test(a)) out.push(`-e${record(a.slice(2))}`);
    else out.push(a);
  }
  return out;
}

/**
 * The git commit, branch and dirtiness of the repository holding `file`, if any: one git
 * process (`status --branch --porcelain=v2` says all three) rather than one a question.
 */
export function gitInfo(file: string): GitInfo | undefined {
  const r = spawnSync('git', gitArgs(file), { encoding: 'utf8' });
  return r.status === 0 ? parseGitStatus(r.stdout) : undefined;
}

/** The same, without blocking: apply starts it with the load and awaits it for the header (null: no repository). */
export function gitInfoAsync(file: string): Promise<GitInfo | null> {
  return new Promise((resolve) => {
    execFile('git', gitArgs(file), { encoding: 'utf8' }, (err, stdout) => resolve(err ? null : (parseGitStatus(stdout) ?? null)));
  });
}

function gitArgs(file: string): string[] {
  return ['-C', dirname(file), 'status', '--branch', '--porcelain=v2', '--untracked-files=no'];
}

/** `git status --branch --porcelain=v2` → GitInfo; undefined before the first commit. */
export function parseGitStatus(out: string): GitInfo | undefined {
  let commit: string | undefined;
  let branch = 'HEAD'; // as `git rev-parse --abbrev-ref HEAD` names a detached head
  let dirty = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = line.slice(13).trim();
    else if (line.startsWith('# branch.head ')) {
      const b = line.slice(14).trim();
      if (b !== '(detached)') branch = b;
    } else if (line !== '' && !line.startsWith('#')) dirty = true;
  }
  return commit && /^[0-9a-f]{7,}$/.test(commit) ? { commit, branch, dirty } : undefined;
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
  /** how one -e value parses (the CLI's parser): the command line is recorded with hashes */
  readonly parseExtraVar: (value: string) => Record<string, unknown>;
  /** --journal-vars: names whose values are kept in clear */
  readonly journalVars?: ReadonlySet<string>;
  readonly resumedFrom?: string;
  /** the git facts already looked up (gitInfoAsync; null: no repository); else asked here */
  readonly git?: GitInfo | null;
}

export function runHeader(i: HeaderInputs, now = new Date()): RunHeader {
  const files = [i.playbook, ...i.playbookFiles.filter((f) => f !== i.playbook)];
  const git = i.git !== undefined ? (i.git ?? undefined) : gitInfo(i.playbook);
  return {
    type: 'run-header',
    id: i.id,
    started: now.toISOString(),
    user: userInfo().username,
    controller: hostname(),
    pid: process.pid,
    argv: recordArgv(i.argv, i.parseExtraVar, i.journalVars),
    mode: i.mode,
    playbook: hashFile(i.playbook),
    playbookFiles: files.map(hashFile),
    inventory: { path: i.inventoryPath, files: [...new Set(i.inventoryFiles)].sort().map(hashFile) },
    extraVars: recordVars(i.extraVars, i.journalVars),
    ...(git ? { git } : {}),
    ...(i.resumedFrom ? { resumedFrom: i.resumedFrom } : {}),
  };
}
