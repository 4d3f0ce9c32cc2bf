import type { TagFilter } from '../plan/tags.js';

export interface RunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly limit?: string;
  readonly tags: TagFilter;
  readonly forks: number;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly acceptNewHostKeys: boolean;
  readonly becomePassword?: string;
  readonly sshPassphrase?: string;
  readonly connectTimeoutMs: number;
  /** directory relative paths of the command line resolve from */
  readonly cwd: string;
}
