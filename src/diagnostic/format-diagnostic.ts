import type { Diagnostic, SourceLocation } from './diagnostic.js';

export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** `file:line:column: //label: message`, then one indented line per hint. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const parts: string[] = [];
  if (diagnostic.location) parts.push(formatLocation(diagnostic.location));
  if (diagnostic.label) parts.push(diagnostic.label);
  parts.push(diagnostic.severity === 'warning' ? `warning: ${diagnostic.message}` : diagnostic.message);
  const hints = (diagnostic.hints ?? []).map((hint) => `\n  hint: ${hint}`).join('');
  return parts.join(': ') + hints;
}
