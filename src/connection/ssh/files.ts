// File transfer for SshConnection. As the login user: SFTP (temp file in the same
// directory, chmod, chown by name, then posix-rename). As another user (become): through
// sudo on the framed shell, base64 for reading so binary content survives.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import type { Become, ExecOptions, ExecResult, FileAttrs } from '../types.js';
import { quote } from '../quote.js';
import { needsSudo } from './command.js';

export interface FileContext {
  readonly loginUser: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  sftp(): Promise<SFTPWrapper>;
}

const NO_SUCH_FILE = 2;
const MISSING_RC = 44;

export function tempPathFor(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.runbook-${randomBytes(6).toString('hex')}`);
}

function ownerSpec(attrs: FileAttrs): string | undefined {
  if (attrs.owner === undefined && attrs.group === undefined) return undefined;
  return `${attrs.owner ?? ''}${attrs.group !== undefined ? ':' + attrs.group : ''}`;
}

function call<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

export async function readRemoteFile(ctx: FileContext, path: string, become?: Become): Promise<Buffer | null> {
  if (needsSudo(become, ctx.loginUser)) {
    const script = `if [ -e "$1" ]; then exec base64 < "$1"; else exit ${MISSING_RC}; fi`;
    const r = await ctx.exec(['/bin/sh', '-c', script, 'sh', path], { become });
    if (r.rc === MISSING_RC) return null;
    if (r.rc !== 0) throw new Error(`cannot read ${path}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout, 'base64');
  }
  const sftp = await ctx.sftp();
  return new Promise((resolve, reject) => {
    sftp.readFile(path, (err: (Error & { code?: unknown }) | undefined, data: Buffer) => {
      if (!err) return resolve(data);
      if (err.code === NO_SUCH_FILE) return resolve(null);
      reject(new Error(`cannot read ${path}: ${err.message}`));
    });
  });
}

export async function writeRemoteFile(
  ctx: FileContext,
  path: string,
  data: string | Buffer,
  attrs: FileAttrs & { become?: Become },
): Promise<void> {
  const tmp = tempPathFor(path);
  const mode = (attrs.mode ?? 0o644).toString(8);
  const owner = ownerSpec(attrs);
  if (needsSudo(attrs.become, ctx.loginUser)) {
    const steps = ['umask 077', 'cat > "$1"', `chmod ${mode} "$1"`];
    if (owner !== undefined) steps.push(`chown ${quote(owner)} "$1"`);
    steps.push('mv -f -- "$1" "$2"');
    const script = `${steps.join(' && ')} || { rc=$?; rm -f -- "$1"; exit $rc; }`;
    const stdin = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const r = await ctx.exec(['/bin/sh', '-c', script, 'sh', tmp, path], { become: attrs.become, stdin });
    if (r.rc !== 0) throw new Error(`cannot write ${path}: ${r.stderr.trim()}`);
    return;
  }
  const sftp = await ctx.sftp();
  try {
    await call<void>((cb) => sftp.writeFile(tmp, data, { mode: attrs.mode ?? 0o644 }, (e) => cb(e)));
    if (attrs.mode !== undefined) await call<void>((cb) => sftp.chmod(tmp, attrs.mode ?? 0o644, (e) => cb(e)));
    if (owner !== undefined) {
      const r = await ctx.exec(['chown', owner, '--', tmp]);
      if (r.rc !== 0) throw new Error(`chown ${owner}: ${r.stderr.trim()}`);
    }
    try {
      await call<void>((cb) => sftp.ext_openssh_rename(tmp, path, (e) => cb(e)));
    } catch {
      // no posix-rename extension: plain SFTP rename refuses to overwrite
      await call<void>((cb) => sftp.unlink(path, () => cb(null)));
      await call<void>((cb) => sftp.rename(tmp, path, (e) => cb(e)));
    }
  } catch (e) {
    await call<void>((cb) => sftp.unlink(tmp, () => cb(null)));
    throw new Error(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
