// Payloads built by ansible-core's AnsiballZ builder, through one long-lived bridge process
// (python/ansible_payload.py serve) so Python and ansible start once per run, not once per
// task. Payloads are kept per module + arguments: the same task on fifty hosts builds once.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { nodeChildProcess } from '../../core/lazy-builtin.js';
import { BRIDGE, type AnsibleCore } from './controller.js';
import { pythonJson } from '../../core/python-json.js';

export interface BuildRequest {
  readonly name: string;
  /** library/ dirs searched before ansible-core's own paths */
  readonly dirs: readonly string[];
  /** the module's arguments, `_ansible_*` ones included */
  readonly args: Readonly<Record<string, unknown>>;
  readonly interpreter: string;
  readonly become: boolean;
}

export interface Payload {
  readonly fqcn: string;
  /** 'new' (AnsiballZ), 'old', 'non_native_want_json' or 'binary' (ansible-core's module styles) */
  readonly style: string;
  readonly shebang: string | null;
  readonly data: Buffer;
}

interface Answer {
  id: number;
  error?: string;
  fqcn?: string;
  style?: string;
  shebang?: string | null;
  payload?: string;
}

const CACHE_MAX = 64;

class Bridge {
  private child: ChildProcessWithoutNullStreams | undefined;
  private nextId = 1;
  private buffered = '';
  private readonly waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private readonly cache = new Map<string, Promise<Payload>>();

  constructor(private readonly core: AnsibleCore) {}

  build(req: BuildRequest): Promise<Payload> {
    const key = pythonJson([req.name, req.dirs, req.args, req.interpreter, req.become]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const p = this.ask({ op: 'build', ...req }).then((a): Payload => {
      if (a.error || !a.payload) throw new Error(a.error ?? 'ansible-core built no payload');
      return { fqcn: a.fqcn ?? req.name, style: a.style ?? 'new', shebang: a.shebang ?? null, data: Buffer.from(a.payload, 'base64') };
    });
    p.catch(() => this.cache.delete(key));
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, p);
    return p;
  }

  private ask(req: Record<string, unknown>): Promise<Answer> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.setRef(true);
      child.stdin.write(pythonJson({ ...req, id }) + '\n'); // a float 2.0 reaches Python as one
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = nodeChildProcess().spawn(this.core.python, [BRIDGE, 'serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.receive(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const fail = (why: string): void => {
      this.child = undefined;
      for (const w of this.waiting.values()) w.reject(new Error(why));
      this.waiting.clear();
    };
    child.on('error', (e) => fail(`cannot start ${this.core.python}: ${e.message}`));
    child.on('exit', (code) => fail(`the ansible-core bridge exited (${code ?? 'signal'}): ${stderr.trim().split('\n').pop() ?? ''}`));
    this.child = child;
    return child;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (!line.trim()) continue;
      let a: Answer;
      try {
        a = JSON.parse(line) as Answer;
      } catch {
        continue; // a stray print from a plugin; answers are whole JSON lines
      }
      const w = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      w?.resolve(a);
    }
    if (this.waiting.size === 0) this.setRef(false);
  }

  /** an idle bridge must not keep the run alive; a busy one must */
  private setRef(on: boolean): void {
    const c = this.child;
    if (!c) return;
    // the pipes are sockets; their ref()/unref() are not in the stream types
    for (const s of [c.stdin, c.stdout, c.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (on) s.ref();
      else s.unref();
    }
    if (on) c.ref();
    else c.unref();
  }
}

let bridge: Bridge | undefined;

export function buildPayload(core: AnsibleCore, req: BuildRequest): Promise<Payload> {
  bridge ??= new Bridge(core);
  return bridge.build(req);
}
