import { describe, expect, it } from 'vitest';
import { editLines, setLine, splitKeep } from '../../../src/modules/support/lines.js';
import { replaceText } from '../../../src/modules/builtin/replace/substitute.js';
import { compilePyRegex as pyRegex, expandPyTemplate } from '../../../src/template/regex.js';
const expandTemplate = (t: string, m: RegExpMatchArray): string => expandPyTemplate(t, m, m.groups);
import { parseFacts, backupName, attrChanges, sha1 } from '../../../src/modules/support/files.js';
import { argvOf, list, modeText, num, parseMode } from '../../../src/modules/support/args.js';
import { serviceCommands } from '../../../src/modules/support/service.js';
import { splitHostPort } from '../../../src/modules/builtin/add_host.js';
import { fetchDest } from '../../../src/modules/builtin/fetch.js';
import { statDict } from '../../../src/modules/builtin/stat.js';

const ENV = 'ETCD_NAME=etcd1\nETCD_INITIAL_CLUSTER_STATE=new\nETCD_DATA_DIR=/var/lib/etcd\n';

describe('setLine (lineinfile)', () => {
  it('replaces the KEY=VALUE line matched by regexp', () => {
    const r = editLines(ENV, { regexp: '^ETCD_INITIAL_CLUSTER_STATE=', line: 'ETCD_INITIAL_CLUSTER_STATE=existing' });
    expect(r.text).toBe('ETCD_NAME=etcd1\nETCD_INITIAL_CLUSTER_STATE=existing\nETCD_DATA_DIR=/var/lib/etcd\n');
    expect(r.changed).toBe(true);
    expect(r.msg).toBe('line replaced');
  });

  it('is idempotent: the second edit changes nothing', () => {
    const once = setLine(ENV, { regexp: '^ETCD_INITIAL_CLUSTER_STATE=', line: 'ETCD_INITIAL_CLUSTER_STATE=existing' });
    const twice = editLines(once, { regexp: '^ETCD_INITIAL_CLUSTER_STATE=', line: 'ETCD_INITIAL_CLUSTER_STATE=existing' });
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once);
    expect(twice.msg).toBe('');
  });

  it('appends at EOF when nothing matches, adding the missing final newline first', () => {
    expect(setLine('A=1', { regexp: '^B=', line: 'B=2' })).toBe('A=1\nB=2\n');
    expect(setLine('', { line: 'B=2' })).toBe('B=2\n');
    expect(setLine('A=1\n', { line: 'A=1' })).toBe('A=1\n');
  });

  it('replaces the last match, or the first with firstmatch', () => {
    expect(setLine('X=1\nX=2\n', { regexp: '^X=', line: 'X=3' })).toBe('X=1\nX=3\n');
    expect(setLine('X=1\nX=2\n', { regexp: '^X=', line: 'X=3', firstmatch: true })).toBe('X=3\nX=2\n');
  });

  it('keeps an exact line that exists even when the regexp does not match', () => {
    const r = editLines('a\nline\nb\n', { regexp: '^nomatch', line: 'line' });
    expect(r.changed).toBe(false);
  });

  it('inserts after / before a regexp match, BOF and EOF', () => {
    expect(setLine('[a]\nx=1\n[b]\n', { line: 'y=2', insertafter: '^\\[a\\]' })).toBe('[a]\ny=2\nx=1\n[b]\n');
    expect(setLine('[a]\nx=1\n[b]\n', { line: 'y=2', insertbefore: '^\\[b\\]' })).toBe('[a]\nx=1\ny=2\n[b]\n');
    expect(setLine('a\n', { line: 'first', insertbefore: 'BOF' })).toBe('first\na\n');
    expect(setLine('a\n', { line: 'last', insertafter: 'EOF' })).toBe('a\nlast\n');
    expect(setLine('a\n', { line: 'z', insertafter: '^nomatch' })).toBe('a\nz\n');
    expect(setLine('a\nb', { line: 'c', insertafter: '^b' })).toBe('a\nb\nc\n');
  });

  it('does not insert twice after the same anchor', () => {
    const once = setLine('[a]\nx=1\n', { line: 'y=2', insertafter: '^\\[a\\]' });
    expect(editLines(once, { line: 'y=2', insertafter: '^\\[a\\]' }).changed).toBe(false);
  });

  it('expands backrefs, and leaves the file alone when the regexp does not match', () => {
    expect(setLine('port = 80\n', { regexp: '^port = (\\d+)$', line: 'port = \\1\\g<1>', backrefs: true })).toBe('port = 8080\n');
    expect(setLine('x\n', { regexp: '^(?P<k>host)=', line: '\\g<k>=y', backrefs: true })).toBe('x\n');
    expect(setLine('host=a\n', { regexp: '^(?P<k>host)=.*', line: '\\g<k>=b', backrefs: true })).toBe('host=b\n');
  });

  it('removes every matching line with state=absent', () => {
    const r = editLines('a=1\nb=2\na=3\n', { state: 'absent', regexp: '^a=' });
    expect(r.text).toBe('b=2\n');
    expect(r.msg).toBe('2 line(s) removed');
    expect(editLines('a=1\n', { state: 'absent', line: 'a=1' }).text).toBe('');
    expect(editLines('a=1\n', { state: 'absent', line: 'a=2' }).changed).toBe(false);
    expect(editLines('xfoo\n', { state: 'absent', searchString: 'foo' }).found).toBe(1);
  });

  it('search_string matches literally (no regex meaning)', () => {
    expect(setLine('a.b=1\naxb=2\n', { searchString: 'a.b=', line: 'a.b=9' })).toBe('a.b=9\naxb=2\n');
  });

  it('rejects nonsense combinations', () => {
    expect(() => editLines('', {})).toThrow(/line/);
    expect(() => editLines('', { line: 'x', backrefs: true })).toThrow(/regexp/);
  });

  it('splitKeep keeps terminators', () => {
    expect(splitKeep('a\nb\r\nc')).toEqual(['a\n', 'b\r\n', 'c']);
    expect(splitKeep('')).toEqual([]);
  });
});

