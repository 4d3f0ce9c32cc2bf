// Up to `max` framed shells per host, opened on demand: commands to one host run one at a
// time per shell, so parallel commands take a free shell or wait for one. A shell that died
// is dropped and replaced by a fresh one on the next request.
import type { FramedShell, FrameResult } from './framed-shell.js';

export class ShellPool {
  private idle: FramedShell[] = [];
  private all = new Set<FramedShell>();
  private opening = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  /** shells opened over the pool's life */
  opened = 0;

  constructor(
    private readonly open: () => Promise<FramedShell>,
    private readonly max: number,
  ) {}

  async run(line: string, stdin: Buffer | undefined, backstopMs: number, signal?: AbortSignal): Promise<FrameResult> {
    const shell = await this.acquire();
    try {
      return await shell.run(line, stdin, backstopMs, signal);
    } finally {
      this.release(shell);
    }
  }

  private async acquire(): Promise<FramedShell> {
    for (;;) {
      if (this.closed) throw new Error('connection is closed');
      const s = this.idle.pop();
      if (s) {
        if (s.alive) return s;
        this.all.delete(s);
        continue;
      }
      if (this.all.size + this.opening < this.max) {
        this.opening++;
        try {
          const shell = await this.open();
          this.opened++;
          this.all.add(shell);
          return shell;
        } finally {
          this.opening--;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(shell: FramedShell): void {
    if (shell.alive && !this.closed) this.idle.push(shell);
    else this.all.delete(shell);
    this.waiters.shift()?.();
  }

  close(): void {
    this.closed = true;
    for (const s of this.all) s.close();
    this.all.clear();
    this.idle = [];
    for (const w of this.waiters.splice(0)) w();
  }
}
