import { RuleError } from '../rule/rule-error.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import { positionIn, type TargetDecl } from '../workspace/target-decl.js';

/**
 * Turn anything a target's build threw into one clear message naming the file (with line:column
 * where known) and the label. Crashes of a rule keep their stack for --verbose.
 */
export function failureMessage(error: unknown, decl: TargetDecl): { message: string; stack?: string } {
  if (error instanceof LocatedErrors) return { message: error.errors.map((e) => e.format()).join('\n') };
  if (error instanceof LocatedError) return { message: error.format() };
  if (error instanceof RuleError) {
    const file = error.file ?? decl.srcs[0];
    const where = file
      ? `${file}${error.line !== undefined ? `:${error.line}${error.column !== undefined ? `:${error.column}` : ''}` : ''}`
      : formatPosition(decl);
    return { message: `${where}: ${decl.label}: ${error.message}` };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const file = decl.srcs[0] ?? formatPosition(decl);
  return { message: `${file}: ${decl.label}: rule "${decl.rule}" failed: ${err.message}`, stack: err.stack };
}

function formatPosition(decl: TargetDecl): string {
  const pos = positionIn(decl);
  return `${pos.file}${pos.line !== undefined ? `:${pos.line}:${pos.column ?? 1}` : ''}`;
}
