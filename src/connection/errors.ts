// One-line messages for the reasons a host could not be reached, and the mapping from
// socket / ssh2 errors to those reasons.
import { ConnectError, type ConnectFailure } from './types.js';

export function describeConnectFailure(f: ConnectFailure): string {
  switch (f.reason) {
    case 'refused':
      return `${f.host}: cannot connect to ${f.address}: connection refused`;
    case 'timeout':
      return `${f.host}: cannot connect to ${f.address}: timed out after ${f.ms} ms`;
    case 'dns':
      return `${f.host}: cannot connect to ${f.address}: name does not resolve`;
    case 'auth':
      return `${f.host}: authentication failed for user ${f.user}: ${f.detail}`;
    case 'host-key-mismatch':
      return (
        `${f.host}: host key mismatch for ${f.address}: expected ${f.expected} (from ${f.knownHostsFile}), ` +
        `offered ${f.offered} — refusing to connect (possible man-in-the-middle); ` +
        `if the key changed on purpose, remove the old entry`
      );
    case 'host-key-unknown':
      return (
        `${f.host}: unknown host key for ${f.address}: not in ${f.knownHostsFile} (offered ${f.offered}); ` +
        `check the fingerprint, then add it (ssh-keyscan) or re-run with --accept-new-host-keys`
      );
    case 'key-file':
      return `${f.host}: cannot use private key ${f.path}: ${f.detail}`;
    case 'proxy':
      return `${f.host}: cannot connect through jump host ${f.jump}: ${f.detail}`;
    case 'closed':
      return `${f.host}: connection closed: ${f.detail}`;
    case 'other':
      return `${f.host}: cannot connect: ${f.detail}`;
    default: {
      const never: never = f;
      return String(never);
    }
  }
}

export function connectError(f: ConnectFailure): ConnectError {
  return new ConnectError(f, describeConnectFailure(f));
}

interface SshLikeError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly level?: unknown;
}

/** Map a socket or ssh2 error (not host-key or auth: the caller knows those) to a failure. */
export function classifyConnectError(e: unknown, ctx: { host: string; address: string; timeoutMs: number }): ConnectFailure {
  const err = (typeof e === 'object' && e !== null ? e : {}) as SshLikeError;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : String(e);
  const { host, address } = ctx;
  if (code === 'ECONNREFUSED') return { reason: 'refused', host, address };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { reason: 'dns', host, address };
  if (err.level === 'client-timeout' || code === 'ETIMEDOUT') return { reason: 'timeout', host, address, ms: ctx.timeoutMs };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { reason: 'closed', host, detail: `${address}: ${message}` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { reason: 'other', host, detail: `${address}: host unreachable` };
  return { reason: 'other', host, detail: `${address}: ${oneLine(message)}` };
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
