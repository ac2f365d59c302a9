/**
 * An error the user caused and can fix: it names the file (with line:column when it comes from
 * YAML) and the target label. The CLI prints `format()` and no stack trace.
 */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export class LocatedError extends Error {
  override readonly name = 'LocatedError';

  constructor(
    message: string,
    readonly where: SourcePosition | undefined,
    readonly label?: string,
  ) {
    super(message);
  }

  format(): string {
    const parts: string[] = [];
    if (this.where) {
      let place = this.where.file;
      if (this.where.line !== undefined) place += `:${this.where.line}`;
      if (this.where.line !== undefined && this.where.column !== undefined) place += `:${this.where.column}`;
      parts.push(place);
    }
    if (this.label) parts.push(this.label);
    parts.push(this.message);
    return parts.join(': ');
  }
}

/** Several errors found in one pass (all bad attributes of a package), reported together. */
export class LocatedErrors extends Error {
  override readonly name = 'LocatedErrors';

  constructor(readonly errors: LocatedError[]) {
    super(errors.map((error) => error.format()).join('\n'));
  }
}
