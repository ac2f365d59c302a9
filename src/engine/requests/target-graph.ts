import type { PackageSource } from '../../graph/package-source.js';
import type { TargetGraph } from '../../graph/target-graph.js';
import type { Package } from '../../workspace/package-loader.js';
import type { Workspace } from '../../workspace/workspace.js';
import { analyze, type AnalysisFailure } from '../analyze.js';
import type { RequestKind } from '../tracker/request-kind.js';
import type { FileDigestKind } from './file-digest.js';

export interface GraphInput {
  patterns: readonly string[];
  keepGoing: boolean;
}

export interface GraphValue {
  graph: TargetGraph;
  failures: AnalysisFailure[];
}

/**
 * The analysed target graph for a set of patterns. It reads packages, package lists and the
 * existence of package files only through the tracker, so in watch mode it is rebuilt only when
 * one of those changed — and then from packages that are themselves still valid.
 */
export function targetGraphKind(kinds: {
  workspace: RequestKind<null, Workspace>;
  file: FileDigestKind;
  pkg: RequestKind<string, Package>;
  packageList: RequestKind<string, string[]>;
}): RequestKind<GraphInput, GraphValue> {
  let runs = 0;
  return {
    name: 'graph',
    persistent: false,
    key: (input) => JSON.stringify([input.patterns, input.keepGoing]),
    run(input, api) {
      const ws = api.get(kinds.workspace, null);
      const source: PackageSource = {
        package: (pkg) => api.get(kinds.pkg, pkg),
        hasPackage: (pkg) => api.get(kinds.file, ws.packageFile(pkg)).digest !== 'absent',
        listPackages: (prefix = '') => api.get(kinds.packageList, prefix),
        packageFile: (pkg) => ws.packageFile(pkg),
      };
      return analyze(source, input.patterns, input.keepGoing);
    },
    // Only the builder reads the graph; nothing is cut off behind it.
    fingerprint: () => String(++runs),
  };
}
