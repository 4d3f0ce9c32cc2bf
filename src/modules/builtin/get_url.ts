// ansible.builtin.get_url: the file at dest holds what url serves (verified by checksum when
// given), with mode/owner/group. The host downloads it itself (curl, else wget) into a temp file
// beside dest, checks the digest, and renames it into place: a failed or wrong download never
// replaces dest. An existing dest whose checksum matches is left alone; one without a checksum
// is downloaded again only when the server says it changed since dest's mtime (If-Modified-Since,
// as Ansible 2.14's get_url: 304 leaves it, 200 replaces it when the content differs). check()
// asks the server with a HEAD request (Ansible's check mode does too) and downloads nothing.
import { dirname, join } from 'node:path';
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { GetUrlArgs } from '../generated/args.js';
import { modeArg } from '../support/mode.js';
import { execOpts, factOpts } from '../support/exec.js';
import { attrChanges, backupName, fileFacts, pathInfo, setAttrs, writeMode, type FileFacts, type WantedAttrs } from '../support/files.js';
import {
  checkDigest,
  checkUrl,
  digestFromSums,
  downloadCommand,
  downloadFailure,
  FETCH_TEXT,
  HEAD_STATUS,
  headerLines,
  httpDate,
  httpError,
  isHttp,
  parseHeadStatus,
  parseChecksum,
  parseDownloadReport,
  urlFilename,
  type ChecksumSpec,
} from '../support/download.js';

interface Settings {
  readonly url: string;
  readonly checksum?: ChecksumSpec | undefined;
  /** `checksum: <algorithm>:<url of a checksum file>`: fetched by the host in check() */
  readonly sums?: { readonly algorithm: string; readonly sumsUrl: string };
  readonly want: WantedAttrs;
  readonly timeoutSec: number;
  readonly validateCerts: boolean;
  readonly useProxy: boolean;
  readonly agent: string;
  readonly headers: readonly string[];
  readonly backup: boolean;
}

interface Plan {
  readonly s: Settings;
  readonly dest: string;
  readonly facts: FileFacts;
  /** only the attributes differ: no download */
  readonly attrsOnly: boolean;
  /** dest's mtime as an HTTP date: the download is conditional (not forced, no checksum) */
  readonly since?: string;
}

