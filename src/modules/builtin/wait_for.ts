// ansible.builtin.wait_for: wait until a TCP port on the host's side opens or closes, or a
// file appears (optionally containing search_regex) or disappears.
//
// The probe runs ON the target host (its view of `host:port`), one command per poll:
// bash's /dev/tcp under `timeout 1` when bash and timeout exist, else `nc -z -w 1`.
// Files are tested with `test -e` and read with the connection. Polls every `sleep`
// seconds until `timeout`, honouring the run's abort signal. Not run in check mode
// (it cannot predict, like Ansible's wait_for which has no check mode).
import { failed, ok } from '../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { WaitForArgs } from '../generated/args.js';
import { str } from '../support/args.js';
import { factOpts, sleep } from '../support/exec.js';
import { compilePyRegex } from '../../template/regex.js';

type State = 'started' | 'stopped' | 'present' | 'absent';

interface Plan {
  readonly host: string;
  readonly port?: number;
  readonly path?: string;
  readonly regex?: RegExp;
  readonly state: State;
  readonly timeoutMs: number;
  readonly delayMs: number;
  readonly sleepMs: number;
  readonly connectTimeout: number;
  readonly msg?: string;
}

// $1 host, $2 port, $3 connect timeout (s). rc 0 open, 1 closed, 3 no probe tool.
export const PORT_PROBE = [
  'if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then',
  '  timeout "$3" bash --norc --noprofile -c \'exec 3<>"/dev/tcp/$1/$2"\' probe "$1" "$2" >/dev/null 2>&1 && exit 0 || exit 1',
  'elif command -v nc >/dev/null 2>&1; then',
  '  nc -z -w "$3" "$1" "$2" >/dev/null 2>&1 && exit 0 || exit 1',
  'fi',
  'exit 3',
].join('\n');

async function portOpen(ctx: ModuleContext, host: string, port: number, connectTimeout: number): Promise<boolean | 'no-tool'> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', PORT_PROBE, 'sh', host, String(port), String(connectTimeout)], factOpts(ctx));
  if (r.rc === 3) return 'no-tool';
  return r.rc === 0;
}

/** For files: exists (and matches the regex when given). */
async function fileMatches(ctx: ModuleContext, path: string, regex: RegExp | undefined): Promise<{ hit: boolean; groups?: string[] }> {
  const data = await ctx.conn.readFile(path, ctx.become ? { become: ctx.become } : {}).catch(() => null);
  if (data === null) {
    // unreadable or absent: fall back to existence
    const r = await ctx.conn.exec(['test', '-e', path], factOpts(ctx));
    return { hit: r.rc === 0 && !regex };
  }
  if (!regex) return { hit: true };
  const m = regex.exec(data.toString('utf8'));
  return m ? { hit: true, groups: m.slice(1).map((g) => g ?? '') } : { hit: false };
}

function what(p: Plan): string {
  if (p.port !== undefined) return `${p.host}:${p.port}`;
  if (p.regex) return `search string ${p.regex.source} in ${p.path!}`;
  return `file ${p.path!}`;
}

const waitFor: Module<WaitForArgs, Plan> = {
  name: 'wait_for',
  readOnly: true,
  check(_ctx, args): Promise<Prediction<Plan>> {
    const bad = (msg: string): Promise<Prediction<Plan>> => Promise.resolve({ kind: 'failed', result: failed(msg) });
    let plan: Plan;
    try {
      const port = args.port;
      const path = args.path;
      if (port !== undefined && path !== undefined) return bad('port and path are mutually exclusive');
      if (port !== undefined && args.search_regex !== undefined)
        return bad('search_regex with port (reading from the socket) is not supported; use it with path');
      const state = (str(args.state) ?? 'started') as State;
      if (!['started', 'stopped', 'present', 'absent'].includes(state))
        return bad(`state must be one of started, stopped, present, absent (got '${state}')`);
      const regexText = args.search_regex;
      const msg = args.msg;
      plan = {
        host: args.host ?? '127.0.0.1',
        ...(port !== undefined ? { port } : {}),
        ...(path !== undefined ? { path } : {}),
        ...(regexText !== undefined ? { regex: compilePyRegex(regexText, {}, 'm') } : {}),
        state,
        timeoutMs: args.timeout * 1000,
        delayMs: args.delay * 1000,
        sleepMs: Math.max(0.05, args.sleep) * 1000,
        connectTimeout: Math.max(1, Math.round(args.connect_timeout)),
        ...(msg !== undefined ? { msg } : {}),
      };
    } catch (e) {
      return bad((e as Error).message);
    }
    const summary =
      plan.port === undefined && plan.path === undefined ? `sleep ${plan.timeoutMs / 1000}s` : `wait for ${what(plan)} to be ${plan.state}`;
    return Promise.resolve({ kind: 'unknown', summary, plan });
  },
  async apply(ctx, _args, prediction) {
    const p = prediction.plan;
    const start = Date.now();
    const elapsed = (): number => Math.round((Date.now() - start) / 1000);
    if (p.delayMs > 0 && !(await sleep(p.delayMs, ctx.signal))) return failed('wait_for interrupted');
    if (p.port === undefined && p.path === undefined) {
      // no condition: just sleep for timeout seconds (Ansible's behaviour)
      if (!(await sleep(p.timeoutMs, ctx.signal))) return failed('wait_for interrupted');
      return ok({ data: { elapsed: elapsed() } });
    }
    const want = p.state === 'started' || p.state === 'present';
    const deadline = start + p.delayMs + p.timeoutMs;
    for (;;) {
      let hit: boolean;
      let groups: string[] | undefined;
      if (p.port !== undefined) {
        const open = await portOpen(ctx, p.host, p.port, p.connectTimeout);
        if (open === 'no-tool') return failed('wait_for cannot probe ports on this host: it needs bash and timeout, or nc');
        hit = open;
      } else {
        const m = await fileMatches(ctx, p.path!, p.regex);
        hit = m.hit;
        groups = m.groups;
      }
      if (hit === want) {
        return ok({
          data: {
            elapsed: elapsed(),
            state: p.state,
            ...(p.port !== undefined ? { port: p.port } : { path: p.path }),
            ...(groups ? { match_groups: groups } : {}),
          },
        });
      }
      // never give up before the timeout: the last wait is cut short and a last probe made at the deadline
      const left = deadline - Date.now();
      if (left <= 0) break;
      ctx.progress?.({ waitingFor: `${what(p)} ${p.state}`, elapsedMs: Date.now() - start, deadlineMs: deadline - start });
      if (!(await sleep(Math.min(p.sleepMs, left), ctx.signal))) return failed('wait_for interrupted');
    }
    return failed(p.msg ?? `Timeout when waiting for ${what(p)}${want ? '' : ` to ${p.port !== undefined ? 'stop' : 'be absent'}`}`, {
      data: { elapsed: elapsed() },
    });
  },
};

export default waitFor;
