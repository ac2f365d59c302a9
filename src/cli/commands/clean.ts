import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isKilnCache, isKilnOut } from '../../workspace/kiln-folder-marker.js';
import type { Command } from '../command.js';
import { EXIT_BUILD_FAILED, EXIT_OK } from '../exit-codes.js';
import { openWorkspace } from '../open-builder.js';

/**
 * Deletes only folders kiln created (see kiln-folder-marker): a mistyped `out:` or `cache:` that
 * names someone else's folder is left alone with an error, never removed.
 */
export const cleanCommand: Command = {
  name: 'clean',
  summary: 'delete kiln-out/ and the local cache (the remote cache is not touched)',
  usage: 'kiln clean [--outputs-only]',
  options: { 'outputs-only': { type: 'boolean' } },
  async run(args, io) {
    const { config } = openWorkspace(io);
    const outputsOnly = args.values['outputs-only'] === true;
    const removed: string[] = [];
    let refused = false;
    const refuse = (dir: string) => {
      io.stderr(`ERROR: ${dir} was not created by kiln (no marker): not removed; delete it yourself if it is yours to delete\n`);
      refused = true;
    };
    // Out first: its ownership record lives in the cache.
    if (existsSync(config.outDir)) {
      if (isKilnOut(config.cacheDir, config.outDir)) {
        await rm(config.outDir, { recursive: true, force: true });
        removed.push(config.outDir);
      } else refuse(config.outDir);
    }
    if (!outputsOnly && existsSync(config.cacheDir)) {
      if (isKilnCache(config.cacheDir)) {
        await rm(config.cacheDir, { recursive: true, force: true });
        removed.push(config.cacheDir);
      } else refuse(config.cacheDir);
    }
    io.stdout(removed.length > 0 ? `removed ${removed.join(' and ')}\n` : 'nothing to remove\n');
    return refused ? EXIT_BUILD_FAILED : EXIT_OK;
  },
};
