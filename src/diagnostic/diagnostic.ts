/**
 * A position in a file the user wrote or owns: workspace-relative path, 1-based line and column
 * when known (YAML, shader sources, CSV).
 */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Stable, machine-readable codes: tests, the watch protocol and the studio page switch on these,
 * never on message text. Grouped by the layer that raises them; add new codes here.
 */
export type DiagnosticCode =
  // workspace loading
  | 'yaml-syntax'
  | 'yaml-too-complex'
  | 'unknown-key'
  | 'bad-attribute'
  | 'unknown-rule'
  | 'unknown-platform'
  | 'unknown-label'
  | 'bad-label'
  | 'bad-pattern'
  | 'duplicate-target'
  | 'bad-config'
  | 'source-missing'
  | 'source-unreadable'
  | 'outside-workspace'
  // graph
  | 'cycle'
  // engine
  | 'dependency-failed'
  | 'source-changed'
  | 'no-output'
  | 'not-deterministic'
  | 'materialize-failed'
  | 'cache-entry-invalid'
  | 'cache-blob-corrupt'
  // rules and tools
  | 'rule-error'
  | 'rule-crashed'
  | 'rule-timeout'
  | 'worker-crashed'
  | 'rule-warning'
  | 'tool-missing'
  | 'tool-failed'
  | 'budget-exceeded'
  | 'validation'
  // remote
  | 'remote-unavailable'
  | 'remote-rejected'
  // CLI
  | 'bad-usage'
  // cooked outputs against the cooker↔runtime contract (src/format/)
  | 'bad-output-meta'
  // request graph: a value dropped after saving was rewritten by another build before it was read back
  | 'state-changed';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** The target this is about, when there is one. */
  label?: string;
  location?: SourceLocation;
  /** What to do about it: "did you mean ...", "apt-get install libomp5", ... */
  hints?: string[];
}

/**
 * Carries one or more diagnostics through `throw`. Anything that is not a DiagnosticError when it
 * reaches the engine is a crash of the code that threw it (shown with its stack under --verbose).
 */
export class DiagnosticError extends Error {
  override readonly name: string = 'DiagnosticError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map((d) => d.message).join('\n'));
    this.diagnostics = list;
  }
}

/** Shorthand for the common case: one error with a code, a message and where it is. */
export function diagnosticError(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'message' | 'severity'> = {}): DiagnosticError {
  return new DiagnosticError({ code, severity: 'error', message, ...where });
}