function settings(args: GetUrlArgs): Settings | { error: string } {
  const url = args.url;
  if (url === undefined || url === '') return { error: 'url is required' };
  const urlError = checkUrl(url);
  if (urlError) return { error: urlError };
  const parsed = parseChecksum(args.checksum);
  if (parsed && 'error' in parsed) return parsed;
  const checksum = parsed && 'digest' in parsed ? parsed : undefined;
  const sums = parsed && 'sumsUrl' in parsed ? parsed : undefined;
  const user = args.url_username ?? args.username;
  const headers = headerLines(args.headers, { user, password: args.url_password ?? args.password });
  if ('error' in headers) return headers;
  try {
    const timeoutSec = args.timeout;
    if (!Number.isInteger(timeoutSec) || timeoutSec <= 0)
      return { error: `timeout must be a whole number of seconds above 0, not ${timeoutSec}` };
    // force_basic_auth: the Authorization header is always sent with the first request
    const { mode, symbolic } = modeArg(args.mode);
    const owner = args.owner;
    const group = args.group;
    return {
      url,
      checksum,
      ...(sums ? { sums } : {}),
      want: {
        ...(mode !== undefined ? { mode } : {}),
        ...(symbolic !== undefined ? { symbolic } : {}),
        ...(owner !== undefined ? { owner } : {}),
        ...(group !== undefined ? { group } : {}),
      },
      timeoutSec,
      validateCerts: args.validate_certs,
      useProxy: args.use_proxy,
      agent: args.http_agent ?? 'ansible-httpget',
      headers,
      backup: args.backup,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The file's digest with `<algorithm>sum` on the host. */
async function hostDigest(ctx: ModuleContext, algorithm: string, path: string): Promise<string> {
  const r = await ctx.conn.exec([`${algorithm}sum`, '--', path], factOpts(ctx));
  if (r.rc !== 0) throw new Error(`${algorithm}sum ${path} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim().split(/\s+/)[0] ?? '';
}

/**
 * One request the host makes with a script of support/download.ts (FETCH_TEXT, HEAD_STATUS): the
 * URL, the task's timeout, certificate, proxy and agent settings, the header lines on stdin.
 */
function requestOnHost(ctx: ModuleContext, s: Settings, script: string, url: string, ...more: string[]) {
  const argv = ['/bin/sh', '-c', script, 'sh', url, String(s.timeoutSec), s.validateCerts ? '' : '1', s.useProxy ? '' : '1', s.agent];
  const stdin = s.headers.length ? { stdin: s.headers.join('\n') + '\n' } : {};
  return ctx.conn.exec([...argv, s.headers.length ? '1' : '', ...more], execOpts(ctx, { env: { LC_ALL: 'C' }, ...stdin }));
}

/**
 * The digest for the URL's file from a checksum file the host fetches, as Ansible's get_url
 * does (also in check mode); the request gets the same headers, proxy and certificate settings.
 */
async function checksumFromFile(
  ctx: ModuleContext,
  s: Settings,
  sums: { algorithm: string; sumsUrl: string },
): Promise<Settings | { error: string }> {
  const r = await requestOnHost(ctx, s, FETCH_TEXT, sums.sumsUrl);
  if (r.rc !== 0) return { error: `Request failed: ${r.stderr.trim().split('\n').pop() || `exit ${r.rc}`} (${sums.sumsUrl})` };
  const filename = urlFilename(s.url);
  const found = digestFromSums(r.stdout, filename);
  if (found === undefined) return { error: `Unable to find a checksum for file '${filename}' in '${sums.sumsUrl}'` };
  const checksum = checkDigest(sums.algorithm, found);
  if ('error' in checksum) return checksum;
  const { sums: _done, ...rest } = s;
  return { ...rest, checksum };
}

/**
 * A HEAD request from the host (nothing written there): the status, or the failure Ansible's
 * url_get reports. 304 is an answer (not modified), not a failure.
 */
async function head(
  ctx: ModuleContext,
  s: Settings,
  since: string | undefined,
): Promise<{ status: number; length?: number } | { error: string; data: Record<string, unknown> }> {
  const r = await requestOnHost(ctx, s, HEAD_STATUS, s.url, since ?? '');
  const got = parseHeadStatus(r.stdout);
  if (got.status === 304 || got.status === 200) return { status: got.status, ...(got.length !== undefined ? { length: got.length } : {}) };
  const why = downloadFailure({ tool: r.rc === 127 ? '' : 'curl', ...got }, s.url, ctx.host, r.stderr);
  return why ? { error: why.msg, data: why.data } : { error: `Request failed: no HTTP response from ${s.url}`, data: { url: s.url } };
}

const getUrl: Module<GetUrlArgs, Plan> = {
  name: 'get_url',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const given = settings(args);
    if ('error' in given) return { kind: 'failed', result: failed(given.error) };
    const resolved = given.sums ? await checksumFromFile(ctx, given, given.sums) : given;
    if ('error' in resolved) return { kind: 'failed', result: failed(resolved.error, { data: { url: given.url } }) };
    const s = resolved;
    const destArg = args.dest;
    if (destArg === undefined || destArg === '') return { kind: 'failed', result: failed('dest is required') };
    let dest = destArg;
    let facts = await fileFacts(ctx, dest, { follow: true, checksum: true });
    // a directory receives the URL's file name and always downloads (force has no effect)
    const intoDir = facts.type === 'directory' || (!facts.exists && destArg.endsWith('/'));
    if (intoDir) {
      // a missing dest/ goes on with the URL's file name: its parent is missing, so the download
      // below is `pending` (an earlier task may create the directory)
      dest = join(dest, urlFilename(s.url));
      if (facts.exists) facts = await fileFacts(ctx, dest, { follow: true, checksum: true });
    }
    const force = intoDir || args.force;
    const base = { url: s.url, dest, elapsed: 0 };
    if (facts.exists && facts.type !== 'file')
      return { kind: 'failed', result: failed(`dest '${dest}' exists and is not a regular file`, { data: base }) };
    const refused = (h: { error: string; data: Record<string, unknown> }): Prediction<Plan> => ({
      kind: 'failed',
      result: failed(h.error, { data: { ...base, ...h.data } }),
    });
    // check mode asks the server (HEAD) as Ansible's get_url does: a URL that fails, fails here too
    const failsInCheck = async (): Promise<Prediction<Plan> | undefined> => {
      if (!ctx.checkMode || !isHttp(s.url)) return undefined;
      const h = await head(ctx, s, undefined);
      return 'error' in h ? refused(h) : undefined;
    };
    if (!facts.exists) {
      const parent = await fileFacts(ctx, dirname(dest), { follow: true });
      const download = { kind: 'change', summary: `download ${s.url} to ${dest}`, plan: { s, dest, facts, attrsOnly: false } } as const;
      if (parent.type === 'directory') return (await failsInCheck()) ?? download;
      const failure = failed(`Destination ${dirname(dest)} does not exist`, { data: base });
      // in a plan an earlier task may be about to create the directory: predict, do not fail
      return parent.exists ? { kind: 'failed', result: failure } : { kind: 'pending', inPlan: download, failure };
    }
    const digest = s.checksum ? await hostDigest(ctx, s.checksum.algorithm, dest) : undefined;
    const matches = s.checksum !== undefined && digest === s.checksum.digest;
    // not forced, no checksum: the server decides (If-Modified-Since dest's mtime; a 304 leaves dest)
    const since = !force && s.checksum === undefined && isHttp(s.url) && facts.mtime !== undefined ? httpDate(facts.mtime) : undefined;
    // (ftp and file URLs have no such question: Ansible fetches them again, replaced when they differ)
    let notModified = false;
    if (since !== undefined) {
      const h = await head(ctx, s, since);
      if ('error' in h) return refused(h);
      if (h.status === 304 && attrChanges(facts, s.want).length === 0)
        return { kind: 'unchanged', result: ok({ msg: httpError(304), data: { url: s.url, dest, elapsed: 0, status_code: 304 } }) };
      notModified = h.status === 304;
    }
    if (matches || notModified) {
      // dest already holds the file: only its attributes may need a change
      const attrs = attrChanges(facts, s.want);
      const data = { ...base, checksum_dest: null, checksum_src: null, ...pathInfo(facts) };
      if (attrs.length === 0) return { kind: 'unchanged', result: ok({ msg: 'file already exists', data }) };
      return { kind: 'change', summary: `set ${attrs.join(', ')} on ${dest}`, plan: { s, dest, facts, attrsOnly: true } };
    }
    const why = s.checksum ? `its ${s.checksum.algorithm} checksum differs` : 'replaced only if the content differs';
    const failing = since === undefined ? await failsInCheck() : undefined;
    if (failing) return failing;
    return {
      kind: 'change',
      summary: `download ${s.url} to ${dest} (${why})`,
      plan: { s, dest, facts, attrsOnly: false, ...(since ? { since } : {}) },
    };
  },

  async apply(ctx, _args, prediction): Promise<ModuleResult> {
    const { s, dest, facts } = prediction.plan;
    const base = { url: s.url, dest };
    if (prediction.plan.attrsOnly) {
      const err = await setAttrs(ctx, dest, facts, s.want);
      if (err) return failed(err, { data: base });
      const after = await fileFacts(ctx, dest, { follow: true });
      return changed({
        msg: 'file already exists but file attributes changed',
        data: { ...base, elapsed: 0, checksum_dest: null, checksum_src: null, ...pathInfo(after) },
      });
    }
    const backupPath = s.backup && facts.exists ? backupName(dest) : undefined;
    const ownerSpec =
      s.want.owner !== undefined || s.want.group !== undefined
        ? `${s.want.owner ?? ''}${s.want.group !== undefined ? ':' + s.want.group : ''}`
        : undefined;
    const cmd = downloadCommand({
      url: s.url,
      dest,
      timeoutSec: s.timeoutSec,
      validateCerts: s.validateCerts,
      useProxy: s.useProxy,
      agent: s.agent,
      headers: s.headers,
      checksum: s.checksum,
      beforeSha1: facts.checksum,
      // a symbolic mode applies to the file's mode before the download (0644 when new), as Ansible's
      mode: s.want.symbolic !== undefined ? writeMode(facts, s.want) : s.want.mode,
      ownerSpec,
      backupPath,
      ifModifiedSince: prediction.plan.since,
    });
    const started = Date.now();
    const r = await ctx.conn.exec(cmd.argv, execOpts(ctx, { stdin: cmd.stdin, env: { LC_ALL: 'C' } }));
    const elapsed = Math.round((Date.now() - started) / 1000);
    const data = { ...base, elapsed };
    if (r.interrupted) return failed('interrupted: the download was killed (Ctrl-C)', { data });
    if (r.timedOut) return failed(`the download of ${s.url} timed out after ${elapsed} s (task timeout) and was killed`, { data });
    if (r.rc === 3) return failed(`cannot create a temporary file beside ${dest}: ${r.stderr.trim()}`, { data });
    const report = parseDownloadReport(r.stdout);
    if (report.result === 'notmodified') return ok({ msg: httpError(304), data: { ...data, status_code: 304 } });
    const why = downloadFailure(report, s.url, ctx.host, r.stderr);
    if (why) return failed(why.msg, { data: { ...data, ...why.data } });
    if (r.rc === 4) return failed(`failed to put the download in place at ${dest}: ${r.stderr.trim()}`, { data });
    const sums = {
      checksum_src: report.sha1 ?? null,
      checksum_dest: facts.checksum ?? null,
      ...(report.md5 ? { md5sum: report.md5 } : {}),
    };
    if (report.result === 'mismatch') {
      const wanted = s.checksum!;
      return failed(
        `The checksum for ${s.url} did not match ${wanted.digest}; it was ${report.digest ?? '?'} (${wanted.algorithm}). ${dest} was left as it was.`,
        { data: { ...data, ...sums } },
      );
    }
    if (report.result !== 'moved' && report.result !== 'same') {
      return failed(`get_url: unexpected output from the download of ${s.url}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`, { data });
    }
    const msg = `OK (${report.size ?? 'unknown'} bytes)`;
    let didChange = report.result === 'moved';
    if (report.result === 'same' && attrChanges(facts, s.want).length > 0) {
      const err = await setAttrs(ctx, dest, facts, s.want);
      if (err) return failed(err, { data });
      didChange = true;
    }
    const after = await fileFacts(ctx, dest, { follow: true });
    const backup = backupPath !== undefined && report.result === 'moved' ? { backup_file: backupPath } : {};
    const result = { msg, data: { ...data, ...sums, status_code: report.status ? report.status : null, ...pathInfo(after), ...backup } };
    return didChange ? changed(result) : ok(result);
  },
};

export default getUrl;
