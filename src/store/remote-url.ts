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
  /** `http` for the Bazel HTTP layout / WebDAV, `grpc` for a REAPI server. */
  readonly protocol: 'http' | 'grpc';
  /** gRPC only: `host:port` to dial, whether to use TLS, and the REAPI instance name (the path). */
  readonly grpc?: { target: string; tls: boolean; instanceName: string };
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
  if (url.protocol === 'grpc:' || url.protocol === 'grpcs:') return parseGrpcUrl(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`remote cache URL must be http://, https://, grpc:// or grpcs://, got ${url.protocol}//…`);
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
  const result: RemoteUrl = { base: url.toString(), query, display, protocol: 'http' };
  return {
    ...result,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

function parseGrpcUrl(url: URL): RemoteUrl {
  if (url.username || url.password || url.search) {
    throw new Error('a grpc:// remote takes no credentials or query in the URL: set KILN_REMOTE_TOKEN instead');
  }
  const tls = url.protocol === 'grpcs:';
  const port = url.port || (tls ? '443' : '');
  if (port === '' || url.hostname === '') throw new Error(`grpc:// remote URL needs a host and a port, got ${redactUrl(url.toString())}`);
  const instanceName = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  const target = `${url.hostname}:${port}`;
  const display = `${url.protocol}//${target}${instanceName ? `/${instanceName}` : ''}`;
  return { base: `${display}/`, query: '', display, protocol: 'grpc', grpc: { target, tls, instanceName } };
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
