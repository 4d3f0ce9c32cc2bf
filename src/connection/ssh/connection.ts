// `connection: ssh`: one ssh2 Client per host for the whole run (plus its jump hosts), a
// small pool of framed /bin/sh sessions for commands and one SFTP session for files.
import type { Client, SFTPWrapper } from 'ssh2';
import type { Become, Connection, ExecOptions, ExecResult, ExternalSsh, FileAttrs } from '../types.js';
import { FramedShell, ShellClosedError } from './framed-shell.js';
import { ShellPool } from './pool.js';
import { buildCommand } from './command.js';
import { readRemoteFile, writeRemoteFile, type FileContext } from './files.js';
import { connectError } from '../errors.js';
import { verifiedHostKey, type HopTarget } from './client.js';
import { externalSsh, type PinnedHop } from './external.js';

export interface SshStats {
  /** TCP/SSH connections held (target plus jump hosts) */
  readonly connections: number;
  /** SSH sessions (channels) opened: framed shells + SFTP */
  readonly sessions: number;
  readonly shells: number;
  readonly commands: number;
}

/** Extra wait, past a command's own timeout, before the controller abandons the shell. */
const BACKSTOP_SLACK_MS = 5_000;

export class SshConnection implements Connection {
  readonly kind = 'ssh' as const;
  private readonly pool: ShellPool;
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private sftpOpened = 0;
  private commands = 0;
  private dead: string | undefined;
  private readonly ended = new Set<Client>();
  private external: ReturnType<typeof externalSsh> | undefined;

  constructor(
    readonly host: string,
    /** every client, the target's last */
    private readonly clients: readonly Client[],
    readonly loginUser: string,
    maxShells = 4,
    /** the hop each client connected to, in the same order (what an external ssh needs) */
    private readonly hops: readonly HopTarget[] = [],
  ) {
    const target = this.client;
    for (const c of clients) c.once('close', () => this.ended.add(c));
    this.pool = new ShellPool(() => FramedShell.open(target), maxShells);
    target.on('error', (e: Error) => {
      this.dead ??= e.message;
    });
    target.on('close', () => {
      this.dead ??= 'the server closed the connection';
      this.pool.close();
    });
  }

  private get client(): Client {
    return this.clients[this.clients.length - 1]!;
  }

  stats(): SshStats {
    return {
      connections: this.clients.length,
      sessions: this.pool.opened + this.sftpOpened,
      shells: this.pool.opened,
      commands: this.commands,
    };
  }

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) return Promise.resolve({ rc: 127, stdout: '', stderr: 'empty command' });
    return this.run(argv, opts);
  }

  shell(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run(['/bin/sh', '-c', script], opts);
  }

  private async run(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    this.ensureAlive();
    const cmd = buildCommand(argv, opts, this.loginUser);
    const backstop = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? opts.timeoutMs + BACKSTOP_SLACK_MS : 0;
    const started = Date.now();
    this.commands++;
    let r;
    try {
      r = await this.pool.run(cmd.line, cmd.stdin, backstop, opts.signal);
    } catch (e) {
      this.ensureAlive();
      if (e instanceof ShellClosedError) return { rc: 255, stdout: '', stderr: `ssh: ${e.message}` };
      throw e;
    }
    const stdout = r.stdout.toString('utf8');
    let stderr = r.stderr.toString('utf8');
    if (r.interrupted) return { rc: 130, stdout, stderr: `${stderr}interrupted`, interrupted: true };
    const timedOut = r.abandoned || (backstop > 0 && r.rc === 137 && Date.now() - started >= (opts.timeoutMs ?? 0));
    if (timedOut) stderr += `command timed out after ${opts.timeoutMs} ms`;
    return { rc: r.rc, stdout, stderr, ...(timedOut ? { timedOut } : {}) };
  }

  private ensureAlive(): void {
    if (this.dead !== undefined) throw connectError({ reason: 'closed', host: this.host, detail: this.dead });
  }

  private openSftp(): Promise<SFTPWrapper> {
    this.ensureAlive();
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          this.sftpSession = undefined;
          return reject(err);
        }
        this.sftpOpened++;
        sftp.on('close', () => {
          this.sftpSession = undefined;
        });
        resolve(sftp);
      });
    });
    return this.sftpSession;
  }

  private get files(): FileContext {
    return {
      loginUser: this.loginUser,
      exec: (argv, opts) => this.exec(argv, opts),
      sftp: () => this.openSftp(),
    };
  }

  readFile(path: string, opts: { become?: Become } = {}): Promise<Buffer | null> {
    return readRemoteFile(this.files, path, opts.become);
  }

  writeFileAtomic(path: string, data: string | Buffer, attrs: FileAttrs & { become?: Become } = {}): Promise<void> {
    return writeRemoteFile(this.files, path, data, attrs);
  }

  externalSsh(): Promise<ExternalSsh> {
    this.ensureAlive();
    if (!this.external) {
      const route: PinnedHop[] = this.hops.map((hop, i) => {
        const hostKey = this.clients[i] ? verifiedHostKey(this.clients[i]) : undefined;
        if (!hostKey) throw new Error(`${this.host}: no verified host key for ${hop.address}:${hop.port}`);
        return { hop, hostKey };
      });
      this.external = externalSsh(route);
    }
    return this.external;
  }

  async close(): Promise<void> {
    this.dead ??= 'connection closed by runbook';
    const external = this.external;
    this.external = undefined;
    if (external)
      await external.then(
        (e) => e.dispose(),
        () => undefined,
      );
    this.pool.close();
    const sftp = this.sftpSession;
    this.sftpSession = undefined;
    if (sftp)
      await sftp.then(
        (s) => s.end(),
        () => undefined,
      );
    await Promise.all(
      [...this.clients]
        .reverse()
        .filter((c) => !this.ended.has(c))
        .map(
          (c) =>
            new Promise<void>((resolve) => {
              const t = setTimeout(resolve, 2_000);
              c.once('close', () => {
                clearTimeout(t);
                resolve();
              });
              c.end();
            }),
        ),
    );
  }
}
