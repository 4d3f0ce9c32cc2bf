import { describe, expect, it } from 'vitest';
import { checkExpressionSyntax, checkSyntax, evaluate, render, TemplateError } from '../../../src/template/index.js';
import { scope, templateError } from './helpers.js';

describe('strict undefined', () => {
  it('names the missing variable', () => {
    const e = templateError(() => render('{{ foo }}', scope));
    expect(e.kind).toBe('undefined');
    expect(e.message).toBe("'foo' is undefined");
    expect(e.variable).toBe('foo');
  });

  it('names the missing attribute with its dotted path', () => {
    const e = templateError(() => render('{{ etcd.port }}', { etcd: { host: 'x' } }));
    expect(e.kind).toBe('undefined');
    expect(e.message).toBe("'dict object' has no attribute 'port'");
    expect(e.variable).toBe('etcd.port');
  });

  it('missing list elements and attributes of None', () => {
    expect(templateError(() => evaluate('items[7]', scope)).message).toBe('list object has no element 7');
    expect(templateError(() => evaluate('nothing.x', scope)).message).toBe("'None' has no attribute 'x'");
  });

  it('inside a larger string and inside statements', () => {
    expect(templateError(() => render('a {{ nope }} b', scope)).variable).toBe('nope');
    expect(templateError(() => render('{% if nope %}x{% endif %}', scope)).kind).toBe('undefined');
    expect(templateError(() => render('{% for x in nope %}{% endfor %}', scope)).kind).toBe('undefined');
  });

  it('is a TemplateError and an Error', () => {
    const e = templateError(() => render('{{ foo }}', scope));
    expect(e).toBeInstanceOf(TemplateError);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('syntax errors', () => {
  it('unexpected closing brace', () => {
    const e = templateError(() => render('{{ foo }', scope));
    expect(e.kind).toBe('syntax');
    expect(e.message).toContain("unexpected '}'");
    expect(e.offset).toBe(7);
  });

  it('unclosed tags', () => {
    const e = templateError(() => render('ab {{ foo', scope));
    expect(e.message).toBe("unclosed '{{'");
    expect(e.offset).toBe(3);
    expect(templateError(() => render('{% if x', scope)).message).toBe("unclosed '{%'");
  });

  it('missing end tags', () => {
    const e = templateError(() => render('x{% if flag %}y', scope));
    expect(e.kind).toBe('syntax');
    expect(e.message).toContain("expected 'endif'");
    expect(templateError(() => render('{% for i in items %}', scope)).message).toContain("expected 'endfor'");
  });

  it('bad tags and expressions', () => {
    expect(templateError(() => render('{% endif %}', scope)).message).toBe("unexpected 'endif'");
    expect(templateError(() => render('{% call m() %}{% endcall %}', scope)).message).toBe("unknown tag 'call'");
    expect(templateError(() => render('{{ 1 + }}', scope)).message).toContain("unexpected '}}'");
    expect(templateError(() => render('{{ }}', scope)).kind).toBe('syntax');
    expect(templateError(() => evaluate('a +', scope)).message).toContain('unexpected end of expression');
    expect(templateError(() => evaluate('a b', scope)).offset).toBe(2);
  });

  it('messages are one line', () => {
    const e = templateError(() => render('{% if %}', scope));
    expect(e.message).not.toContain('\n');
  });
});

describe('checkSyntax / checkExpressionSyntax', () => {
  it('accepts valid text', () => {
    expect(checkSyntax('a {{ b | default(1) }} {% if c %}d{% endif %}')).toEqual({ ok: true });
    expect(checkExpressionSyntax("result.rc != 0 and 'not found' in result.stderr")).toEqual({ ok: true });
    expect(checkExpressionSyntax('{{ result.rc }} == 0')).toEqual({ ok: true });
    expect(checkExpressionSyntax('{{ result.rc }')).toMatchObject({ ok: false, offset: 13 });
  });

  it('reports message and offset', () => {
    expect(checkSyntax('ab {{ x }')).toEqual({ ok: false, message: "unexpected '}'", offset: 8 });
    const r = checkExpressionSyntax('a ==');
    expect(r.ok).toBe(false);
    expect(checkExpressionSyntax('')).toMatchObject({ ok: false, offset: 0 });
  });

  it('flags unknown filters and tests', () => {
    expect(checkSyntax('{{ x | nofilter }}')).toEqual({ ok: false, message: "no filter named 'nofilter'", offset: 7 });
    expect(checkExpressionSyntax('x is frob')).toEqual({ ok: false, message: "no test named 'frob'", offset: 5 });
  });
});

describe('errors from callables', () => {
  it('templateFunction errors become kind call', async () => {
    const { templateFunction } = await import('../../../src/template/index.js');
    const boom = templateFunction(() => {
      throw new Error('lookup plugin is broken');
    });
    const e = templateError(() => render("{{ lookup('x') }}", { lookup: boom }));
    expect(e.kind).toBe('call');
    expect(e.message).toContain('lookup plugin is broken');
  });

  it('calling a non-function', () => {
    expect(templateError(() => evaluate('port()', scope)).kind).toBe('call');
  });
});
