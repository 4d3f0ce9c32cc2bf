import { describe, expect, it } from 'vitest';
import { renderString } from '../../../src/template/index.js';
import { scope } from './helpers.js';

const r = (t: string, extra: Record<string, unknown> = {}): string => renderString(t, { ...scope, ...extra });

describe('if', () => {
  it('if / elif / else', () => {
    const t = '{% if port > 3000 %}big{% elif port > 2000 %}mid{% else %}small{% endif %}';
    expect(r(t)).toBe('mid');
    expect(r(t, { port: 5000 })).toBe('big');
    expect(r(t, { port: 1 })).toBe('small');
    expect(r('{% if missing is defined %}x{% endif %}')).toBe('');
  });
});

describe('for', () => {
  it('loop variables', () => {
    expect(r('{% for i in items %}{{ loop.index }}:{{ i }}{% if not loop.last %},{% endif %}{% endfor %}')).toBe('1:a,2:b,3:c');
    expect(r('{% for i in items %}{{ loop.index0 }}{{ loop.first }}{% endfor %}')).toBe('0True1False2False');
    expect(r('{% for i in items %}{{ loop.length }}{% endfor %}')).toBe('333');
  });

  it('unpacking, dict iteration, else, filter', () => {
    expect(r('{% for k, v in d.items() %}{{ k }};{% endfor %}')).toBe('a;b;nested;');
    expect(r('{% for k in d %}{{ k }} {% endfor %}')).toBe('a b nested ');
    expect(r('{% for x in empty %}x{% else %}none{% endfor %}')).toBe('none');
    expect(r('{% for u in users if u.admin %}{{ u.name }} {% endfor %}')).toBe('alice carol ');
    expect(r('{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}')).toBe('3 7 ');
  });

  it('Ansible-style item templates', () => {
    const t = '{% for item in members %}{{ item.name }}={{ item.url }}{% if not loop.last %},{% endif %}{% endfor %}';
    const members = [
      { name: 'e1', url: 'https://10.0.0.1:2380' },
      { name: 'e2', url: 'https://10.0.0.2:2380' },
    ];
    expect(r(t, { members })).toBe('e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380');
    expect(renderString('{{ item.name }}={{ item.url }}', { item: members[0] })).toBe('e1=https://10.0.0.1:2380');
  });
});

describe('set', () => {
  it('assigns in the template scope', () => {
    expect(r('{% set x = port + 1 %}{{ x }}')).toBe('2380');
    expect(r('{% set a, b = [1, 2] %}{{ b }}{{ a }}')).toBe('21');
    expect(r('{% set block %}in{{ port }}{% endset %}[{{ block }}]')).toBe('[in2379]');
  });

  it('does not leak out of a for loop', () => {
    expect(r('{% set x = 1 %}{% for i in items %}{% set x = 2 %}{% endfor %}{{ x }}')).toBe('1');
  });
});

describe('whitespace', () => {
  it('trim_blocks removes the newline after a block tag', () => {
    expect(r('{% if flag %}\nyes\n{% endif %}\nend')).toBe('yes\nend');
    expect(r('{% for i in items %}\n{{ i }}\n{% endfor %}\n')).toBe('a\nb\nc\n');
  });

  it('dash modifiers strip whitespace', () => {
    expect(r('a   {%- if flag %} b {% endif -%}   c')).toBe('a b c');
    expect(r('[  {{- port -}}  ]')).toBe('[2379]');
    expect(r('x {#- note -#} y')).toBe('xy');
  });

  it('variable tags keep the newline', () => {
    expect(r('{{ port }}\n')).toBe('2379\n');
  });
});

describe('comments and raw', () => {
  it('comments are dropped', () => {
    expect(r('a{# hidden {{ x }} #}b')).toBe('ab');
  });

  it('raw blocks are verbatim', () => {
    expect(r('{% raw %}{{ not parsed }}{% endraw %}')).toBe('{{ not parsed }}');
  });

  it('strings may contain closing markers', () => {
    expect(r("{{ '}}' ~ '%}' }}")).toBe('}}%}');
    expect(r("{{ {'a': {'b': 1}} }}")).toBe("{'a': {'b': 1}}");
  });
});
