// The `validate` argument of copy, template and lineinfile: the new content is written to a
// temporary file on the host and the command (with %s as that file) must exit 0 before the
// real file is touched — as Ansible does, `visudo -cf %s` or `sshd -t -f %s` guard against
// locking the operator out. The command is split into words (no shell), as Ansible's
// run_command splits it.
import { splitWords } from '../../core/words.js';
import type { ModuleContext } from '../types.js';
import { execOpts } from './exec.js';

/** The validate command run on the content: its rc and output, or why it could not run. */
export async function runValidation(
  ctx: ModuleContext,
  validate: string,
  content: string | Buffer,
): Promise<{ rc: number; stdout: string; stderr: string; error?: string }> {
  if (!validate.includes('%s')) return { error: `validate must contain %s: ${validate}`, rc: 1, stdout: '', stderr: '' };
  const opts = execOpts(ctx);
  const tmp = await ctx.conn.exec(['mktemp', '/tmp/.runbook-validate-XXXXXXXX'], opts);
  if (tmp.rc !== 0)
    return { error: `cannot make a temporary file to validate: ${tmp.stderr.trim()}`, rc: tmp.rc, stdout: '', stderr: tmp.stderr };
  const path = tmp.stdout.trim();
  try {
    await ctx.conn.writeFileAtomic(path, content, { mode: 0o600, ...(ctx.become ? { become: ctx.become } : {}) });
    const r = await ctx.conn.exec(splitWords(validate.split('%s').join(path)), opts);
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  } finally {
    await ctx.conn.exec(['rm', '-f', path], opts).catch(() => undefined);
  }
}

/** undefined when valid, else the failure: Ansible's message and the command's output */
export async function validateContent(
  ctx: ModuleContext,
  validate: string,
  content: string | Buffer,
  style: 'copy' | 'lineinfile',
): Promise<{ msg: string; rc: number; stdout: string; stderr: string } | undefined> {
  const r = await runValidation(ctx, validate, content);
  if (r.error !== undefined) return { msg: r.error, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  if (r.rc === 0) return undefined;
  const msg = style === 'copy' ? 'failed to validate' : `failed to validate: rc:${r.rc} error:${r.stderr}`;
  return { msg, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
}
