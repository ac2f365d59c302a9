import { realpathSync, statSync } from 'node:fs';

/**
 * What a path that is not a readable regular file is, for messages ("is a FIFO (named pipe)")
 * instead of "not found". A FIFO or a device is never read: a FIFO would block the build and
 * `/dev/zero` never ends. Undefined when nothing is there at all.
 */
export function describeNonFile(absPath: string): string | undefined {
  const stat = statSync(absPath, { throwIfNoEntry: false });
  if (!stat) return undefined;
  let target = '';
  try {
    const real = realpathSync(absPath);
    if (real !== absPath) target = ` (${real})`;
  } catch {
    // A dangling link: stat above would have said nothing is there.
  }
  if (stat.isFIFO()) return `a FIFO (named pipe)${target}`;
  if (stat.isCharacterDevice()) return `a character device${target}`;
  if (stat.isBlockDevice()) return `a block device${target}`;
  if (stat.isSocket()) return `a socket${target}`;
  if (stat.isDirectory()) return `a folder${target}`;
  return undefined;
}
