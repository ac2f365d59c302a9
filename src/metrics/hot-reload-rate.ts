/**
 * Hot reloads per minute over a watch session: every `changed` push counts once. The rate is over
 * the session so far (at least one minute, so the first reload does not read as 60/min).
 */
export class HotReloadRate {
  private reloads = 0;

  constructor(private readonly now: () => number = () => Date.now(), private readonly started = now()) {}

  record(): void {
    this.reloads++;
  }

  get count(): number {
    return this.reloads;
  }

  perMinute(): number {
    const minutes = Math.max(1, (this.now() - this.started) / 60_000);
    return Math.round((this.reloads / minutes) * 100) / 100;
  }
}
