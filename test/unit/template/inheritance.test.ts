// Jinja's template-file statements ({% extends %}/{% block %}/super(), {% include %}, {% macro %})
// through a loader, as the template module and lookup('template') give one. The expected texts
// are what Jinja 3.1 (Ansible's engine, trim_blocks and keep_trailing_newline on) renders for the
// same files, checked with python3-jinja2 when this was written.
import { describe, expect, it } from 'vitest';
import { renderFile, renderString } from '../../../src/template/index.js';

const FILES: Record<string, string> = {
  'base.j2':
    "head {{ title }}\n{% block body %}base body{% endblock %}\n{% block foot -%}\nbase foot\n{%- endblock foot %}\n{% include 'part.j2' %}\n",
  'mid.j2': "{% extends 'base.j2' %}\n{% set title = 'mid' %}\nignored text\n{% block body %}mid[{{ super() }}]{% endblock %}\n",
  'child.j2':
    '{% extends "mid.j2" %}\n{% block body %}child({{ super() }}) {% for x in xs %}{% include \'item.j2\' %}{% endfor %}{% endblock %}\n',
  'part.j2': 'part {{ title }}\n',
  'item.j2': '<{{ x }}>',
  'macro.j2':
    "{% macro row(k, v='-', sep=': ') -%}\n{{ k }}{{ sep }}{{ v }}\n{%- endmacro %}\n{{ row('a', 1) }}\n{{ row('b') }}\n{{ row('c', sep='=', v=3) }}\n{% include ['missing.j2', 'part.j2'] %}\n{% include 'nope.j2' ignore missing %}\nend\n",
  'self.j2': "{% include 'self.j2' %}",
};
const loader = (name: string): string | undefined => FILES[name];
const render = (name: string): string => renderFile(FILES[name]!, { title: 'T', xs: [1, 2] }, loader);

describe('template inheritance, includes and macros (as Jinja renders them)', () => {
  it('extends two levels: the most derived block wins, super() reaches up, the child sets are seen, its other text is not', () => {
    expect(render('child.j2')).toBe('head mid\nchild(mid[base body]) <1><2>base footpart mid\n');
  });
  it('a block in a template that extends nothing renders in place (geerlingguy.nginx vhost.j2)', () => {
    expect(render('base.j2')).toBe('head T\nbase bodybase footpart T\n');
  });
  it('macros with defaults and keywords; include of a list takes the first that exists; ignore missing', () => {
    expect(render('macro.j2')).toBe('a: 1\nb: -\nc=3\npart T\nend\n');
  });
  it('an undefined argument reaches a macro as Undefined: `is defined` inside decides (ansible-sshd passes sshd_Include so)', () => {
    const t = '{% macro opt(k, v) %}{% if v is defined %}{{ k }}={{ v }}{% else %}{{ k }} unset{% endif %}{% endmacro %}';
    expect(renderFile(`${t}{{ opt('a', nope) }} {{ opt('b', 1) }} {{ opt('c', v=nope2) }}`, {}, loader)).toBe('a unset b=1 c unset');
    // used inside the macro, it is the usual error; a function that is not a macro still refuses it
    expect(() => renderFile('{% macro m(v) %}{{ v }}{% endmacro %}{{ m(nope) }}', {}, loader)).toThrow(/'nope' is undefined/);
    expect(() => renderFile('{{ range(nope) }}', {}, loader)).toThrow(/'nope' is undefined/);
  });
  it('a missing include or parent is an error naming it; a template including itself ends with an error', () => {
    expect(() => renderFile("{% include 'gone.j2' %}", {}, loader)).toThrow(/template not found: 'gone.j2'/);
    expect(() => renderFile("{% extends 'gone.j2' %}", {}, loader)).toThrow(/template not found: 'gone.j2' \(in \{% extends %\}\)/);
    expect(() => render('self.j2')).toThrow(/nested more than 200 deep/);
  });
  it('outside a template file (a task value) include says where it works', () => {
    expect(() => renderString("{% include 'x.j2' %}", {})).toThrow(/work in template files/);
  });
  it('endblock naming another block is a syntax error', () => {
    expect(() => renderFile('{% block a %}x{% endblock b %}', {}, loader)).toThrow(/'endblock' names 'b', expected 'a'/);
  });
});
