/**
 * The encoder interface the rule is built against (glTF-Transform passes its codecs in the same
 * way): a test or a game can swap one encoder — a faster one, a licensed one, a fake — without
 * touching the rule. `wasmTextureCodecs()` (the default) and `nativeTextureCodecs()` wire up the
 * two sets a platform chooses between with `encoder: wasm | native`.
 */
import type { RgbaImage } from './decode-image.js';
import type { AstcBlock } from './vk-formats.js';

export type BlockFormat = 'bc7' | 'bc5' | 'bc4' | 'astc' | 'etc2-rgb' | 'etc2-rgba' | 'eac-r11' | 'eac-rg11';
export type EncodeEffort = 'fast' | 'normal' | 'high';

export interface BlockEncodeJob {
  /** One mip level, straight RGBA8. */
  image: RgbaImage;
  format: BlockFormat;
  srgb: boolean;
  astcBlock: AstcBlock;
  effort: EncodeEffort;
  /** Absolute scratch folder, private to this cook. */
  dir: string;
  /** Decode the blocks back to RGBA8 so the rule can measure PSNR (level 0 only). */
  decode: boolean;
}

export interface BlockEncodeResult {
  /** The level's blocks, row-major, as KTX2 stores them. */
  blocks: Uint8Array;
  /** Present when `decode` was asked and the encoder has a decoder. */
  decoded?: RgbaImage;
}

export interface BlockEncoder {
  /** Shown in stats: which tool made the blocks. */
  readonly name: string;
  /**
   * What joins the action key of every cook that uses this encoder: npm name@version for wasm,
   * package version + executable digest for native tools. Throws `tool-missing` when unusable.
   */
  identity(): Promise<string>;
  encode(job: BlockEncodeJob): Promise<BlockEncodeResult>;
}

export interface BasisEncodeJob {
  image: RgbaImage;
  mode: 'uastc' | 'etc1s';
  srgb: boolean;
  normalMap: boolean;
  mips: boolean;
  effort: EncodeEffort;
  dir: string;
}

export interface BasisEncodeResult {
  /** A complete KTX2 file (Basis Universal makes its own container and mip chain). */
  ktx2: Uint8Array;
  /** PSNR of level 0 as measured by the encoder's own decoder, when it reports one. */
  psnr?: number;
}

export interface BasisEncoder {
  readonly name: string;
  /** As BlockEncoder.identity. */
  identity(): Promise<string>;
  encode(job: BasisEncodeJob): Promise<BasisEncodeResult>;
}

export interface TextureCodecs {
  /** BC4/BC5/BC7 (desktop). */
  bc: BlockEncoder;
  /** ASTC (mobile). */
  astc: BlockEncoder;
  /** ETC2 / EAC (mobile fallback). */
  etc2: BlockEncoder;
  /** Basis Universal ETC1S/UASTC (web). */
  basis: BasisEncoder;
}

/** Which slot of TextureCodecs a platform `format` encodes with; undefined for formats sharp writes (rgba8/png/webp). */
export function codecSlotFor(format: string): keyof TextureCodecs | undefined {
  if (format === 'bc7') return 'bc';
  if (format === 'astc' || format === 'etc2' || format === 'basis') return format === 'etc2' ? 'etc2' : format;
  return undefined;
}

export function codecFor(codecs: TextureCodecs, format: BlockFormat): BlockEncoder {
  if (format === 'astc') return codecs.astc;
  if (format.startsWith('etc2') || format.startsWith('eac')) return codecs.etc2;
  return codecs.bc;
}
