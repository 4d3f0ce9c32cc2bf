// One long-lived `/bin/sh` on an SSH exec channel running one command at a time (its
// commands die with the channel: see REMOTE_SHELL). Each
// command is followed by random markers on stdout (carrying $?) and on stderr, so output is
// framed without needing EOF: `\n<MARK> <rc>\n` and `\n<MARK>\n`. The newline before each
// marker is always added, so output without a trailing newline is returned exactly. Stdin
// travels base64-encoded in a heredoc with a random delimiter; otherwise it is /dev/null
// (a command must never read the protocol stream).
import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';

export interface FrameResult {
  readonly rc: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** the controller gave up waiting (the shell was closed) */
  readonly abandoned: boolean;
  /** abandoned because the run was aborted */
  readonly interrupted?: boolean;
}

export class ShellClosedError extends Error {}

/**
 * The remote side of the channel. sshd makes each session a process group of its own
 * (setsid); the shell reads its commands through `cat`, and when the channel's stdin closes
 * — the controller closed the shell, aborted, or died (SIGKILL: the TCP connection drops) —
 * cat ends and the whole group gets SIGHUP, as a terminal hangup would send: the running
 * command dies with the session instead of being reparented to init. What a command detached
 * on purpose (setsid, nohup: a service it started) lives on, as under Ansible's ssh -tt.
 * Costs one process per shell, nothing per command.
 */
export const REMOTE_SHELL = "exec /bin/sh -c '{ cat; kill -HUP 0; } | /bin/sh'";

/** How long the login shell may take to start (rc files run once per shell). */
const OPEN_TIMEOUT_MS = 60_000;

/** Collects one stream and finds the first occurrence of a marker across chunk borders. */
class Collector {
  private chunks: Buffer[] = [];
  private total = 0;
  private tail = Buffer.alloc(0);
  found = -1;
  constructor(private readonly needle: Buffer) {}

  push(b: Buffer): void {
    this.chunks.push(b);
    if (this.found < 0) {
      const hay = this.tail.length > 0 ? Buffer.concat([this.tail, b]) : b;
      const i = hay.indexOf(this.needle);
      if (i >= 0) this.found = this.total - this.tail.length + i;
      else this.tail = Buffer.from(hay.subarray(Math.max(0, hay.length - (this.needle.length - 1))));
    }
    this.total += b.length;
  }

  all(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** bytes after the marker (only meaningful once found) */
  after(): Buffer {
    return this.all().subarray(this.found + this.needle.length);
  }
}

interface Pending {
  out: Collector;
  err: Collector;
  resolve: (r: FrameResult) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

function heredocLines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\n');
}

export class FramedShell {
  private pending: Pending | undefined;
  private closed = false;

  private constructor(private readonly channel: ClientChannel) {
    channel.on('data', (b: Buffer) => this.onData('out', b));
    channel.stderr.on('data', (b: Buffer) => this.onData('err', b));
    channel.on('close', () => this.onClose());
    channel.on('error', () => this.onClose());
  }

  /** Open the channel and wait for a first (empty) frame, discarding anything rc files print. */
  static async open(client: Client): Promise<FramedShell> {
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.exec(REMOTE_SHELL, (err, ch) => (err ? reject(err) : resolve(ch)));
    });
    const shell = new FramedShell(channel);
    const first = await shell.run(':', undefined, OPEN_TIMEOUT_MS);
    if (first.abandoned) throw new ShellClosedError(`remote shell did not start within ${OPEN_TIMEOUT_MS} ms`);
    return shell;
  }

  get alive(): boolean {
    return !this.closed;
  }

  /**
   * Run one shell command line (already quoted). `backstopMs` > 0: when no frame arrives
   * by then, the shell is closed and the result is `abandoned` with rc 137.
   */
  run(line: string, stdin: Buffer | undefined, backstopMs: number, signal?: AbortSignal): Promise<FrameResult> {
    if (this.closed) return Promise.reject(new ShellClosedError('remote shell is closed'));
    if (this.pending) return Promise.reject(new Error('framed shell is busy'));
    const mark = `RBM${randomBytes(12).toString('hex')}`;
    const trailer = `printf '\\n%s %d\\n' ${mark} "$?"; printf '\\n%s\\n' ${mark} >&2`;
    let script: string;
    if (stdin !== undefined && stdin.length > 0) {
      const delim = `RB_EOF_${randomBytes(8).toString('hex')}`;
      script = `base64 -d <<'${delim}' | ${line}; ${trailer}\n${heredocLines(stdin)}\n${delim}\n`;
    } else {
      script = `${line} </dev/null; ${trailer}\n`;
    }
    return new Promise<FrameResult>((resolve, reject) => {
      const p: Pending = {
        out: new Collector(Buffer.from(`\n${mark} `)),
        err: new Collector(Buffer.from(`\n${mark}\n`)),
        resolve,
        reject,
      };
      if (backstopMs > 0) {
        p.timer = setTimeout(() => {
          if (this.pending !== p) return;
          this.pending = undefined;
          const stdout = p.out.all();
          const stderr = p.err.all();
          this.close();
          resolve({ rc: 137, stdout, stderr, abandoned: true });
        }, backstopMs);
      }
      if (signal) {
        // aborting closes this shell: the remote session ends and its command with it
        const onAbort = (): void => {
          if (this.pending !== p) return;
          this.pending = undefined;
          if (p.timer) clearTimeout(p.timer);
          const stdout = p.out.all();
          const stderr = p.err.all();
          this.close();
          resolve({ rc: 130, stdout, stderr, abandoned: true, interrupted: true });
        };
        if (signal.aborted) {
          queueMicrotask(onAbort);
        } else {
          signal.addEventListener('abort', onAbort, { once: true });
          const done = (): void => signal.removeEventListener('abort', onAbort);
          const { resolve: res0 } = p;
          p.resolve = (r) => {
            done();
            res0(r);
          };
        }
      }
      this.pending = p;
      this.channel.write(script);
    });
  }

  private onData(which: 'out' | 'err', b: Buffer): void {
    const p = this.pending;
    if (!p) return; // stray output between commands (background jobs): dropped
    (which === 'out' ? p.out : p.err).push(b);
    if (p.out.found < 0 || p.err.found < 0) return;
    const rest = p.out.after();
    const nl = rest.indexOf(0x0a);
    if (nl < 0) return;
    const rc = Number(rest.subarray(0, nl).toString('latin1'));
    this.pending = undefined;
    if (p.timer) clearTimeout(p.timer);
    p.resolve({
      rc: Number.isInteger(rc) ? rc : 255,
      stdout: Buffer.from(p.out.all().subarray(0, p.out.found)),
      stderr: Buffer.from(p.err.all().subarray(0, p.err.found)),
      abandoned: false,
    });
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new ShellClosedError('remote shell exited unexpectedly'));
    }
  }

  close(): void {
    if (this.closed) return;
    this.onClose();
    try {
      this.channel.end();
      this.channel.close();
    } catch {
      // already gone
    }
  }
}
