/**
 * Levels for stats and normalisation: sample peak and RMS in dBFS, and integrated loudness in
 * LUFS per ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75 % overlap, absolute gate at
 * −70 LUFS, relative gate at −10 LU). Filter coefficients are derived for any sample rate the
 * way pyloudnorm does, so 22.05 kHz sources are weighted correctly.
 */

export interface Levels {
  peakDb: number;
  rmsDb: number;
  /** −Infinity for silence. */
  loudnessLufs: number;
  /** Samples at or beyond full scale, a sign the source was clipped before it reached us. */
  clippedSamples: number;
}

export function measureLevels(channels: readonly Float32Array[], sampleRate: number): Levels {
  let peak = 0;
  let sumSquares = 0;
  let clipped = 0;
  let count = 0;
  for (const channel of channels) {
    for (let i = 0; i < channel.length; i++) {
      const v = Math.abs(channel[i]!);
      if (v > peak) peak = v;
      if (v >= 0.9999) clipped++;
      sumSquares += v * v;
    }
    count += channel.length;
  }
  return {
    peakDb: toDb(peak),
    rmsDb: count ? 10 * Math.log10(sumSquares / count) : -Infinity,
    loudnessLufs: integratedLoudness(channels, sampleRate),
    clippedSamples: clipped,
  };
}

export function toDb(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number {
  const frames = channels[0]?.length ?? 0;
  if (frames === 0) return -Infinity;
  const squares = channels.map((c) => kWeightedSquares(c, sampleRate));
  const block = Math.round(0.4 * sampleRate);
  const step = Math.round(0.1 * sampleRate);
  const powers: number[] = [];
  // Clips shorter than one gating block still get a measurement: one block over all they have.
  const blockLength = Math.min(block, frames);
  for (let start = 0; start + blockLength <= frames; start += step) {
    let power = 0;
    for (const channel of squares) {
      let sum = 0;
      for (let i = start; i < start + blockLength; i++) sum += channel[i]!;
      power += sum / blockLength;
    }
    powers.push(power);
    if (blockLength < block) break;
  }
  const lufs = (p: number) => -0.691 + 10 * Math.log10(p);
  const absolute = powers.filter((p) => lufs(p) > -70);
  if (absolute.length === 0) return -Infinity;
  const relativeGate = lufs(mean(absolute)) - 10;
  const gated = absolute.filter((p) => lufs(p) > relativeGate);
  return lufs(mean(gated.length ? gated : absolute));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The two-stage K-weighting filter (a +4 dB high shelf around 1.5 kHz, then a 38 Hz high-pass),
 * squared: what the gating blocks sum. Both stages run in one pass into one array, with the same
 * arithmetic in the same order as filtering a copy twice and squaring in each block, so the
 * result is bit for bit the same; each overlapping block (a sample is in four) reads its squares.
 */
function kWeightedSquares(channel: Float32Array, rate: number): Float64Array {
  const [s0, s1, s2, sa1, sa2] = biquadShelf(4.0, 1 / Math.SQRT2, 1500, rate);
  const [h0, h1, h2, ha1, ha2] = biquadHighPass(0.5, 38, rate);
  const out = new Float64Array(channel.length);
  let x1 = 0;
  let x2 = 0;
  let m1 = 0;
  let m2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < channel.length; i++) {
    const x = channel[i]!;
    const m = s0 * x + s1 * x1 + s2 * x2 - sa1 * m1 - sa2 * m2;
    const y = h0 * m + h1 * m1 + h2 * m2 - ha1 * y1 - ha2 * y2;
    out[i] = y * y;
    x2 = x1;
    x1 = x;
    m2 = m1;
    m1 = m;
    y2 = y1;
    y1 = y;
  }
  return out;
}

type Coefficients = [b0: number, b1: number, b2: number, a1: number, a2: number];

function biquadShelf(gainDb: number, q: number, fc: number, rate: number): Coefficients {
  const A = 10 ** (gainDb / 40);
  const w0 = (2 * Math.PI * fc) / rate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const sqrtA2 = 2 * Math.sqrt(A) * alpha;
  const a0 = A + 1 - (A - 1) * cos + sqrtA2;
  return [
    (A * (A + 1 + (A - 1) * cos + sqrtA2)) / a0,
    (-2 * A * (A - 1 + (A + 1) * cos)) / a0,
    (A * (A + 1 + (A - 1) * cos - sqrtA2)) / a0,
    (2 * (A - 1 - (A + 1) * cos)) / a0,
    (A + 1 - (A - 1) * cos - sqrtA2) / a0,
  ];
}

function biquadHighPass(q: number, fc: number, rate: number): Coefficients {
  const w0 = (2 * Math.PI * fc) / rate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  return [(1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
}
