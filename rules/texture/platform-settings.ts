/**
 * The value lists a texture platform profile chooses from (formats, POT policies, encoders);
 * the settings schema itself is in options.ts.
 */

export const TEXTURE_FORMATS = ['bc7', 'astc', 'etc2', 'basis', 'rgba8', 'png', 'webp'] as const;
/** bc7 → BC7/BC5/BC4 KTX2; astc → ASTC KTX2; etc2 → ETC2/EAC KTX2; basis → Basis Universal KTX2; rgba8 → uncompressed KTX2; png/webp → image files. */
export type TextureFormat = (typeof TEXTURE_FORMATS)[number];
export const POT_POLICIES = ['resize', 'warn', 'error', 'ignore'] as const;
export type PotPolicy = (typeof POT_POLICIES)[number];
export type EncodeEffortSetting = 'fast' | 'normal' | 'high';

export const ENCODER_KINDS = ['wasm', 'native'] as const;
export type EncoderKind = (typeof ENCODER_KINDS)[number];
