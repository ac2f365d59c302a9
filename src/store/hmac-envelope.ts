import { type ActionEntry, ENTRY_LIMITS, parseActionEntry } from './action-entry.js';
import type { HmacSigner } from './hmac-signer.js';

/**
 * How an action entry travels to the remote cache. WebDAV servers keep only the body, so the
 * signature rides inside it. The entry is carried as a string so the signed bytes are exactly
 * the bytes verified (re-serialising parsed JSON is not guaranteed to round-trip).
 * Unsigned clients write the bare entry JSON.
 */
export interface SignedEnvelope {
  kiln: typeof ENVELOPE_TAG;
  payload: string;
  sig: string;
}

const ENVELOPE_TAG = 'signed-action-entry/v1';

export type DecodedEntry =
  | { ok: true; entry: ActionEntry }
  | { ok: false; reason: 'malformed' | 'unsigned' | 'bad-signature' };

export function encodeActionEntry(actionKey: string, entry: ActionEntry, signer: HmacSigner | undefined): string {
  const payload = JSON.stringify(entry);
  if (!signer) return payload;
  const envelope: SignedEnvelope = { kiln: ENVELOPE_TAG, payload, sig: signer.sign(actionKey, payload) };
  return JSON.stringify(envelope);
}

/** With a signer, only a correctly signed envelope is accepted; without one, both forms are read. */
export function decodeActionEntry(actionKey: string, text: string, signer: HmacSigner | undefined): DecodedEntry {
  // An envelope is the entry plus a signature and JSON escaping: twice the entry cap is plenty.
  if (text.length > 2 * ENTRY_LIMITS.maxBytes) return { ok: false, reason: 'malformed' };
  const outer = parseJson(text);
  if (outer === undefined) return { ok: false, reason: 'malformed' };
  if (isEnvelope(outer)) {
    if (signer && !signer.verify(actionKey, outer.payload, outer.sig)) return { ok: false, reason: 'bad-signature' };
    const entry = parseActionEntry(outer.payload);
    return entry ? { ok: true, entry } : { ok: false, reason: 'malformed' };
  }
  if (signer) return { ok: false, reason: 'unsigned' };
  const entry = parseActionEntry(outer);
  return entry ? { ok: true, entry } : { ok: false, reason: 'malformed' };
}

function isEnvelope(value: unknown): value is SignedEnvelope {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Record<keyof SignedEnvelope, unknown>>;
  return candidate.kiln === ENVELOPE_TAG && typeof candidate.payload === 'string' && typeof candidate.sig === 'string';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
