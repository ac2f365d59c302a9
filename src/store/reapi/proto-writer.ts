/**
 * A minimal protobuf encoder for the REAPI messages whose digests kiln computes (Action,
 * Command, Directory): fields written in field-number order, defaults omitted, as the spec's
 * canonical form asks, so the same inputs always give the same digest.
 */
export class ProtoWriter {
  readonly #parts: Uint8Array[] = [];

  string(field: number, value: string): this {
    if (value === '') return this;
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.byteLength === 0) return this;
    this.#tag(field, 2);
    this.#varint(value.byteLength);
    this.#parts.push(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    if (!value) return this;
    this.#tag(field, 0);
    this.#varint(1);
    return this;
  }

  uint(field: number, value: number): this {
    if (value === 0) return this;
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  /** An embedded message, written even when empty (presence matters for digests). */
  message(field: number, writer: ProtoWriter): this {
    const bytes = writer.finish();
    this.#tag(field, 2);
    this.#varint(bytes.byteLength);
    this.#parts.push(bytes);
    return this;
  }

  finish(): Uint8Array {
    return Buffer.concat(this.#parts);
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
    const out: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      out.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    out.push(rest);
    this.#parts.push(Uint8Array.from(out));
  }
}
