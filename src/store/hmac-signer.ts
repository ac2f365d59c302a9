import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 over an action key and the exact entry text. The key is part of the message so a
 * validly signed entry cannot be replayed under another action key by someone who can write to
 * the server but does not hold the secret.
 */
export class HmacSigner {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (secret === '') throw new Error('HMAC key must not be empty');
    this.#secret = Buffer.from(secret, 'utf8');
  }

  sign(actionKey: string, payload: string): string {
    return createHmac('sha256', this.#secret).update(actionKey).update('\n').update(payload).digest('hex');
  }

  verify(actionKey: string, payload: string, signature: string): boolean {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    const expected = Buffer.from(this.sign(actionKey, payload), 'hex');
    return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  }

  /** Keep the secret out of logs and `util.inspect` output. */
  toJSON(): string {
    return 'HmacSigner(<redacted>)';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'HmacSigner(<redacted>)';
  }
}
