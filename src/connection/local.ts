// `connection: local`: runs on the controller, with the same contract as ssh.
import { spawn } from 'node:child_process';
import { readFile, writeFile, rename, chmod, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Connection, ExecOptions, ExecResult, FileAttrs, Become } from './types.js';
import { becomeArgv, quote, quoteArgv } from './quote.js';

export class LocalConnection implements Connection {
  readonly kind = 'local' as const;
  constructor(readonly host: string) {}

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) return Promise.resolve({ rc: 127, stdout: '', stderr: 'empty command' });
    return this.run(argv, opts);
  }

  shell(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run(['/bin/sh', '-c', script], opts);
  }

  /** users sudo lets us become without a password (then a password must not reach stdin) */
  private readonly sudoFree = new Map<string, boolean>();

  private async run(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    let full = [...argv];
    let stdin = opts.stdin;
    if (opts.become && !isSelf(opts.become)) {
      // cwd is applied inside sudo so the target user's permissions govern it
      const inner = opts.cwd ? ['/bin/sh', '-c', `cd ${quote(opts.cwd)} && exec ${quoteArgv(full)}`] : full;
      let withPassword = opts.become.password !== undefined;
      if (withPassword) {
        const user = opts.become.user;
        if (!this.sudoFree.has(user)) this.sudoFree.set(user, (await this.spawn([...becomeArgv(user, false), 'true'], {})).rc === 0);
        withPassword = !this.sudoFree.get(user);
      }
      full = [...becomeArgv(opts.become.user, withPassword), ...inner];
      if (withPassword) stdin = opts.become.password + '\n' + (stdin ?? '');
    }
    return this.spawn(full, { ...opts, ...(stdin !== undefined ? { stdin } : {}) });
  }

  private spawn(full: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    const stdin = opts.stdin;
    return new Promise((resolve) => {
      const child = spawn(full[0]!, full.slice(1), {
        cwd: opts.become && !isSelf(opts.become) ? undefined : opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        // its own process group: a terminal's Ctrl-C does not reach it (the first Ctrl-C lets
        // running commands finish), and a kill reaches the whole command, children included
        detached: true,
      });
      const killGroup = (sig: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, sig);
        } catch {
          child.kill(sig);
        }
      };
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      if (opts.timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true;
          killGroup('SIGKILL');
        }, opts.timeoutMs);
      }
      let interrupted = false;
      const onAbort = (): void => {
        interrupted = true;
        killGroup('SIGTERM');
        setTimeout(() => killGroup('SIGKILL'), 2000).unref();
      };
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        resolve({ rc: e.code === 'ENOENT' ? 127 : 126, stdout: '', stderr: `${full[0]}: ${e.message}` });
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const stderr = Buffer.concat(err).toString('utf8');
        resolve({
          rc: code ?? (signal ? 128 + 9 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: timedOut ? `${stderr}command timed out after ${opts.timeoutMs} ms` : stderr,
          ...(timedOut ? { timedOut } : {}),
          ...(interrupted ? { interrupted } : {}),
        });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(stdin ?? '');
    });
  }

  async readFile(path: string, opts: { become?: Become } = {}): Promise<Buffer | null> {
    if (opts.become && !isSelf(opts.become)) {
      // base64 keeps binary content intact through the text pipe
      const r = await this.exec(['/bin/sh', '-c', 'test -e "$1" || exit 3; base64 -w0 -- "$1"', 'sh', path], { become: opts.become });
      if (r.rc === 3) return null;
      if (r.rc !== 0) throw new Error(`cannot read ${path}: ${r.stderr.trim()}`);
      return Buffer.from(r.stdout, 'base64');
    }
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async writeFileAtomic(path: string, data: string | Buffer, attrs: FileAttrs & { become?: Become } = {}): Promise<void> {
    const tmp = join(dirname(path), `.${basename(path)}.runbook-${randomBytes(6).toString('hex')}`);
    if (attrs.become && !isSelf(attrs.become)) {
      const script = `umask 077; cat > ${quote(tmp)} && mv -f -- ${quote(tmp)} ${quote(path)}`;
      const r = await this.exec(['/bin/sh', '-c', script], { become: attrs.become, stdin: data });
      if (r.rc !== 0) throw new Error(`cannot write ${path}: ${r.stderr.trim()}`);
      await this.applyAttrs(path, attrs);
      return;
    }
    try {
      await writeFile(tmp, data, { mode: attrs.mode ?? 0o644 });
      if (attrs.mode !== undefined) await chmod(tmp, attrs.mode);
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw e;
    }
    await this.applyAttrs(path, attrs);
  }

  private async applyAttrs(path: string, attrs: FileAttrs & { become?: Become }): Promise<void> {
    const become = attrs.become;
    const opt = become ? { become } : {};
    if (attrs.mode !== undefined && become) await this.exec(['chmod', attrs.mode.toString(8), '--', path], opt);
    if (attrs.owner !== undefined || attrs.group !== undefined) {
      const spec = `${attrs.owner ?? ''}${attrs.group !== undefined ? ':' + attrs.group : ''}`;
      const r = await this.exec(['chown', spec, '--', path], opt);
      if (r.rc !== 0) throw new Error(`chown ${spec} ${path}: ${r.stderr.trim()}`);
    }
  }

  async close(): Promise<void> {}
}

function isSelf(b: Become): boolean {
  return process.getuid?.() === 0 && b.user === 'root';
}
