/**
 * Circuit breaker for one remote cache. A dead or sick server must cost the build one warning
 * and a handful of failed requests, not a timeout per action: after `maxFailures` consecutive
 * failures every further request is skipped for the rest of the build. Only the first failure
 * produces a warning, so a build with a hundred lookups against a dead server prints one line.
 */
export interface RemoteHealthOptions {
  /** Printable base URL (already redacted). */
  display: string;
  /** What the warnings call the server. Default `remote cache`. */
  subject?: string;
  /** Consecutive failures before the remote is abandoned. Default 3. */
  maxFailures?: number;
  /** Called once, at the first failure. */
  onWarning?: (message: string) => void;
}

export class RemoteHealth {
  readonly #display: string;
  readonly #subject: string;
  readonly #maxFailures: number;
  readonly #onWarning: ((message: string) => void) | undefined;
  #consecutiveFailures = 0;
  #open = false;
  #warning: string | undefined;
  #settleFirst: ((healthy: boolean) => void) | undefined;
  #answered = false;
  #inFlight = 0;
  readonly #firstAnswer: Promise<boolean> = new Promise((resolve) => {
    this.#settleFirst = resolve;
  });

  constructor(options: RemoteHealthOptions) {
    this.#display = options.display;
    this.#subject = options.subject ?? 'remote cache';
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

  /** The client calls this as a request goes out (and `succeeded`/`failed` or `settled` after). */
  started(): void {
    this.#inFlight += 1;
  }

  /** A request ended without a verdict on the server (cancelled by us). */
  settled(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /**
   * Whether an upload may go out. While the build's first requests are still on their way it
   * waits for their answer, so a build never starts PUTting to a server whose first lookups are
   * timing out; with nothing asked yet, the upload itself is the probe.
   */
  async mayUpload(): Promise<boolean> {
    if (!this.#answered && this.#inFlight > 0) await this.#firstAnswer;
    // Not while the server's latest answer was a failure: a sick server gets lookups, not data.
    return this.available && this.#consecutiveFailures === 0;
  }

  succeeded(): void {
    this.settled();
    if (!this.#open) this.#consecutiveFailures = 0;
    this.#answered = true;
    this.#settleFirst?.(true);
    this.#settleFirst = undefined;
  }

  /**
   * The remote cannot be used at all this build (no common digest function, wrong protocol):
   * one warning, and every further request is skipped.
   */
  abandon(reason: string): void {
    this.settled();
    this.#answered = true;
    this.#settleFirst?.(false);
    this.#settleFirst = undefined;
    this.#open = true;
    if (this.#warning !== undefined) return;
    this.#warning = `${this.#subject} ${this.#display} ${reason}; building locally`;
    this.#onWarning?.(this.#warning);
  }

  /** `reason` reads after the URL: "unreachable (ECONNREFUSED)", "timed out after 2000 ms"… */
  failed(reason: string): void {
    this.settled();
    this.#answered = true;
    this.#settleFirst?.(false);
    this.#settleFirst = undefined;
    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#maxFailures) this.#open = true;
    if (this.#warning !== undefined) return;
    this.#warning = `${this.#subject} ${this.#display} ${reason}; building locally`;
    this.#onWarning?.(this.#warning);
  }
}
