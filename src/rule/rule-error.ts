/**
 * A failure the user can act on: a corrupt source, a budget exceeded, a bad reference. The engine
 * prints it as `file:line:column: label: message` with no stack trace. Anything else a rule throws
 * is treated as a crash of the rule itself (stack shown with --verbose).
 */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    super(message);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
