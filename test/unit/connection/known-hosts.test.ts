import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  checkHostKey,
  entryMatches,
  fingerprint,
  hashHostName,
  hostKeyName,
  keyTypeOfBlob,
  knownHostsLine,
  parseKnownHosts,
} from '../../../src/connection/ssh/known-hosts.js';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const len = (n: number): Buffer => {
    const x = Buffer.alloc(4);
    x.writeUInt32BE(n);
    return x;
  };
  return Buffer.concat([len(t.length), t, len(b.length), b]);
}

const K1 = blob('ssh-ed25519', 'key-one-xxxxxxxxxxxxxxxxxxxxxxxxx');
const K2 = blob('ssh-ed25519', 'key-two-xxxxxxxxxxxxxxxxxxxxxxxxx');
const R1 = blob('ssh-rsa', 'rsa-key');

describe('known_hosts', () => {
  it('names hosts like OpenSSH', () => {
    expect(hostKeyName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(hostKeyName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('parses plain, multi-name, hashed and marker lines; skips comments and junk', () => {
    const text = [
      '# comment',
      '',
      `a.example,10.0.0.1 ssh-ed25519 ${K1.toString('base64')} c`,
      `${hashHostName('[h]:2222')} ssh-ed25519 ${K1.toString('base64')}`,
      `@revoked * ssh-ed25519 ${K2.toString('base64')}`,
      `@cert-authority *.example ssh-ed25519 ${K2.toString('base64')}`,
      'garbage',
      `@unknown x ssh-ed25519 ${K2.toString('base64')}`,
    ].join('\n');
    const e = parseKnownHosts(text);
    expect(e.map((x) => x.line)).toEqual([3, 4, 5, 6]);
    expect(e[0]!.hosts).toEqual({ kind: 'plain', patterns: ['a.example', '10.0.0.1'] });
    expect(e[1]!.hosts.kind).toBe('hashed');
    expect(e[2]!.marker).toBe('revoked');
    expect(e[3]!.marker).toBe('cert-authority');
    expect(entryMatches(e[0]!, '10.0.0.1')).toBe(true);
    expect(entryMatches(e[0]!, 'A.EXAMPLE')).toBe(true);
    expect(entryMatches(e[1]!, '[h]:2222')).toBe(true);
    expect(entryMatches(e[1]!, 'h')).toBe(false);
  });

  it('matches names hashed by ssh-keygen -H (recorded vector) and round-trips its own', () => {
    const line =
      '|1|/FXP/yyb8Vjw2R/ShKgXmMyhfiQ=|PZGTXtAnfq7DKafidjl59vqS4Qw= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const [e] = parseKnownHosts(line);
    expect(entryMatches(e!, 'localhost')).toBe(true);
    expect(entryMatches(e!, 'localhost2')).toBe(false);
    const ours = parseKnownHosts(`${hashHostName('[10.1.2.3]:2222')} ssh-ed25519 AAAA`)[0]!;
    expect(entryMatches(ours, '[10.1.2.3]:2222')).toBe(true);
    expect(entryMatches(ours, '10.1.2.3')).toBe(false);
  });

  it('checks an offered key: ok, mismatch (same type only), unknown, revoked', () => {
    const entries = parseKnownHosts(
      [
        `[h]:2222 ssh-ed25519 ${K1.toString('base64')}`,
        `other ssh-ed25519 ${K2.toString('base64')}`,
        `rsaonly ssh-rsa ${R1.toString('base64')}`,
        `@revoked bad ssh-ed25519 ${K2.toString('base64')}`,
        `bad ssh-ed25519 ${K2.toString('base64')}`,
      ].join('\n'),
    );
    expect(checkHostKey(entries, ['[h]:2222'], K1)).toEqual({ status: 'ok', line: 1 });
    expect(checkHostKey(entries, ['[h]:2222'], K2)).toEqual({ status: 'mismatch', expected: fingerprint(K1), line: 1 });
    expect(checkHostKey(entries, ['nobody'], K1)).toEqual({ status: 'unknown' });
    expect(checkHostKey(entries, ['rsaonly'], K1)).toEqual({ status: 'unknown' });
    expect(checkHostKey(entries, ['bad'], K2)).toEqual({ status: 'revoked', line: 4 });
  });

  it('fingerprints as SHA256 base64 without padding', () => {
    const fp = fingerprint(K1);
    expect(fp).toBe('SHA256:' + createHash('sha256').update(K1).digest('base64').replace(/=+$/, ''));
    expect(fp).not.toMatch(/=$/);
    expect(keyTypeOfBlob(K1)).toBe('ssh-ed25519');
    expect(knownHostsLine('[h]:2', K1)).toBe(`[h]:2 ssh-ed25519 ${K1.toString('base64')}`);
  });
});
