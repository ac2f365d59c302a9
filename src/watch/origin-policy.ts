/**
 * Who may talk to the watch server. It serves cooked assets of an unreleased game to the
 * artist's browser, where any open tab is a potential attacker, so:
 *
 * - `Host` must be a loopback name (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), the host
 *   the server was bound to, an IP literal when bound to all interfaces, or the host of an
 *   allowed origin. Anything else is a DNS-rebinding attempt (`evil.example` resolving to
 *   127.0.0.1) and gets 403 — the browser thinks it talks to evil.example, so Origin alone
 *   would look same-origin.
 * - `Origin`, when a browser sends one, must be loopback (a game page on another local port,
 *   e.g. Vite's dev server) or listed in `allowedOrigins`. Non-browser clients (a game in Node,
 *   curl) send none and are let through on the Host check alone.
 * - CORS echoes an allowed origin, never `*`.
 */
export interface OriginPolicyOptions {
  /** Host the server listens on (`127.0.0.1`, `::1`, `0.0.0.0`, a LAN address). */
  boundHost: string;
  /** Extra origins allowed to read blobs and open `/ws`: `https://play.example.com`. Exact match. */
  allowedOrigins?: readonly string[];
}

export class OriginPolicy {
  readonly #boundHost: string;
  readonly #allowedOrigins: Set<string>;
  readonly #allowedHosts: Set<string>;

  constructor(options: OriginPolicyOptions) {
    this.#boundHost = stripBrackets(options.boundHost.toLowerCase());
    this.#allowedOrigins = new Set<string>();
    this.#allowedHosts = new Set<string>();
    for (const origin of options.allowedOrigins ?? []) {
      const normal = normalizeOrigin(origin);
      if (!normal) throw new Error(`not an origin (scheme://host[:port]): ${origin}`);
      this.#allowedOrigins.add(normal.origin);
      this.#allowedHosts.add(normal.hostname);
    }
  }

  /** The `Host` header names this server (not a rebound DNS name). */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const hostname = hostnameOf(hostHeader);
    if (hostname === undefined) return false;
    if (isLoopbackName(hostname) || hostname === this.#boundHost || this.#allowedHosts.has(hostname)) return true;
    // Bound to every interface: a LAN IP literal is how other devices reach it; a DNS name is not.
    return (this.#boundHost === '0.0.0.0' || this.#boundHost === '::') && isIpLiteral(hostname);
  }

  /** `undefined` (no Origin: not a browser) is allowed; `null` (sandboxed/file pages) is not. */
  originAllowed(originHeader: string | undefined): boolean {
    if (originHeader === undefined) return true;
    const normal = normalizeOrigin(originHeader);
    if (!normal) return false;
    return this.#allowedOrigins.has(normal.origin) || isLoopbackName(normal.hostname);
  }

  /** CORS headers for a request from `originHeader` (none for a disallowed or absent origin). */
  corsHeaders(originHeader: string | undefined): Record<string, string> {
    if (originHeader === undefined || !this.originAllowed(originHeader)) return { vary: 'origin' };
    return {
      'access-control-allow-origin': originHeader,
      'access-control-expose-headers': 'content-range, content-length, etag',
      vary: 'origin',
    };
  }
}

function normalizeOrigin(text: string): { origin: string; hostname: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.origin === 'null') return undefined;
  return { origin: url.origin, hostname: stripBrackets(url.hostname.toLowerCase()) };
}

function hostnameOf(hostHeader: string): string | undefined {
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return stripBrackets(url.hostname.toLowerCase());
  } catch {
    return undefined;
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLoopbackName(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname.includes(':');
}
