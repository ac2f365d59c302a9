import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isKilnFolder, type KilnFolderKind, MARKER_NAME } from '../../workspace/kiln-folder-marker.js';
import type { Command } from '../command.js';
import { EXIT_BUILD_FAILED, EXIT_OK } from '../exit-codes.js';
import { openWorkspace } from '../open-builder.js';

/**
 * Deletes only folders kiln created (they carry its marker file): a mistyped `out:` or `cache:`
 * that names someone else's folder is left alone with an error, never removed.
 */
export const cleanCommand: Command = {
  name: 'clean',
  summary: 'delete kiln-out/ and the local cache (the remote cache is not touched)',
  usage: 'kiln clean [--outputs-only]',
  options: { 'outputs-only': { type: 'boolean' } },
  async run(args, io) {
    const { config } = openWorkspace(io);
    const folders: [string, KilnFolderKind][] = [[config.outDir, 'out']];
    if (args.values['outputs-only'] !== true) folders.push([config.cacheDir, 'cache']);
    const removed: string[] = [];
    let refused = false;
    for (const [dir, kind] of folders) {
      if (!existsSync(dir)) continue;
      if (!isKilnFolder(dir, kind)) {
        io.stderr(`ERROR: ${dir} was not created by kiln (no ${MARKER_NAME} marker): not removed; delete it yourself if it is yours to delete\n`);
        refused = true;
        continue;
      }
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    io.stdout(removed.length > 0 ? `removed ${removed.join(' and ')}\n` : 'nothing to remove\n');
    return refused ? EXIT_BUILD_FAILED : EXIT_OK;
  },
};
