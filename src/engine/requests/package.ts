import { join } from 'node:path';
import { LocatedError, LocatedErrors } from '../../workspace/located-error.js';
import { loadPackage, type Package } from '../../workspace/package-loader.js';
import type { Workspace } from '../../workspace/workspace.js';
import { YamlFile } from '../../workspace/yaml-file.js';
import type { RequestKind } from '../tracker/request-kind.js';
import { hashJson } from '../tracker/request-tracker.js';

/**
 * One package's checked targets. Kept in memory only (declarations point into their YamlFile for
 * positions); in a fresh process it is rebuilt from the stored YAML value, without parsing. It
 * watches its folder: a file appearing or vanishing there may change what its globs match.
 * Dependents see a fingerprint of the declarations, so an edit that changes nothing they read
 * (a comment, a reorder) stops here.
 */
export function packageKind(workspace: RequestKind<null, Workspace>, yaml: RequestKind<string, unknown>): RequestKind<string, Package> {
  return {
    name: 'package',
    persistent: false,
    key: (pkg) => pkg,
    run(pkg, api) {
      const ws = api.get(workspace, null);
      const rel = ws.packageFile(pkg);
      const value = api.get(yaml, rel);
      api.watchTree(ws.config.packagesPath ? (pkg ? `${ws.config.packagesPath}/${pkg}` : ws.config.packagesPath) : pkg);
      const file = YamlFile.withValue(join(ws.root, rel), rel, value);
      return loadPackage(ws.config, pkg, file, ws.rules);
    },
    fingerprint: (pkg) =>
      hashJson([
        [...pkg.targets.values()].map(({ file: _file, ...decl }) => decl),
        [...pkg.groups],
        [...pkg.broken].map(([name, errors]) => [name, errors.map(describe)]),
      ]),
  };
}

function describe(error: LocatedError | LocatedErrors): string {
  return error instanceof LocatedErrors ? error.errors.map((e) => e.format()).join('\n') : error.format();
}
