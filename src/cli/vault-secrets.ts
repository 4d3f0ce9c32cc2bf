// ansible-playbook's vault options: --vault-password-file FILE, --vault-id [LABEL@]FILE|prompt,
// --ask-vault-pass (-J), and ANSIBLE_VAULT_PASSWORD_FILE. A password file is read and its
// trailing whitespace stripped; an executable one is run (with `--vault-id LABEL` when labelled,
// as Ansible's client scripts expect) and its output is the password. The secrets are handed
// to core/vault.ts before anything is loaded.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { useVaultSecrets, type VaultSecret } from '../core/vault.js';
import { UsageError, type Options } from './args.js';
import { readSecret } from './prompt.js';

function fromFile(label: string, file: string, cwd: string): VaultSecret {
  const abs = resolve(cwd, file);
  let text: string;
  try {
    const executable = (statSync(abs).mode & 0o111) !== 0;
    text = executable
      ? execFileSync(abs, label !== 'default' ? ['--vault-id', label] : [], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] })
      : readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(`vault password file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const password = text.replace(/\s+$/, '');
  if (password === '') throw new UsageError(`vault password file ${file} is empty`);
  return { label, password: Buffer.from(password, 'utf8') };
}

export async function loadVaultSecrets(opts: Options, cwd: string): Promise<void> {
  const out: VaultSecret[] = [];
  for (const id of opts['vault-id'] ?? []) {
    const at = id.indexOf('@');
    const [label, source] = at >= 0 ? [id.slice(0, at), id.slice(at + 1)] : ['default', id];
    if (source === 'prompt') out.push({ label, password: Buffer.from(await readSecret(`Vault password (${label}): `), 'utf8') });
    else out.push(fromFile(label, source, cwd));
  }
  for (const f of opts['vault-password-file'] ?? []) out.push(fromFile('default', f, cwd));
  const envFile = process.env['ANSIBLE_VAULT_PASSWORD_FILE'];
  // Ansible's DEFAULT_VAULT_PASSWORD_FILE: one more secret, beside those given on the command line
  if (envFile && !(opts['vault-password-file'] ?? []).includes(envFile)) out.push(fromFile('default', envFile, cwd));
  if (opts['ask-vault-pass']) out.push({ label: 'default', password: Buffer.from(await readSecret('Vault password: '), 'utf8') });
  useVaultSecrets(out);
}
