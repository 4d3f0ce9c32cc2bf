// What the layers above may ask of a host. A connection knows nothing about modules.

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
  close(): Promise<void>;
}

/** Why a host could not be reached; each has its own message (see connection/errors.ts). */
export type ConnectFailure =
  | { reason: 'refused'; host: string; address: string }
  | { reason: 'timeout'; host: string; address: string; ms: number }
  | { reason: 'dns'; host: string; address: string }
  | { reason: 'auth'; host: string; user: string; detail: string }
  | { reason: 'host-key-mismatch'; host: string; address: string; expected: string; offered: string; knownHostsFile: string }
  | { reason: 'host-key-unknown'; host: string; address: string; offered: string; knownHostsFile: string }
  | { reason: 'key-file'; host: string; path: string; detail: string }
  | { reason: 'proxy'; host: string; jump: string; detail: string }
  | { reason: 'closed'; host: string; detail: string }
  | { reason: 'other'; host: string; detail: string };

export class ConnectError extends Error {
  constructor(readonly failure: ConnectFailure, message: string) {
    super(message);
  }
}
