import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../rule/tool-identity.js';
import { fileSig, type LeafSig } from './tracker/leaf-sig.js';

/**
 * The leaves behind a target's tool identities, for the build record: an identity that is an npm
 * package's `name@version` is vouched for by the stat of that package.json (the identity is read
 * from it, and it must say exactly that version); a `node:` identity by the Node version in the
 * record's key. Undefined when some identity is neither (an executable's digest): such a target
 * is not recorded. Which tool a rule picks is its code's and its settings' business: the code is
 * the record key's toolchain, the settings live in the root assets.yaml (a leaf).
 */
export function toolLeaves(tools: Readonly<Record<string, string>>): [string, LeafSig][] | undefined {
  const leaves: [string, LeafSig][] = [];
  for (const identity of Object.values(tools)) {
    if (identity.startsWith('node:')) continue;
    const at = identity.lastIndexOf('@');
    if (at <= 0) return undefined;
    let manifest: string;
    let version: unknown;
    // Stat before reading: a manifest replaced in between then fails the next check, never passes it.
    let sig: LeafSig;
    try {
      manifest = join(packageDir(identity.slice(0, at)), 'package.json');
      sig = fileSig(manifest, false);
      version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    } catch {
      return undefined;
    }
    // Only an identity that is exactly what this manifest says is vouched for by its stat.
    if (sig === 'absent' || `${identity.slice(0, at)}@${String(version)}` !== identity) return undefined;
    leaves.push([manifest, sig]);
  }
  return leaves;
}
