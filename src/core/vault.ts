// ansible-vault's format 1.1/1.2 AES256 (ansible/parsing/vault/__init__.py, VaultAES256), read
// only: a header line `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;LABEL`), then hex lines of
// hexlify(salt_hex \n hmac_hex \n ciphertext_hex). PBKDF2-HMAC-SHA256(password, salt, 10000)
// gives 80 bytes: the AES-256 key, the HMAC-SHA256 key, the CTR counter's start; the HMAC of the
// ciphertext is checked before anything is decrypted; the plaintext is PKCS#7-padded.
// The secrets are the process's (the command line gives them once, as Ansible's loader holds its
// vault secrets): every file or `!vault` value read afterwards is decrypted with them.
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const VAULT_HEADER = '$ANSIBLE_VAULT;';

export interface VaultSecret {
  /** the vault id (`--vault-id LABEL@FILE`), 'default' without one */
  readonly label: string;
  readonly password: Buffer;
}

export class VaultError extends Error {}

const secrets: VaultSecret[] = [];

/** The secrets files and `!vault` values are decrypted with from now on (the CLI's --vault-* options). */
export function useVaultSecrets(list: readonly VaultSecret[]): void {
  secrets.splice(0, secrets.length, ...list);
}

let opaque = false;

/** validate without a vault password: a `!vault` value is taken as an opaque string, not decrypted. */
export function vaultOpaque(on: boolean): void {
  opaque = on;
}

/** A `!vault |` YAML value: decrypted now (PyYAML's AnsibleVaultEncryptedUnicode, but eagerly). */
export function vaultValue(text: string, onError: (message: string) => void): string {
  if (opaque && secrets.length === 0) return '(vault-encrypted)';
  try {
    return decryptVault(text);
  } catch (e) {
    if (!(e instanceof VaultError)) throw e;
    onError(`ansible-vault: ${e.message}`);
    return '';
  }
}

export function isVaulted(text: string): boolean {
  return text.trimStart().startsWith(VAULT_HEADER);
}

/** Decrypts a vault text (a whole file, or a `!vault` value) with the process's secrets. */
export function decryptVault(text: string, given: readonly VaultSecret[] = secrets): string {
  return decryptVaultBytes(text, given).toString('utf8');
}

/** The plaintext's bytes (a vaulted file copied to a host may be binary). */
export function decryptVaultBytes(text: string, given: readonly VaultSecret[] = secrets): Buffer {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.trim().split(';');
  if (header[0] !== '$ANSIBLE_VAULT' || !['1.1', '1.2'].includes(header[1] ?? '') || header[2]?.trim() !== 'AES256')
    throw new VaultError(`not an ansible-vault text runbook reads (header '${lines[0]!.trim()}'; AES256 1.1/1.2 only)`);
  if (given.length === 0)
    throw new VaultError('Attempting to decrypt but no vault secrets found (give --vault-password-file, --vault-id or --ask-vault-pass)');
  const body = Buffer.from(lines.slice(1).join('').replace(/\s+/g, ''), 'hex').toString('latin1').split('\n');
  if (body.length !== 3 || body.some((b) => !/^[0-9a-fA-F]*$/.test(b)))
    throw new VaultError('the vault text is damaged (not salt, hmac and ciphertext)');
  const [salt, mac, cipher] = body.map((b) => Buffer.from(b, 'hex')) as [Buffer, Buffer, Buffer];
  // a 1.2 text names its vault id: that secret is tried first, then the others (Ansible's default)
  const label = header[3]?.trim();
  const order = label ? [...given.filter((s) => s.label === label), ...given.filter((s) => s.label !== label)] : given;
  for (const s of order) {
    const key = pbkdf2Sync(s.password, salt, 10000, 80, 'sha256');
    const hmac = createHmac('sha256', key.subarray(32, 64)).update(cipher).digest();
    if (hmac.length !== mac.length || !timingSafeEqual(hmac, mac)) continue;
    const d = createDecipheriv('aes-256-ctr', key.subarray(0, 32), key.subarray(64, 80));
    const padded = Buffer.concat([d.update(cipher), d.final()]);
    const pad = padded[padded.length - 1] ?? 0;
    if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultError('the vault text is damaged (bad padding)');
    return padded.subarray(0, padded.length - pad);
  }
  throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt${label ? ` it, vault id '${label}'` : ''})`);
}

/** A file's text as Ansible's loader reads it: decrypted when it is a vault, as it is otherwise. */
export function openVaulted(text: string): { ok: true; text: string } | { ok: false; why: string } {
  if (!isVaulted(text)) return { ok: true, text };
  try {
    return { ok: true, text: decryptVault(text) };
  } catch (e) {
    if (e instanceof VaultError) return { ok: false, why: `ansible-vault: ${e.message}` };
    throw e;
  }
}
