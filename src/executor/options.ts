import type { TagFilter } from '../plan/tags.js';
import type { DecisionBook } from '../plan/decisions.js';
import type { TaskOutcome } from './task.js';

export interface RunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly limit?: string;
  readonly tags: TagFilter;
  /** --start-at-task: pass over every task before the first one this names (plan/start-at.ts) */
  readonly startAtTask?: string;
  readonly forks: number;
  /** -v count: ansible_verbosity */
  readonly verbosity?: number;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly acceptNewHostKeys: boolean;
  readonly becomePassword?: string;
  readonly sshPassphrase?: string;
  readonly connectTimeoutMs: number;
  /**
   * ansible-playbook's -u, -c, -b, --become-user, --private-key: the lowest level, below the
   * play's and task's keywords, which are below the host's variables (as Ansible's precedence)
   */
  readonly defaults?: ConnectionDefaults;
  /** directory relative paths of the command line resolve from */
  readonly cwd: string;
  /** put each host's full outcome (registered value, facts) on host-result events (journal) */
  readonly recordOutcomes?: boolean;
  /** results of an earlier run to replay instead of running the task again (--resume) */
  readonly resume?: ResumeSource;
  /** applying a plan: what its steps decided (plan/decisions.ts), used instead of deciding again */
  readonly decisions?: DecisionBook;
}

/** Outcomes recorded by an earlier run, by task (source position) and host, in order. */
export interface ResumeSource {
  /** the next recorded outcome of `key` on `host`, or undefined: run it */
  take(key: string, host: string): TaskOutcome | undefined;
}

/** What the command line says about reaching hosts when nothing in the playbook or inventory does. */
export interface ConnectionDefaults {
  readonly remoteUser?: string;
  readonly connection?: string;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly privateKeyFile?: string;
}
