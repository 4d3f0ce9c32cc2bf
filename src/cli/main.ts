#!/usr/bin/env node
// Entry point. Stays tiny so `runbook --version` starts fast: every command is imported
// only when it is the one asked for.
import { readFileSync } from 'node:fs';
import { parse, UsageError } from './args.js';
import { EXIT } from './exit.js';
import { GLOBAL_HELP, helpFor } from './help.js';
import { loadCommandBundle, type CommandBundle } from './code-cache.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    process.stderr.write(`runbook: ${(e as Error).message.split('\n')[0]}\n${'Try runbook --help.'}\n`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`runbook ${version()}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(helpFor(positionals) + '\n');
    return EXIT.ok;
  }
  if (command === undefined) {
    process.stderr.write(GLOBAL_HELP + '\n');
    return EXIT.invalid;
  }
  switch (command) {
    // validate, plan and apply: one CommonJS file each through V8's code cache
    // (cli/code-cache.ts), the ES modules without it
    case 'validate': {
      const bundle = loadCommandBundle<typeof import('./validate.js')>('validate');
      return trained(bundle, await (bundle?.exports ?? (await import('./validate.js'))).validateCommand(rest, values));
    }
    case 'inventory':
      return (await import('./inventory.js')).inventoryCommand(rest, values);
    case 'plan':
    case 'apply': {
      const bundle = loadCommandBundle<typeof import('./run.js')>('run');
      return trained(bundle, await (bundle?.exports ?? (await import('./run.js'))).runCommand(command, rest, values));
    }
    case 'runs':
      return (await import('./runs.js')).runsCommand(rest, values);
    case 'lab':
      return (await import('./lab.js')).labCommand(rest, values);
    default:
      throw new UsageError(`unknown command '${command}' (commands: validate, plan, apply, inventory, runs, lab)`);
  }
}

/** The build's training run (RUNBOOK_CODE_CACHE=write, scripts/bundle.mjs) saves the command's code cache. */
function trained(bundle: CommandBundle<unknown> | undefined, code: number): number {
  if (process.env['RUNBOOK_CODE_CACHE'] === 'write') bundle?.saveCache();
  return code;
}

// `runbook ... | head`: a closed pipe ends the output quietly, as for any Unix tool
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    if (process.env['RUNBOOK_DEBUG']) process.stderr.write(`${err.stack ?? String(err)}\n`);
    process.stderr.write(`runbook: error: ${err.message.split('\n')[0]}\n`);
    process.exitCode = EXIT.invalid;
  },
);
