// An encrypted private key named in the inventory: its passphrase comes from
// RUNBOOK_SSH_PASSPHRASE, or is asked once on the terminal before the run starts.
import { readFileSync } from 'node:fs';
import { connectionSettings, hostVars, type Inventory } from '../inventory/index.js';
import { readSecret } from './prompt.js';

/** The inventory's private key files that are encrypted (templated paths are left to the run). */
export async function encryptedKeyFiles(inventory: Inventory): Promise<string[]> {
  const files = new Set<string>();
  for (const host of inventory.hosts.keys()) {
    try {
      const key = connectionSettings(hostVars(inventory, host), host).privateKeyFile;
      if (key && !key.includes('{{')) files.add(key.replace(/^~(?=\/)/, process.env['HOME'] ?? '~'));
    } catch {
      /* a bad connection variable is reported when the host is reached */
    }
  }
  if (files.size === 0) return [];
  const { utils } = (await import('ssh2')).default;
  const out: string[] = [];
  for (const f of files) {
    let data: Buffer;
    try {
      data = readFileSync(f);
    } catch {
      continue; // reported with the reason when the host is reached
    }
    const parsed = utils.parseKey(data);
    if (parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message)) out.push(f);
  }
  return out;
}

export async function askKeyPassphrase(inventory: Inventory): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const encrypted = await encryptedKeyFiles(inventory);
  if (encrypted.length === 0) return undefined;
  const which = encrypted.length === 1 ? encrypted[0] : `${encrypted[0]} (and ${encrypted.length - 1} more)`;
  return readSecret(`Passphrase for SSH key ${which}: `);
}
