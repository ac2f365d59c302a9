/**
 * Splits the builder's formatted failure (`file:line:column: //pkg:name: message`, see
 * engine/failure-message.ts) into the fields of an `error` message, so clients can point at the
 * line without parsing text themselves.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

export function locateError(text: string, label: string): ErrorLocation {
  const first = text.split('\n')[0] ?? text;
  const marker = `: ${label}: `;
  const at = first.indexOf(marker);
  if (at < 0) return { message: text };
  const place = first.slice(0, at);
  const message = text.slice(at + marker.length);
  const match = /^(.*?):(\d+)(?::(\d+))?$/.exec(place);
  if (!match) return { file: place, message };
  return { file: match[1]!, line: Number(match[2]), ...(match[3] ? { column: Number(match[3]) } : {}), message };
}
