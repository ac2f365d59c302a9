import type { RuleRegistry } from '../../rule/registry.js';
import type { Package } from '../../workspace/package-loader.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { FreshSources } from '../fresh-sources.js';
import type { RequestKind } from '../tracker/request-kind.js';
import { fileDigestKind, type FileDigestKind } from './file-digest.js';
import { packageKind } from './package.js';
import { packageListKind } from './package-list.js';
import { platformSettingsKind } from './platform-settings.js';
import { ruleIdentityKind } from './rule-identity.js';
import { targetDeclKind, type DeclValue } from './target-decl.js';
import { targetGraphKind, type GraphInput, type GraphValue } from './target-graph.js';
import { workspaceConfigKind } from './workspace-config.js';
import { yamlValueKind } from './yaml-value.js';

/** The synchronous request kinds of one builder, wired to each other. */
export interface EngineKinds {
  file: FileDigestKind;
  workspace: RequestKind<null, Workspace>;
  yaml: RequestKind<string, unknown>;
  pkg: RequestKind<string, Package>;
  packageList: RequestKind<string, string[]>;
  settings: RequestKind<string, Record<string, unknown>>;
  rule: RequestKind<string, string>;
  decl: RequestKind<string, DeclValue>;
  graph: RequestKind<GraphInput, GraphValue>;
  all: RequestKind<never, unknown>[];
}

export function engineKinds(root: string, rules: RuleRegistry, platform: string, fresh?: FreshSources): EngineKinds {
  const file = fileDigestKind(root, fresh);
  const workspace = workspaceConfigKind(root, rules, file);
  const yaml = yamlValueKind(root, file);
  const pkg = packageKind(workspace, yaml);
  const packageList = packageListKind(workspace);
  const settings = platformSettingsKind(platform, workspace);
  const rule = ruleIdentityKind(rules);
  const decl = targetDeclKind(pkg);
  const graph = targetGraphKind({ workspace, file, pkg, packageList });
  const all = [file, workspace, yaml, pkg, packageList, settings, rule, decl, graph] as unknown as RequestKind<never, unknown>[];
  return { file, workspace, yaml, pkg, packageList, settings, rule, decl, graph, all };
}
