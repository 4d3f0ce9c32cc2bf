// `runbook <command> --help`: each command's own options and an example. The global help lists
// the commands; a command's help lists only what that command reads, so one flag reads one way.

const RUN_OPTIONS = `  -i, --inventory PATH            inventory file, directory or 'host1,host2,'
  -e, --extra-vars K=V|JSON|@FILE extra variables (highest precedence)
  -l, --limit PATTERN             only these hosts
  -t, --tags T1,T2 / --skip-tags  only / not the tasks with these tags
  -D, --diff                      show file and line changes
  -f, --forks N                   hosts worked on at once (default 20)
  -o, --output tty|plain|json     progress output (default: tty on a terminal, plain otherwise)
  -v                              show command output (-vv: all of it)
  --accept-new-host-keys          record unknown host keys (like StrictHostKeyChecking=accept-new)
  -K, --ask-become-pass           ask for the sudo password (or --become-password-env NAME)
  --connect-timeout, -T SECONDS   SSH connect timeout (default 10)
  -u, --user USER                 remote user when neither remote_user nor ansible_user says
  -c, --connection ssh|local      connection when neither the connection keyword nor ansible_connection says
  -b, --become / --become-user U  become (sudo) when neither the become keywords nor ansible_become say
  --private-key, --key-file FILE  ssh key when ansible_ssh_private_key_file does not say
  --roles-path DIR[:DIR]          more places to find roles (after roles/ beside the playbook)
  --list-hosts / --list-tasks / --list-tags   what the playbook would touch, as ansible-playbook lists it
  --syntax-check                  validate the playbook (runbook validate), as ansible-playbook --syntax-check
  --start-at-task NAME            start at the first task NAME matches (a name, 'role : name' or a glob), as ansible-playbook
  --vault-password-file FILE      decrypt ansible-vault files and !vault values (also --vault-id [LABEL@]FILE|prompt,
                                  -J/--ask-vault-pass, ANSIBLE_VAULT_PASSWORD_FILE)`;

const STATE_DIR = `  --state-dir DIR                 where runs are recorded (default .runbook/ beside the inventory,
                                  else in the current directory)`;

const LAB_DIR = `  --dir DIR                       lab directory (default: the last one used, else /var/tmp/runbook-lab)`;

export const GLOBAL_HELP = `usage: runbook <command> [options]

commands:
  validate FILE...                check playbooks without touching any host
  plan PLAYBOOK -i INV            show what would change, on which host (changes nothing)
  apply PLAYBOOK -i INV           run the playbook
  apply plan.json                 apply a saved plan if the hosts did not drift
  inventory -i INV --list|--graph|--host NAME
                                  show an inventory as runbook reads it
  runs [show ID|latest]           recorded runs and their incident reports
  lab up|status|load K|break SCENARIO|verify|down|start NAME|stop NAME
                                  a rehearsal etcd cluster on loopback addresses (docs/lab.md)

runbook <command> --help shows a command's options and an example.
options for every command: -h/--help, --version

exit codes: 0 ok, 1 invalid input, 2 a host failed, 4 a host unreachable, 130 interrupted`;

