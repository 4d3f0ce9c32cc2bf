// ansible.builtin.uri: one HTTP(S) request sent from the host the task runs on (delegate_to:
// localhost sends it from the controller), with curl; the URL, headers, credentials and body
// reach curl on stdin as its config, never on a command line. The result is what Ansible 2.14
// registers. Nothing is predicted: outside check mode the request is the task (changed only
// when dest is written); in check mode it is not sent and the task is skipped, as Ansible's
// uri (no check-mode support) is; a plan counts a request that may change something (not a
// GET/HEAD, or with dest) as "cannot predict".
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changed, failed, ok, skipped, type ModuleResult } from '../../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../../types.js';
import type { UriArgs } from '../../generated/args.js';
import { parseMode } from '../../support/args.js';
import { execOpts } from '../../support/exec.js';
import { fileFacts, findControllerFile, lookedIn, pathInfo, searchDirs, setAttrs, type WantedAttrs } from '../../support/files.js';
import { headerLines } from '../../support/download.js';
import { formUrlencoded, parseOutcome, pythonJson, requestCommand, type HttpRequest, type HttpResponse } from './request.js';
import { absoluteLocation, contentDispositionName, cookiesOf, httpErrorText, isJsonType, pyList } from './response.js';
import { parseJsonKeepingFloats } from '../../../core/python-float.js';

interface Plan {
  readonly request: HttpRequest;
  readonly statusCodes: readonly number[];
  readonly returnContent: boolean;
  readonly dest?: string | undefined;
  readonly creates?: string | undefined;
  readonly removes?: string | undefined;
  readonly want: WantedAttrs;
}

const CHECK_MODE_MSG = 'remote module (ansible.legacy.uri) does not support check mode';

function statusCodes(v: unknown): number[] {
  const list = v === undefined || v === null ? [200] : Array.isArray(v) ? v : String(v).split(',');
  return list.map((x) => {
    const n = Number(String(x).trim());
    if (!Number.isInteger(n)) throw new Error(`status_code: '${String(x)}' is not a whole number`);
    return n;
  });
}