describe('replaceText (replace)', () => {
  it('replaces every match in multiline mode with Python backrefs', () => {
    const r = replaceText('host: a\nhost: b\n', { regexp: '^host: (\\w+)$', replace: 'server: \\1' });
    expect(r.text).toBe('server: a\nserver: b\n');
    expect(r.count).toBe(2);
    expect(r.msg).toBe('2 replacements made');
  });

  it('supports \\g<name>, named groups and literal $', () => {
    expect(replaceText('v=1\n', { regexp: '(?P<k>v)=(\\d)', replace: '\\g<k>=$\\2' }).text).toBe('v=$1\n');
  });

  it('is unchanged when the replacement yields the same text', () => {
    const r = replaceText('a\n', { regexp: 'a', replace: 'a' });
    expect(r.changed).toBe(false);
    expect(replaceText('a\n', { regexp: 'zzz' }).count).toBe(0);
  });

  it('limits the replacement to the text between after and before', () => {
    const text = 'x=1\n# BEGIN\nx=1\n# END\nx=1\n';
    expect(replaceText(text, { regexp: '^x=1$', replace: 'x=2', after: '# BEGIN', before: '# END' }).text).toBe(
      'x=1\n# BEGIN\nx=2\n# END\nx=1\n',
    );
    expect(replaceText(text, { regexp: '^x=1$', replace: 'x=2', after: '# END' }).text).toBe('x=1\n# BEGIN\nx=1\n# END\nx=2\n');
    expect(replaceText(text, { regexp: '^x=1$', replace: 'x=2', before: '# BEGIN' }).text).toBe('x=2\n# BEGIN\nx=1\n# END\nx=1\n');
    expect(replaceText(text, { regexp: 'x', after: 'NOPE' }).msg).toMatch(/did not match/);
  });

  it('removes matches with an empty replacement', () => {
    expect(replaceText('a # c\n', { regexp: '\\s*#.*$' }).text).toBe('a\n');
  });
});

describe('Python regex translation', () => {
  it('translates named groups, backreferences, \\A \\Z and inline flags', () => {
    expect(pyRegex('(?P<n>a)(?P=n)').test('aa')).toBe(true);
    expect(pyRegex('\\Aabc\\Z').test('abc')).toBe(true);
    expect(pyRegex('\\Aabc\\Z').test('xabc')).toBe(false);
    expect(pyRegex('(?i)abc').test('ABC')).toBe(true);
    expect(() => pyRegex('(')).toThrow(/invalid regular expression/);
  });

  it('expands templates like match.expand', () => {
    const m = /(a)(?<x>b)?(c)?/.exec('ab')!;
    expect(expandTemplate('\\1-\\g<x>-\\3-\\n', m)).toBe('a-b--\n');
    expect(() => expandTemplate('\\9', m)).toThrow(/invalid group/);
    expect(expandTemplate('a\\.b\\\\', m)).toBe('a\\.b\\');
  });
});

