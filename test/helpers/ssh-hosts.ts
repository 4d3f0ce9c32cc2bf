// N "hosts" on this machine: each a loopback address with its own sshd, host key and
// authorized key, and an inventory that reaches them over real SSH.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd } from '../../src/lab/sshd.js';

export interface SshHosts {
  readonly dir: string;
  readonly names: readonly string[];
  readonly sshd: Readonly<Record<string, Sshd>>;
  /** a known_hosts file holding every host's key */
  readonly knownHosts: string;
  /** write an inventory (group `nodes`) and return its path */
  inventory(opts?: {
    knownHosts?: string;
    extraHosts?: Record<string, Record<string, unknown>>;
    vars?: Record<string, unknown>;
    file?: string;
  }): string;
  stop(): Promise<void>;
}

export async function startSshHosts(n: number, net: number, port = 2222): Promise<SshHosts> {
  const dir = mkdtempSync(join(tmpdir(), `rb-hosts-${net}-`));
  const names: string[] = [];
  const sshd: Record<string, Sshd> = {};
  try {
    for (let i = 1; i <= n; i++) {
      const name = `node${i}`;
      sshd[name] = await startSshd({ address: `127.0.${net}.${i}`, port, dir: join(dir, name) });
      names.push(name);
    }
  } catch (e) {
    await Promise.all(Object.values(sshd).map((s) => s.stop()));
    throw e;
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, names.map((h) => sshd[h]!.hostKeyLine).join('\n') + '\n');
  return {
    dir,
    names,
    sshd,
    knownHosts,
    inventory(opts = {}) {
      const lines = ['all:', '  children:', '    nodes:', '      hosts:'];
      for (const h of names) {
        const s = sshd[h]!;
        lines.push(
          `        ${h}:`,
          `          ansible_host: ${s.address}`,
          `          ansible_port: ${s.port}`,
          '          ansible_user: root',
          `          ssh_private_key_file: ${s.clientKeyFile}`,
        );
        // these "hosts" share this machine's /tmp: a host lock file of their own
        if (!opts.vars?.['runbook_lock_file']) lines.push(`          runbook_lock_file: ${join(dir, h, 'runbook.lock')}`);
      }
      for (const [h, vars] of Object.entries(opts.extraHosts ?? {})) {
        lines.push(`        ${h}:`);
        for (const [k, v] of Object.entries(vars)) lines.push(`          ${k}: ${JSON.stringify(v)}`);
      }
      lines.push('  vars:', `    ssh_known_hosts_file: ${opts.knownHosts ?? knownHosts}`);
      for (const [k, v] of Object.entries(opts.vars ?? {})) lines.push(`    ${k}: ${JSON.stringify(v)}`);
      const file = join(dir, opts.file ?? 'hosts.yml');
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    },
    async stop() {
      await Promise.all(Object.values(sshd).map((s) => s.stop()));
    },
  };
}
