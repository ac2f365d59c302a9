/** The `texture` rule's options and platform settings: a leaf, so cook files and index.ts both import it. */
import type { BlockAlignPolicy } from './block-align.js';
import type { MipKernel } from './mip-chain.js';
import type { TextureFormat } from './platform-settings.js';

export interface TextureOptions {
  /** How the texel values are read: `srgb` colour, `linear` data, or `auto` (normal maps and `linear_patterns` → linear, else sRGB). */
  color_space: 'auto' | 'srgb' | 'linear';
  /** Tangent-space normal map: linear, renormalized per mip, two-channel formats where the platform has them. Unset: decided by `normal_patterns`. */
  normal_map?: boolean;
  /** Largest width/height for this target; the smaller of this and the platform's `max_size` applies. */
  max_size?: number;
  /** Generate the full mip chain down to 1×1. */
  mips: boolean;
  /** Scale textures above the size limit down; when false an oversized texture fails the cook. */
  resize: boolean;
  /** Override the platform's output format for this target (e.g. `png` for UI art). */
  format?: TextureFormat;
  /** Resampling kernel for resizing and mip generation. */
  mip_filter: MipKernel;
  /** Override the platform's encoder effort. */
  effort?: 'fast' | 'normal' | 'high';
  /** Block formats (BC, ASTC, ETC2, Basis) whose level 0 is not a multiple of the block: resize (default), pad, or fail. */
  block_align?: BlockAlignPolicy;
}
