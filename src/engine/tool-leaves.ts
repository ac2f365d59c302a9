import { join } from 'node:path';
import { packageDir } from '../rule/tool-identity.js';
import { fileSig, type LeafSig } from './tracker/build-record.js';

/**
 * The leaves behind a target's tool identities, for the build record: an identity that is an npm
 * package's `name@version` is vouched for by the stat of that package.json (the identity is read
 * from it); a `node:` identity by the Node version in the record's key. Undefined when some
 * identity is neither (an executable's digest): such a target is not recorded.
 */
export function toolLeaves(tools: Readonly<Record<string, string>>): [string, LeafSig][] | undefined {
  const leaves: [string, LeafSig][] = [];
  for (const identity of Object.values(tools)) {
    if (identity.startsWith('node:')) continue;
    const at = identity.lastIndexOf('@');
    if (at <= 0) return undefined;
    let manifest: string;
    try {
      manifest = join(packageDir(identity.slice(0, at)), 'package.json');
    } catch {
      return undefined;
    }
    const sig = fileSig(manifest, false);
    if (sig === 'absent') return undefined;
    leaves.push([manifest, sig]);
  }
  return leaves;
}
