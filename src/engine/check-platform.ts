import { LocatedError } from '../workspace/located-error.js';
import type { Workspace } from '../workspace/workspace.js';

/** The build's platform must be one the root assets.yaml declares, and usable as a folder name. */
export function checkPlatform(workspace: Workspace, platform: string): void {
  const known = Object.keys(workspace.config.platforms);
  if (known.length > 0 && !known.includes(platform)) {
    throw new LocatedError(`unknown platform "${platform}"; platforms: ${known.join(', ')}`, { file: 'assets.yaml' }, undefined, 'unknown-platform');
  }
  // The platform name becomes a folder of kiln-out (kiln-out/<platform>/…): one plain path segment.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(platform)) {
    throw new LocatedError(`platform name "${platform}" cannot be a folder name: use letters, digits, '.', '_' and '-'`, { file: 'assets.yaml' }, undefined, 'bad-config');
  }
}
