// Downloads on the host (get_url): the checksum spec, the file name a URL gives, the request
// headers, and the one script that fetches with curl (or wget), verifies and moves into place.
// Values reach the script as positional parameters and header lines on stdin, never spliced
// into the script text.
import { STATUS_CODES } from 'node:http';
import { table } from '../../core/table.js';

/** The digests coreutils can compute on the host (`<algorithm>sum`), by hex length. */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = table({
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
});

export interface ChecksumSpec {
  readonly algorithm: string;
  /** lower-case hex */
  readonly digest: string;
}

/**
 * Ansible's `checksum: <algorithm>:<hex>`: undefined when empty, an error message when
 * malformed. The digest is cleaned as Ansible does (non-word characters dropped, lower case).
 * A checksum given as the URL of a checksum file (`sha256:https://…/SHA256SUMS`) comes back as
 * `sumsUrl`: the host fetches it and digestFromSums() picks the line of the downloaded file.
 */
export function parseChecksum(
  spec: string | undefined,
): ChecksumSpec | { algorithm: string; sumsUrl: string } | { error: string } | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const at = spec.indexOf(':');
  if (at < 0) return { error: 'The checksum parameter has to be in format <algorithm>:<checksum>' };
  const algorithm = spec.slice(0, at).trim().toLowerCase();
  const value = spec.slice(at + 1).trim();
  const len = DIGEST_HEX_LENGTH[algorithm];
  if (len === undefined)
    return { error: `unsupported checksum algorithm '${algorithm}' (use one of ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})` };
  if (/^(https?|ftp|file):\/\//i.test(value)) return { algorithm, sumsUrl: value };
  return checkDigest(algorithm, value);
}

/** `<hex>` cleaned as Ansible does (non-word characters dropped, lower case) and checked. */
export function checkDigest(algorithm: string, value: string): ChecksumSpec | { error: string } {
  const len = DIGEST_HEX_LENGTH[algorithm] ?? 0;
  const digest = value.replace(/\W+/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(digest)) return { error: 'The checksum format is invalid' };
  if (digest.length !== len)
    return { error: `The checksum format is invalid: a ${algorithm} checksum has ${len} hex digits, this one has ${digest.length}` };
  return { algorithm, digest };
}

/**
 * The digest for `filename` in a checksum file, as Ansible's get_url reads one: a lone word on
 * a lone line is the digest; else `<digest> <name>` lines (a ' ' or '*' type mark and a leading
 * './' dropped), the first line naming the file wins. undefined when no line names it.
 */
export function digestFromSums(text: string, filename: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0]!.split(/\s+/).filter(Boolean).length === 1) return lines[0]!.trim();
  for (const line of lines) {
    const at = line.indexOf(' ');
    if (at < 0) continue;
    let name = line.slice(at + 1);
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    if (name.replace(/^[./]+/, '') === filename) return line.slice(0, at);
  }
  return undefined;
}

// $1 url $2 timeout $3 insecure $4 noproxy $5 agent $6 headers-on-stdin: the body on stdout (at most 4 MiB)
export const FETCH_TEXT = String.raw`url=$1 timeout=$2 insecure=$3 noproxy=$4 agent=$5 hdrs=$6
set --
if command -v curl >/dev/null 2>&1; then
  [ -z "$insecure" ] || set -- "$@" --insecure
  [ -z "$noproxy" ] || set -- "$@" --noproxy '*'
  [ -z "$hdrs" ] || set -- "$@" --header @-
  curl --silent --show-error --fail --location --max-filesize 4194304 --connect-timeout "$timeout" --max-time $((timeout * 6)) --user-agent "$agent" "$@" "$url"
elif command -v wget >/dev/null 2>&1; then
  [ -z "$insecure" ] || set -- "$@" --no-check-certificate
  [ -z "$noproxy" ] || set -- "$@" --no-proxy
  if [ -n "$hdrs" ]; then while IFS= read -r h; do set -- "$@" "--header=$h"; done; fi
  wget -q --timeout="$timeout" --user-agent="$agent" -O - "$@" "$url" | head -c 4194304
else
  echo "neither curl nor wget is installed: get_url downloads with one of them (install curl)" >&2; exit 127
fi`;

