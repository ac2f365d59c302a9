/**
 * `texture`: turns a source image (PNG, JPEG, WebP) or a pre-compressed DDS/KTX2 into what the
 * platform's GPU samples — BC7/BC5/BC4 on desktop, ASTC or ETC2 on mobile, Basis Universal on the
 * web, or RGBA8/PNG/WebP — with a linear-light, alpha-correct, renormalized-for-normals mip chain.
 * Encoders are injected (`textureRule(codecs)`); nothing heavy loads until the first cook.
 */
import { defineRule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import { npmPackageIdentity, type ToolIdentities } from '../../src/rule/tool-identity.js';
import { BLOCK_ALIGN_POLICIES, type BlockAlignPolicy } from './block-align.js';
import { codecSlotFor, type TextureCodecs } from './codecs.js';
import { cookTexture } from './cook-texture.js';
import { nativeTextureCodecs, wasmTextureCodecs } from './default-codecs.js';
import type { MipKernel } from './mip-chain.js';
import { platformSettingsSchema, TEXTURE_FORMATS, type TextureFormat, type TexturePlatformSettings } from './platform-settings.js';

import type { TextureOptions } from './options.js';
export type { TextureOptions } from './options.js';

export const NAME = 'texture';
/** Bump when the bytes this rule writes for the same inputs change. */
// 3: block formats are aligned to their block grid (block_align).
export const VERSION = 3;


export const DEFAULTS: TextureOptions = {
  color_space: 'auto',
  mips: true,
  resize: true,
  mip_filter: 'lanczos3',
};

export type { TexturePlatformSettings, TextureFormat } from './platform-settings.js';
export { PLATFORM_DEFAULTS } from './platform-settings.js';
export type { TextureCodecs, BlockEncoder, BasisEncoder, BlockEncodeJob, BasisEncodeJob } from './codecs.js';
export { defaultTextureCodecs, nativeTextureCodecs, wasmTextureCodecs } from './default-codecs.js';

/** Encoders to use instead of the built-in ones, per `encoder:` setting (tests, studios with licensed encoders). */
export interface TextureEncoderOverrides {
  wasm?: Partial<TextureCodecs>;
  native?: Partial<TextureCodecs>;
}

export function textureRule(overrides: TextureEncoderOverrides = {}) {
  const sets: Partial<Record<'wasm' | 'native', TextureCodecs>> = {};
  const codecsFor = (kind: 'wasm' | 'native' | undefined): TextureCodecs => {
    const k = kind ?? 'wasm';
    return (sets[k] ??= { ...(k === 'native' ? nativeTextureCodecs() : wasmTextureCodecs()), ...overrides[k] });
  };
  const writer = `kiln texture v${VERSION}`;
  return defineRule<TextureOptions, TexturePlatformSettings>({
    name: NAME,
    version: VERSION,
    type: 'texture',
    description: 'Image or DDS/KTX2 → platform GPU texture (BC7/ASTC/ETC2/Basis KTX2, RGBA8, PNG, WebP) with linear-light mips',
    needsSources: false,
    attributes: s.object<TextureOptions>({
      color_space: s.enum(['auto', 'srgb', 'linear'] as const).describe('sRGB colour or linear data'),
      normal_map: s.boolean().describe('tangent-space normal map'),
      max_size: s.integer({ min: 1, max: 16384 }).describe('largest width/height'),
      mips: s.boolean().describe('generate mip levels'),
      resize: s.boolean().describe('scale down oversized textures instead of failing'),
      format: s.enum(TEXTURE_FORMATS).describe('output format override'),
      mip_filter: s.enum(['lanczos3', 'mitchell', 'cubic', 'linear', 'nearest'] as const).describe('resampling kernel'),
      effort: s.enum(['fast', 'normal', 'high'] as const).describe('encoder effort override'),
      block_align: s.enum(BLOCK_ALIGN_POLICIES).describe('level 0 of block formats off the block grid: resize | pad | fail'),
    }),
    defaults: DEFAULTS,
    platformSettings: platformSettingsSchema,
    async tools(attrs, settings): Promise<ToolIdentities> {
      // sharp (libvips) decodes, resizes and writes PNG/WebP for every texture.
      const tools: ToolIdentities = { sharp: npmPackageIdentity('sharp') };
      const slot = codecSlotFor(attrs.format ?? settings.format ?? 'rgba8');
      if (slot) tools[`texture-${slot}`] = await codecsFor(settings.encoder)[slot].identity();
      return tools;
    },
    cook: (ctx) => cookTexture(ctx, { codecs: codecsFor(ctx.platform.settings.encoder), writer, validateOnly: false }),
    validate: (ctx) => cookTexture(ctx, { codecs: codecsFor(ctx.platform.settings.encoder), writer, validateOnly: true }),
  });
}
