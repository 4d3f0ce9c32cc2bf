// The pure parts of get_url and unarchive: checksum specs, URL file names, header lines, the
// download report, archive formats, tar argv, listings and `tar --diff` output.
import { describe, expect, it } from 'vitest';
import {
  checkUrl,
  downloadCommand,
  downloadFailure,
  headerLines,
  httpDate,
  httpError,
  parseHeadStatus,
  parseChecksum,
  parseDownloadReport,
  urlFilename,
  digestFromSums,
} from '../../../src/modules/support/download.js';
import {
  attrFixes,
  attributePaths,
  detectFormat,
  formatFromMagic,
  formatFromName,
  parseProbe,
  parseTarList,
  parseZipCompare,
  tarArgv,
  tarDifferences,
  tarProblem,
  unescapeTarName,
  unzipArgv,
} from '../../../src/modules/builtin/unarchive/archive.js';

const SHA256 = 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c';

describe('get_url checksum spec', () => {
  it('parses algorithm:hex, cleaning the digest as Ansible does', () => {
    expect(parseChecksum(undefined)).toBeUndefined();
    expect(parseChecksum('')).toBeUndefined();
    expect(parseChecksum(`sha256:${SHA256}`)).toEqual({ algorithm: 'sha256', digest: SHA256 });
    expect(parseChecksum(`SHA256: ${SHA256.toUpperCase()}\u200b`)).toEqual({ algorithm: 'sha256', digest: SHA256 });
    expect(parseChecksum('md5:66dffb5228a211e61d6d7ef4a86f5758')).toEqual({ algorithm: 'md5', digest: '66dffb5228a211e61d6d7ef4a86f5758' });
    expect(parseChecksum('sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709')).toMatchObject({ algorithm: 'sha1' });
  });

  it('refuses malformed specs, unknown algorithms, wrong lengths and checksum URLs with clear messages', () => {
    expect(parseChecksum(SHA256)).toEqual({ error: 'The checksum parameter has to be in format <algorithm>:<checksum>' });
    expect(parseChecksum('sha256:xyz')).toEqual({ error: 'The checksum format is invalid' });
    expect(parseChecksum('sha256:abcd')).toEqual({ error: expect.stringMatching(/sha256 checksum has 64 hex digits, this one has 4/) });
    expect(parseChecksum(`crc32:${SHA256}`)).toEqual({
      error: expect.stringMatching(/unsupported checksum algorithm 'crc32' \(use one of md5, sha1, sha224, sha256, sha384, sha512\)/),
    });
    expect(parseChecksum('sha256:https://example.com/SHA256SUMS')).toEqual({
      algorithm: 'sha256',
      sumsUrl: 'https://example.com/SHA256SUMS',
    });
    expect(parseChecksum('crc32:https://example.com/SUMS')).toEqual({
      error: expect.stringMatching(/unsupported checksum algorithm 'crc32'/),
    });
  });

  it("reads a checksum file as Ansible's get_url does", () => {
    const sums = `${'a'.repeat(64)}  etcd-v3.5.0-linux-amd64.tar.gz\n${'b'.repeat(64)} *./etcd-v3.5.0-linux-arm64.tar.gz\n${'c'.repeat(64)}  etcd-v3.5.0-linux-amd64.tar.gz\n`;
    expect(digestFromSums(sums, 'etcd-v3.5.0-linux-amd64.tar.gz')).toBe('a'.repeat(64)); // the first line naming it
    expect(digestFromSums(sums, 'etcd-v3.5.0-linux-arm64.tar.gz')).toBe('b'.repeat(64)); // binary mark, ./ dropped
    expect(digestFromSums(sums, 'other.tgz')).toBeUndefined();
    expect(digestFromSums(`${'d'.repeat(64)}\n`, 'any.tgz')).toBe('d'.repeat(64)); // a lone digest
  });
});

