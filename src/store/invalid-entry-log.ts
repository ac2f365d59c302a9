import type { Diagnostic } from '../diagnostic/diagnostic.js';

/** Where an invalid entry came from, for the warning. */
export type EntrySource = 'local' | 'remote';

/**
 * Counts action cache entries that failed `parseActionEntry` during one build. Each was treated
 * as a miss (the target re-cooks and a good entry replaces a bad local one); the build gets ONE
 * warning for all of them, not one per lookup, so a poisoned remote cannot flood the output.
 */
export class InvalidEntryLog {
  readonly #counts: Record<EntrySource, number> = { local: 0, remote: 0 };
  readonly #examples: string[] = [];

  record(source: EntrySource, key: string): void {
    this.#counts[source] += 1;
    if (this.#examples.length < 3) this.#examples.push(`${source} ${key}`);
  }

  get count(): number {
    return this.#counts.local + this.#counts.remote;
  }

  /** The one warning for everything recorded since the last call, then starts over. */
  take(): Diagnostic | undefined {
    if (this.count === 0) return undefined;
    const { local, remote } = this.#counts;
    const where = [local ? `${local} local` : '', remote ? `${remote} remote` : ''].filter(Boolean).join(', ');
    const diagnostic: Diagnostic = {
      code: 'cache-entry-invalid',
      severity: 'warning',
      message:
        `action cache: ${this.count} invalid entr${this.count === 1 ? 'y' : 'ies'} (${where}) ignored as misses ` +
        `and re-cooked (e.g. ${this.#examples.join('; ')})`,
      hints: ['an entry with an unsafe path, a malformed digest or a broken schema is never used; nothing was written from it'],
    };
    this.#counts.local = 0;
    this.#counts.remote = 0;
    this.#examples.length = 0;
    return diagnostic;
  }
}
