import { rm } from 'node:fs/promises';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { openWorkspace } from '../open-builder.js';

export const cleanCommand: Command = {
  name: 'clean',
  summary: 'delete kiln-out/ and the local cache (the remote cache is not touched)',
  usage: 'kiln clean [--outputs-only]',
  options: { 'outputs-only': { type: 'boolean' } },
  async run(args, io) {
    const { config } = openWorkspace(io);
    await rm(config.outDir, { recursive: true, force: true });
    if (args.values['outputs-only'] !== true) await rm(config.cacheDir, { recursive: true, force: true });
    io.stdout(`removed ${config.outDir}${args.values['outputs-only'] === true ? '' : ` and ${config.cacheDir}`}\n`);
    return EXIT_OK;
  },
};
