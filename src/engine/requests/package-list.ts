import { listPackageFolders, type Workspace } from '../../workspace/workspace.js';
import type { RequestKind } from '../tracker/request-kind.js';

/** The packages at or below a prefix (for `//...` patterns); re-listed when folders change. */
export function packageListKind(workspace: RequestKind<null, Workspace>): RequestKind<string, string[]> {
  return {
    name: 'package-list',
    persistent: false,
    key: (prefix) => prefix,
    run(prefix, api) {
      const ws = api.get(workspace, null);
      const base = ws.config.packagesPath;
      api.watchTree(base ? (prefix ? `${base}/${prefix}` : base) : prefix);
      return listPackageFolders(ws.config, prefix);
    },
  };
}
