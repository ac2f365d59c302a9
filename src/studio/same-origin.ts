/**
 * Who may read the studio API. The page shows an unreleased game's assets in the artist's browser,
 * where any open tab may be hostile, so stricter than the dev server's blob rules:
 * - `Host` must be a loopback name (`localhost`, `127.x.x.x`, `[::1]`): anything else is DNS
 *   rebinding (`evil.example` resolving to 127.0.0.1);
 * - a browser's `Origin`, when sent, must be this server's own origin, and `Sec-Fetch-Site` must
 *   not be `cross-site`/`same-site`: another local port is another site as far as the API cares.
 * No CORS header is ever sent, so a foreign page cannot read an answer even if it sends a request.
 * The Host rule is the watch server's `OriginPolicy`; the Origin rule is stricter than its
 * (which lets game pages on other local ports read blobs and `/ws`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OriginPolicy } from '../watch/origin-policy.js';

/** The dev server's own Host rule (loopback names; DNS rebinding refused), for a server bound to 127.0.0.1. */
const hosts = new OriginPolicy({ boundHost: '127.0.0.1' });

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  return hosts.hostAllowed(hostHeader);
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