function hasHeader(lines: readonly string[], name: string): boolean {
  return lines.some((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name);
}

/** The request from the task's arguments; an error message for arguments Ansible refuses too. */
function plan(ctx: ModuleContext, args: UriArgs): Plan | { error: string } {
  const url = args.url ?? '';
  if (!/^https?:\/\/[^\s/]/i.test(url) || /[\s\x00-\x1f\x7f]/.test(url)) return { error: `url '${url}' is not an http or https URL` };
  const method = (args.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return { error: "Parameter 'method' needs to be a single word in uppercase, like GET or POST." };
  const format = (args.body_format ?? 'raw').toLowerCase();
  if (format === 'form-multipart')
    return { error: 'uri: body_format form-multipart is not built in (send a raw body with your own Content-Type)' };
  if (args.body !== undefined && args.src !== undefined) return { error: 'parameters are mutually exclusive: body|src' };
  const headers = headerLines(args.headers, {});
  if ('error' in headers) return headers;
  try {
    let body: string | undefined;
    let bodyFile: string | undefined;
    if (args.body !== undefined && args.body !== null) {
      if (format === 'json') body = typeof args.body === 'string' ? args.body : pythonJson(args.body);
      else if (format === 'form-urlencoded') body = formUrlencoded(args.body);
      else body = typeof args.body === 'string' ? args.body : pythonJson(args.body);
      const type = format === 'json' ? 'application/json' : format === 'form-urlencoded' ? 'application/x-www-form-urlencoded' : undefined;
      if (type && !hasHeader(headers, 'content-type')) headers.push(`Content-Type: ${type}`);
    }
    const src = args.src;
    if (src !== undefined && args.remote_src) bodyFile = src;
    else if (src !== undefined) {
      const dirs = searchDirs(ctx);
      const found = findControllerFile(dirs, src, 'files');
      if (!found) return { error: `Could not find or access '${src}' (looked in ${lookedIn(dirs, 'files')})` };
      const data = readFileSync(found);
      if (data.includes(0))
        return {
          error: `uri: src '${src}' is a binary file; only text is sent from the controller (put it on the host and set remote_src: true)`,
        };
      body = data.toString('utf8');
    }
    const follow = args.follow_redirects ?? 'safe';
    const user = args.url_username ?? args.user;
    const timeoutSec = args.timeout;
    if (!Number.isInteger(timeoutSec) || timeoutSec <= 0)
      return { error: `timeout must be a whole number of seconds above 0, not ${timeoutSec}` };
    const mode = parseMode(args.mode);
    return {
      request: {
        url,
        method,
        body,
        bodyFile,
        headers,
        auth:
          user !== undefined && user !== ''
            ? { user, password: args.url_password ?? args.password ?? '', force: args.force_basic_auth }
            : undefined,
        follow:
          follow === 'all' || follow === 'yes' || ((follow === 'safe' || follow === 'urllib2') && (method === 'GET' || method === 'HEAD')),
        timeoutSec,
        validateCerts: args.validate_certs,
        useProxy: args.use_proxy,
        agent: args.http_agent ?? 'ansible-httpget',
        caPath: args.ca_path,
        clientCert: args.client_cert,
        clientKey: args.client_key,
        unixSocket: args.unix_socket,
      },
      statusCodes: statusCodes(args.status_code),
      returnContent: args.return_content,
      dest: args.dest,
      creates: args.creates,
      removes: args.removes,
      want: {
        ...(mode !== undefined ? { mode } : {}),
        ...(args.owner !== undefined ? { owner: String(args.owner) } : {}),
        ...(args.group !== undefined ? { group: String(args.group) } : {}),
      },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n === name)?.[1];
}

/** The registered values of a response, before the status check (Ansible's uresp). */
function responseFields(p: Plan, res: HttpResponse, elapsed: number): Record<string, unknown> {
  const url = p.request.url;
  const success = res.status >= 200 && res.status < 300;
  const out: Record<string, unknown> = {};
  // the success path joins repeated headers with ", "; an HTTP error keeps the last one (Python's)
  for (const [name, value] of res.headers) {
    const key = name.replace(/-/g, '_');
    out[key] = success && typeof out[key] === 'string' ? `${String(out[key])}, ${value}` : value;
  }
  if (success) {
    const c = cookiesOf(res.headers);
    out['cookies_string'] = c.text;
    out['cookies'] = c.cookies;
  }
  const length = header(res, 'content-length');
  out['msg'] = success ? `OK (${length ?? 'unknown'} bytes)` : httpErrorText(res.status, res.reason);
  const finalUrl = res.redirects > 0 ? res.effectiveUrl : url;
  Object.assign(out, { url: finalUrl, status: res.status, redirected: finalUrl !== url, elapsed, changed: false });
  if (typeof out['location'] === 'string') out['location'] = absoluteLocation(finalUrl, out['location']);
  if (isJsonType(header(res, 'content-type')) && res.body !== '') {
    try {
      out['json'] = parseJsonKeepingFloats(res.body);
    } catch {
      // not JSON after all: Ansible registers no json then either
    }
  }
  return out;
}

/** Put the downloaded body in place at dest (atomic rename beside it); the final path or an error. */
async function placeBody(ctx: ModuleContext, p: Plan, res: HttpResponse): Promise<{ path: string } | { error: string }> {
  const dest = res.destIsDir ? join(p.dest!, contentDispositionName(res.headers) ?? 'index.html') : p.dest!;
  const script =
    'if [ -e "$2" ]; then chmod --reference="$2" -- "$1" 2>/dev/null; chown --reference="$2" -- "$1" 2>/dev/null; ' +
    'else chmod "$(printf %o $(( 0666 & ~$(umask) )))" -- "$1"; fi; mv -f -- "$1" "$2"';
  const r = await ctx.conn.exec(['/bin/sh', '-c', script, 'sh', res.bodyFile!, dest], execOpts(ctx));
  if (r.rc !== 0) return { error: `failed to copy ${res.bodyFile} to ${dest}: ${r.stderr.trim()}` };
  return { path: dest };
}

/** the registered values besides msg and changed, which the result's status and message carry */
function withoutMsg(fields: Record<string, unknown>): Record<string, unknown> {
  const { msg: _m, changed: _c, ...data } = fields;
  return data;
}

async function send(ctx: ModuleContext, p: Plan): Promise<ModuleResult> {
  const marker = `--rb-uri-${randomBytes(12).toString('hex')}--`;
  const head = p.request.method === 'HEAD';
  const call = requestCommand(p.request, {
    marker,
    creates: p.creates,
    removes: p.removes,
    dest: p.dest,
    showBody: head ? 'never' : p.dest === undefined || p.returnContent ? 'always' : 'json',
  });
  const started = Date.now();
  const r = await ctx.conn.exec(call.argv, execOpts(ctx, { stdin: call.stdin, env: { LC_ALL: 'C' } }));
  const elapsed = Math.floor((Date.now() - started) / 1000);
  const url = p.request.url;
  if (r.interrupted) return failed('interrupted: the request was killed (Ctrl-C)', { data: { url, elapsed } });
  if (r.timedOut) return failed(`the request to ${url} ran longer than the task timeout and was killed`, { data: { url, elapsed } });
  const outcome = parseOutcome(r.stdout, marker);
  if (!outcome)
    return failed(`uri: unexpected output from the request to ${url}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`, { data: { url } });
  switch (outcome.kind) {
    case 'creates':
      return ok({ stdout: `skipped, since '${p.creates}' exists` });
    case 'removes':
      return ok({ stdout: `skipped, since '${p.removes}' does not exist` });
    case 'no-curl':
      return failed(`curl is not installed on ${ctx.host}: the built-in uri sends its request with curl (install curl)`, {
        data: { url, status: -1 },
      });
    case 'no-temp':
      // before the request (Ansible sends it, then fails to write dest): nothing was sent
      return failed(
        `uri: cannot create a temporary file ${p.dest !== undefined ? `beside ${p.dest} (does its directory exist, writable?)` : `in $TMPDIR or /tmp on ${ctx.host}`}; the request was not sent`,
        { data: { url, status: -1 } },
      );
    case 'done':
      break;
  }
  const res = outcome.response;
  let fields: Record<string, unknown>;
  if (res.rc !== 0 || res.status === 0) {
    // curl's error is its `curl: (N) …` line (a certificate error adds lines of advice after it)
    const lines = r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const why = lines.find((l) => /^curl: \(\d+\)/.test(l)) ?? lines.pop() ?? `curl exited with ${res.rc}`;
    // a timeout in Ansible's words; other failures in curl's (Python's errno texts are not curl's)
    fields = {
      url,
      status: -1,
      redirected: false,
      elapsed,
      changed: false,
      msg: res.rc === 28 ? 'Connection failure: timed out' : `Request failed: ${why}`,
    };
  } else {
    fields = responseFields(p, res, elapsed);
  }
  const good = p.statusCodes.includes(Number(fields['status']));
  let didChange = false;
  if (res.bodyFile !== undefined) {
    if (good && res.status !== 304 && res.rc === 0) {
      const placed = await placeBody(ctx, p, res);
      if ('error' in placed) return failed(placed.error, { data: withoutMsg(fields) });
      const facts = await fileFacts(ctx, placed.path, { follow: true });
      const err = await setAttrs(ctx, placed.path, facts, p.want);
      if (err) return failed(err, { data: withoutMsg(fields) });
      Object.assign(fields, pathInfo(await fileFacts(ctx, placed.path, { follow: true })), { path: placed.path });
      didChange = true;
    } else {
      await ctx.conn.exec(['rm', '-f', '--', res.bodyFile], execOpts(ctx));
      fields['path'] = p.dest;
    }
  }
  const httpError = res.status > 0 && (res.status < 200 || res.status >= 300);
  // Ansible leaves an HTTP error's unread body in the result as `body` when it had no reason to read it
  if (httpError && res.rc === 0 && good && !p.returnContent && fields['json'] === undefined && !isJsonType(header(res, 'content-type')))
    fields['body'] = res.body;
  const content = p.returnContent ? { content: res.body } : {};
  const msg = fields['msg'];
  const data = withoutMsg(fields);
  if (!good)
    return failed(`Status code was ${String(fields['status'])} and not ${pyList(p.statusCodes)}: ${String(msg)}`, {
      data: { ...content, ...data },
    });
  const result = { msg: String(msg), data: { ...content, ...data } };
  return didChange ? changed(result) : ok(result);
}

const uri: Module<UriArgs, Plan> = {
  name: 'uri',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const p = plan(ctx, args);
    if ('error' in p) return { kind: 'failed', result: failed(p.error) };
    // the scheme and host only: a webhook URL's path is its secret, and the plan is shown and saved
    const m = /^([a-z]+:\/\/)(?:[^@/?#]*@)?([^/?#]*)/i.exec(p.request.url);
    const what = `${p.request.method} ${m ? `${m[1]}${m[2]}` : 'the URL'}/…`;
    // Ansible's uri contract: in check mode a GET/HEAD without dest is skipped with its message
    if (ctx.checkMode && (p.request.method === 'GET' || p.request.method === 'HEAD') && p.dest === undefined) {
      return { kind: 'decided', result: skipped(CHECK_MODE_MSG, { msg: CHECK_MODE_MSG }) };
    }
    return {
      kind: 'unknown',
      summary: `send ${what}${p.dest !== undefined ? ` into ${p.dest}` : ''}`,
      plan: p,
      checkFields: { msg: CHECK_MODE_MSG },
    };
  },
  apply(ctx, _args, prediction): Promise<ModuleResult> {
    return send(ctx, prediction.plan);
  },
};

export default uri;
