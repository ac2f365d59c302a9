import { type Diagnostic, DiagnosticError } from '../../diagnostic/diagnostic.js';
import { RuleError } from '../../rule/rule-error.js';
import type { ActionUnit } from './action-unit.js';

/** Why an action produced no result, as data that crosses a worker or process boundary. */
export interface ActionFailure {
  diagnostics: Diagnostic[];
  /** Stack of a rule crash (not of a RuleError), shown with --verbose. */
  stack?: string;
}

/**
 * Anything a cook threw, as diagnostics about the unit's target. A RuleError or DiagnosticError
 * is a failure the user can act on; anything else is a crash of the rule (`rule-crashed`, with
 * its stack). Without a location of their own they point at the first source.
 */
export function actionFailure(error: unknown, unit: Pick<ActionUnit, 'label' | 'srcs' | 'rule'>): ActionFailure {
  const fallback = unit.srcs[0] ? { file: unit.srcs[0].path } : undefined;
  const about = (d: Diagnostic): Diagnostic => ({ ...d, label: d.label ?? unit.label, ...(d.location ?? !fallback ? {} : { location: fallback }) });
  if (error instanceof DiagnosticError) return { diagnostics: error.diagnostics.map(about) };
  if (error instanceof RuleError) {
    const location = error.file ? { file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), ...(error.column !== undefined ? { column: error.column } : {}) } : undefined;
    return { diagnostics: [about({ code: 'rule-error', severity: 'error', message: error.message, ...(location ? { location } : {}) })] };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const diagnostic = about({ code: 'rule-crashed', severity: 'error', message: `rule "${unit.rule.name}" failed: ${err.message}` });
  return err.stack ? { diagnostics: [diagnostic], stack: err.stack } : { diagnostics: [diagnostic] };
}

/** Thrown on the build's side when an action failed, carrying the failure's diagnostics and stack. */
export class ActionFailedError extends DiagnosticError {
  readonly ruleStack: string | undefined;

  constructor(failure: ActionFailure) {
    super(failure.diagnostics);
    this.ruleStack = failure.stack;
  }
}
