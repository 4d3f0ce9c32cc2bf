// The data dir etcd really uses, read from the member's own configuration, and the guard every
// module that replaces, copies or saves a data dir passes first. An inventory whose
// etcd_data_dir is a parent of the real dir (Debian: /var/lib/etcd vs ETCD_DATA_DIR=
// /var/lib/etcd/default) would otherwise restore where etcd never reads, and etcd would start
// a new, empty cluster on its configured dir. So: one read of every source on the host (env
// file, the unit's --data-dir, a kubeadm static-pod manifest's --data-dir through its hostPath
// volume, the running process's flags and environment), and a refusal
// that names both paths whenever one disagrees with the inventory.
import type { ModuleContext } from '../types.js';
import { ManifestError, manifestMember, parseManifest } from '../../core/static-pod-manifest.js';
import { envFlags, manifestEnvFlags, type EnvFlags } from './env-flags.js';
import { staticPodOf, stoppedPath } from '../support/static-pod.js';
import { envValue, flagValue } from './data-dir-values.js';
import { script } from './host.js';
import { unitDataDir } from './unit-env.js';

export { envValue, flagValue };

/** Where one source says etcd reads its data. A new source adds a kind. */
export interface DataDirSource {
  readonly kind: 'env-file' | 'unit' | 'static-pod' | 'process';
  /** where it was read, for the message: the env file, the unit, `pid 123` */
  readonly where: string;
  readonly dir: string;
}

export interface DataDirInput {
  /** etcd_data_dir from the inventory */
  readonly dataDir: string;
  readonly envFile?: string | undefined;
  /** systemd unit to read (`systemctl cat`); absent or unknown on hosts without systemd */
  readonly service?: string | undefined;
  /** a static pod's manifest (etcd_service_manager static-pod); read where the manager keeps it while stopped too */
  readonly manifest?: string | undefined;
  readonly manifestStoppedDir?: string | undefined;
  /** the member name: picks the right etcd process when several run on one host */
  readonly name?: string | undefined;
  /** its client URL (else the env file's): the process must listen there (when it says where it listens) */
  readonly clientUrl?: string | undefined;
}

/** The arguments the etcd modules share to say where a member's data dir is declared. */
interface LocationArgs {
  readonly env_file?: string | undefined;
  readonly service?: string | undefined;
  readonly manifest?: string | undefined;
  readonly manifest_stopped_dir?: string | undefined;
  readonly name?: string | undefined;
  readonly client_url?: string | undefined;
}

/** DataDirInput from a module's arguments: the same six, named once. */
export function dataDirInput(dataDir: string, args: LocationArgs): DataDirInput {
  return {
    dataDir,
    envFile: args.env_file,
    service: args.service,
    manifest: args.manifest,
    manifestStoppedDir: args.manifest_stopped_dir,
    name: args.name,
    clientUrl: args.client_url,
  };
}

export const normalizeDir = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

/** Two listen addresses meet: the same host:port, or the same port where either is a wildcard (`0.0.0.0`, `[::]`). */
function listensOn(listenUrl: string, hostPortWanted: string): boolean {
  const hp = hostPort(listenUrl);
  if (!hp) return false;
  if (hp === hostPortWanted) return true;
  const split = (x: string): [string, string] => [x.slice(0, x.lastIndexOf(':')), x.slice(x.lastIndexOf(':') + 1)];
  const [[h1, p1], [h2, p2]] = [split(hp), split(hostPortWanted)];
  const wild = (h: string): boolean => h === '0.0.0.0' || h === '[::]';
  return p1 === p2 && (wild(h1) || wild(h2));
}

