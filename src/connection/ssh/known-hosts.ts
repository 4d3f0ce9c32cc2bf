// known_hosts: parsing, hashed names (|1|salt|hash, HMAC-SHA1), lookup of an offered host
// key blob, OpenSSH-style SHA256 fingerprints, and appending a newly accepted key.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchPatternList } from './patterns.js';

export interface KnownHostEntry {
  /** 1-based line number in the file */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** plain patterns, or a hashed name */
  readonly hosts: { kind: 'plain'; patterns: string[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };
  readonly keyType: string;
  readonly keyBase64: string;
}

export type HostKeyVerdict =
  | { status: 'ok'; line: number }
  | { status: 'unknown' }
  | { status: 'mismatch'; expected: string; line: number }
  | { status: 'revoked'; line: number };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hostField, keyType, keyBase64] = fields;
    if (hostField === undefined || keyType === undefined || keyBase64 === undefined) return;
    let hosts: KnownHostEntry['hosts'];
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (salt === undefined || hash === undefined) return;
      hosts = { kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      hosts = { kind: 'plain', patterns: hostField.split(',') };
    }
    entries.push(marker ? { line: i + 1, marker, hosts, keyType, keyBase64 } : { line: i + 1, hosts, keyType, keyBase64 });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.kind === 'plain') return matchPatternList(entry.hosts.patterns, name);
  const hash = createHmac('sha1', entry.hosts.salt).update(name).digest();
  return hash.equals(entry.hosts.hash);
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, ...). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function checkHostKey(entries: readonly KnownHostEntry[], names: readonly string[], blob: Buffer): HostKeyVerdict {
  const type = keyTypeOfBlob(blob);
  const b64 = blob.toString('base64');
  const forHost = entries.filter((e) => names.some((n) => entryMatches(e, n)));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBase64 === b64);
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = forHost.filter((e) => e.marker === undefined && e.keyType === type);
  const same = plain.find((e) => e.keyBase64 === b64);
  if (same) return { status: 'ok', line: same.line };
  const other = plain[0];
  if (other) return { status: 'mismatch', expected: fingerprint(Buffer.from(other.keyBase64, 'base64')), line: other.line };
  return { status: 'unknown' };
}

/** Key types recorded for a host, to prefer them when negotiating. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], names: readonly string[]): string[] {
  const types = entries.filter((e) => e.marker === undefined && names.some((n) => entryMatches(e, n))).map((e) => e.keyType);
  return [...new Set(types)];
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`;
}

/** Parsed files, reused while their size and mtime stay (a run connects to every host of a fleet). */
const parsed = new Map<string, { size: number; mtimeNs: bigint; entries: KnownHostEntry[] }>();
/** per parsed file: entries by a plain (wildcard-free, not negated) name, and the others, which are scanned */
const indexes = new WeakMap<readonly KnownHostEntry[], { byName: Map<string, KnownHostEntry[]>; scan: KnownHostEntry[] }>();

function indexOf(entries: readonly KnownHostEntry[]): { byName: Map<string, KnownHostEntry[]>; scan: KnownHostEntry[] } {
  let ix = indexes.get(entries);
  if (ix) return ix;
  ix = { byName: new Map(), scan: [] };
  for (const e of entries) {
    const plain = e.hosts.kind === 'plain' && e.hosts.patterns.every((p) => !/[*?!]/.test(p)) ? e.hosts.patterns : undefined;
    if (!plain) {
      ix.scan.push(e);
      continue;
    }
    for (const p of new Set(plain.map((x) => x.toLowerCase()))) {
      const list = ix.byName.get(p) ?? [];
      list.push(e);
      ix.byName.set(p, list);
    }
  }
  indexes.set(entries, ix);
  return ix;
}

export function readKnownHostsFile(file: string): KnownHostEntry[] {
  let st;
  try {
    st = statSync(file, { bigint: true });
  } catch {
    return [];
  }
  const hit = parsed.get(file);
  if (hit && hit.size === Number(st.size) && hit.mtimeNs === st.mtimeNs) return hit.entries;
  const entries = parseKnownHosts(readFileSync(file, 'utf8'));
  parsed.set(file, { size: Number(st.size), mtimeNs: st.mtimeNs, entries });
  return entries;
}

/**
 * The entries naming one of `names`, in file order: plain names looked up, wildcard and hashed
 * entries matched (a hashed name costs an HMAC: done once a host, not once a check).
 */
export function entriesFor(entries: readonly KnownHostEntry[], names: readonly string[]): KnownHostEntry[] {
  const ix = indexOf(entries);
  const hit = new Set<KnownHostEntry>();
  for (const n of names) for (const e of ix.byName.get(n.toLowerCase()) ?? []) hit.add(e);
  for (const e of ix.scan) if (names.some((n) => entryMatches(e, n))) hit.add(e);
  return [...hit].sort((a, b) => a.line - b.line);
}

/** Append one line, creating the directory (0700) and the file (0600) when missing. */
export function appendKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
}
