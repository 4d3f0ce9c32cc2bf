// Why a step failed, as a tagged value carried from where it happened to the reporter and
// the journal (ModuleResult.failure), so nothing downstream parses a message to learn the
// reason: `failure.kind === 'connect' && failure.reason === 'auth'`, not /Permission denied/.

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

export type Failure =
  /** the host could not be reached (the result is unreachable) */
  | ({ readonly kind: 'connect' } & ConnectFailure)
  /** the module's code threw: a bug or an I/O error it did not turn into a result */
  | { readonly kind: 'module'; readonly module: string; readonly message: string };
