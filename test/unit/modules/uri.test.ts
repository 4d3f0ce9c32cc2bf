// The pure parts of the built-in uri: the curl config (quoting, where secrets go), the parse
// of the script's output, and the values Ansible derives from a response.
import { describe, expect, it } from 'vitest';
import {
  configString,
  curlConfig,
  formUrlencoded,
  parseOutcome,
  pythonJson,
  requestCommand,
  type HttpRequest,
} from '../../../src/modules/builtin/uri/request.js';
import {
  absoluteLocation,
  contentDispositionName,
  cookiesOf,
  isJsonType,
  lastResponse,
} from '../../../src/modules/builtin/uri/response.js';

const REQ: HttpRequest = {
  url: 'https://hooks.example/T0KEN?x=1',
  method: 'POST',
  body: '{"text": "say \\"hi\\"\n"}',
  headers: ['X-Token: s3cret'],
  auth: { user: 'bot', password: 'pa"ss\\word', force: true },
  follow: false,
  timeoutSec: 30,
  validateCerts: true,
  useProxy: true,
  agent: 'ansible-httpget',
};

describe('uri: the request', () => {
  it("quotes config values with curl's escapes", () => {
    expect(configString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
  });

  it('puts the URL, headers, credentials and body in the config on stdin, none of them in argv', () => {
    const call = requestCommand(REQ, { marker: '--m--', showBody: 'always' });
    const argv = call.argv.join(' ');
    for (const secret of ['T0KEN', 's3cret', 'pa"ss', 'say']) {
      expect(argv).not.toContain(secret);
      expect(call.stdin).toContain(secret.replace(/"/g, '\\"'));
    }
    expect(call.stdin).toContain('data-raw = "{\\"text\\": \\"say \\\\\\"hi\\\\\\"\\n\\"}"');
    expect(call.stdin).toContain('basic\nuser = "bot:pa\\"ss\\\\word"');
    expect(call.stdin).toContain('header = "Connection: close"');
  });

  it('states the method only where curl would not infer it; HEAD is --head; anyauth unless forced', () => {
    expect(curlConfig({ ...REQ, body: undefined, method: 'GET' })).not.toMatch(/^request/m);
    expect(curlConfig(REQ)).not.toMatch(/^request/m);
    expect(curlConfig({ ...REQ, method: 'PUT' })).toMatch(/^request = "PUT"$/m);
    expect(curlConfig({ ...REQ, body: undefined, method: 'DELETE' })).toMatch(/^request = "DELETE"$/m);
    expect(curlConfig({ ...REQ, body: undefined, method: 'HEAD' })).toMatch(/^head$/m);
    expect(curlConfig({ ...REQ, auth: { user: 'u', password: 'p', force: false } })).toMatch(/^anyauth$/m);
    expect(curlConfig({ ...REQ, follow: true })).toMatch(/^location$/m);
    expect(curlConfig({ ...REQ, validateCerts: false, caPath: '/ca.pem' })).toMatch(/^insecure\ncacert = "\/ca.pem"$/m);
  });

  it('encodes bodies as Ansible does (json.dumps separators, urlencode doseq)', () => {
    expect(pythonJson({ text: 'run ✓', n: 1, l: [true, null] })).toBe('{"text": "run \\u2713", "n": 1, "l": [true, null]}');
    expect(formUrlencoded({ a: 1, b: 'x y&z', c: [1, 2], d: null, e: true })).toBe('a=1&b=x+y%26z&c=1&c=2&e=True');
    expect(
      formUrlencoded([
        ['k', 'v'],
        ['k', 'w'],
      ]),
    ).toBe('k=v&k=w');
    expect(formUrlencoded('as=is')).toBe('as=is');
  });
});

describe('uri: the response', () => {
  const dump =
    'HTTP/1.1 302 Found\r\nLocation: /next\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2\r\n\r\n';

  it('reads the last response of a redirect chain', () => {
    const r = lastResponse(dump);
    expect(r.reason).toBe('OK');
    expect(r.headers).toEqual([
      ['content-type', 'application/json; charset=utf-8'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2'],
    ]);
    expect(cookiesOf(r.headers)).toEqual({ cookies: { a: '1', b: '2' }, text: 'a=1; b=2' });
  });

  it("parses the script's output; a body holding the marker's neighbours stays whole", () => {
    const out = `rb-uri=done\nrc=0\nwo=200 1 http://h/next\n--m--\n${dump}\n--m--\n{"x":"rc=1\\n"}`;
    const o = parseOutcome(out, '--m--');
    expect(o?.kind).toBe('done');
    if (o?.kind !== 'done') return;
    expect(o.response).toMatchObject({
      rc: 0,
      status: 200,
      redirects: 1,
      effectiveUrl: 'http://h/next',
      body: '{"x":"rc=1\\n"}',
      destIsDir: false,
    });
    expect(parseOutcome('rb-uri=no-curl\n', '--m--')).toEqual({ kind: 'no-curl' });
    expect(parseOutcome('garbage', '--m--')).toBeUndefined();
  });

  it('detects JSON, resolves Location, names a download as Ansible does', () => {
    expect(isJsonType('application/json')).toBe(true);
    expect(isJsonType('application/problem+json; charset=utf-8')).toBe(true);
    expect(isJsonType('text/javascript')).toBe(true);
    expect(isJsonType('text/plain')).toBe(false);
    expect(isJsonType(undefined)).toBe(false);
    expect(absoluteLocation('http://h:8/a/b', '/c')).toBe('http://h:8/c');
    expect(absoluteLocation('http://h:8/a/b', 'c')).toBe('http://h:8/a/c');
    expect(absoluteLocation('http://h:8/a/b', 'https://o/x')).toBe('https://o/x');
    expect(contentDispositionName([['content-disposition', 'attachment; filename="../db.snap"']])).toBe('db.snap');
    expect(contentDispositionName([])).toBeUndefined();
  });
});
