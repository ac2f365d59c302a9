/**
 * The exit code of a build or validate: 2 when any target failed because of the configuration
 * (a misspelt rule, an unknown key or platform, an unknown label in deps, a YAML error, a cycle),
 * since no amount of re-running fixes those; 1 for cook failures, skipped targets or budgets.
 */
import type { DiagnosticCode } from '../diagnostic/diagnostic.js';
import type { BuildSummary } from '../engine/build-result.js';
import { EXIT_BUILD_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

const CONFIGURATION: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'yaml-syntax', 'yaml-too-complex', 'unknown-key', 'bad-attribute', 'unknown-rule', 'unknown-platform',
  'unknown-label', 'bad-label', 'bad-pattern', 'duplicate-target', 'bad-config', 'cycle',
]);

export function buildExitCode(summary: Pick<BuildSummary, 'failed' | 'skipped' | 'targets'>, overBudget: boolean): number {
  const configuration = summary.targets.some((t) => t.status === 'failed' && t.diagnostics.some((d) => d.severity === 'error' && CONFIGURATION.has(d.code)));
  if (configuration) return EXIT_USAGE;
  return summary.failed > 0 || summary.skipped > 0 || overBudget ? EXIT_BUILD_FAILED : EXIT_OK;
}
