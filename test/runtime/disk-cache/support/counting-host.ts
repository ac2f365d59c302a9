/**
 * A pretend CDN for disk cache tests: named files served as byte sources that count the bytes
 * they hand out and can be switched offline (reads then fail with `offline`, as httpSource does
 * when the server cannot be reached).
 */
import type { ByteSource } from '../../../../src/runtime/byte-source.js';
import { memorySource } from '../../../../src/runtime/memory-source.js';
import { RuntimeError } from '../../../../src/runtime/runtime-error.js';

export class CountingHost {
  files = new Map<string, Uint8Array>();
  offline = false;
  /** Bytes served per file name. */
  readonly served = new Map<string, number>();

  constructor(files: Map<string, Uint8Array>) {
    this.files = files;
  }

  source(name: string): ByteSource {
    const check = () => {
      if (this.offline) throw new RuntimeError('offline', `${name}: connection refused`);
      const bytes = this.files.get(name);
      if (!bytes) throw new RuntimeError('io', `${name}: HTTP 404`);
      return memorySource(bytes, name);
    };
    const count = (n: number) => this.served.set(name, (this.served.get(name) ?? 0) + n);
    return {
      name,
      async size() {
        return check().size();
      },
      async read(offset, length, signal) {
        const bytes = await check().read(offset, length, signal);
        count(bytes.byteLength);
        return bytes;
      },
      sibling: (path) => this.source(path),
    };
  }

  bytes(predicate: (name: string) => boolean = () => true): number {
    let n = 0;
    for (const [name, b] of this.served) if (predicate(name)) n += b;
    return n;
  }

  reset(): void {
    this.served.clear();
  }
}

export const isTar = (name: string) => name.endsWith('.tar');