const COMMANDS: Readonly<Record<string, string>> = {
  validate: `usage: runbook validate FILE...

Checks playbooks without touching any host: YAML, structure, modules and their arguments,
templates, include targets. Exit 0 when every file is valid, 1 otherwise.

options:
  --roles-path DIR[:DIR]          more places to find roles
  --vault-password-file FILE      decrypt !vault values to check them (without one they are taken as opaque text;
                                  also --vault-id [LABEL@]FILE|prompt, -J/--ask-vault-pass)

example:
  runbook validate playbooks/*.yml`,

  plan: `usage: runbook plan PLAYBOOK -i INVENTORY [options]

Shows what apply would change, on which host, changing nothing (check mode on every host).

options:
${RUN_OPTIONS}
  --out FILE                      save the plan; then \`runbook apply FILE\` applies exactly it

examples:
  runbook plan playbooks/disaster-recovery.yml -i inventories/lab
  runbook plan playbooks/disaster-recovery.yml -i inventories/lab --out dr-plan.json`,

  apply: `usage: runbook apply PLAYBOOK -i INVENTORY [options]
       runbook apply PLAN.json            (a plan saved by runbook plan --out)

Runs the playbook. A playbook that would change something is planned first and confirmed on
the terminal (/dev/tty, so \`| tee run.log\` works); read-only playbooks just run. Every apply
is recorded (journal and incident report) under the state dir: see runbook runs --help.

options:
${RUN_OPTIONS}
  -C, --check                     check mode: predict, change nothing
  -y, --yes                       apply without asking
  --report FILE                   write the incident report (Markdown) to FILE at the end
${STATE_DIR}
  --resume [RUN_ID]               replay what that run (default: the latest) finished, run the rest
  --force                         resume although the playbook or inventory changed
  --break-lock                    take a lock held by another run (only when it is surely gone)
  --journal-vars NAME,...         keep these extra vars' values in the journal (others: name and a hash)
  --require-clean                 refuse to apply a playbook with uncommitted git changes

examples:
  runbook apply playbooks/disaster-recovery.yml -i inventories/lab | tee dr.log
  runbook apply playbooks/health.yml -i inventories/lab
  runbook apply playbooks/disaster-recovery.yml -i inventories/lab --report incident.md`,

  inventory: `usage: runbook inventory -i INVENTORY --list | --graph [GROUP] | --host NAME

Shows an inventory as runbook reads it, in ansible-inventory's shape (to compare while migrating).

options:
  -i, --inventory PATH            inventory file, directory or 'host1,host2,'
  --list                          every group and host's variables as JSON
  --graph [GROUP]                 the group tree (default: all)
  --host NAME                     one host's variables

example:
  runbook inventory -i inventories/lab --graph`,

  runs: `usage: runbook runs [list]
       runbook runs show ID|latest [--format text|md|json]

Recorded applies: the list, or one run's incident report (what was wrong, what was decided and
why, the timeline, where old data went, the verify result, who ran it from where).

options:
  -i, --inventory PATH            the inventory whose runs to show (its .runbook/ beside it)
${STATE_DIR}
  --format text|md|json           runs show: a summary (text), the report to paste (md), or JSON
  -o json                         the same as --format json

examples:
  runbook runs -i inventories/lab
  runbook runs show latest --format md > incident.md`,

  lab: `usage: runbook lab up|status|load K|break SCENARIO|verify|down|start NAME|stop NAME [options]

A rehearsal etcd cluster on loopback addresses (docs/lab.md). The lab remembers the last --dir,
so only \`lab up\` needs it. runbook lab SUBCOMMAND --help for each one.

options:
${LAB_DIR}

example:
  runbook lab up --members 3 && runbook lab load 5000 && runbook lab break quorum-loss`,

  'lab up': `usage: runbook lab up [options]

Starts N members (sshd + etcd each) on 127.0.NET.1..N and writes an inventory for them.

options:
${LAB_DIR}
  --members N                     members, 1..9 (default 3)
  --net NET                       addresses 127.0.NET.i (default 60)
  --tls                           https with a lab CA
  --v2                            etcd's v2 API enabled
  -i, --inventory-dir DIR         where the inventory goes (default inventories/lab)
  --install-deps                  apt-get install the missing Debian packages (and fetch etcd)
  --etcd-version V[,V...]         3.4 (default, /usr/bin), 3.5.16 or 3.5.30 (scripts/fetch-etcd.sh),
                                  or one per member for a mixed cluster: 3.4,3.5.16,3.5.16
  --etcd-bin-dir DIR              every member runs DIR/etcd (etcdctl, etcdutl beside it)
  --service-manager M             script (default: an etcd-service sh script per member) or
                                  static-pod (kubeadm's manifest per member, run by the lab's
                                  kubelet stand-in; inventory etcd_service_manager: static-pod)

example:
  runbook lab up --members 3 --tls --dir /var/tmp/my-lab
  runbook lab up --etcd-version 3.5.30
  runbook lab up --service-manager static-pod`,

  'lab status': `usage: runbook lab status [--dir DIR]

Each member: sshd, etcd, health, leader, keys, revision.

options:
${LAB_DIR}

example:
  runbook lab status`,

  'lab load': `usage: runbook lab load K [--v2] [--dir DIR]

Writes K keys (and a sentinel holding K) that lab verify checks after a recovery.

options:
${LAB_DIR}
  --v2                            also write K keys through the v2 API

example:
  runbook lab load 5000`,

  'lab break': `usage: runbook lab break SCENARIO [--dir DIR]

Breaks the lab as a real incident would (docs/lab.md says exactly what each does).

scenarios:
  quorum-loss      every member stopped, the data dirs of all but the last removed
  stale-member     every member stopped, etcd1's data older than the others'
  dead-hosts       the last half of the hosts unreachable (etcd killed, sshd stopped)
  one-bad-member   the last member's db corrupted: it cannot start, the others keep quorum

options:
${LAB_DIR}

example:
  runbook lab break quorum-loss`,

  'lab verify': `usage: runbook lab verify [--dir DIR]

Checks that every key lab load wrote is back with its value. Exit 0 when all are.

options:
${LAB_DIR}

example:
  runbook lab verify`,

  'lab down': `usage: runbook lab down [--dir DIR]

Stops every lab process and removes the lab directory and its inventory.

options:
${LAB_DIR}

example:
  runbook lab down`,

  'lab start': `usage: runbook lab start NAME [--dir DIR]

Starts one member's etcd again.

options:
${LAB_DIR}

example:
  runbook lab start etcd2`,

  'lab stop': `usage: runbook lab stop NAME [--dir DIR]

Stops one member's etcd.

options:
${LAB_DIR}

example:
  runbook lab stop etcd2`,
};

/** The help for `runbook <positionals> --help`: the most specific command that has one. */
export function helpFor(positionals: readonly string[]): string {
  const [command, sub] = positionals;
  if (command === undefined || command === 'help') return positionals[1] !== undefined ? helpFor(positionals.slice(1)) : GLOBAL_HELP;
  return (sub !== undefined ? COMMANDS[`${command} ${sub}`] : undefined) ?? COMMANDS[command] ?? GLOBAL_HELP;
}
