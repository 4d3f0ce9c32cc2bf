// SSH command throughput: 3 real sshds on 127.0.1.1..3, 30 commands per host through
// openConnection (one client + framed shell per host), for root (whose ~/.bashrc is heavy)
// and for a light /bin/sh user; plus the naive "one exec channel per command" for contrast.
// Needs root and openssh-server. Usage: npm run build && node bench/ssh-commands.mjs
// (RUNBOOK_DIST=/path/to/compiled/src overrides where the compiled modules are.)
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.RUNBOOK_DIST ? pathToFileURL(process.env.RUNBOOK_DIST + '/').href : new URL('../dist/', import.meta.url).href;
const { startSshd, ensureUser } = await import(new URL('lab/sshd.js', dist).href);
const { openConnection } = await import(new URL('connection/open.js', dist).href);

const COMMANDS = 30;
const NAIVE = 10;
const HOSTS = ['127.0.1.1', '127.0.1.2', '127.0.1.3'];
const PORT = Number(process.env.BENCH_SSH_PORT ?? 2222);
const LIGHT = 'rbtest';

const dir = mkdtempSync(join(tmpdir(), 'rb-bench-ssh-'));
chmodSync(dir, 0o755); // the light user's sshd child reads authorized_keys below it
await ensureUser(LIGHT, '/bin/sh');
const labs = await Promise.all(HOSTS.map((address, i) => startSshd({ address, port: PORT, dir: join(dir, `h${i}`) })));

const settings = (lab, user) => ({
  kind: 'ssh',
  host: `node${lab.address.split('.')[3]}`,
  address: lab.address,
  port: lab.port,
  user,
  privateKeyFile: lab.clientKeyFile,
  knownHostsFile: lab.knownHostsFile,
  acceptNewHostKeys: false,
  connectTimeoutMs: 10_000,
  agent: false,
  sshConfigFile: '/nonexistent',
});

async function framed(user) {
  const t0 = performance.now();
  const conns = await Promise.all(labs.map((lab) => openConnection(settings(lab, user))));
  const t1 = performance.now();
  // the first command opens the framed shell (the one login-shell start per host)
  await Promise.all(conns.map((c) => c.exec(['true'])));
  const t2 = performance.now();
  await Promise.all(
    conns.map(async (c) => {
      for (let i = 0; i < COMMANDS; i++) {
        const r = await c.exec(i % 2 ? ['echo', `cmd ${i}`] : ['true']);
        if (r.rc !== 0) throw new Error(`command failed: ${r.stderr}`);
      }
    }),
  );
  const t3 = performance.now();
  const sessions = conns.reduce((n, c) => n + c.stats().sessions, 0);
  await Promise.all(conns.map((c) => c.close()));
  return { connectMs: t1 - t0, firstMs: t2 - t1, runMs: t3 - t2, perCmdMs: (t3 - t2) / COMMANDS, sessions, total: t3 - t0 };
}

/** One exec channel per command: what a naive implementation pays. */
async function naive(user) {
  const { Client } = (await import('ssh2')).default;
  const { readFileSync } = await import('node:fs');
  const lab = labs[0];
  const client = new Client();
  await new Promise((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({ host: lab.address, port: lab.port, username: user, privateKey: readFileSync(lab.clientKeyFile) });
  });
  const t0 = performance.now();
  for (let i = 0; i < NAIVE; i++) {
    await new Promise((resolve, reject) => {
      client.exec('true', (err, ch) => {
        if (err) return reject(err);
        ch.on('data', () => {}).stderr.on('data', () => {});
        ch.on('close', resolve);
      });
    });
  }
  const ms = (performance.now() - t0) / NAIVE;
  client.end();
  return ms;
}

const rows = [];
try {
  for (const user of ['root', LIGHT]) {
    const f = await framed(user);
    const n = await naive(user);
    rows.push({ user, ...f, naiveMs: n });
  }
} finally {
  await Promise.all(labs.map((l) => l.stop()));
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (n) => n.toFixed(1).padStart(8);
console.log(
  `${COMMANDS} commands × ${HOSTS.length} hosts (hosts in parallel, commands sequential per host; per cmd = run ms / ${COMMANDS})`,
);
console.log('user    | connect ms | 1st cmd ms | run ms     | per cmd ms | total ms | sessions | naive exec/cmd ms');
console.log('--------|------------|------------|------------|------------|----------|----------|------------------');
for (const r of rows) {
  console.log(
    `${r.user.padEnd(7)} |   ${fmt(r.connectMs)} |   ${fmt(r.firstMs)} |   ${fmt(r.runMs)} |   ${fmt(r.perCmdMs)} | ${fmt(r.total)} | ${String(r.sessions).padStart(8)} | ${fmt(r.naiveMs)}`,
  );
}
