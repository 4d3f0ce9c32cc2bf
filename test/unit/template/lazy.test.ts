import { describe, expect, it } from 'vitest';
import { asWritten, evaluate, evaluateBool, render, renderString } from '../../../src/template/index.js';
import { templateError } from './helpers.js';

describe('lazy variables', () => {
  it('renders variables that hold templates', () => {
    const s = { a: '{{ b }}-x', b: 1 };
    expect(render('{{ a }}', s)).toBe('1-x');
    expect(render('{{ b2 }}', { b2: '{{ b }}', b: 1 })).toBe(1);
  });

  it('chains of variables', () => {
    const s = { url: 'https://{{ host }}:{{ port }}', host: '{{ ip }}', ip: '10.0.0.1', port: '{{ 2000 + 379 }}' };
    expect(render('{{ url }}', s)).toBe('https://10.0.0.1:2379');
    // a template's value is its text, as Ansible 2.14's: `port + 1` is a TypeError there too
    expect(evaluate('port', s)).toBe('2379');
    expect(evaluate('port | int + 1', s)).toBe(2380);
  });

  it('nested strings in lists and dicts, on access and as a whole', () => {
    const s = { cfg: { dir: '/var/lib/{{ name }}', names: ['{{ name }}-0'] }, name: 'etcd' };
    expect(render('{{ cfg.dir }}', s)).toBe('/var/lib/etcd');
    expect(render('{{ cfg.names[0] }}', s)).toBe('etcd-0');
    expect(render('{{ cfg }}', s)).toEqual({ dir: '/var/lib/etcd', names: ['etcd-0'] });
    expect(renderString('{{ cfg | to_json }}', s)).toBe('{"dir": "/var/lib/etcd", "names": ["etcd-0"]}');
    expect(renderString('{% for n in cfg.names %}{{ n }}{% endfor %}', s)).toBe('etcd-0');
  });

  it('detects self reference', () => {
    const e = templateError(() => render('{{ a }}', { a: '{{ a }}' }));
    expect(e.kind).toBe('recursion');
    expect(e.variable).toBe('a');
  });

  it('detects mutual reference', () => {
    const e = templateError(() => render('x{{ a }}', { a: '{{ b }}', b: '{{ a }}x' }));
    expect(e.kind).toBe('recursion');
    expect(['a', 'b']).toContain(e.variable);
  });

  it('undefined inside a lazy variable names the inner variable', () => {
    const e = templateError(() => render('{{ a }}', { a: '{{ nope }}' }));
    expect(e.kind).toBe('undefined');
    expect(e.variable).toBe('nope');
  });

  it('a lazy variable that is never used is never rendered', () => {
    expect(render('{{ ok }}', { ok: 1, broken: '{{ nope }}' })).toBe(1);
  });

  it('omit is an ordinary variable', () => {
    expect(render('{{ x | default(omit) }}', { omit: '__omit__' })).toBe('__omit__');
  });
});

describe('evaluateBool (when:)', () => {
  const s = {
    result: { rc: 1, stderr: 'error: key not found', stdout: '' },
    yes: true,
    s_false: 'false',
    s_no: 'no',
    list: [],
    n: 0,
  };

  it('booleans pass through', () => {
    expect(evaluateBool(true, {})).toBe(true);
    expect(evaluateBool(false, {})).toBe(false);
  });

  it('expressions', () => {
    expect(evaluateBool("result.rc != 0 and 'not found' in result.stderr", s)).toBe(true);
    expect(evaluateBool('result.rc == 0', s)).toBe(false);
    expect(evaluateBool('list', s)).toBe(false);
    expect(evaluateBool('n', s)).toBe(false);
    expect(evaluateBool('result', s)).toBe(true);
    expect(evaluateBool('missing is not defined', s)).toBe(true);
  });

  it('rendered strings use Ansible boolean conversion', () => {
    expect(evaluateBool('{{ s_false }}', s)).toBe(false);
    expect(evaluateBool('{{ s_no }}', s)).toBe(false);
    expect(evaluateBool("{{ 'False' }}", s)).toBe(false);
    expect(evaluateBool("{{ 'off' }}", s)).toBe(false);
    expect(evaluateBool("{{ '0' }}", s)).toBe(false);
    expect(evaluateBool('{{ yes }}', s)).toBe(true);
    expect(evaluateBool("{{ 'anything' }}", s)).toBe(true);
    expect(evaluateBool('{{ result.rc }} == 1', s)).toBe(true);
  });

  it('undefined variables raise', () => {
    expect(templateError(() => evaluateBool('nope', s)).kind).toBe('undefined');
  });
});

describe('lazy variables built on undefined ones', () => {
  const s = { a: '{{ nope }}-x', cfg: { dir: '{{ nope }}' } };

  it('count as undefined for default and is defined', () => {
    expect(render("{{ a | default('fallback') }}", s)).toBe('fallback');
    expect(evaluate('a is defined', s)).toBe(false);
    expect(evaluate('cfg.dir is defined', s)).toBe(false);
  });

  it('still raise with the inner name when used', () => {
    const e = templateError(() => render('{{ cfg }}', s));
    expect(e.kind).toBe('undefined');
    expect(e.variable).toBe('nope');
  });

  it('when: with block tags', () => {
    expect(evaluateBool('{% if 1 %}yes{% endif %}', {})).toBe(true);
    expect(evaluateBool('{% if 0 %}yes{% else %}no{% endif %}', {})).toBe(false);
  });

  it("a container marked as written (Ansible's `vars`) gives its values unrendered, nested ones too; the same dict by its name is rendered", () => {
    const dct = { k: '{{ b }}' };
    const s = { b: 1, dct, lst: ['{{ b }}'], raw: asWritten({ a: '{{ b }}-x', dct, lst: ['{{ b }}'] }) };
    expect(render("{{ raw['a'] }}", s)).toBe('{{ b }}-x');
    expect(evaluate("raw['a'] | length", s)).toBe(9);
    expect(evaluate('raw.dct', s)).toEqual({ k: '{{ b }}' });
    expect(evaluate("raw['dct']['k']", s)).toBe('{{ b }}');
    expect(evaluate('raw.lst', s)).toEqual(['{{ b }}']);
    expect(evaluate('dct.k', s)).toBe(1);
    expect(evaluate('lst', s)).toEqual([1]);
  });
});
