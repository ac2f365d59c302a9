/**
 * The `animation` rule's options, declared once (schema, default, description; type inferred).
 * A leaf: cook files and index.ts import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const ANIMATION_OPTIONS = s.object({
  // Unset: every clip in one output.
  clip: s.string().describe('one clip by name; all clips when unset'),
  // glTF-Transform `resample`; 0 keeps every keyframe.
  resample_tolerance: s.number({ min: 0, max: 1 }).default(1e-4).describe('keyframe resampling tolerance'),
  // Normalized int16 instead of float.
  quantize: s.boolean().default(true).describe('int16 rotation keyframes'),
  // Fail the target, warn, or skip validating the input.
  input_validation: s.enum(['error', 'warn', 'off'] as const).default('error').describe('validator errors in the source'),
});
export type AnimationOptions = Infer<typeof ANIMATION_OPTIONS>;
