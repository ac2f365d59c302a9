import { readFileSync } from 'node:fs';

/** TLS material for a team server, only ever from the environment (file paths, never contents). */
export interface RemoteTlsEnv {
  /** PEM file of the CA roots to trust (default: the system's). */
  KILN_REMOTE_TLS_CA?: string | undefined;
  /** PEM files of a client certificate and its key, for mTLS. */
  KILN_REMOTE_TLS_CERT?: string | undefined;
  KILN_REMOTE_TLS_KEY?: string | undefined;
}

export interface RemoteTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/**
 * Reads the files the environment names, for https:// and grpcs:// alike. Throws a plain message
 * naming the variable (never a file's contents) when one cannot be read, or when only half of a
 * client pair is given.
 */
export function remoteTlsFromEnv(env: RemoteTlsEnv): RemoteTls {
  const read = (name: keyof RemoteTlsEnv): Buffer | undefined => {
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const ca = read('KILN_REMOTE_TLS_CA');
  const cert = read('KILN_REMOTE_TLS_CERT');
  const key = read('KILN_REMOTE_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) throw new Error('mTLS needs both KILN_REMOTE_TLS_CERT and KILN_REMOTE_TLS_KEY');
  return { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
}