describe('file facts parsing', () => {
  it('parses stat output', () => {
    const f = parseFacts('regular file\n640\nroot\netcd\n0\n998\n12\n1700000000\n\nda39a3ee5e6b4b0d3255bfef95601890afd80709\n');
    expect(f).toMatchObject({
      exists: true,
      type: 'file',
      mode: 0o640,
      owner: 'root',
      group: 'etcd',
      uid: 0,
      gid: 998,
      size: 12,
      mtime: 1700000000,
      checksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    });
    expect(parseFacts('ABSENT\n')).toEqual({ exists: false });
    const l = parseFacts('symbolic link\n777\nu\ng\n1\n2\n4\n1\n/target\n\n');
    expect(l.type).toBe('link');
    expect(l.linkTarget).toBe('/target');
    expect(parseFacts('directory\n1777\nu\ng\n1\n2\n4096\n1\n\n\n').type).toBe('directory');
    expect(parseFacts('fifo\n644\nu\ng\n1\n2\n0\n1\n\n\n').type).toBe('other');
    expect(() => parseFacts('garbage')).toThrow(/unexpected stat output/);
  });

  it('describes attribute differences by name or id', () => {
    const f = parseFacts('regular file\n644\nroot\nroot\n0\n0\n1\n1\n\n\n');
    expect(attrChanges(f, { mode: 0o644, owner: 'root', group: '0' })).toEqual([]);
    expect(attrChanges(f, { mode: 0o600, owner: 'etcd' })).toEqual(['mode 0644 → 0600', 'owner root → etcd']);
  });

  it('builds Ansible stat dictionaries', () => {
    const d = statDict('/x', parseFacts('regular file\n755\nroot\nroot\n0\n0\n3\n5\n\nabc\n'));
    expect(d).toMatchObject({ exists: true, isreg: true, isdir: false, mode: '0755', pw_name: 'root', checksum: 'abc', xusr: true });
    expect(statDict('/x', { exists: false })).toEqual({ exists: false });
  });

  it('names backups as Ansible does', () => {
    expect(backupName('/etc/x', new Date(2024, 0, 2, 3, 4, 5))).toBe('/etc/x.2024-01-02@03:04:05~');
    expect(sha1('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('argument coercion', () => {
  it('reads modes', () => {
    expect(parseMode('0644')).toBe(0o644);
    expect(parseMode('644')).toBe(0o644);
    expect(parseMode('1777')).toBe(0o1777);
    expect(parseMode(644)).toBe(0o644); // YAML 1.2 read 0644 as 644
    expect(parseMode(493)).toBe(0o755); // not octal digits: the mode value itself
    expect(parseMode(0o644)).toBe(0o420); // the documented trade-off: digits 420 are read as octal
    expect(parseMode(undefined)).toBeUndefined();
    expect(() => parseMode('u+x')).toThrow(/symbolic/);
    expect(modeText(0o600)).toBe('0600');
  });

  it('reads numbers, lists and commands the way Ansible does', () => {
    expect(num('30', 1)).toBe(30);
    expect(num(undefined, 1)).toBe(1);
    expect(list('a, b')).toEqual(['a', 'b']);
    expect(list(['a', 1])).toEqual(['a', '1']);
    expect(argvOf('echo "a b" c')).toEqual(['echo', 'a b', 'c']);
    // Python's shlex.split, as Ansible's command module: no shell meaning, `\` in "" only before " and \
    expect(argvOf(`echo a;b | c $(x) 'q r' "a \\ b" "\\$x" x\\ y`)).toEqual([
      'echo',
      'a;b',
      '|',
      'c',
      '$(x)',
      'q r',
      'a \\ b',
      '\\$x',
      'x y',
    ]);
    expect(argvOf(['x', 1])).toEqual(['x', '1']);
  });

  it('finds command-manager commands in arguments, then variables (plain or per service)', () => {
    expect(serviceCommands({ start_command: 'svc start' }, {}, 'etcd').start).toEqual(['svc', 'start']);
    expect(serviceCommands({}, { service_status_command: ['true'] }, 'etcd').status).toEqual(['true']);
    expect(serviceCommands({}, { service_stop_command: { etcd: 'pkill etcd', other: 'x' } }, 'etcd').stop).toEqual(['pkill', 'etcd']);
    expect(serviceCommands({}, { service_stop_command: { other: 'x' } }, 'etcd').stop).toBeUndefined();
  });

  it('splits host:port and lays out fetched files', () => {
    expect(splitHostPort('db1:2222')).toEqual({ host: 'db1', port: 2222 });
    expect(splitHostPort('db1')).toEqual({ host: 'db1' });
    expect(fetchDest('/pb', 'h1', '/etc/etcd/etcd.conf', 'backup', false)).toBe('/pb/backup/h1/etc/etcd/etcd.conf');
    expect(fetchDest('/pb', 'h1', '/etc/x.conf', '/b/', true)).toBe('/b/x.conf');
    expect(fetchDest('/pb', 'h1', '/etc/x.conf', '/b/y.conf', true)).toBe('/b/y.conf');
  });
});
