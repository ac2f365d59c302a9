import { posix } from 'node:path';
import { RuleError } from '../../src/rule/rule-error.js';

/**
 * Maps a glTF `uri` (relative to the .gltf/.glb that names it) to a workspace-relative path,
 * the form `ctx.readFile` records as a discovered input and `DepInfo.srcs` uses.
 * Returns undefined for `data:` URIs, which carry their bytes inline.
 */
export function resourcePath(gltfPath: string, uri: string): string | undefined {
  if (uri.startsWith('data:')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) {
    throw new RuleError(`resource URI "${uri}" is absolute; a model may only reference files next to it`, { file: gltfPath });
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    throw new RuleError(`resource URI "${uri}" is not valid percent-encoding`, { file: gltfPath });
  }
  const joined = posix.normalize(posix.join(posix.dirname(gltfPath), decoded));
  if (joined === '..' || joined.startsWith('../')) {
    throw new RuleError(`resource URI "${uri}" points outside the workspace`, { file: gltfPath });
  }
  return joined;
}
