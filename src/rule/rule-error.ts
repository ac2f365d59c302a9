import { DiagnosticError } from '../diagnostic/diagnostic.js';

/**
 * A failure the user can act on: a corrupt source, a budget exceeded, a bad reference. It is a
 * DiagnosticError with code `rule-error`; the engine adds the target's label (and its first
 * source when the rule named no file) and prints it as `file:line:column: label: message` with no
 * stack trace. Anything else a rule throws is a crash of the rule itself (stack with --verbose).
 */
export class RuleError extends DiagnosticError {
  override readonly name: string = 'RuleError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    const location = where.file === undefined ? undefined : { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}), ...(where.line !== undefined && where.column !== undefined ? { column: where.column } : {}) };
    super({ code: 'rule-error', severity: 'error', message, ...(location ? { location } : {}) });
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
