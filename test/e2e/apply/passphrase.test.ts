// An encrypted private key: refused with the reason without a passphrase, used with
// RUNBOOK_SSH_PASSPHRASE, and asked once on a terminal (a real pty through script(1)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli } from '../../helpers/cli.js';
import { onPty } from '../../helpers/pty.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let h: SshHosts;
let inv: string;
let pb: string;

beforeAll(async () => {
  h = await startSshHosts(1, 53);
  const key = join(h.dir, 'enc_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', key]);
  appendFileSync(h.sshd['node1']!.authorizedKeysFile, readFileSync(`${key}.pub`));
  inv = h.inventory({ vars: {}, file: 'enc.yml' });
  writeFileSync(inv, readFileSync(inv, 'utf8').replace(/ssh_private_key_file: .*/, `ssh_private_key_file: ${key}`));
  pb = join(h.dir, 'pb.yml');
  writeFileSync(pb, '- hosts: all\n  tasks:\n    - command: echo reached\n');
});
afterAll(async () => {
  await h?.stop();
});

describe('encrypted private key', () => {
  it('without a passphrase and without a terminal: unreachable, saying how to give one', async () => {
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain'], { env: { RUNBOOK_SSH_PASSPHRASE: '' } });
    // an empty variable is a wrong passphrase; unset it for the "none given" case
    const none = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain'], { env: { RUNBOOK_SSH_PASSPHRASE: undefined } });
    expect(none.code).toBe(4);
    expect(none.stdout).toMatch(/encrypted and no passphrase was given \(set RUNBOOK_SSH_PASSPHRASE\)/);
    expect(r.code).toBe(4);
  });

  it('with RUNBOOK_SSH_PASSPHRASE it connects', async () => {
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain'], { env: { RUNBOOK_SSH_PASSPHRASE: 'correct horse' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/node1\s+:\s+ok=1\s+changed=1/);
  });

  it('on a terminal it asks once, without echoing', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['RUNBOOK_SSH_PASSPHRASE'];
    const cmd = `node ${CLI} apply ${pb} -i ${inv} --yes --output plain`;
    const out = onPty(cmd, [{ when: 'Passphrase for SSH key', keys: 'correct horse\\r' }], { env });
    expect(out).toMatch(/Passphrase for SSH key .*enc_ed25519: /);
    expect(out).not.toMatch(/correct horse/);
    expect(out).toMatch(/node1\s+:\s+ok=1\s+changed=1/);
  });
});
