/**
 * What a platform profile in the root assets.yaml may say about textures
 * (`rules.texture` merged under `platforms.<name>.texture`).
 */
import { s } from '../../src/rule/schema.js';
import { ASTC_BLOCKS, type AstcBlock } from './vk-formats.js';

export const TEXTURE_FORMATS = ['bc7', 'astc', 'etc2', 'basis', 'rgba8', 'png', 'webp'] as const;
/** bc7 → BC7/BC5/BC4 KTX2; astc → ASTC KTX2; etc2 → ETC2/EAC KTX2; basis → Basis Universal KTX2; rgba8 → uncompressed KTX2; png/webp → image files. */
export type TextureFormat = (typeof TEXTURE_FORMATS)[number];
export const POT_POLICIES = ['resize', 'warn', 'error', 'ignore'] as const;
export type PotPolicy = (typeof POT_POLICIES)[number];
export type EncodeEffortSetting = 'fast' | 'normal' | 'high';

export const ENCODER_KINDS = ['wasm', 'native'] as const;
export type EncoderKind = (typeof ENCODER_KINDS)[number];

export interface TexturePlatformSettings {
  /** GPU format family the platform samples. */
  format?: TextureFormat;
  /**
   * Which encoders make the blocks: `wasm` (default; runs anywhere after `npm install`, same bytes on
   * every machine) or `native` (the @gpu-tex-enc executables: faster, need system libraries). ETC2 needs native.
   */
  encoder?: EncoderKind;
  /** Largest width or height; bigger textures are scaled down (keeping aspect) unless `resize: false`. */
  max_size?: number;
  /** ASTC block footprint: 4x4 best quality (8 bpp) … 8x8 (2 bpp) … 12x12 smallest. */
  astc_block?: AstcBlock;
  /** Basis Universal mode: uastc (high quality, larger) or etc1s (small, lower quality). */
  basis_mode?: 'uastc' | 'etc1s';
  /** Encoder effort: fast for iteration, high for release builds. */
  effort?: EncodeEffortSetting;
  /** Non-power-of-two textures: resize to the nearest power of two, warn, fail, or accept silently. */
  pot?: PotPolicy;
  /** Keep uncompressed RGBA8 when the compressed file would not be smaller (tiny textures). */
  compress_only_if_smaller?: boolean;
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  max_pixels?: number;
  /** File-name globs (picomatch) of textures holding linear data rather than colour. */
  linear_patterns?: string[];
  /** File-name globs of tangent-space normal maps (linear, renormalized per mip, BC5/EAC RG on desktop/ETC2). */
  normal_patterns?: string[];
  /** WebP quality (1–100) for `format: webp`; normal maps are always lossless. */
  webp_quality?: number;
}

export const PLATFORM_DEFAULTS: Required<TexturePlatformSettings> = {
  format: 'rgba8',
  encoder: 'wasm',
  max_size: 4096,
  astc_block: '6x6',
  basis_mode: 'uastc',
  effort: 'normal',
  pot: 'warn',
  compress_only_if_smaller: true,
  max_pixels: 16384 * 16384,
  linear_patterns: ['*_n.*', '*_normal.*', '*_nrm.*', '*_rough*.*', '*_metal*.*', '*_ao.*', '*_orm.*', '*_mask.*', '*_height.*'],
  normal_patterns: ['*_n.*', '*_normal.*', '*_nrm.*'],
  webp_quality: 90,
};

export const platformSettingsSchema = s.object<TexturePlatformSettings>({
  format: s.enum(TEXTURE_FORMATS).describe('bc7 | astc | etc2 | basis | rgba8 | png | webp'),
  encoder: s.enum(ENCODER_KINDS).describe('wasm (default, any machine) | native (accelerator: @gpu-tex-enc executables)'),
  max_size: s.integer({ min: 1, max: 16384 }).describe('largest width/height'),
  astc_block: s.enum(ASTC_BLOCKS).describe('ASTC block size'),
  basis_mode: s.enum(['uastc', 'etc1s'] as const).describe('Basis Universal mode'),
  effort: s.enum(['fast', 'normal', 'high'] as const).describe('encoder effort'),
  pot: s.enum(POT_POLICIES).describe('non-power-of-two policy'),
  compress_only_if_smaller: s.boolean().describe('fall back to RGBA8 when compression does not shrink the file'),
  max_pixels: s.integer({ min: 1 }).describe('decompression-bomb limit, checked before decoding'),
  linear_patterns: s.array(s.string()).describe('globs of linear-data textures'),
  normal_patterns: s.array(s.string()).describe('globs of normal maps'),
  webp_quality: s.integer({ min: 1, max: 100 }).describe('WebP quality'),
});

export function resolvePlatformSettings(settings: Readonly<TexturePlatformSettings>): Required<TexturePlatformSettings> {
  const out: Record<string, unknown> = { ...PLATFORM_DEFAULTS };
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) out[key] = value;
  return out as Required<TexturePlatformSettings>;
}
