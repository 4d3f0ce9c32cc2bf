// The lab's PKI, made with the openssl CLI: a CA, one certificate per member (server and
// peer: its IP in subjectAltName, serverAuth + clientAuth) and a client certificate for
// etcdctl and the playbooks. EC P-256 keys: quick to make, accepted by etcd's Go TLS.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { LabMember, LabTls } from './model.js';
import { LabError } from '../sshd.js';

const run = promisify(execFile);
const DAYS = '30';

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new LabError(`openssl ${args[0]} failed: ${(err.stderr ?? err.message).trim().split('\n')[0]}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signed(tls: LabTls, caKey: string, o: { cert: string; key: string; cn: string; ext: string }): Promise<void> {
  const csr = `${o.cert}.csr`;
  const extFile = `${o.cert}.ext`;
  await openssl(['req', '-new', ...EC, '-keyout', o.key, '-subj', `/CN=${o.cn}`, '-out', csr]);
  await writeFile(extFile, o.ext);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    tls.caFile,
    '-CAkey',
    caKey,
    '-set_serial',
    `0x${randomBytes(12).toString('hex')}`,
    '-days',
    DAYS,
    '-extfile',
    extFile,
    '-out',
    o.cert,
  ]);
  await rm(csr, { force: true });
  await rm(extFile, { force: true });
  await chmod(o.key, 0o600);
}

export async function makeLabPki(tls: LabTls, members: readonly LabMember[]): Promise<void> {
  const dir = dirname(tls.caFile);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const caKey = join(dir, 'ca.key');
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    caKey,
    '-out',
    tls.caFile,
    '-subj',
    '/CN=runbook lab CA',
    '-days',
    DAYS,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await chmod(caKey, 0o600);
  const usage = 'keyUsage=critical,digitalSignature,keyEncipherment\n';
  // members are independent once the CA exists; openssl runs are short, two at a time is plenty on 2 cores
  const jobs = members.map(
    (m) => () =>
      signed(tls, caKey, {
        cert: m.certFile!,
        key: m.keyFile!,
        cn: m.name,
        ext: `subjectAltName=IP:${m.address},DNS:${m.name},DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n${usage}`,
      }),
  );
  jobs.push(() =>
    signed(tls, caKey, { cert: tls.clientCertFile, key: tls.clientKeyFile, cn: 'root', ext: `extendedKeyUsage=clientAuth\n${usage}` }),
  );
  for (let i = 0; i < jobs.length; i += 2) await Promise.all(jobs.slice(i, i + 2).map((j) => j()));
}
