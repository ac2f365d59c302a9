/**
 * Which workspace paths the watcher drops before they reach the rebuild loop: kiln's own cache and
 * output folders (writing them must never trigger a build), VCS and package folders, and the
 * temporary files editors write around a save (vim's `4913` probe and `.swp`, emacs `.#lock`,
 * backups `~`, `*.tmp`, JetBrains' `___jb_tmp___`). The final file of an atomic save is not
 * temporary and gets through.
 */
const TEMP_NAMES: readonly RegExp[] = [
  /^4913$/,
  /~$/,
  /^\.#/,
  /^#.*#$/,
  /\.sw[a-p]$/,
  /\.tmp$/i,
  /\.kate-swp$/,
  /___jb_(?:tmp|old)___$/,
  /^\.~lock\./,
  /^\.DS_Store$/,
];

const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export function isTempFileName(name: string): boolean {
  return TEMP_NAMES.some((pattern) => pattern.test(name));
}

/**
 * `rel` is workspace-relative and `/`-separated; `skippedPrefixes` are workspace-relative folders
 * (the cache and output folders) without a trailing slash.
 */
export function isIgnoredPath(rel: string, skippedPrefixes: readonly string[]): boolean {
  if (rel === '') return true;
  const segments = rel.split('/');
  if (segments.some((segment) => SKIPPED_FOLDERS.has(segment))) return true;
  if (isTempFileName(segments[segments.length - 1]!)) return true;
  return skippedPrefixes.some((prefix) => prefix !== '' && (rel === prefix || rel.startsWith(`${prefix}/`)));
}
