// What the layers above may ask of a host. A connection knows nothing about modules.
import type { ConnectFailure } from '../core/failure.js';

export interface Become {
  readonly user: string; // default root
  /** sudo password; never logged */
  readonly password?: string;
}

export interface ExecOptions {
  /** bytes fed to the command's standard input; otherwise it reads /dev/null */
  readonly stdin?: string | Buffer;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly become?: Become;
  /** aborting it kills the running command (a second Ctrl-C) */
  readonly signal?: AbortSignal;
}

export interface ExecResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
  /** the command was killed because it ran longer than `timeoutMs` */
  readonly timedOut?: boolean;
  /** the command was killed because the run was aborted */
  readonly interrupted?: boolean;
}

export interface FileAttrs {
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
}

/**
 * An OpenSSH client command that reaches the host as its connection did (synchronize runs
 * rsync with it): same address, user and keys, pinned to the host key runbook verified.
 */
export interface ExternalSsh {
  /** `ssh` and its options, without port, user and destination */
  readonly argv: readonly string[];
  readonly address: string;
  readonly port: number;
  readonly user: string;
}

export interface Connection {
  /** inventory name of the host */
  readonly host: string;
  /** `local` or `ssh` */
  readonly kind: 'local' | 'ssh';
  /** Run argv exactly as given (each item one argument, never re-split). */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Run a script through /bin/sh -c (the `shell` module and trusted internal scripts only). */
  shell(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** File content, or null when it does not exist. */
  readFile(path: string, opts?: { become?: Become }): Promise<Buffer | null>;
  /** Write through a temp file in the same directory + rename. */
  writeFileAtomic(path: string, data: string | Buffer, attrs?: FileAttrs & { become?: Become }): Promise<void>;
  /** ssh only: the command an external ssh (rsync's -e) reaches this host with; valid until close() */
  externalSsh?(): Promise<ExternalSsh>;
  close(): Promise<void>;
}

/** Why a host could not be reached (the type lives in core/failure.ts, in the Failure union). */
export type { ConnectFailure };

export class ConnectError extends Error {
  constructor(
    readonly failure: ConnectFailure,
    message: string,
  ) {
    super(message);
  }
}
