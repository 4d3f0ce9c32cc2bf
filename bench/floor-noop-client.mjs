// The physical floor for "T no-op commands on each of N hosts", as one node process:
// one ssh2 connection and one remote `sh` per host (hosts in parallel), each command written
// and its end marker read back before the next (one round trip a command), host keys checked.
// Spawned by bench/floor-noop.mjs so node's start-up is counted, like runbook's.
// Usage: node bench/floor-noop-client.mjs <hosts.json> <user> <commands>
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const [file, user, count] = process.argv.slice(2);
const hosts = JSON.parse(readFileSync(file, 'utf8'));
const T = Number(count);

async function one(h) {
  const client = new ssh2.Client();
  await new Promise((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({
      host: h.address,
      port: h.port,
      username: user,
      privateKey: readFileSync(h.key),
      hostVerifier: (key) => key.toString('base64') === h.hostKeyBase64,
    });
  });
  const ch = await new Promise((resolve, reject) => client.exec('sh', (e, c) => (e ? reject(e) : resolve(c))));
  let buf = '';
  let wait;
  ch.on('data', (b) => {
    buf += b.toString('latin1');
    const i = buf.indexOf('\nEND ');
    if (i >= 0 && buf.indexOf('\n', i + 5) > 0) {
      const rc = Number(buf.slice(i + 5, buf.indexOf('\n', i + 5)));
      buf = '';
      wait(rc);
    }
  });
  ch.stderr.on('data', () => {});
  const cmd = (line) =>
    new Promise((resolve) => {
      wait = resolve;
      ch.write(`${line} </dev/null; printf '\\nEND %d\\n' "$?"\n`);
    });
  await cmd(':'); // the shell is up (rc files done), like runbook's first empty frame
  for (let i = 0; i < T; i++) if ((await cmd('/bin/true')) !== 0) throw new Error(`${h.address}: /bin/true failed`);
  ch.end();
  client.end();
}

await Promise.all(hosts.map(one));
