/**
 * `texture`: turns a source image (PNG, JPEG, WebP) or a pre-compressed DDS/KTX2 into what the
 * platform's GPU samples — BC7/BC5/BC4 on desktop, ASTC or ETC2 on mobile, Basis Universal on the
 * web, or RGBA8/PNG/WebP — with a linear-light, alpha-correct, renormalized-for-normals mip chain.
 * Encoders are injected (`textureRule(codecs)`); nothing heavy loads until the first cook.
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity, type ToolIdentities } from '../../src/rule/tool-identity.js';
import { codecSlotFor, type TextureCodecs } from './codecs.js';
import { cookTexture } from './cook-texture.js';
import { nativeTextureCodecs, wasmTextureCodecs } from './default-codecs.js';
import { TEXTURE_OPTIONS, TEXTURE_SETTINGS, type TextureOptions, type TexturePlatformSettings } from './options.js';

export { TEXTURE_OPTIONS, TEXTURE_SETTINGS, type TextureOptions, type TexturePlatformSettings } from './options.js';

export const NAME = 'texture';
/** Bump when the bytes this rule writes for the same inputs change. */
// 3: block formats are aligned to their block grid (block_align).
export const VERSION = 3;

export type { TextureFormat } from './platform-settings.js';
export type { TextureCodecs, BlockEncoder, BasisEncoder, BlockEncodeJob, BasisEncodeJob } from './codecs.js';
export { defaultTextureCodecs, nativeTextureCodecs, wasmTextureCodecs } from './default-codecs.js';

/** Encoders to use instead of the built-in ones, per `encoder:` setting (tests, studios with licensed encoders). */
export interface TextureEncoderOverrides {
  wasm?: Partial<TextureCodecs>;
  native?: Partial<TextureCodecs>;
}

export function textureRule(overrides: TextureEncoderOverrides = {}) {
  const sets: Partial<Record<'wasm' | 'native', TextureCodecs>> = {};
  const codecsFor = (kind: 'wasm' | 'native'): TextureCodecs =>
    (sets[kind] ??= { ...(kind === 'native' ? nativeTextureCodecs() : wasmTextureCodecs()), ...overrides[kind] });
  const writer = `kiln texture v${VERSION}`;
  return defineRule<TextureOptions, TexturePlatformSettings>({
    name: NAME,
    version: VERSION,
    type: 'texture',
    description: 'Image or DDS/KTX2 → platform GPU texture (BC7/ASTC/ETC2/Basis KTX2, RGBA8, PNG, WebP) with linear-light mips',
    needsSources: false,
    attributes: TEXTURE_OPTIONS,
    platformSettings: TEXTURE_SETTINGS,
    async tools(attrs, settings): Promise<ToolIdentities> {
      // sharp (libvips) decodes, resizes and writes PNG/WebP for every texture.
      const tools: ToolIdentities = { sharp: npmPackageIdentity('sharp') };
      const slot = codecSlotFor(attrs.format ?? settings.format);
      if (slot) tools[`texture-${slot}`] = await codecsFor(settings.encoder)[slot].identity();
      return tools;
    },
    cook: (ctx) => cookTexture(ctx, { codecs: codecsFor(ctx.platform.settings.encoder), writer }),
  });
}
