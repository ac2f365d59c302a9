/**
 * The `texture` rule's options and platform settings, each declared once: schema, default and
 * description; the types are inferred. A leaf: cook files and index.ts import it, it imports
 * only constant lists.
 */
import { type Infer, s } from '../../src/rule/schema.js';
import { BLOCK_ALIGN_POLICIES } from './block-align.js';
import { ENCODER_KINDS, POT_POLICIES, TEXTURE_FORMATS } from './platform-settings.js';
import { ASTC_BLOCKS } from './vk-formats.js';

const EFFORTS = ['fast', 'normal', 'high'] as const;

export const TEXTURE_OPTIONS = s.object({
  // auto: normal maps and `linear_patterns` are linear, everything else sRGB colour.
  color_space: s.enum(['auto', 'srgb', 'linear'] as const).default('auto').describe('sRGB colour or linear data'),
  // Unset: decided by the platform's `normal_patterns`.
  normal_map: s.boolean().describe('tangent-space normal map'),
  // Unset: the platform's `max_size` alone applies; set, the smaller of the two.
  max_size: s.integer({ min: 1, max: 16384 }).describe('largest width/height'),
  mips: s.boolean().default(true).describe('generate mip levels'),
  resize: s.boolean().default(true).describe('scale down oversized textures instead of failing'),
  // Unset: the platform's format (e.g. `png` for UI art overrides it per target).
  format: s.enum(TEXTURE_FORMATS).describe('output format override'),
  mip_filter: s.enum(['lanczos3', 'mitchell', 'cubic', 'linear', 'nearest'] as const).default('lanczos3').describe('resampling kernel'),
  // Unset: the platform's effort.
  effort: s.enum(EFFORTS).describe('encoder effort override'),
  block_align: s.enum(BLOCK_ALIGN_POLICIES).default('resize').describe('level 0 of block formats off the block grid: resize | pad | fail'),
});
export type TextureOptions = Infer<typeof TEXTURE_OPTIONS>;

/** `rules.texture` merged under `platforms.<name>.texture` in the root assets.yaml. */
export const TEXTURE_SETTINGS = s.object({
  format: s.enum(TEXTURE_FORMATS).default('rgba8').describe('bc7 | astc | etc2 | basis | rgba8 | png | webp'),
  // wasm runs anywhere after `npm install` with the same bytes on every machine; ETC2 needs native.
  encoder: s.enum(ENCODER_KINDS).default('wasm').describe('wasm (default, any machine) | native (accelerator: @gpu-tex-enc executables)'),
  max_size: s.integer({ min: 1, max: 16384 }).default(4096).describe('largest width/height'),
  // 4x4 best quality (8 bpp) … 8x8 (2 bpp) … 12x12 smallest.
  astc_block: s.enum(ASTC_BLOCKS).default('6x6').describe('ASTC block size'),
  basis_mode: s.enum(['uastc', 'etc1s'] as const).default('uastc').describe('Basis Universal mode'),
  effort: s.enum(EFFORTS).default('normal').describe('encoder effort'),
  pot: s.enum(POT_POLICIES).default('warn').describe('non-power-of-two policy'),
  compress_only_if_smaller: s.boolean().default(true).describe('fall back to RGBA8 when compression does not shrink the file'),
  max_pixels: s.integer({ min: 1 }).default(16384 * 16384).describe('decompression-bomb limit, checked before decoding'),
  linear_patterns: s
    .array(s.string())
    .default(['*_n.*', '*_normal.*', '*_nrm.*', '*_rough*.*', '*_metal*.*', '*_ao.*', '*_orm.*', '*_mask.*', '*_height.*'])
    .describe('globs of linear-data textures'),
  normal_patterns: s.array(s.string()).default(['*_n.*', '*_normal.*', '*_nrm.*']).describe('globs of normal maps'),
  // Normal maps are always lossless.
  webp_quality: s.integer({ min: 1, max: 100 }).default(90).describe('WebP quality'),
});
export type TexturePlatformSettings = Infer<typeof TEXTURE_SETTINGS>;
