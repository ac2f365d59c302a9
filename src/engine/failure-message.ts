import { type Diagnostic, DiagnosticError } from '../diagnostic/diagnostic.js';
import { positionIn, type TargetDecl } from '../workspace/target-decl.js';
import { ActionFailedError } from './runner/action-failure.js';

/**
 * Anything a target's build threw, as diagnostics about that target: each names the label and a
 * file (the rule's own location, else the target's first source, else its place in
 * assets.yaml). Something that is not a DiagnosticError is a crash (`rule-crashed`) and keeps
 * its stack for --verbose.
 */
export function failureDiagnostics(error: unknown, decl: TargetDecl): { diagnostics: Diagnostic[]; stack?: string } {
  const fallback = decl.srcs[0] ? { file: decl.srcs[0] } : positionIn(decl);
  const about = (d: Diagnostic): Diagnostic => ({ ...d, label: d.label ?? decl.label, location: d.location ?? fallback });
  if (error instanceof DiagnosticError) {
    const diagnostics = error.diagnostics.map(about);
    const stack = error instanceof ActionFailedError ? error.ruleStack : undefined;
    return stack ? { diagnostics, stack } : { diagnostics };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const diagnostic = about({ code: 'rule-crashed', severity: 'error', message: `rule "${decl.rule}" failed: ${err.message}` });
  return err.stack ? { diagnostics: [diagnostic], stack: err.stack } : { diagnostics: [diagnostic] };
}
