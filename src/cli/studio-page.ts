/** The studio page inside `kiln watch`: same handler as `kiln ui`, with the watch session's live assets. */
import type { Builder } from '../engine/builder.js';
import { StudioHandler } from '../studio/studio-handler.js';
import type { WatchSession } from '../watch/watch-session.js';
import { Workspace } from '../workspace/workspace.js';
import { rules } from './open-builder.js';

export function studioPage(builder: Builder, session: () => WatchSession | undefined): (req: Parameters<StudioHandler['handle']>[0], res: Parameters<StudioHandler['handle']>[1]) => Promise<boolean> {
  const root = builder.workspace.root;
  const handler = new StudioHandler({
    workspace: () => Workspace.open(root, rules()),
    cacheDir: builder.workspace.config.cacheDir,
    live: () => {
      const hello = session()?.loop.hello();
      return { platform: builder.platform, assets: hello?.assets ?? [] };
    },
  });
  return (req, res) => handler.handle(req, res);
}
