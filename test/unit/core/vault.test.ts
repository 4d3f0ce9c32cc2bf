// ansible-vault 1.1 and 1.2 AES256 texts, made by ansible-vault 2.14.18 (password 'pw1'):
// decrypted with the right secret only; a damaged one is refused, never half-decrypted.
import { afterEach, describe, expect, it } from 'vitest';
import { decryptVault, isVaulted, openVaulted, useVaultSecrets, VaultError } from '../../../src/core/vault.js';

// ansible-vault encrypt --vault-password-file pw (a file holding 'alpha', no newline)
const V11 = `$ANSIBLE_VAULT;1.1;AES256
66623536363934386161313764346465656537313833636665373938633038343237373263373135
6635373665366231663631333132626538633935363163340a333664363661633034653531303439
30323161346231663139323864316137616436313366653235376530363365313065663735383738
3437343636623164630a326431623834356363316562393332323733343438386331626461666330
3936`;
// ansible-vault encrypt_string --vault-id prod@pw 'charlie'
const V12 = `$ANSIBLE_VAULT;1.2;AES256;prod
35663430313066383261616165383762343861613339636131613762306330353633306332656365
3465336539326234346138376338353635313066333362610a356333353162373464663235313266
31363036373162373931356536653261376164393564306331666564336438316465326136316530
3339306633626238390a373030326435646135313939343262326661353332633862373564353834
3633`;

const secret = (password: string, label = 'default') => ({ label, password: Buffer.from(password) });

afterEach(() => useVaultSecrets([]));

describe('ansible-vault texts', () => {
  it('decrypts 1.1 and a labelled 1.2 with the right password', () => {
    expect(isVaulted(V11)).toBe(true);
    expect(decryptVault(V11, [secret('pw1')])).toBe('alpha');
    expect(decryptVault(V12, [secret('nope'), secret('pw1', 'prod')])).toBe('charlie');
    // the label is tried first, the others after it (Ansible's default, vault_id_match off)
    expect(decryptVault(V12, [secret('pw1', 'other')])).toBe('charlie');
  });

  it('refuses a wrong password, no password, and a damaged text', () => {
    expect(() => decryptVault(V11, [secret('pw2')])).toThrow(/Decryption failed/);
    expect(() => decryptVault(V11, [])).toThrow(/no vault secrets found/);
    const lines = V11.split('\n');
    const flipped = [lines[0], lines[1]!.replace(/^./, (c) => (c === '6' ? '3' : '6')), ...lines.slice(2)].join('\n');
    expect(() => decryptVault(flipped, [secret('pw1')])).toThrow(VaultError);
    expect(() => decryptVault('$ANSIBLE_VAULT;1.0;AES\n00', [secret('pw1')])).toThrow(/AES256 1.1\/1.2 only/);
  });

  it("opens a file's text with the process's secrets, plain text as it is", () => {
    expect(openVaulted('a: 1\n')).toEqual({ ok: true, text: 'a: 1\n' });
    expect(openVaulted(V11)).toEqual({ ok: false, why: expect.stringContaining('no vault secrets found') });
    useVaultSecrets([secret('pw1')]);
    expect(openVaulted(V11)).toEqual({ ok: true, text: 'alpha' });
  });
});
