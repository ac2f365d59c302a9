/** The particle system file as the JSON Schema admits it (before normalization). */
export type Range = number | [number, number];
export type Vec3 = [number, number, number];
export type Rgba = [number, number, number, number];
export type Curve<T> = T | { t: number; value: T }[];

export interface EmitterFile {
  name?: string;
  max_particles?: number;
  rate?: number;
  bursts?: { time: number; count: number }[];
  lifetime: Range;
  speed?: Range;
  velocity?: Vec3 | { min: Vec3; max: Vec3 };
  gravity?: Vec3;
  shape?: { type: 'point' | 'sphere' | 'cone' | 'box'; radius?: number; angle?: number; size?: Vec3 };
  size?: Curve<number>;
  color?: Curve<Rgba>;
  texture?: string;
  material?: string;
  blend?: 'alpha' | 'additive' | 'premultiplied';
}

export interface ParticleFile {
  duration?: number;
  loop?: boolean;
  emitters: EmitterFile[];
}
