/*! sample game logic — MIT */
import { Health } from './lib/health';
import { clamp, lerp } from './lib/math.js';
import tuning from './tuning.json';

declare const DEBUG: boolean;

export interface Frame {
  /** Seconds since the last frame. */
  dt: number;
}

const player = new Health(tuning.maxHealth);

/** Regenerates health towards the maximum; returns the displayed value. */
export function update(frame: Frame): number {
  const t = clamp(frame.dt * tuning.speed, 0, 1);
  if (DEBUG) console.log('regen step', t);
  player.current = lerp(player.current, player.max, t);
  return Math.round(player.current);
}

export function hit(amount: number): void {
  player.damage(amount);
}
