// argv + ExecOptions → one shell command line for the framed shell. Always a subshell, so
// `cd`, `export` and `exec` never touch the long-lived shell. Same semantics as
// LocalConnection: become wraps with sudo (cwd and env applied inside it), a timeout kills
// the whole command (coreutils `timeout -s KILL`, rc 137), a missing command is rc 127.
import type { Become, ExecOptions } from '../types.js';
import { becomeArgv, envAssignments, quote, quoteArgv } from '../quote.js';

export interface BuiltCommand {
  readonly line: string;
  readonly stdin?: Buffer;
}

export function needsSudo(become: Become | undefined, loginUser: string): become is Become {
  return become !== undefined && become.user !== loginUser;
}

function toBuffer(s: string | Buffer): Buffer {
  return typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
}

export function buildCommand(argv: readonly string[], opts: ExecOptions, loginUser: string): BuiltCommand {
  let cmd = [...argv];
  if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
    cmd = ['timeout', '-s', 'KILL', (opts.timeoutMs / 1000).toFixed(3), ...cmd];
  }
  const prelude: string[] = [];
  if (opts.cwd !== undefined) prelude.push(`cd ${quote(opts.cwd)}`);
  if (opts.env && Object.keys(opts.env).length > 0) prelude.push(`export ${envAssignments(opts.env)}`);
  let stdin = opts.stdin !== undefined ? toBuffer(opts.stdin) : undefined;
  let line: string;
  if (needsSudo(opts.become, loginUser)) {
    const inner = prelude.length > 0 ? ['/bin/sh', '-c', `${prelude.join(' && ')} && exec ${quoteArgv(cmd)}`] : cmd;
    const user = opts.become.user;
    if (opts.become.password === undefined) {
      line = `(exec ${quoteArgv([...becomeArgv(user, false), ...inner])})`;
    } else {
      line = passwordSudoLine(user, inner);
      stdin = Buffer.concat([Buffer.from(`${opts.become.password}\n`, 'utf8'), stdin ?? Buffer.alloc(0)]);
    }
  } else {
    line = `(${[...prelude, `exec ${quoteArgv(cmd)}`].join(' && ')})`;
  }
  return stdin !== undefined ? { line, stdin } : { line };
}

/**
 * sudo with a password on stdin. sudo reads it only when it needs one: with cached
 * credentials or a NOPASSWD rule the password line would reach the command's stdin. So `-k`
 * ignores the cache, and a `sudo -n -k … true` probe detects NOPASSWD, in which case the
 * shell consumes the password line itself (`read` takes exactly one line from a pipe).
 */
function passwordSudoLine(user: string, inner: readonly string[]): string {
  const [sudo, ...rest] = becomeArgv(user, true);
  const withPassword = quoteArgv([sudo ?? 'sudo', '-k', ...rest, ...inner]);
  const [sudoN, ...restN] = becomeArgv(user, false);
  const probe = quoteArgv([sudoN ?? 'sudo', '-k', ...restN, 'true']);
  const noPassword = quoteArgv([...becomeArgv(user, false), ...inner]);
  return `(if ${probe} </dev/null >/dev/null 2>&1; then IFS= read -r _rb_pw; exec ${noPassword}; else exec ${withPassword}; fi)`;
}