describe('get_url URLs and headers', () => {
  it('accepts http, https, ftp and file URLs only', () => {
    for (const u of ['http://a/b', 'HTTPS://a/b.tgz', 'ftp://h/f', 'file:///tmp/x']) expect(checkUrl(u)).toBeUndefined();
    expect(checkUrl('example.com/x')).toMatch(/is not an http, https, ftp or file URL/);
    expect(checkUrl('gopher://x/y')).toMatch(/not an http/);
    expect(checkUrl('http://a/b c')).toMatch(/whitespace/);
  });

  it('names the file after the last path segment (index.html for none), as Ansible', () => {
    expect(urlFilename('https://github.com/etcd-io/etcd/releases/download/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz')).toBe(
      'etcd-v3.5.0-linux-amd64.tar.gz',
    );
    expect(urlFilename('http://h:8080/a/b.zip?sig=1#frag')).toBe('b.zip');
    expect(urlFilename('http://h/')).toBe('index.html');
    expect(urlFilename('http://h')).toBe('index.html');
    expect(urlFilename('http://h/a%20b.txt')).toBe('a%20b.txt');
  });

  it('words HTTP errors as urllib does', () => {
    expect(httpError(404)).toBe('HTTP Error 404: Not Found');
    expect(httpError(403)).toBe('HTTP Error 403: Forbidden');
    expect(httpError(599)).toBe('HTTP Error 599: Unknown');
  });

  it('builds header lines and a basic auth header; refuses line breaks', () => {
    expect(headerLines({ 'X-Token': 'abc', Accept: 'application/octet-stream', N: 1 }, {})).toEqual([
      'X-Token: abc',
      'Accept: application/octet-stream',
      'N: 1',
    ]);
    expect(headerLines(undefined, { user: 'u', password: 'p' })).toEqual([`Authorization: Basic ${Buffer.from('u:p').toString('base64')}`]);
    expect(headerLines(undefined, { password: 'p' })).toEqual([]);
    expect(headerLines({ 'X-A': 'a\r\nX-B: b' }, {})).toEqual({ error: "the value of header 'X-A' contains a line break" });
    expect(headerLines({ 'bad name': 'a' }, {})).toEqual({ error: "invalid header name 'bad name'" });
    expect(headerLines('X: y', {})).toEqual({ error: 'headers must be a mapping of header names to values' });
  });
});

describe('get_url download command and report', () => {
  it('passes every value as its own argument and the headers on stdin only', () => {
    const c = downloadCommand({
      url: 'http://h/a;rm -rf /',
      dest: "/opt/it's here",
      timeoutSec: 10,
      validateCerts: true,
      useProxy: true,
      agent: 'ansible-httpget',
      headers: ['Authorization: Basic c2VjcmV0'],
      checksum: { algorithm: 'sha256', digest: SHA256 },
      mode: 0o755,
      ifModifiedSince: 'Wed, 01 Jan 2020 00:00:00 GMT',
    });
    expect(c.argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.argv.slice(3)).toEqual([
      'sh',
      'http://h/a;rm -rf /',
      "/opt/it's here",
      '10',
      '',
      '',
      'ansible-httpget',
      '1',
      'sha256',
      SHA256,
      '',
      '755',
      '',
      '',
      'Wed, 01 Jan 2020 00:00:00 GMT',
    ]);
    expect(c.argv.join(' ')).not.toContain('c2VjcmV0');
    expect(c.stdin).toBe('Authorization: Basic c2VjcmV0\n');
    expect(
      downloadCommand({ url: 'http://h/x', dest: '/x', timeoutSec: 5, validateCerts: false, useProxy: false, agent: 'a', headers: [] })
        .stdin,
    ).toBeUndefined();
  });

  it('parses the report and tells why a download failed', () => {
    const good = parseDownloadReport(
      `tool=curl\nrc=0\nstatus=200\nsize=12\nsha1=${'a'.repeat(40)}\nmd5=${'b'.repeat(32)}\ndigest=${SHA256}\nresult=moved\n`,
    );
    expect(good).toEqual({
      tool: 'curl',
      rc: 0,
      status: 200,
      size: 12,
      sha1: 'a'.repeat(40),
      md5: 'b'.repeat(32),
      digest: SHA256,
      result: 'moved',
    });
    expect(downloadFailure(good, 'http://h/x', 'node1', '')).toBeUndefined();

    const url = 'http://127.0.0.1:8080/missing.tgz';
    expect(downloadFailure(parseDownloadReport('tool=curl\nrc=0\nstatus=404\n'), url, 'node1', '')).toEqual({
      msg: `Request failed: HTTP Error 404: Not Found (${url})`,
      data: { url, status_code: 404, response: 'HTTP Error 404: Not Found' },
    });
    // wget exits 8 on a server error: the status still decides the message
    expect(downloadFailure(parseDownloadReport('tool=wget\nrc=8\nstatus=404\n'), url, 'node1', 'ERROR 404: Not Found.')?.msg).toBe(
      `Request failed: HTTP Error 404: Not Found (${url})`,
    );
    const refused = downloadFailure(
      parseDownloadReport('tool=curl\nrc=7\nstatus=000\n'),
      url,
      'node1',
      'curl: (7) Failed to connect to 127.0.0.1 port 8080: Connection refused\n',
    );
    expect(refused?.msg).toBe(`Request failed: curl: (7) Failed to connect to 127.0.0.1 port 8080: Connection refused (${url})`);
    expect(downloadFailure(parseDownloadReport('tool=\n'), url, 'node1', '')?.msg).toBe(
      'neither curl nor wget is installed on node1: get_url downloads with one of them (install curl)',
    );
    expect(downloadFailure(parseDownloadReport('tool=curl\nrc=0\nstatus=000\nresult=moved\n'), 'file:///x', 'node1', '')).toBeUndefined();
  });
});

