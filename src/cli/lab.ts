// `runbook lab up|status|load K|break SCENARIO|verify|down|start NAME|stop NAME`: the
// rehearsal etcd cluster (src/lab/etcd/index.ts) from the command line. Exit 0 when done,
// 1 when the lab refused or failed (one line, then what helps: a log tail, a command).
import { resolve } from 'node:path';
import type { BreakResult, LabStatus, MemberStatus, VerifyResult } from '../lab/etcd/index.js';
import { UsageError, type Options } from './args.js';
import { EXIT } from './exit.js';
import { forget, recall, remember } from './remember.js';

const SUBCOMMANDS = 'up, status, load K, break SCENARIO, verify, down, start NAME, stop NAME';

const out = (line: string): void => void process.stdout.write(line + '\n');
const err = (line: string): void => void process.stderr.write(line + '\n');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} needs a whole number, got '${value}'`);
  return Number(value);
}

function memberLine(m: MemberStatus, width: number): string {
  const cols = [
    m.name.padEnd(width),
    m.address.padEnd(15),
    `sshd:${m.sshd ? 'up' : 'DOWN'}`.padEnd(9),
    `etcd:${m.etcd}`.padEnd(12),
    (m.etcd === 'running' ? (m.healthy ? 'healthy' : 'UNHEALTHY') : '-').padEnd(9),
    (m.leader ? 'leader' : m.etcd === 'running' && m.healthy ? 'follower' : '-').padEnd(8),
    m.keys !== undefined ? `keys=${m.keys}` : '',
    m.revision !== undefined ? `rev=${m.revision}` : '',
    m.appliedIndex !== undefined ? `applied=${m.appliedIndex}` : '',
    m.error ? `(${m.error})` : '',
  ];
  return cols
    .filter((c) => c !== '')
    .join(' ')
    .trimEnd();
}

function renderStatus(s: LabStatus): void {
  const width = Math.max(...s.members.map((m) => m.name.length));
  for (const m of s.members) out(memberLine(m, width));
  const healthy = s.members.filter((m) => m.healthy).length;
  out(
    s.quorum
      ? `cluster: quorum, ${healthy}/${s.members.length} healthy${s.leader ? `, leader ${s.leader}` : ''}`
      : `cluster: NO QUORUM (0/${s.members.length} healthy)`,
  );
}

function renderVerify(v: VerifyResult): void {
  if (v.ok) {
    out(`verify: ${v.found}/${v.expected} keys ok, sentinel ${v.sentinel}${v.v2 ? `; v2: ${v.v2.found}/${v.v2.expected} keys ok` : ''}`);
    return;
  }
  if (v.found === 0 && v.error) {
    out(`verify: FAILED: ${v.error}`);
    return;
  }
  out(`verify: FAILED: ${v.found}/${v.expected} keys ok`);
  const list = (xs: readonly string[], n: number): string => `${xs.slice(0, 5).join(' ')}${n > 5 ? ` … (${n} in all)` : ''}`;
  if (v.missingCount) out(`  missing ${v.missingCount}: ${list(v.missing, v.missingCount)}`);
  if (v.wrongCount) out(`  wrong value ${v.wrongCount}: ${list(v.wrong, v.wrongCount)}`);
  if (!v.sentinelOk) out(`  sentinel: ${v.sentinel === undefined ? 'missing' : `'${v.sentinel}', expected '${v.expected}'`}`);
  if (v.v2 && v.v2.found !== v.v2.expected)
    out(`  v2: ${v.v2.found}/${v.v2.expected} keys ok; missing ${list(v.v2.missing, v.v2.missingCount)}`);
  if (v.error) out(`  ${v.error}`);
}

function renderBreak(b: BreakResult): void {
  out(`break ${b.scenario}: ${b.summary}`);
  const row = (label: string, xs: readonly string[]): void => {
    if (xs.length) out(`  ${label.padEnd(10)} ${xs.join(' ')}`);
  };
  row('running', b.running);
  row('stopped', b.stopped);
  row('wiped', b.wiped);
  row('corrupted', b.corrupted);
  row('dead host', b.deadHosts);
  if (b.recoverFrom) row('newest', b.recoverFrom);
  out(`  expected keys: ${b.expectedKeys}`);
}

function serviceManagerOption<T extends string>(v: string, known: readonly T[]): T {
  if ((known as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`--service-manager must be ${known.join(' or ')}, got '${v}'`);
}

async function run(sub: string, args: string[], opts: Options): Promise<number> {
  const lab = await import('../lab/etcd/index.js');
  // the lab remembers its last --dir: only `lab up` needs it
  const dir = resolve(opts.dir ?? recall('lab-dir') ?? lab.LAB_DEFAULTS.dir);
  if (opts.dir === undefined && dir !== resolve(lab.LAB_DEFAULTS.dir) && sub !== 'up')
    err(`runbook lab: the lab in ${dir} (the last one used; --dir for another)`);
  switch (sub) {
    case 'up': {
      const inventoryDir = opts['inventory-dir'] ?? opts.inventory?.at(-1);
      const wanted = {
        dir,
        members: intOption(opts.members, '--members') ?? lab.LAB_DEFAULTS.members,
        net: intOption(opts.net, '--net') ?? lab.LAB_DEFAULTS.net,
        tls: !!opts.tls,
        v2: !!opts.v2,
        installDeps: !!opts['install-deps'],
        ...(opts['etcd-version'] !== undefined ? { etcdVersion: opts['etcd-version'] } : {}),
        ...(opts['etcd-bin-dir'] !== undefined ? { etcdBinDir: opts['etcd-bin-dir'] } : {}),
        ...(opts['service-manager'] !== undefined
          ? { serviceManager: serviceManagerOption(opts['service-manager'], lab.SERVICE_MANAGERS) }
          : {}),
        cwd: process.cwd(),
        ...(inventoryDir !== undefined ? { inventoryDir } : {}),
      };
      const started = Date.now();
      let up;
      try {
        up = await lab.labUp(wanted);
      } catch (e) {
        // asking again for the lab that is up is not an error; asking for another one is
        if (e instanceof lab.LabError && e.reason === 'already-up') {
          const existing = await lab.openLab(dir);
          const same = lab.sameLab(existing.record, wanted);
          (same ? out : err)(`runbook lab: ${e.message}`);
          return same ? EXIT.ok : EXIT.invalid;
        }
        throw e;
      }
      remember('lab-dir', up.dir);
      const first = up.members[0]!;
      out(`lab up: ${up.members.length} members healthy in ${secs(Date.now() - started)} (${up.dir})`);
      for (const m of up.members) out(`  ${m.name}  ${m.address}  ssh :${m.sshPort}  ${m.clientUrl}  etcd ${m.etcd?.version ?? '3.4'}`);
      out(`inventory: ${up.inventoryDir}   (runbook inventory -i ${up.inventoryDir} --graph)`);
      out(
        `ssh:       ssh -i ${up.record.sshClientKeyFile} -o UserKnownHostsFile=${up.record.knownHostsFile} -p ${first.sshPort} root@${first.address}`,
      );
      out(`etcdctl:   ${up.etcdctlArgv().join(' ')} endpoint health`);
      out(`down:      runbook lab down --dir ${up.dir}`);
      return EXIT.ok;
    }
    case 'status': {
      const s = await (await lab.openLab(dir)).status();
      renderStatus(s);
      return EXIT.ok;
    }
    case 'load': {
      const k = intOption(args[0], 'lab load K');
      if (k === undefined) throw new UsageError('lab load needs a key count: runbook lab load 5000');
      const r = await (await lab.openLab(dir)).load(k, opts.v2 ? { v2: true } : {});
      out(
        `load: ${r.keys} keys${r.v2Keys ? ` and ${r.v2Keys} v2 keys` : ''} in ${secs(r.ms)} (${lab.labKey(1)} … ${lab.labKey(r.keys)}, ${lab.SENTINEL} = ${r.keys})`,
      );
      return EXIT.ok;
    }
    case 'break': {
      const scenario = args[0];
      if (!scenario) throw new UsageError(`lab break needs a scenario: ${lab.SCENARIOS.join(', ')}`);
      if (!(lab.SCENARIOS as readonly string[]).includes(scenario))
        throw new UsageError(`lab break: no scenario '${scenario}': one of ${lab.SCENARIOS.join(', ')}`);
      renderBreak(await (await lab.openLab(dir)).breakLab(scenario as (typeof lab.SCENARIOS)[number]));
      return EXIT.ok;
    }
    case 'verify': {
      const v = await (await lab.openLab(dir)).verify();
      renderVerify(v);
      return v.ok ? EXIT.ok : EXIT.invalid;
    }
    case 'down': {
      let l;
      try {
        l = await lab.openLab(dir);
      } catch (e) {
        if (e instanceof lab.LabError && e.reason === 'no-lab') {
          out(`lab down: no lab in ${dir}, nothing to do`);
          return EXIT.ok;
        }
        throw e;
      }
      const d = await l.down();
      forget('lab-dir', l.dir);
      out(
        `lab down: stopped ${d.stopped.length} processes, removed ${d.removed.filter((p) => p === l.dir || p === l.inventoryDir).join(' and ')}`,
      );
      return EXIT.ok;
    }
    case 'start':
    case 'stop': {
      const name = args[0];
      if (!name) throw new UsageError(`lab ${sub} needs a member name (etcd1, etcd2…)`);
      const l = await lab.openLab(dir);
      if (sub === 'start') out(`${name}: etcd started (pid ${await l.startMember(name)})`);
      else {
        await l.stopMember(name);
        out(`${name}: etcd stopped`);
      }
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown lab subcommand '${sub}' (${SUBCOMMANDS})`);
  }
}

export async function labCommand(positionals: string[], opts: Options): Promise<number> {
  const [sub, ...args] = positionals;
  if (!sub) throw new UsageError(`lab needs a subcommand: ${SUBCOMMANDS}`);
  const { LabError } = await import('../lab/sshd.js');
  try {
    return await run(sub, args, opts);
  } catch (e) {
    if (!(e instanceof LabError)) throw e;
    err(`runbook lab ${sub}: ${e.message}`);
    if (e.detail) err(e.detail.replace(/^/gm, '  '));
    return EXIT.invalid;
  }
}