// $1 url $2 timeout $3 insecure $4 noproxy $5 agent $6 headers-on-stdin $7 If-Modified-Since date:
// a HEAD request (get_url in check mode, as Ansible's), writing nothing on the host. Prints the
// last response's headers, then rc=, status=.
export const HEAD_STATUS = String.raw`url=$1 timeout=$2 insecure=$3 noproxy=$4 agent=$5 hdrs=$6 since=$7
set --
if command -v curl >/dev/null 2>&1; then
  [ -z "$insecure" ] || set -- "$@" --insecure
  [ -z "$noproxy" ] || set -- "$@" --noproxy '*'
  [ -z "$hdrs" ] || set -- "$@" --header @-
  [ -z "$since" ] || set -- "$@" --header "If-Modified-Since: $since"
  code=$(curl --silent --show-error --head --location --connect-timeout "$timeout" --max-time $((timeout * 6)) --user-agent "$agent" --dump-header - --output /dev/null --write-out 'status=%{http_code}' "$@" "$url")
  rc=$?; printf '%s\n' "$code" | tr -d '\r'
elif command -v wget >/dev/null 2>&1; then
  [ -z "$insecure" ] || set -- "$@" --no-check-certificate
  [ -z "$noproxy" ] || set -- "$@" --no-proxy
  if [ -n "$hdrs" ]; then while IFS= read -r h; do set -- "$@" "--header=$h"; done; fi
  [ -z "$since" ] || set -- "$@" "--header=If-Modified-Since: $since"
  log=$(wget --spider --server-response --timeout="$timeout" --user-agent="$agent" "$@" "$url" 2>&1)
  rc=$?
  printf '%s\n' "$log" | sed -n 's/^  *//p'
  echo "status=$(printf '%s\n' "$log" | sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' | tail -n 1)"
  [ $rc -eq 0 ] || printf '%s\n' "$log" | grep -v '^  ' | tail -n 3 >&2
else
  echo "neither curl nor wget is installed: get_url downloads with one of them (install curl)" >&2; exit 127
fi
echo "rc=$rc"`;

/** What a HEAD_STATUS run says: the status, the last Content-Length, curl's or wget's exit code. */
export function parseHeadStatus(stdout: string): { status?: number; length?: number; rc?: number } {
  let length: number | undefined;
  let status: number | undefined;
  let rc: number | undefined;
  for (const line of stdout.split('\n')) {
    const h = /^content-length:\s*(\d+)\s*$/i.exec(line);
    if (h) length = Number(h[1]);
    const st = /^status=(\d+)$/.exec(line.trim());
    if (st) status = Number(st[1]);
    const r = /^rc=(\d+)$/.exec(line.trim());
    if (r) rc = Number(r[1]);
  }
  return { ...(status !== undefined ? { status } : {}), ...(length !== undefined ? { length } : {}), ...(rc !== undefined ? { rc } : {}) };
}

/** An HTTP date (RFC 7231, the form Python's rfc2822_date_string gives with 'GMT') of a Unix time in seconds. */
export function httpDate(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toUTCString();
}

/** http, https, ftp and file URLs; an error message otherwise. */
export function checkUrl(url: string): string | undefined {
  if (/[\s\x00-\x1f\x7f]/.test(url)) return `url '${url}' contains whitespace or control characters`;
  if (!/^(https?|ftp|file):\/\/./i.test(url)) return `url '${url}' is not an http, https, ftp or file URL`;
  return undefined;
}

