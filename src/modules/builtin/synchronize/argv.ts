// The rsync command line synchronize runs — ansible.posix's options, in its order — and what
// rsync's itemized output (`--out-format=<<CHANGED>>%i %n%L`) says about the run. Pure.
import { dirname } from 'node:path';
import type { SynchronizeArgs } from '../../generated/args.js';
import { quoteRsh } from '../../../connection/quote.js';

/** the prefix of every line rsync prints for an item it changed (or, dry, would change) */
export const CHANGED_MARKER = '<<CHANGED>>';

/** Where rsync's two ends are and how it reaches the remote one. */
export interface RsyncEnds {
  /** the rsync to run (ansible_rsync_path, default rsync) */
  readonly rsync: string;
  /** rsync's source and destination: local paths, `user@host:path`, or rsync:// URLs */
  readonly src: string;
  readonly dest: string;
  /** the remote shell (ssh and its options), used when a path names a host */
  readonly rsh?: readonly string[];
  /** --rsync-path: the rsync run on the host (sudo rsync with become) */
  readonly rsyncPath?: string;
  readonly dryRun: boolean;
}

/** A path naming a host (`host:path`) and not an rsync daemon (rsync://): rsync needs a remote shell. */
export function needsRsh(src: string, dest: string): boolean {
  if (src.startsWith('rsync://') || dest.startsWith('rsync://')) return false;
  return src.includes(':') || dest.includes(':');
}

/** The archive flags: --archive and the ones turned off, or without archive the ones turned on. */
function archiveFlags(a: SynchronizeArgs): string[] {
  const parts = [
    ['recursive', a.recursive],
    ['links', a.links],
    ['perms', a.perms],
    ['times', a.times],
    ['owner', a.owner],
    ['group', a.group],
  ] as const;
  if (a.archive) return ['--archive', ...parts.filter(([, v]) => v === false).map(([k]) => `--no-${k}`)];
  return parts.filter(([, v]) => v === true).map(([k]) => `--${k}`);
}

/** The argv, or why it cannot be built (both ends rsync daemons, a link_dest above dest). */
export function rsyncArgv(a: SynchronizeArgs, e: RsyncEnds): { argv: string[] } | { error: string } {
  if (e.src.startsWith('rsync://') && e.dest.startsWith('rsync://')) return { error: 'either src or dest must be a localhost' };
  const argv = [e.rsync];
  if (a.delay_updates) argv.push('--delay-updates', '-F');
  if (a.compress) argv.push('--compress');
  if (a.rsync_timeout) argv.push(`--timeout=${a.rsync_timeout}`);
  if (e.dryRun) argv.push('--dry-run');
  if (a.delete) argv.push('--delete-after');
  if (a.existing_only) argv.push('--existing');
  if (a.checksum) argv.push('--checksum');
  if (a.copy_links) argv.push('--copy-links');
  argv.push(...archiveFlags(a));
  if (a.dirs) argv.push('--dirs');
  const opts = a.rsync_opts;
  // the user's own --rsh wins (ansible/ansible#15907)
  if (e.rsh && needsRsh(e.src, e.dest) && !opts.some((o) => o.includes('--rsh'))) argv.push(`--rsh=${quoteRsh(e.rsh)}`);
  if (e.rsyncPath !== undefined) argv.push(`--rsync-path=${e.rsyncPath}`);
  argv.push(...opts);
  if (a.partial) argv.push('--partial');
  const linkDest = a.link_dest ?? [];
  if (linkDest.length > 0) {
    // -vv: without it rsync does not report a new hard link as a change
    argv.push('-H', '-vv');
    const destDir = dirname(e.dest.replace(/^[^/]*:/, ''));
    for (const l of linkDest) {
      if (destDir.startsWith(l))
        return { error: `Hardlinking into a subdirectory of the source would cause recursion. ${destDir} and ${e.dest}` };
      argv.push(`--link-dest=${l}`);
    }
  }
  argv.push(`--out-format=${CHANGED_MARKER}%i %n%L`, e.src, e.dest);
  return { argv };
}

export interface RsyncReport {
  readonly changed: boolean;
  /** rsync's output without the markers (Ansible's msg) */
  readonly msg: string;
  readonly lines: string[];
}

/** What rsync's output says; with link_dest an unchanged item is a line starting with '.', as Ansible reads it. */
export function readReport(stdout: string, linkDest: boolean): RsyncReport {
  const changed = linkDest ? !stdout.includes(`${CHANGED_MARKER}.`) : stdout.includes(CHANGED_MARKER);
  const msg = stdout.split(CHANGED_MARKER).join('');
  return { changed, msg, lines: msg.split('\n').filter((l) => l !== '') };
}
