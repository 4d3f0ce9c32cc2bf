// The response side of the uri module: the last response of a curl header dump, and the
// values Ansible derives from it (error text, cookies, JSON detection, absolute Location, the
// file name a download gets), each as Ansible 2.14 computes it.
import { STATUS_CODES } from 'node:http';

/** The last response block of a curl header dump (redirects and 100 Continue come before it). */
export function lastResponse(dump: string): { reason: string; headers: [string, string][] } {
  const blocks = dump.replace(/\r/g, '').split(/\n(?=HTTP\/)/);
  const block = blocks.filter((b) => b.startsWith('HTTP/')).pop() ?? '';
  const [status = '', ...lines] = block.split('\n');
  const reason = /^HTTP\/\S+\s+\d{3}\s*(.*)$/.exec(status)?.[1]?.trim() ?? '';
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { reason, headers };
}

/** Python's `HTTP Error 404: Not Found` (the server's reason phrase, else the standard one). */
export function httpErrorText(status: number, reason: string): string {
  return `HTTP Error ${status}: ${reason || STATUS_CODES[status] || ''}`;
}

/** `name=value` pairs of the Set-Cookie headers (uri's cookies and cookies_string). */
export function cookiesOf(headers: readonly (readonly [string, string])[]): { cookies: Record<string, string>; text: string } {
  const cookies: Record<string, string> = {};
  const pairs: string[] = [];
  for (const [name, value] of headers) {
    if (name !== 'set-cookie') continue;
    const pair = value.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const k = pair.slice(0, eq).trim();
    const v = pair.slice(eq + 1).trim();
    cookies[k] = v;
    pairs.push(`${k}=${v}`);
  }
  return { cookies, text: pairs.join('; ') };
}

/** uri's JSON_CANDIDATES: a media type (or its +suffix) of json or javascript. */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const sub = (contentType.split(';')[0] ?? '').trim().toLowerCase().split('/')[1] ?? '';
  const leaf = sub.includes('+') ? sub.slice(sub.indexOf('+') + 1) : sub;
  return leaf === 'json' || leaf === 'javascript';
}

/** uri's absolute_location: a Location header resolved against the request URL. */
export function absoluteLocation(url: string, location: string): string {
  if (location.includes('://')) return location;
  if (location.startsWith('/')) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url);
    return `${m ? m[1] : ''}${location}`;
  }
  return `${url.slice(0, url.lastIndexOf('/'))}/${location}`;
}

/** The file name a Content-Disposition header gives (a dest directory receives it). */
export function contentDispositionName(headers: readonly (readonly [string, string])[]): string | undefined {
  const cd = headers.find(([n]) => n === 'content-disposition')?.[1];
  const m = cd ? /filename\s*=\s*"?([^";]+)"?/i.exec(cd) : null;
  const name = m?.[1]?.trim().split(/[\\/]/).pop();
  return name && name !== '.' && name !== '..' ? name : undefined;
}

/** A Python list of ints as repr() prints it: [200, 201]. */
export function pyList(codes: readonly number[]): string {
  return `[${codes.join(', ')}]`;
}
