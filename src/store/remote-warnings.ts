/**
 * Where the remote cache's warnings go: straight to a printer when the caller gave one (so a
 * dead server is reported when it happens), otherwise kept until `flush()` hands them over.
 */
export class RemoteWarnings {
  readonly #print: ((message: string) => void) | undefined;
  #kept: string[] = [];

  constructor(print?: (message: string) => void) {
    this.#print = print;
  }

  emit(message: string): void {
    if (this.#print) this.#print(message);
    else this.#kept.push(message);
  }

  /** The kept warnings, once each. */
  take(): string[] {
    const kept = this.#kept;
    this.#kept = [];
    return kept;
  }
}
