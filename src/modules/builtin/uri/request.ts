// HTTP requests made on the host with curl (the uri module): the request as a curl config
// fed on stdin, so the URL, headers, credentials and body never appear on a command line or
// in the host's process list; the one script that runs it; and the parse of what came back
// (status line, response headers, body) into the values Ansible's uri registers.
import { lastResponse } from './response.js';

export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  /** the body as text (already JSON- or form-encoded) */
  readonly body?: string | undefined;
  /** a file on the host sent as the body (uri's src with remote_src) */
  readonly bodyFile?: string | undefined;
  /** `Name: value` lines */
  readonly headers: readonly string[];
  readonly auth?: { readonly user: string; readonly password: string; readonly force: boolean } | undefined;
  readonly follow: boolean;
  readonly timeoutSec: number;
  readonly validateCerts: boolean;
  readonly useProxy: boolean;
  readonly agent: string;
  readonly caPath?: string | undefined;
  readonly clientCert?: string | undefined;
  readonly clientKey?: string | undefined;
  readonly unixSocket?: string | undefined;
}

/** A curl config string: quoted, with curl's escapes for backslash, quote and control characters. */
export function configString(v: string): string {
  return (
    '"' + v.replace(/[\\"\t\n\r\v]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\v': '\\v' })[c]!) + '"'
  );
}

/** The request as a curl config file (read with `curl --config -`). */
export function curlConfig(r: HttpRequest): string {
  const lines: string[] = [];
  const opt = (name: string, value?: string): void => {
    lines.push(value === undefined ? name : `${name} = ${configString(value)}`);
  };
  opt('url', r.url);
  const inferred = r.body !== undefined || r.bodyFile !== undefined ? 'POST' : 'GET';
  if (r.method === 'HEAD') opt('head');
  else if (r.method !== inferred) opt('request', r.method);
  for (const h of r.headers) opt('header', h);
  // urllib (Ansible's client) asks for one request a connection; servers answer accordingly
  if (!r.headers.some((h) => /^connection\s*:/i.test(h))) opt('header', 'Connection: close');
  if (r.auth) {
    opt(r.auth.force ? 'basic' : 'anyauth');
    opt('user', `${r.auth.user}:${r.auth.password}`);
  }
  // --data-raw sends the text as it is (no @file, no newline stripping)
  if (r.body !== undefined) opt('data-raw', r.body);
  else if (r.bodyFile !== undefined) opt('data-binary', `@${r.bodyFile}`);
  if (r.follow) {
    opt('location');
    opt('max-redirs', '10');
  }
  opt('connect-timeout', String(r.timeoutSec));
  // no byte for `timeout` seconds (a socket timeout, as Ansible's) ends the request
  opt('speed-time', String(r.timeoutSec));
  opt('speed-limit', '1');
  opt('user-agent', r.agent);
  if (!r.validateCerts) opt('insecure');
  if (!r.useProxy) opt('noproxy', '*');
  if (r.caPath !== undefined) opt('cacert', r.caPath);
  if (r.clientCert !== undefined) opt('cert', r.clientCert);
  if (r.clientKey !== undefined) opt('key', r.clientKey);
  if (r.unixSocket !== undefined) opt('unix-socket', r.unixSocket);
  return lines.join('\n') + '\n';
}

// $1 marker, $2 creates, $3 removes, $4 dest, $5 '1' to print the body, 'json' to print it only
// when a response says it is JSON (a download to dest); the curl config on stdin.
// Prints `rb-uri=<outcome>` first (creates, removes, no-curl, no-temp, done); when done:
// rc=, wo=<status> <redirects> <effective url>, dest-dir=1 when dest is a directory, body-file=
// (kept when dest is given, for the caller to move into place), then the marked header dump
// and body. A dest that is a file sends If-Modified-Since with its mtime, as Ansible does.
// --disable (first): the host user's ~/.curlrc does not change the request.
const SCRIPT = String.raw`m=$1 creates=$2 removes=$3 dest=$4 show=$5
if [ -n "$creates" ] && [ -e "$creates" ]; then echo rb-uri=creates; exit 0; fi
if [ -n "$removes" ] && [ ! -e "$removes" ]; then echo rb-uri=removes; exit 0; fi
command -v curl >/dev/null 2>&1 || { echo rb-uri=no-curl; exit 0; }
dir=${'$'}{TMPDIR:-/tmp} isdir=
if [ -n "$dest" ]; then if [ -d "$dest" ]; then dir=$dest isdir=1; else dir=$(dirname -- "$dest"); fi; fi
b=$(mktemp "$dir/.rb-uri.XXXXXX") || { echo rb-uri=no-temp; exit 0; }
h=$(mktemp) || { rm -f -- "$b"; echo rb-uri=no-temp; exit 0; }
if [ -n "$dest" ]; then trap 'rm -f -- "$h"' EXIT; else trap 'rm -f -- "$h" "$b"' EXIT; fi
trap 'rm -f -- "$h" "$b"; exit 130' HUP INT TERM
set --
if [ -n "$dest" ] && [ -f "$dest" ]; then set -- --header "If-Modified-Since: $(LC_ALL=C date -u -r "$dest" '+%a, %d %b %Y %H:%M:%S GMT')"; fi
wo=$(curl --disable --config - "$@" --silent --show-error --output "$b" --dump-header "$h" --write-out '%{http_code} %{num_redirects} %{url_effective}')
rc=$?
echo rb-uri=done
echo "rc=$rc"
echo "wo=$wo"
[ -z "$isdir" ] || echo dest-dir=1
[ -z "$dest" ] || echo "body-file=$b"
echo "$m"
cat -- "$h"
echo "$m"
case $show in 1) cat -- "$b";; json) grep -qi '^content-type:.*\(json\|javascript\)' "$h" && cat -- "$b";; esac
exit 0`;

export interface HostCall {
  readonly argv: string[];
  readonly stdin: string;
}

export function requestCommand(
  r: HttpRequest,
  o: {
    marker: string;
    creates?: string | undefined;
    removes?: string | undefined;
    dest?: string | undefined;
    showBody: 'always' | 'json' | 'never';
  },
): HostCall {
  return {
    argv: [
      '/bin/sh',
      '-c',
      SCRIPT,
      'sh',
      o.marker,
      o.creates ?? '',
      o.removes ?? '',
      o.dest ?? '',
      o.showBody === 'always' ? '1' : o.showBody === 'json' ? 'json' : '',
    ],
    stdin: curlConfig(r),
  };
}

export type HttpOutcome =
  { readonly kind: 'creates' | 'removes' | 'no-curl' | 'no-temp' } | { readonly kind: 'done'; readonly response: HttpResponse };

export interface HttpResponse {
  /** curl's exit code */
  readonly rc: number;
  /** the last response's status, 0 when there was none */
  readonly status: number;
  readonly reason: string;
  readonly redirects: number;
  readonly effectiveUrl: string;
  /** the last response's headers as [lower-case name, value], in order */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly destIsDir: boolean;
  readonly bodyFile?: string;
}

/** What the script printed; undefined when its output is not the script's. */
export function parseOutcome(stdout: string, marker: string): HttpOutcome | undefined {
  const first = /^rb-uri=([a-z-]+)\n/.exec(stdout);
  if (!first) return undefined;
  const kind = first[1]!;
  if (kind === 'creates' || kind === 'removes' || kind === 'no-curl' || kind === 'no-temp') return { kind };
  if (kind !== 'done') return undefined;
  const start = stdout.indexOf(`\n${marker}\n`);
  const mid = start < 0 ? -1 : stdout.indexOf(`\n${marker}\n`, start + marker.length + 2);
  if (start < 0) return undefined;
  const head = stdout.slice(0, start).split('\n');
  const kv = new Map<string, string>();
  for (const line of head) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const dump = mid < 0 ? stdout.slice(start + marker.length + 2) : stdout.slice(start + marker.length + 2, mid + 1);
  const body = mid < 0 ? '' : stdout.slice(mid + marker.length + 2);
  const wo = /^(\d{3})\s+(\d+)\s+(.*)$/.exec(kv.get('wo') ?? '');
  const last = lastResponse(dump);
  const bodyFile = kv.get('body-file');
  return {
    kind: 'done',
    response: {
      rc: Number(kv.get('rc') ?? '1'),
      status: wo ? Number(wo[1]) : 0,
      reason: last.reason,
      redirects: wo ? Number(wo[2]) : 0,
      effectiveUrl: wo ? wo[3]! : '',
      headers: last.headers,
      body,
      destIsDir: kv.get('dest-dir') === '1',
      ...(bodyFile ? { bodyFile } : {}),
    },
  };
}

/** Ansible's form_urlencoded: a mapping (or list of pairs) as Python's urlencode(doseq=True). */
export function formUrlencoded(body: unknown): string {
  if (typeof body === 'string') return body;
  const pairs: [string, unknown][] = Array.isArray(body)
    ? body.map((p) => (Array.isArray(p) ? [String(p[0]), p[1]] : [String(p), undefined]))
    : Object.entries((body ?? {}) as Record<string, unknown>);
  const out: string[] = [];
  for (const [k, v] of pairs) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (x === null || x === undefined) continue;
      out.push(`${quotePlus(k)}=${quotePlus(pyText(x))}`);
    }
  }
  return out.join('&');
}

/** Python's str() of a YAML value: True/False, numbers, text. */
function pyText(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** urllib.parse.quote_plus */
function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

export { pythonJson } from '../../../core/python-json.js';