// One round trip: every source, each block behind a marker line. The process is an etcd in
// this shell's network namespace (another namespace's etcd is another host: a container, or
// another lab) whose --name or ETCD_NAME is the member's and which listens on its client URL.
const READ = `
if [ -n "$1" ] && [ -r "$1" ]; then echo '@@env'; cat -- "$1"; fi
# systemctl cat needs a running systemd; without it the unit files themselves are read
if [ -n "$2" ]; then
  if u=$(systemctl cat -- "$2" 2>/dev/null); then :
  else u=$(for d in /etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
      [ -f "$d/$2.service" ] && { cat -- "$d/$2.service"; break; }; done
    cat /etc/systemd/system/"$2".service.d/*.conf 2>/dev/null)
  fi
  [ -n "$u" ] && { echo '@@unit'; printf '%s\\n' "$u"; }
  # each EnvironmentFile= the host can read, behind the value as the unit writes it (%p, %N,
  # %n, %i are the unit's specifiers; a leading - only says a missing file is fine)
  n=\${2%.service}; p=\${n%%@*}; i=\${n#*@}; [ "$i" = "$n" ] && i=
  printf '%s\\n' "$u" | sed -n 's/^[[:space:]]*EnvironmentFile[[:space:]]*=[[:space:]]*//p' | while IFS= read -r raw; do
    f=$(printf '%s' "\${raw#-}" | sed "s|%p|$p|g; s|%N|$n|g; s|%n|$n.service|g; s|%i|$i|g")
    [ -n "$f" ] && [ -f "$f" ] && [ -r "$f" ] && { echo "@@unitenv $raw"; cat -- "$f"; echo; }
  done
fi
if [ -n "$3" ]; then
  if [ -f "$3" ]; then echo "@@pod $3"; cat -- "$3"; echo; elif [ -f "$4" ]; then echo "@@pod $4"; cat -- "$4"; echo; fi
fi
# the namespace compared by test -ef (one inode a namespace) and the working directory read by
# cd + pwd: no process started for them (each etcd on the host costs two tr, no more)
for pid in $(pgrep -x etcd 2>/dev/null); do
  p=/proc/$pid
  [ "$p/ns/net" -ef /proc/$$/ns/net ] || continue
  echo "@@proc $pid"; tr '\\0' '\\n' <"$p/cmdline" 2>/dev/null; echo '@@environ'; tr '\\0' '\\n' <"$p/environ" 2>/dev/null
  echo "@@cwd $(cd "$p/cwd" 2>/dev/null && pwd -P)"
done
exit 0`;

const blocksOf = (out: string): string[] => out.split(/^@@(?=env$|unit$|unitenv |pod |proc )/m).filter((b) => b.trim() !== '');

export function parseSources(out: string, input: DataDirInput): DataDirSource[] {
  const blocks = blocksOf(out);
  const sources: DataDirSource[] = [];
  // Where this member listens: the client URL given, else what its own env file says. Several
  // etcds with one member name can share a network namespace (labs on loopback addresses, a
  // developer's machine); only one that listens where this member does is this member.
  const envBody = blocks.find((b) => b.startsWith('env\n'))?.slice(4) ?? '';
  const memberUrls = (
    input.clientUrl ??
    envValue(envBody, 'ETCD_LISTEN_CLIENT_URLS') ??
    envValue(envBody, 'ETCD_ADVERTISE_CLIENT_URLS') ??
    ''
  )
    .split(',')
    .map(hostPort)
    .filter((hp): hp is string => hp !== undefined);
  const unitEnvFiles = new Map<string, string>();
  for (const b of blocks) {
    const nl = b.indexOf('\n');
    if (b.startsWith('unitenv ')) unitEnvFiles.set(b.slice(8, nl < 0 ? undefined : nl), nl < 0 ? '' : b.slice(nl + 1));
  }
  for (const b of blocks) {
    const nl = b.indexOf('\n');
    const head = nl < 0 ? b : b.slice(0, nl);
    const body = nl < 0 ? '' : b.slice(nl + 1);
    if (head === 'env' && input.envFile) {
      const dir = envValue(body, 'ETCD_DATA_DIR');
      if (dir) sources.push({ kind: 'env-file', where: `ETCD_DATA_DIR in ${input.envFile}`, dir });
    } else if (head === 'unit' && input.service) {
      const found = unitDataDir(body, unitEnvFiles);
      if (found) sources.push({ kind: 'unit', where: `${found.via} in unit ${input.service}`, dir: found.dir });
    } else if (head.startsWith('pod ') && input.manifest) {
      try {
        const dir = manifestMember(parseManifest(body)).data_dir;
        if (dir) sources.push({ kind: 'static-pod', where: `--data-dir in ${head.slice(4)}`, dir });
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e; // an unreadable manifest says nothing about the dir; the service manager names it
      }
    } else if (head.startsWith('proc ') && (input.name || memberUrls.length > 0)) {
      // without a name or client URL no process can be told to be this member's
      const pid = head.slice(5);
      const [cmdText = '', rest = ''] = body.split(/^@@environ\n?/m);
      const [envText = '', cwdLine = ''] = rest.split(/^@@cwd ?/m);
      const argv = cmdText.split('\n').filter((w) => w !== '');
      const name = flagValue(argv, '--name') ?? envValue(envText, 'ETCD_NAME') ?? 'default';
      if (input.name && name !== input.name) continue;
      const listen = flagValue(argv, '--listen-client-urls') ?? envValue(envText, 'ETCD_LISTEN_CLIENT_URLS');
      if (memberUrls.length > 0 && listen && !listen.split(',').some((u) => memberUrls.some((hp) => listensOn(u, hp)))) continue;
      const cwd = cwdLine.trim() || '/';
      const flag = flagValue(argv, '--data-dir');
      // etcd's own default: <name>.etcd in its working directory
      const raw = flag ?? envValue(envText, 'ETCD_DATA_DIR') ?? `${name}.etcd`;
      const dir = raw.startsWith('/') ? raw : `${normalizeDir(cwd)}/${raw}`;
      sources.push({ kind: 'process', where: `the running etcd (pid ${pid}, ${flag ? '--data-dir' : 'ETCD_DATA_DIR'})`, dir });
    }
  }
  return sources;
}

