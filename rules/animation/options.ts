/** The `animation` rule's options and platform settings: a leaf, so cook files and index.ts both import it. */

export interface AnimationOptions {
  /** Name of the one clip to extract; all clips when unset. */
  clip?: string;
  /** Resampling tolerance (glTF-Transform `resample`); 0 keeps every keyframe. */
  resample_tolerance?: number;
  /** Store rotation keyframes as normalized int16 instead of float. */
  quantize?: boolean;
  /** What validator errors in the source do: fail the target, warn, or skip validating the input. */
  input_validation?: 'error' | 'warn' | 'off';
}
