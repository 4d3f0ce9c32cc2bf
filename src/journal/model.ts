// What a run's journal holds: a header (who ran what, from which inputs), then every event
// as it happens. One JSON object per line in <state dir>/runs/<run id>/journal.jsonl.

import type { RunVerdict } from '../core/verdict.js';

export interface FileHash {
  readonly path: string;
  readonly sha256: string;
}

export interface GitInfo {
  readonly commit: string;
  readonly branch: string;
  /** uncommitted changes anywhere in the work tree */
  readonly dirty: boolean;
}

export interface RunHeader {
  readonly type: 'run-header';
  readonly id: string;
  readonly started: string;
  readonly user: string;
  readonly controller: string;
  readonly pid: number;
  readonly argv: readonly string[];
  readonly mode: 'apply' | 'check';
  readonly playbook: FileHash;
  /** every file the playbook read (imports, vars files), the playbook first */
  readonly playbookFiles: readonly FileHash[];
  readonly inventory: { readonly path: string; readonly files: readonly FileHash[] };
  /** extra vars, secrets redacted */
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly git?: GitInfo;
  /** the run this one resumed */
  readonly resumedFrom?: string;
}

/** One line of the journal: the header, or an executor event (with its `type`). */
export type JournalLine = RunHeader | ({ readonly type: string } & Record<string, unknown>);

export interface RunSummary {
  readonly id: string;
  readonly dir: string;
  readonly header: RunHeader;
  readonly status: RunVerdict | 'running' | 'crashed';
  readonly durationMs?: number;
  readonly changed: number;
  readonly failed: number;
  /** the exit code the cli returned (cli/exit.ts), as recorded */
  readonly exitCode?: number;
  /** the last line was torn (a crash mid-write) and was skipped */
  readonly torn: boolean;
}
