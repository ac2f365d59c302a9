/**
 * A remote cache base URL split into what is safe to show and what must stay secret. `fetch`
 * refuses URLs with credentials in them, and warnings must never print them, so the userinfo is
 * lifted out once, here, and every later message uses `display`.
 */
export interface RemoteUrl {
  /** Base URL without userinfo or query, ending in `/`: `<base>ac/<key>`, `<base>cas/<digest>`. */
  readonly base: string;
  /** The base URL's query string (`?…`, or ''), appended to every request path. */
  readonly query: string;
  /** Safe to print: no userinfo, no query string (presigned tokens live there). */
  readonly display: string;
  /** Credentials found in the URL, if any (percent-decoded). */
  readonly user?: string;
  readonly password?: string;
}

export function parseRemoteUrl(raw: string): RemoteUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`remote cache URL is not a valid URL: ${redactUrl(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`remote cache URL must be http:// or https://, got ${url.protocol}//…`);
  }
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  const query = url.search;
  const display = redactUrl(url.toString());
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  const result: RemoteUrl = { base: url.toString(), query, display };
  return {
    ...result,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** Strip userinfo and query from anything URL-shaped; works on strings that fail to parse too. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    const query = url.search ? '?…' : '';
    url.search = '';
    url.hash = '';
    return `${url.toString().replace(/\/$/, '')}${query}`;
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/, '//').replace(/\?.*$/, '?…');
  }
}
