// ansible_env over real sshd (net 127.0.230.x), side by side with ansible-playbook 2.14: as the
// login user (whose authorized key sets secrets in the session's environment, as a
// deployment's SetEnv or ~/.ssh/environment would) and under become (root's environment as
// sudo resets it), gathered in the one setup round trip. Then what runbook's journal and
// incident report keep of it: the names and a hash of each value, never a value (every file
// of the run is grepped for each secret), and a resumed run that gathers again, so it still
// reads the real values.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser, startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const USER = 'rbfacts';
const SECRETS = {
  AWS_SECRET_ACCESS_KEY: 'rb-aws-9f3c1e0b',
  GITHUB_TOKEN: 'rb-token-77a0c4d2',
  DB_PASSWORD: 'rb-pass-51d2e8aa',
  SSH_AUTH_SOCK: '/tmp/rb-agent-4e1b/agent.1',
};
// what the two transports themselves put in a session: Ansible's ssh client asks for a tty (-tt:
// SSH_TTY, TERM) and forwards the controller's LC_* (SendEnv; Python sets LC_CTYPE), the ports
// differ between two connections, sudo records the command it ran, bash sets `_`
const TRANSPORT = ['SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'TERM', 'LC_CTYPE', 'SUDO_COMMAND', '_'];
const SSH_ENV = { ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o BatchMode=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no' };

let dir: string;
let sshd: Sshd;

beforeAll(async () => {
  await ensureUser(USER, '/bin/sh');
  writeFileSync(`/etc/sudoers.d/${USER}`, `${USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-env-'));
  chmodSync(dir, 0o1777); // the login user writes its host lock here
  sshd = await startSshd({ address: '127.0.230.1', port: 2222, dir: join(dir, 'sshd'), extraConfig: ['PermitUserEnvironment yes'] });
  // the key's environment= options: set in every session of this key, by sshd
  const env = Object.entries(SECRETS).map(([k, v]) => `environment="${k}=${v}"`);
  writeFileSync(sshd.authorizedKeysFile, `${env.join(',')} ${readFileSync(sshd.authorizedKeysFile, 'utf8')}`);
  const host = `node1 ansible_host=${sshd.address} ansible_port=${sshd.port} ansible_user=${USER} ansible_ssh_private_key_file=${sshd.clientKeyFile} ssh_known_hosts_file=${sshd.knownHostsFile} runbook_lock_file=${join(dir, 'node1.lock')}`;
  writeFileSync(join(dir, 'ssh.ini'), `${host}\n`);
  writeFileSync(
    join(dir, 'env.yml'),
    `- hosts: all
  gather_facts: true
  vars: { transport: ${JSON.stringify(TRANSPORT)} }
  tasks:
    - debug: { msg: "{{ ansible_env | dict2items | rejectattr('key', 'in', transport) | items2dict }}" }
    - debug: { msg: "{{ ansible_facts.env == ansible_env }} {{ ansible_user_id }} {{ ansible_user_dir }}" }
`,
  );
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
});

describe('ansible_env: the same as ansible-playbook 2.14 over ssh', () => {
  for (const become of [false, true]) {
    it(become ? 'under become: root, the environment sudo gives' : 'as the login user, with what sshd set', async () => {
      const extra = become ? ['--become'] : [];
      const [want, got] = await Promise.all([
        ansibleMessages(dir, 'env.yml', 'ssh.ini', 'node1', extra, { env: SSH_ENV }),
        runbookMessages(dir, 'env.yml', 'ssh.ini', 'node1', extra),
      ]);
      const env = want[1] as Record<string, string>;
      if (become) expect(env).toMatchObject({ HOME: '/root', USER: 'root', SUDO_USER: USER });
      else expect(env).toMatchObject({ ...SECRETS, USER });
      expect(got).toEqual(want);
    });
  }
});

describe('the journal and the report keep the environment as names and hashes', () => {
  it('no secret in any file of the run; a resumed run gathers again and reads the real values', async () => {
    const run = join(dir, 'journal');
    writeFileSync(
      join(dir, 'journal.yml'),
      `- hosts: all
  gather_facts: true
  tasks:
    - setup: { filter: [ansible_env] }
      register: gathered
    - debug: { var: ansible_env }
    - name: the real values
      debug: { msg: "{{ ansible_env.DB_PASSWORD == '${SECRETS.DB_PASSWORD}' and gathered.ansible_facts.ansible_env.GITHUB_TOKEN == '${SECRETS.GITHUB_TOKEN}' }}" }
    - command: test -e ${dir}/go
    - name: the real values after resuming
      debug: { msg: "{{ ansible_env.DB_PASSWORD == '${SECRETS.DB_PASSWORD}' and ansible_facts.env.AWS_SECRET_ACCESS_KEY == '${SECRETS.AWS_SECRET_ACCESS_KEY}' }}" }
`,
    );
    const apply = ['apply', 'journal.yml', '-i', 'ssh.ini', '--yes', '--output', 'json', '--state-dir', run];
    const first = await runCli(apply, { cwd: dir });
    expect(first.code, first.stderr + first.stdout.slice(-2000)).toBe(2); // the last task fails: there is something to resume
    writeFileSync(join(dir, 'go'), '');
    const resumed = await runCli([...apply, '--resume'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(first.results('the real values')['node1']?.['data']).toEqual({ msg: true });
    expect(resumed.events().filter((e) => e['type'] === 'host-result' && e['resumed']).length).toBeGreaterThan(0);
    expect(resumed.results('the real values after resuming')['node1']?.['data']).toEqual({ msg: true });
    const files = readdirSync(run, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name));
    expect(files.filter((f) => f.endsWith('journal.jsonl'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('report.md')).length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const secret of Object.values(SECRETS)) expect(text, `${f} holds ${secret}`).not.toContain(secret);
    }
    // the names are there, each with a hash of its value
    const journal = readFileSync(
      files.find((f) => f.endsWith('journal.jsonl'))!,
      'utf8',
    );
    expect(journal).toMatch(/"AWS_SECRET_ACCESS_KEY":"\(sha256:[0-9a-f]{16}\)"/);
  });
});