describe('archive formats', () => {
  it('knows the formats by name', () => {
    expect(formatFromName('etcd-v3.5.0-linux-amd64.tar.gz')).toBe('tar.gz');
    expect(formatFromName('x.TGZ')).toBe('tar.gz');
    expect(formatFromName('x.tar.bz2')).toBe('tar.bz2');
    expect(formatFromName('x.tbz2')).toBe('tar.bz2');
    expect(formatFromName('x.tar.xz')).toBe('tar.xz');
    expect(formatFromName('x.txz')).toBe('tar.xz');
    expect(formatFromName('x.tar.zst')).toBe('tar.zst');
    expect(formatFromName('x.tar')).toBe('tar');
    expect(formatFromName('etcd-v3.5.0-darwin-amd64.zip')).toBe('zip');
    expect(formatFromName('x.gz')).toBeUndefined();
    expect(formatFromName('runbook-archive.Xa81kq')).toBeUndefined();
  });

  it('knows them by their first bytes, before the name', () => {
    expect(formatFromMagic('1f8b0800')).toBe('tar.gz');
    expect(formatFromMagic('425a6839314159')).toBe('tar.bz2');
    expect(formatFromMagic('fd377a585a0000')).toBe('tar.xz');
    expect(formatFromMagic('28b52ffd')).toBe('tar.zst');
    expect(formatFromMagic('504b0304')).toBe('zip');
    expect(formatFromMagic('504b0506')).toBe('zip');
    expect(formatFromMagic('00'.repeat(257) + '7573746172')).toBe('tar');
    expect(formatFromMagic('68656c6c6f')).toBeUndefined();
    expect(detectFormat('/tmp/runbook-archive.x', '1f8b08')).toBe('tar.gz');
    expect(detectFormat('a.tgz', '00'.repeat(257) + '7573746172')).toBe('tar');
    expect(detectFormat('a.zip', '')).toBe('zip');
  });

  it('tells a missing or non-GNU tar', () => {
    expect(tarProblem('tar (GNU tar) 1.34')).toBeUndefined();
    expect(tarProblem('')).toBe("Unable to find required 'gtar' or 'tar' binary in the path");
    expect(tarProblem('bsdtar 3.6.2 - libarchive 3.6.2')).toBe('Command "tar" detected as tar type bsd. GNU tar required.');
  });

  it('parses the probe', () => {
    expect(parseProbe('size=120\nmagic=1f8b\ntar=tar (GNU tar) 1.34\nunzip=no\nuid=0\n')).toEqual({
      size: 120,
      magic: '1f8b',
      tar: 'tar (GNU tar) 1.34',
      unzip: false,
      uid: 0,
    });
    expect(parseProbe('tar=\nunzip=yes\nuid=1000\n')).toEqual({ magic: '', tar: '', unzip: true, uid: 1000 });
  });
});

describe('tar and unzip argv', () => {
  const o = { extraOpts: ['--strip-components=1'], exclude: ['docs/', '*.md'], include: [] };
  it('builds Ansible’s tar commands, each value one argument', () => {
    expect(tarArgv('diff', 'tar.gz', '/tmp/e.tgz', '/opt/etcd', o)).toEqual([
      'tar',
      '--diff',
      '-C',
      '/opt/etcd',
      '-z',
      '--show-transformed-names',
      '--strip-components=1',
      '--exclude=docs',
      '--exclude=*.md',
      '-f',
      '/tmp/e.tgz',
    ]);
    expect(tarArgv('extract', 'tar', "/tmp/a b'.tar", '/d', { extraOpts: [], exclude: [], include: ['x/y'] })).toEqual([
      'tar',
      '--extract',
      '-C',
      '/d',
      '-f',
      "/tmp/a b'.tar",
      'x/y',
    ]);
    expect(tarArgv('list', 'tar.xz', 's', 'd', { extraOpts: [], exclude: [], include: [] })).toContain('-J');
    expect(tarArgv('list', 'tar.bz2', 's', 'd', { extraOpts: [], exclude: [], include: [] })).toContain('-j');
  });

  it('builds unzip commands', () => {
    expect(unzipArgv('/tmp/a.zip', '/opt/x', { extraOpts: ['-j'], exclude: ['*.md'], include: [] }, false)).toEqual([
      'unzip',
      '-o',
      '-j',
      '/tmp/a.zip',
      '-x',
      '*.md',
      '-d',
      '/opt/x',
    ]);
    expect(unzipArgv('/tmp/a.zip', '/t', { extraOpts: [], exclude: [], include: ['bin/etcd'] }, true)).toEqual([
      'unzip',
      '-o',
      '-qq',
      '/tmp/a.zip',
      'bin/etcd',
      '-d',
      '/t',
    ]);
  });
});

