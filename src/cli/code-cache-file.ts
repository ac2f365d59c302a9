/**
 * The files a V8 code cache is kept in (cli-chunks.ts for the chunks, package-code-cache.ts for
 * a few npm packages): a header line naming what the cache is for and the SHA-256 of its payload
 * (V8 checks the source's length and its own version, not the payload), then the payload.
 * Anything else — another key, a short or altered file, one that cannot be read or written —
 * is the same as no cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const MAGIC = 'kiln-code-cache 1';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The payload of a cache file written for `key`, or undefined when it is anything else. */
export function readCodeCache(path: string, key: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(10);
  if (end < 0) return undefined;
  const header = bytes.subarray(0, end).toString('latin1');
  const payload = bytes.subarray(end + 1);
  return header === `${MAGIC} ${key} ${sha256(payload)}` ? payload : undefined;
}

export function writeCodeCache(path: string, key: string, payload: Buffer): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.from(`${MAGIC} ${key} ${sha256(payload)}\n`, 'latin1'), payload]));
    renameSync(temp, path);
  } catch {
    // A read-only install or a full disk: the next run compiles, as without a cache.
    rmSync(temp, { force: true });
  }
}