/**
 * Every source that says where this member's etcd reads its data. This is the one function
 * that knows the sources; a new one is read here.
 */
export async function effectiveDataDir(ctx: ModuleContext, input: DataDirInput): Promise<DataDirSource[]> {
  return (await readMemberConfig(ctx, input)).sources;
}

/** The data-dir sources and, from the same read, the flags its env file (else its static pod's manifest) sets. */
export async function readMemberConfig(ctx: ModuleContext, input: DataDirInput): Promise<MemberConfig> {
  const q = memberConfigRead(input);
  return memberConfigOf((await script(ctx, q.text, q.words)).stdout, input);
}

export interface MemberConfig {
  readonly sources: DataDirSource[];
  readonly flags?: EnvFlags;
}

/** The script of that one read and its words: readMemberConfig runs it, or a caller beside another read (etcd_facts). */
export function memberConfigRead(input: DataDirInput): { readonly text: string; readonly words: string[] } {
  const pod = input.manifest ? staticPodOf('etcd', input.manifest, input.manifestStoppedDir, undefined) : undefined;
  return { text: READ, words: [input.envFile ?? '', input.service ?? '', pod?.manifest ?? '', pod ? stoppedPath(pod) : ''] };
}

/** What the read's output says: the data-dir sources and the flags. Pure. */
export function memberConfigOf(out: string, input: DataDirInput): MemberConfig {
  const flags = configFlags(out, input);
  return { sources: parseSources(out, input), ...(flags ? { flags } : {}) };
}

export function configFlags(out: string, input: DataDirInput): EnvFlags | undefined {
  const blocks = blocksOf(out);
  const env = input.envFile ? blocks.find((b) => b.startsWith('env\n')) : undefined;
  if (env !== undefined) return envFlags(env.slice(4));
  const pod = input.manifest ? blocks.find((b) => b.startsWith('pod ')) : undefined;
  if (pod === undefined) return undefined;
  try {
    return manifestEnvFlags(parseManifest(pod.slice(pod.indexOf('\n') + 1)).flags);
  } catch (e) {
    if (e instanceof ManifestError) return undefined; // an unreadable manifest is said by the manifest's own task
    throw e;
  }
}

/** The refusal when a source disagrees with the inventory's data dir, naming both; else undefined. */
export function dataDirMismatch(dataDir: string, sources: readonly DataDirSource[]): string | undefined {
  const want = normalizeDir(dataDir);
  const other = sources.find((s) => normalizeDir(s.dir) !== want);
  if (!other) return undefined;
  return `etcd_data_dir is ${want} but etcd reads ${normalizeDir(other.dir)} (${other.where}): refusing to touch either; set etcd_data_dir to the dir etcd really uses`;
}

/** `a` is `b` or one of its parents. */
export const isSelfOrParent = (a: string, b: string): boolean => {
  const x = normalizeDir(a);
  const y = normalizeDir(b);
  return x === y || x === '/' || y.startsWith(`${x}/`);
};

export interface AsideInput extends DataDirInput {
  /** snapshots and the recovery record live here (etcd_backup_dir) */
  readonly backupDir?: string | undefined;
  /** other paths the run relies on (the host lock file...) */
  readonly keep?: readonly string[];
}

/**
 * Why `path` may not be moved or copied aside as a data dir, or undefined when it may: it
 * must be the dir etcd really uses, hold `member/` (or be absent or empty), and not be `/`
 * or hold the env file, the backup dir or the runbook's own files.
 */
export async function asideRefusal(ctx: ModuleContext, path: string, input: AsideInput): Promise<string | undefined> {
  const dir = normalizeDir(path);
  if (!dir.startsWith('/')) return `${path} is not an absolute path: not an etcd data dir`;
  if (dir === '/') return '/ is not an etcd data dir';
  for (const [what, p] of [
    ['env file', input.envFile],
    ['backup dir', input.backupDir],
    ...(input.keep ?? []).map((k) => ['runbook file', k] as const),
  ] as const) {
    if (p && isSelfOrParent(dir, p)) return `${dir} holds the ${what} ${p}: not an etcd data dir, refusing to move it`;
  }
  // one after the other: at once they would need a second shell on the host (a login of its own)
  const probe = await script(
    ctx,
    'if [ ! -e "$1" ]; then echo absent; elif [ -d "$1/member" ]; then echo member; elif [ -d "$1" ] && [ -z "$(ls -A -- "$1")" ]; then echo empty; else echo other; fi',
    [dir],
  );
  const sources = await effectiveDataDir(ctx, input);
  if (probe.stdout.trim() === 'other') return `${dir} holds no member/ directory: not an etcd data dir, refusing to move it`;
  return dataDirMismatch(dir, sources);
}