export function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** The file name a URL gives when dest is a directory: the last path segment, else index.html (Ansible's url_filename). */
export function urlFilename(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === '' ? 'index.html' : name;
}

/** `HTTP Error 404: Not Found`, as Python's urllib words it. */
export function httpError(status: number): string {
  return `HTTP Error ${status}: ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/** Request headers as `Name: value` lines (fed to curl on stdin); basic auth becomes an Authorization header. */
export function headerLines(
  headers: unknown,
  auth: { user?: string | undefined; password?: string | undefined },
): string[] | { error: string } {
  const out: string[] = [];
  if (headers !== undefined && headers !== null && headers !== '') {
    if (typeof headers !== 'object' || Array.isArray(headers)) return { error: 'headers must be a mapping of header names to values' };
    for (const [name, v] of Object.entries(headers as Record<string, unknown>)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { error: `invalid header name '${name}'` };
      const value = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      if (/[\r\n]/.test(value)) return { error: `the value of header '${name}' contains a line break` };
      out.push(`${name}: ${value}`);
    }
  }
  if (auth.user !== undefined && auth.user !== '') {
    if (/[\r\n]/.test(auth.user + (auth.password ?? ''))) return { error: 'url_username/url_password contain a line break' };
    out.push(`Authorization: Basic ${Buffer.from(`${auth.user}:${auth.password ?? ''}`, 'utf8').toString('base64')}`);
  }
  return out;
}

export interface DownloadRequest {
  readonly url: string;
  /** the file to write (dest, or dest/<url file name>) */
  readonly dest: string;
  readonly timeoutSec: number;
  readonly validateCerts: boolean;
  readonly useProxy: boolean;
  readonly agent: string;
  readonly headers: readonly string[];
  readonly checksum?: ChecksumSpec | undefined;
  /** sha1 of the file now at dest: an identical download is dropped */
  readonly beforeSha1?: string | undefined;
  readonly mode?: number | undefined;
  /** `owner`, `owner:group` or `:group` */
  readonly ownerSpec?: string | undefined;
  readonly backupPath?: string | undefined;
  /** sent as If-Modified-Since (dest's mtime as an HTTP date): a 304 leaves dest alone */
  readonly ifModifiedSince?: string | undefined;
}

// $1 url $2 dest $3 timeout $4 insecure $5 noproxy $6 agent $7 headers-on-stdin $8 algorithm
// $9 digest $10 sha1 of the current dest $11 mode $12 owner spec $13 backup path $14 the
// If-Modified-Since date (dest's mtime, when dest exists and the download is not forced).
// Prints key=value lines: tool, rc, status, size, sha1, md5, digest, result (moved|same|mismatch|notmodified).
// Exit 3: no temp file beside dest; 4: could not put the file in place.
const SCRIPT = String.raw`url=$1 dest=$2 timeout=$3 insecure=$4 noproxy=$5 agent=$6 hdrs=$7 algo=$8 want=$9 before=${'$'}{10} mode=${'$'}{11} owner=${'$'}{12} backup=${'$'}{13} since=${'$'}{14}
tmp=$(mktemp "$(dirname -- "$dest")/.$(basename -- "$dest").XXXXXX") || exit 3
trap 'rm -f -- "$tmp"' EXIT
trap 'exit 130' HUP INT TERM
set --
if command -v curl >/dev/null 2>&1; then
  echo tool=curl
  [ -z "$insecure" ] || set -- "$@" --insecure
  [ -z "$noproxy" ] || set -- "$@" --noproxy '*'
  [ -z "$hdrs" ] || set -- "$@" --header @-
  [ -z "$since" ] || set -- "$@" --header "If-Modified-Since: $since"
  code=$(curl --silent --show-error --location --connect-timeout "$timeout" --speed-time "$timeout" --speed-limit 1 --user-agent "$agent" --output "$tmp" --write-out '%{http_code}' "$@" "$url")
  rc=$?
elif command -v wget >/dev/null 2>&1; then
  echo tool=wget
  [ -z "$insecure" ] || set -- "$@" --no-check-certificate
  [ -z "$noproxy" ] || set -- "$@" --no-proxy
  if [ -n "$hdrs" ]; then while IFS= read -r h; do set -- "$@" "--header=$h"; done; fi
  [ -z "$since" ] || set -- "$@" "--header=If-Modified-Since: $since"
  log=$(wget --server-response --timeout="$timeout" --user-agent="$agent" --output-document="$tmp" "$@" "$url" 2>&1)
  rc=$?
  code=$(printf '%s\n' "$log" | sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' | tail -n 1)
  [ $rc -eq 0 ] || printf '%s\n' "$log" | grep -v '^  ' | tail -n 3 >&2
else
  echo tool=
  exit 0
fi
echo "rc=$rc"
echo "status=$code"
[ "$code" != 304 ] || { echo result=notmodified; exit 0; }
[ $rc -eq 0 ] || exit 0
case $url in [Hh][Tt][Tt][Pp]://*|[Hh][Tt][Tt][Pp][Ss]://*) [ "$code" = 200 ] || exit 0;; esac
sha1=$(sha1sum < "$tmp" | cut -d' ' -f1)
echo "size=$(wc -c < "$tmp")"
echo "sha1=$sha1"
echo "md5=$(md5sum < "$tmp" | cut -d' ' -f1)"
if [ -n "$algo" ]; then
  got=$("$algo"sum < "$tmp" | cut -d' ' -f1)
  echo "digest=$got"
  if [ "$got" != "$want" ]; then echo result=mismatch; exit 0; fi
fi
if [ -n "$before" ] && [ "$sha1" = "$before" ]; then echo result=same; exit 0; fi
if [ -e "$dest" ]; then
  chmod --reference="$dest" -- "$tmp" 2>/dev/null
  chown --reference="$dest" -- "$tmp" 2>/dev/null
else
  chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" -- "$tmp" || exit 4
fi
[ -z "$mode" ] || chmod "$mode" -- "$tmp" || exit 4
[ -z "$owner" ] || chown "$owner" -- "$tmp" || exit 4
[ -z "$backup" ] || [ ! -e "$dest" ] || cp -p -- "$dest" "$backup" || exit 4
mv -f -- "$tmp" "$dest" || exit 4
echo result=moved`;

/** The argv of the download (one exec) and the stdin carrying the header lines. */
export function downloadCommand(r: DownloadRequest): { argv: string[]; stdin?: string } {
  const argv = [
    '/bin/sh',
    '-c',
    SCRIPT,
    'sh',
    r.url,
    r.dest,
    String(r.timeoutSec),
    r.validateCerts ? '' : '1',
    r.useProxy ? '' : '1',
    r.agent,
    r.headers.length ? '1' : '',
    r.checksum?.algorithm ?? '',
    r.checksum?.digest ?? '',
    r.beforeSha1 ?? '',
    r.mode !== undefined ? r.mode.toString(8) : '',
    r.ownerSpec ?? '',
    r.backupPath ?? '',
    r.ifModifiedSince ?? '',
  ];
  return r.headers.length ? { argv, stdin: r.headers.join('\n') + '\n' } : { argv };
}

export interface DownloadReport {
  /** curl, wget, or '' when the host has neither */
  readonly tool?: string;
  readonly rc?: number;
  /** the HTTP status of the last response (0 or undefined for ftp/file) */
  readonly status?: number;
  readonly size?: number;
  readonly sha1?: string;
  readonly md5?: string;
  readonly digest?: string;
  readonly result?: 'moved' | 'same' | 'mismatch' | 'notmodified';
}

export function parseDownloadReport(stdout: string): DownloadReport {
  const kv: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(tool|rc|status|size|sha1|md5|digest|result)=(.*)$/.exec(line.trim());
    if (m) kv[m[1]!] = m[2]!.trim();
  }
  const n = (v: string | undefined): number | undefined => (v === undefined || v === '' || !/^\d+$/.test(v) ? undefined : Number(v));
  const result = kv['result'];
  return {
    ...(kv['tool'] !== undefined ? { tool: kv['tool'] } : {}),
    ...(n(kv['rc']) !== undefined ? { rc: n(kv['rc'])! } : {}),
    ...(n(kv['status']) !== undefined ? { status: n(kv['status'])! } : {}),
    ...(n(kv['size']) !== undefined ? { size: n(kv['size'])! } : {}),
    ...(kv['sha1'] ? { sha1: kv['sha1'] } : {}),
    ...(kv['md5'] ? { md5: kv['md5'] } : {}),
    ...(kv['digest'] ? { digest: kv['digest'] } : {}),
    ...(result === 'moved' || result === 'same' || result === 'mismatch' || result === 'notmodified' ? { result } : {}),
  };
}

/** Why a download report is a failure, or undefined when it delivered a file. */
export function downloadFailure(
  report: DownloadReport,
  url: string,
  host: string,
  stderr: string,
): { msg: string; data: Record<string, unknown> } | undefined {
  if (report.tool === '')
    return { msg: `neither curl nor wget is installed on ${host}: get_url downloads with one of them (install curl)`, data: { url } };
  const status = report.status;
  if (isHttp(url) && status !== undefined && status !== 0 && status !== 200) {
    const response = httpError(status);
    return { msg: `Request failed: ${response} (${url})`, data: { url, status_code: status, response } };
  }
  if (report.rc !== undefined && report.rc !== 0) {
    const why =
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .pop() ?? `${report.tool} exited with ${report.rc}`;
    return { msg: `Request failed: ${why} (${url})`, data: { url, ...(status ? { status_code: status } : {}) } };
  }
  if (isHttp(url) && status !== 200) return { msg: `Request failed: no HTTP response from ${url}`, data: { url } };
  return undefined;
}
