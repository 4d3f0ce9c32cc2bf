#!/usr/bin/env node
// Entry point. Stays tiny so `runbook --version` starts fast: every command is imported
// only when it is the one asked for.
import { readFileSync } from 'node:fs';
import { parse, UsageError } from './args.js';
import { EXIT } from './exit.js';

const USAGE = `usage: runbook <command> [options]

commands:
  validate FILE...                check playbooks without touching any host
  plan PLAYBOOK -i INV            show what would change, on which host (changes nothing)
  apply PLAYBOOK -i INV           run the playbook
  apply plan.json                 apply a saved plan if the hosts did not drift
  inventory -i INV --list|--graph|--host NAME
                                  show an inventory as runbook reads it
  runs [show ID|latest]           recorded runs (beside the inventory, or --state-dir)
  lab up|status|load K|break SCENARIO|verify|down
                                  a rehearsal etcd cluster on loopback addresses (docs/lab.md)

options (plan/apply):
  -i, --inventory PATH            inventory file, directory or 'host1,host2,'
  -e, --extra-vars K=V|JSON|@FILE extra variables (highest precedence)
  -l, --limit PATTERN             only these hosts
  -t, --tags T1,T2 / --skip-tags  only / not the tasks with these tags
  -C, --check                     check mode: predict, change nothing
  -D, --diff                      show file and line changes
  -f, --forks N                   hosts worked on at once (default 20)
  -y, --yes                       apply without asking
  -o, --output tty|plain|json     progress output (default: tty on a terminal, plain otherwise)
  --accept-new-host-keys          record unknown host keys (like StrictHostKeyChecking=accept-new)
  -K, --ask-become-pass           ask for the sudo password (or --become-password-env NAME)
  -v                              show command output
  --state-dir DIR                 where runs are recorded (default .runbook/ beside the inventory)
  --resume [RUN_ID]               apply: replay what that run (default: the latest) finished, run the rest
  --force                         resume although the playbook or inventory changed
  --break-lock                    take a lock held by another run (only when it is surely gone)
  -o, --out plan.json             plan: save the plan; then: runbook apply plan.json
  --require-clean                 refuse to apply a playbook with uncommitted git changes
  --roles-path DIR[:DIR]          more places to find roles (after roles/ beside the playbook)
  --version, -h/--help

options (lab):
  --dir DIR                       lab directory (default /var/tmp/runbook-lab)
  --members N, --net NET          lab up: N members, 1..9 (default 3), on 127.0.NET.i (default 60)
  --tls, --v2                     lab up: https with a lab CA; etcd's v2 API enabled
  -i, --inventory-dir DIR         lab up: where the inventory goes (default inventories/lab)
  --install-deps                  lab up: apt-get install the missing Debian packages (and fetch etcd)
  --etcd-version V[,V...]         lab up: 3.4 (default, /usr/bin), 3.5.16 or 3.5.30 (scripts/fetch-etcd.sh),
                                  or one per member for a mixed cluster: 3.4,3.5.16,3.5.16
  --etcd-bin-dir DIR              lab up: every member runs DIR/etcd (etcdctl, etcdutl beside it)

exit codes: 0 ok, 1 invalid input, 2 a host failed, 4 a host unreachable, 130 interrupted`;

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
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined && !values.help ? EXIT.invalid : EXIT.ok;
  }
  switch (command) {
    case 'validate':
      return (await import('./validate.js')).validateCommand(rest, values);
    case 'inventory':
      return (await import('./inventory.js')).inventoryCommand(rest, values);
    case 'plan':
      return (await import('./run.js')).runCommand('plan', rest, values);
    case 'apply':
      return (await import('./run.js')).runCommand('apply', rest, values);
    case 'runs':
      return (await import('./runs.js')).runsCommand(rest, values);
    case 'lab':
      return (await import('./lab.js')).labCommand(rest, values);
    default:
      throw new UsageError(`unknown command '${command}' (commands: validate, plan, apply, inventory, runs, lab)`);
  }
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