describe('tar output', () => {
  it('unescapes member names and drops what --strip-components leaves empty', () => {
    expect(unescapeTarName('caf\\303\\251 \\\\ x\\ty')).toBe('café \\ x\ty');
    expect(parseTarList('/\netcd\netcdctl\nDocumentation/\nDocumentation/a\\040b.md\n')).toEqual([
      'etcd',
      'etcdctl',
      'Documentation/',
      'Documentation/a b.md',
    ]);
    expect(parseTarList('/abs/path\n')).toEqual(['abs/path']);
  });

  it('counts the differences unpacking would fix, as Ansible reads `tar --diff`', () => {
    const stdout = 'etcd: Size differs\netcdctl: Mode differs\nREADME.md: Mod time differs\nbin: Uid differs\n';
    const stderr = 'tar: : Warning: Cannot stat: No such file or directory\ntar: new: Warning: Cannot stat: No such file or directory\n';
    const all = { root: true, mode: false, owner: false, group: false };
    expect(tarDifferences(stdout, stderr, all)).toEqual([
      'etcd: Size differs',
      'etcdctl: Mode differs',
      'README.md: Mod time differs',
      'bin: Uid differs',
      'tar: new: Warning: Cannot stat: No such file or directory',
    ]);
    // mode/owner given: fixed afterwards, not a reason to unpack; not root: ownership cannot be restored
    expect(tarDifferences(stdout, '', { root: true, mode: true, owner: true, group: false })).toEqual([
      'etcd: Size differs',
      'README.md: Mod time differs',
    ]);
    expect(tarDifferences('bin: Uid differs\nbin: Gid differs\n', '', { root: false, mode: false, owner: false, group: false })).toEqual(
      [],
    );
    expect(tarDifferences('', 'tar: : Warning: Cannot stat: No such file or directory\n', all)).toEqual([]);
    expect(tarDifferences('etcd: File type differs\nx: Contents differ\nl: Symlink differs\n', '', all)).toHaveLength(3);
  });
});

describe('members and attributes', () => {
  it('parses the zip comparison', () => {
    expect(parseZipCompare('M\tbin\nM\tbin/etcd\nD\tbin/etcd\nD\tbin/etcd\nM\tREADME\n')).toEqual({
      members: ['bin', 'bin/etcd', 'README'],
      differing: ['bin/etcd'],
    });
  });

  it('sets attributes on every member and each top folder', () => {
    expect(attributePaths(['etcd-v3.5.0/', 'etcd-v3.5.0/etcd', 'docs/a/b.md', 'top'])).toEqual([
      'etcd-v3.5.0',
      'etcd-v3.5.0/etcd',
      'docs/a/b.md',
      'docs',
      'top',
    ]);
  });

  it('finds the paths whose mode or ownership differ; links keep their mode', () => {
    const out = [
      '755\troot\troot\t0\t0\tregular file\tetcd',
      '644\troot\troot\t0\t0\tregular file\tREADME.md',
      '777\troot\troot\t0\t0\tsymbolic link\tlink',
      '755\tetcd\tetcd\t999\t999\tdirectory\tdir with\ttab',
    ].join('\n');
    expect(attrFixes(out, { mode: 0o755 })).toEqual({ chmod: ['README.md'], chown: [] });
    expect(attrFixes(out, { owner: 'etcd' })).toEqual({ chmod: [], chown: ['etcd', 'README.md', 'link'] });
    expect(attrFixes(out, { owner: '999', group: 'etcd' })).toEqual({ chmod: [], chown: ['etcd', 'README.md', 'link'] });
    expect(attrFixes(out, {})).toEqual({ chmod: [], chown: [] });
  });
});

describe('get_url conditional requests', () => {
  it('dates dest as HTTP does, and reads the HEAD answer: status, the last Content-Length, the exit code', () => {
    expect(httpDate(1577836800.9)).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
    const out = 'HTTP/1.1 301 Moved\ncontent-length: 5\n\nHTTP/1.1 200 OK\nContent-Length: 12\n\nstatus=200\nrc=0\n';
    expect(parseHeadStatus(out)).toEqual({ status: 200, length: 12, rc: 0 });
    expect(parseHeadStatus('status=000\nrc=7\n')).toEqual({ status: 0, rc: 7 });
  });
});
