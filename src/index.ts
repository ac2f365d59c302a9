/**
 * kiln's cooker-side API, for tools that embed the engine (editors, custom CLIs). Games use
 * `kiln/runtime` instead.
 */
export { Builder, type BuildRequest, type BuilderOptions } from './engine/builder.js';
export type { BuildSummary, TargetReport, BuildReporter } from './engine/build-result.js';
export { Workspace } from './workspace/workspace.js';
export { TargetGraph } from './graph/target-graph.js';
export { createRegistry, type RuleRegistry } from './rule/registry.js';
export { defineRule, type Rule, type AnyRule } from './rule/rule.js';
export type { RuleContext, CookMode, DepInfo, SourceRef } from './rule/context.js';
export type { OutputMeta, OutputRecord, PartLayout } from './rule/output.js';
export type { Part } from './format/part.js';
export type { AssetMeta, AssetMetaByType } from './format/asset-meta.js';
export { RuleError } from './rule/rule-error.js';
export { s, Schema, ObjectSchema, type Infer } from './rule/schema.js';
export { createCacheStack } from './store/create-cache-stack.js';
export { builtinRules } from '../rules/index.js';
