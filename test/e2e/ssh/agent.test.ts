// Authentication through a real ssh-agent (SSH_AUTH_SOCK): no key file named anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { openConnection } from '../../../src/connection/open.js';
import { ConnectError } from '../../../src/connection/types.js';
import type { SshConnection } from '../../../src/connection/ssh/connection.js';

let dir: string;
let sshd: Sshd;
let sock: string;
let agentPid: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-agent-'));
  sshd = await startSshd({ address: '127.0.57.1', port: 2222, dir: join(dir, 's') });
  sock = join(dir, 'agent.sock');
  const out = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
  agentPid = /SSH_AGENT_PID=(\d+)/.exec(out)![1]!;
});

afterAll(async () => {
  if (agentPid) spawnSync('kill', [agentPid]);
  await sshd?.stop();
});

const settings = () => ({
  kind: 'ssh' as const,
  host: 'n1',
  address: sshd.address,
  port: sshd.port,
  user: 'root',
  knownHostsFile: sshd.knownHostsFile,
  acceptNewHostKeys: false,
  connectTimeoutMs: 5_000,
  sshConfigFile: '/nonexistent',
  agent: sock,
});

describe('ssh-agent', () => {
  it('an empty agent (and no key file) is an authentication failure', async () => {
    const err = await openConnection(settings()).then(
      async (c) => {
        await (c as SshConnection).close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).failure.reason).toBe('auth');
  });

  it('with the key added to the agent, it connects', async () => {
    execFileSync('ssh-add', [sshd.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const conn = (await openConnection(settings())) as SshConnection;
    try {
      expect((await conn.exec(['echo', 'via agent'])).stdout).toBe('via agent\n');
    } finally {
      await conn.close();
    }
  });
});
