/**
 * The Basis Universal 2.x encoder compiled to wasm, as shipped by `ktx2-encoder`: BC7 (bc7e),
 * BC4/BC5, ASTC LDR 4×4…12×12, UASTC and ETC1S, all in one module. It is loaded once per thread
 * (~250–450 ms start-up) and then shared by every encode on that thread, so it works the same on
 * the main thread and inside a worker. Its emscripten `print`/`printErr` go nowhere: the encoder
 * prints debug lines on every encode, which must not reach kiln's output.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { npmPackageIdentity, packageDir } from '../../src/rule/tool-identity.js';

export const BASIS_WASM_PACKAGE = 'ktx2-encoder';

interface EnumValue {
  value: number;
}

/** The subset of the embind `BasisEncoder` class kiln calls. */
export interface BasisEncoderHandle {
  setSliceSourceImage(slice: number, rgba: Uint8Array, width: number, height: number, sourceType: number): boolean;
  setFormatMode(format: number): void;
  setCreateKTX2File(flag: boolean): void;
  setKTX2UASTCSupercompression(flag: boolean): void;
  setKTX2AndBasisSRGBTransferFunc(flag: boolean): void;
  setPerceptual(flag: boolean): void;
  setMipGen(flag: boolean): void;
  setMipSRGB(flag: boolean): void;
  setMipRenormalize(flag: boolean): void;
  setNormalMapPreset(): void;
  setQualityLevel(level: number): void;
  setETC1SCompressionLevel(level: number): void;
  setPackUASTCFlags(flags: number): void;
  setLDRChannelWeights(r: number, g: number, b: number, a: number): void;
  setASTCOrXUASTCLDREffortLevel(level: number): void;
  setDDSFormat(token: string): boolean;
  setDDSBC7Encoder(encoder: number): boolean;
  setDDSBC7EScalarLevel(level: number): void;
  setComputeStats(flag: boolean): void;
  setCheckForAlpha(flag: boolean): void;
  setDebug(flag: boolean): void;
  encode(out: Uint8Array): number;
  encodeToDDS(out: Uint8Array): number;
  getLastEncodeMip0RGBAPSNR(): number;
  delete(): void;
}

/** The transcoder side of the same module (`DDSFile`, `KTX2File`): kiln uses it to decode for PSNR. */
export interface BasisFileHandle {
  isValid(): boolean;
  startTranscoding(): number;
  transcodeImage(dst: Uint8Array, level: number, layer: number, face: number, format: number, alphaForOpaque: number, channel0: number, channel1: number): number;
  close(): void;
  delete(): void;
}

export interface BasisModule {
  DDSFile: new (bytes: Uint8Array) => BasisFileHandle;
  KTX2File: new (bytes: Uint8Array) => BasisFileHandle;
  transcoder_texture_format: Record<string, EnumValue>;
  BasisEncoder: new () => BasisEncoderHandle;
  basis_tex_format: Record<string, EnumValue>;
  dds_bc7_encoder: Record<string, EnumValue>;
  initializeBasis(): void;
}

type BasisFactory = (options: { print: (text: string) => void; printErr: (text: string) => void }) => Promise<BasisModule>;

let loading: Promise<BasisModule> | undefined;

/** The module for this thread, created on first use. */
export function basisModule(): Promise<BasisModule> {
  loading ??= (async () => {
    // The package exports only its wrapper; the emscripten module it wraps sits next to it.
    const file = join(packageDir(BASIS_WASM_PACKAGE), 'dist', 'basis', 'basis_encoder.js');
    const factory = (await import(pathToFileURL(file).href) as { default: BasisFactory }).default;
    const module = await factory({ print: () => {}, printErr: () => {} });
    module.initializeBasis();
    return module;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The identity that joins the action key of every cook this module encodes. */
export function basisWasmIdentity(): string {
  return npmPackageIdentity(BASIS_WASM_PACKAGE);
}

/** Runs one encode with a fresh encoder object, freed afterwards (the wasm heap leaks otherwise). */
export async function withBasisEncoder<T>(run: (encoder: BasisEncoderHandle, module: BasisModule) => T): Promise<T> {
  const module = await basisModule();
  const encoder = new module.BasisEncoder();
  try {
    encoder.setDebug(false);
    return run(encoder, module);
  } finally {
    encoder.delete();
  }
}

/**
 * Decodes level 0 of a DDS or KTX2 file the module just wrote back to RGBA8 (the encoder's own
 * decoder, so PSNR measures exactly the blocks that ship).
 */
export function decodeLevel0(module: BasisModule, kind: 'dds' | 'ktx2', file: Uint8Array, width: number, height: number): Uint8Array {
  const handle = kind === 'dds' ? new module.DDSFile(file) : new module.KTX2File(file);
  try {
    const out = new Uint8Array(width * height * 4);
    const rgba32 = module.transcoder_texture_format['cTFRGBA32']!.value;
    if (!handle.isValid() || !handle.startTranscoding() || !handle.transcodeImage(out, 0, 0, 0, rgba32, 0, -1, -1)) {
      throw new Error(`the Basis Universal decoder could not read back its own ${kind.toUpperCase()} output`);
    }
    return out;
  } finally {
    handle.close();
    handle.delete();
  }
}

/** Raw RGBA8 input (the encoder's `SourceType.RAW`). */
export const SOURCE_RAW = 0;
