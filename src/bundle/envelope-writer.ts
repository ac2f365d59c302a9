/** Cooker side of `envelope.ts`: wraps a body with its SHA-256 so readers can detect any corruption. */
import { sha256Hex } from '../hash/digest.js';
import { canonicalBodyText } from '../format/envelope.js';

/**
 * Serialises `{ kind, version, hash, body }`. `minLength` (UTF-8 bytes) pads with trailing spaces (valid JSON
 * whitespace) so a caller that must fix the document's size before knowing its content can.
 */
export function encodeEnvelope(kind: string, version: number, body: unknown, minLength = 0): string {
  const bodyText = canonicalBodyText(body);
  const text = `{"kind":${JSON.stringify(kind)},"version":${version},"hash":"${sha256Hex(bodyText)}","body":${bodyText}}\n`;
  const bytes = new TextEncoder().encode(text).byteLength;
  return bytes >= minLength ? text : text + ' '.repeat(minLength - bytes);
}
