import { type DiagnosticCode, DiagnosticError, type SourceLocation } from '../diagnostic/diagnostic.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';

/** @deprecated the one location type is `SourceLocation` (src/diagnostic); kept as an alias for callers. */
export type SourcePosition = SourceLocation;

/**
 * An error the user caused and can fix while loading the workspace: a DiagnosticError that
 * names the file (with line:column when it comes from YAML) and the target label. The CLI prints
 * `format()` and no stack trace.
 */
export class LocatedError extends DiagnosticError {
  override readonly name: string = 'LocatedError';

  constructor(
    message: string,
    readonly where: SourceLocation | undefined,
    readonly label?: string,
    code: DiagnosticCode = 'bad-config',
  ) {
    super({ code, severity: 'error', message, ...(label ? { label } : {}), ...(where ? { location: where } : {}) });
  }

  format(): string {
    return formatDiagnostic(this.diagnostics[0]!);
  }
}

/** Several errors found in one pass (all bad attributes of a package), reported together. */
export class LocatedErrors extends DiagnosticError {
  override readonly name: string = 'LocatedErrors';

  constructor(readonly errors: LocatedError[]) {
    super(errors.flatMap((error) => error.diagnostics));
  }
}
