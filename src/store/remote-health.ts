/**
 * Circuit breaker for one remote cache. A dead or sick server must cost the build one warning
 * and a handful of failed requests, not a timeout per action: after `maxFailures` consecutive
 * failures every further request is skipped for the rest of the build. Only the first failure
 * produces a warning, so a build with a hundred lookups against a dead server prints one line.
 */
export interface RemoteHealthOptions {
  /** Printable base URL (already redacted). */
  display: string;
  /** Consecutive failures before the remote is abandoned. Default 3. */
  maxFailures?: number;
  /** Called once, at the first failure. */
  onWarning?: (message: string) => void;
}

export class RemoteHealth {
  readonly #display: string;
  readonly #maxFailures: number;
  readonly #onWarning: ((message: string) => void) | undefined;
  #consecutiveFailures = 0;
  #open = false;
  #warning: string | undefined;

  constructor(options: RemoteHealthOptions) {
    this.#display = options.display;
    this.#maxFailures = options.maxFailures ?? 3;
    this.#onWarning = options.onWarning;
  }

  /** False once the breaker has opened: callers skip the network and treat it as a miss. */
  get available(): boolean {
    return !this.#open;
  }

  /** The one warning of this build, if anything failed. */
  get warning(): string | undefined {
    return this.#warning;
  }

  succeeded(): void {
    if (!this.#open) this.#consecutiveFailures = 0;
  }

  /** `reason` reads after the URL: "unreachable (ECONNREFUSED)", "timed out after 2000 ms"… */
  failed(reason: string): void {
    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#maxFailures) this.#open = true;
    if (this.#warning !== undefined) return;
    this.#warning = `remote cache ${this.#display} ${reason}; building locally`;
    this.#onWarning?.(this.#warning);
  }
}
