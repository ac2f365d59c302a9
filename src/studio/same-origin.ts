/**
 * Who may read the studio API. The page shows an unreleased game's assets in the artist's browser,
 * where any open tab may be hostile, so stricter than the dev server's blob rules:
 * - `Host` must be a loopback name (`localhost`, `127.x.x.x`, `[::1]`): anything else is DNS
 *   rebinding (`evil.example` resolving to 127.0.0.1);
 * - a browser's `Origin`, when sent, must be this server's own origin, and `Sec-Fetch-Site` must
 *   not be `cross-site`/`same-site`: another local port is another site as far as the API cares.
 * No CORS header is ever sent, so a foreign page cannot read an answer even if it sends a request.
 * (The watch server's `OriginPolicy` from the hardening work covers `/cas` and `/ws`; this file
 * only guards what the studio adds.)
 */
import type { IncomingHttpHeaders } from 'node:http';

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The request comes from this server's own page (or from a non-browser client on this machine). */
export function sameOriginRequest(headers: IncomingHttpHeaders): boolean {
  if (!isLoopbackHost(headers.host)) return false;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host && new URL(origin).protocol === 'http:';
  } catch {
    return false;
  }
}
