import { createCacheStack } from '../../store/create-cache-stack.js';
import { StudioServer } from '../../studio/studio-server.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { openWorkspace, rules, UsageError } from '../open-builder.js';
import { untilStopped } from '../until-stopped.js';

export const uiCommand: Command = {
  name: 'ui',
  summary: 'serve the studio page on 127.0.0.1: targets, builds, assets with previews, budgets (read-only)',
  usage: 'kiln ui [--port N]',
  options: { port: { type: 'string' } },
  async run(args, io) {
    const port = args.values.port === undefined ? 0 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0…65535, got ${String(args.values.port)}`);
    const workspace = openWorkspace(io);
    const root = workspace.root;
    const cache = createCacheStack({ localRoot: workspace.config.cacheDir, env: io.env });
    const server = new StudioServer({
      workspace: () => Workspace.open(root, rules()),
      cacheDir: workspace.config.cacheDir,
      blobs: () => cache.blobs,
    });
    const { url } = await server.listen(port);
    io.stdout(`kiln ui: serving ${url} (read-only; Ctrl-C to stop)\n`);
    const signal = await untilStopped();
    io.stdout(`kiln ui: ${signal}, stopping\n`);
    await server.close();
    return EXIT_OK;
  },
};
