import type { RemoteUrl } from './remote-url.js';

/** Where secrets come from: only the environment (or the URL), never flags or `assets.yaml`. */
export interface RemoteAuthEnv {
  KILN_REMOTE_TOKEN?: string | undefined;
  KILN_REMOTE_USER?: string | undefined;
  KILN_REMOTE_PASSWORD?: string | undefined;
}

/**
 * The Authorization header for a remote cache: a bearer token (`KILN_REMOTE_TOKEN`) wins; else
 * basic auth from credentials in the URL; else basic auth from `KILN_REMOTE_USER` /
 * `KILN_REMOTE_PASSWORD`. Returns no header when none is configured.
 */
export function remoteAuthHeaders(url: RemoteUrl, env: RemoteAuthEnv): Record<string, string> {
  const token = env.KILN_REMOTE_TOKEN;
  if (token) return { authorization: `Bearer ${token}` };
  const user = url.user ?? env.KILN_REMOTE_USER;
  const password = url.user !== undefined ? (url.password ?? '') : env.KILN_REMOTE_PASSWORD;
  if (user === undefined || user === '') return {};
  const basic = Buffer.from(`${user}:${password ?? ''}`, 'utf8').toString('base64');
  return { authorization: `Basic ${basic}` };
}
