// Runs the built CLI (dist/) as an operator would a child process, no TTY.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `--output json` events, one per stdout line */
  events(): Record<string, any>[];
  /** the PLAY RECAP counters per host (from the json run-end event) */
  recap(): Record<string, Record<string, number>>;
  /** results of one task per host (json output) */
  results(task: string): Record<string, Record<string, any>>;
}

export function runCli(
  args: readonly string[],
  /** `wrap`: a command the CLI runs under (`unshare … --`), its argv before node's */
  opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; wrap?: readonly string[] } = {},
): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...opts.env })) if (v !== undefined) env[k] = v; // undefined unsets
  return new Promise((resolve) => {
    const [file, ...pre] = [...(opts.wrap ?? []), process.execPath];
    const child = execFile(
      file!,
      [...pre, CLI, ...args],
      { cwd: opts.cwd, env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code =
          typeof child.exitCode === 'number'
            ? child.exitCode
            : err && typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1;
        const events = (): Record<string, any>[] =>
          stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, any>);
        resolve({
          code,
          stdout,
          stderr,
          events,
          recap: () => (events().find((e) => e['type'] === 'run-end')?.['recap'] ?? {}) as Record<string, Record<string, number>>,
          results: (task) => {
            const out: Record<string, Record<string, any>> = {};
            for (const e of events())
              if (e['type'] === 'host-result' && e['task'] === task) out[e['host'] as string] = e['result'] as Record<string, any>;
            return out;
          },
        });
      },
    );
    child.stdin?.end();
  });
}
