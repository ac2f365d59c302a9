/**
 * Particle count budgets. The peak an emitter can reach is bounded by its continuous rate over
 * the longest lifetime plus every burst still alive at the same moment; the pool (`max_particles`)
 * caps that, and the platform caps the sum over emitters.
 */
export function peakParticles(rate: number, maxLifetime: number, bursts: readonly { time: number; count: number }[]): number {
  const continuous = Math.ceil(rate * maxLifetime);
  let overlapping = 0;
  for (const burst of bursts) {
    const alive = bursts
      .filter((other) => other.time <= burst.time && other.time > burst.time - maxLifetime)
      .reduce((sum, other) => sum + other.count, 0);
    overlapping = Math.max(overlapping, alive);
  }
  return continuous + overlapping;
}

export interface BudgetVerdict {
  total: number;
  severity: 'ok' | 'warning' | 'error';
  message: string;
}

export function checkBudget(pools: readonly number[], maxParticles: number, warnRatio: number, platform: string): BudgetVerdict {
  const total = pools.reduce((sum, n) => sum + n, 0);
  const what = `${total} particles at peak (platform ${platform} budget ${maxParticles})`;
  if (total > maxParticles) return { total, severity: 'error', message: `${what}: over budget` };
  if (total > maxParticles * warnRatio) return { total, severity: 'warning', message: `${what}: above ${Math.round(warnRatio * 100)}% of the budget` };
  return { total, severity: 'ok', message: what };
}
