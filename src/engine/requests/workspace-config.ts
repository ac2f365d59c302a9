import type { RuleRegistry } from '../../rule/registry.js';
import { Workspace } from '../../workspace/workspace.js';
import type { RequestKind } from '../tracker/request-kind.js';
import { hashJson } from '../tracker/request-tracker.js';
import type { FileDigestKind } from './file-digest.js';

/**
 * The workspace settings from the root `assets.yaml`: every package, platform setting and graph
 * depends on it, so an edit of the root file reaches everything — and, through early cutoff,
 * stops wherever the settings a request uses did not change.
 */
export function workspaceConfigKind(root: string, rules: RuleRegistry, file: FileDigestKind): RequestKind<null, Workspace> {
  return {
    name: 'workspace',
    persistent: false,
    key: () => '',
    run(_input, api) {
      api.get(file, 'assets.yaml');
      return Workspace.at(root, rules);
    },
    fingerprint: (workspace) => {
      const { file: _file, ...config } = workspace.config;
      return hashJson(config);
    },
  };
}
