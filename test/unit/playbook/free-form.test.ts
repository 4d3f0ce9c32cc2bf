// Ansible's key=value arguments: quoting, templates kept whole, escapes decoded as parse_kv does.
import { describe, expect, it } from 'vitest';
import { parseFreeForm } from '../../../src/playbook/free-form.js';

describe('free-form arguments', () => {
  it('splits key=value pairs; a free-form module keeps the rest verbatim', () => {
    expect(parseFreeForm('ls -l  /tmp creates=/x chdir="/a b"', 'cmd', ['cmd', 'creates', 'chdir'])).toEqual({
      ok: true,
      args: { cmd: 'ls -l  /tmp', creates: '/x', chdir: '/a b' },
    });
  });
  it('keeps a template with spaces as one value', () => {
    expect(parseFreeForm('msg={{ a | default("x y") }} var=b', undefined, ['msg', 'var'])).toEqual({
      ok: true,
      args: { msg: '{{ a | default("x y") }}', var: 'b' },
    });
  });
  it('decodes escapes in values as Ansible does', () => {
    expect(parseFreeForm('content="v1\\n\\tx" dest=/f', undefined, ['content', 'dest'])).toEqual({
      ok: true,
      args: { content: 'v1\n\tx', dest: '/f' },
    });
  });
  it("a key may hold a hyphen (parse_kv splits at the first '='): systemd's daemon-reload alias", () => {
    expect(parseFreeForm('daemon-reload=true name=x', undefined, ['daemon-reload', 'name'])).toEqual({
      ok: true,
      args: { 'daemon-reload': 'true', name: 'x' },
    });
    // for a free-form module an unknown key=value stays in the command line
    expect(parseFreeForm('ls --color=never', 'cmd', ['cmd', 'chdir'])).toEqual({ ok: true, args: { cmd: 'ls --color=never' } });
  });
  it('a module without free form refuses stray words', () => {
    const r = parseFreeForm('dest=/f stray', undefined, ['dest']);
    expect(r.ok).toBe(false);
  });
  // what ansible-playbook 2.14 registers as `cmd` for the same task (test/compat runs both)
  it("drops a stand-alone backslash word and its line break, as Ansible's split_args", () => {
    expect(parseFreeForm('etcdctl \\ --endpoints x \\ member list', 'cmd', ['cmd'])).toEqual({
      ok: true,
      args: { cmd: 'etcdctl --endpoints x member list' },
    });
    expect(parseFreeForm('echo one \\\n  two\necho three\n', 'cmd', ['cmd'])).toEqual({
      ok: true,
      args: { cmd: 'echo one  two\necho three' },
    });
    expect(parseFreeForm('echo "a \\ b" \\ c x\\ y', 'cmd', ['cmd'])).toEqual({ ok: true, args: { cmd: 'echo "a \\ b" c x\\ y' } });
  });
});
