/** A dependency cycle, printed as the chain of labels that closes it. */
export class CycleError extends Error {
  override readonly name = 'CycleError';

  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
  }
}
