/**
 * Basis Universal (UASTC / ETC1S KTX2, the web's transcodable format) in wasm, from the same module
 * as the BC and ASTC encoders. Like native basisu it builds the mip chain itself (in linear light
 * for sRGB input, renormalized for normal maps) and supercompresses UASTC with Zstandard.
 */
import type { BasisEncodeJob, BasisEncodeResult, BasisEncoder, EncodeEffort } from './codecs.js';
import { basisWasmIdentity, SOURCE_RAW, withBasisEncoder } from './basis-module.js';

/** UASTC pack levels 0 (fastest) … 4 (slowest): the same as basisu's -uastc_level. */
const UASTC_LEVEL: Record<EncodeEffort, number> = { fast: 0, normal: 2, high: 3 };
const ETC1S_QUALITY: Record<EncodeEffort, { quality: number; level: number }> = {
  fast: { quality: 64, level: 0 },
  normal: { quality: 128, level: 1 },
  high: { quality: 255, level: 2 },
};
const KTX2_SLACK = 64 * 1024;

export function wasmBasisCodec(): BasisEncoder {
  return {
    name: 'basis-wasm',
    identity: async () => basisWasmIdentity(),
    encode: (job: BasisEncodeJob): Promise<BasisEncodeResult> =>
      withBasisEncoder((encoder, module) => {
        const { width, height } = job.image;
        if (!encoder.setSliceSourceImage(0, job.image.data, width, height, SOURCE_RAW)) throw new Error(`the wasm Basis encoder refused a ${width}×${height} image`);
        if (job.normalMap) encoder.setNormalMapPreset();
        encoder.setFormatMode(module.basis_tex_format[job.mode === 'uastc' ? 'cUASTC_LDR_4x4' : 'cETC1S']!.value);
        encoder.setCreateKTX2File(true);
        encoder.setKTX2UASTCSupercompression(job.mode === 'uastc');
        encoder.setKTX2AndBasisSRGBTransferFunc(job.srgb);
        encoder.setPerceptual(job.srgb && !job.normalMap);
        encoder.setMipGen(job.mips);
        encoder.setMipSRGB(job.srgb);
        encoder.setMipRenormalize(job.normalMap);
        encoder.setCheckForAlpha(true);
        encoder.setComputeStats(true);
        if (job.mode === 'uastc') encoder.setPackUASTCFlags(UASTC_LEVEL[job.effort]);
        else {
          encoder.setQualityLevel(ETC1S_QUALITY[job.effort].quality);
          encoder.setETC1SCompressionLevel(ETC1S_QUALITY[job.effort].level);
        }
        const out = new Uint8Array(Math.ceil((width * height * 4 * 4) / 3) + KTX2_SLACK);
        const size = encoder.encode(out);
        if (size <= 0) throw new Error(`the wasm Basis encoder failed on a ${width}×${height} image (it refuses more than 12 Mpixel)`);
        const psnr = encoder.getLastEncodeMip0RGBAPSNR();
        return { ktx2: out.slice(0, size), ...(psnr > 0 ? { psnr: Math.round(psnr * 100) / 100 } : {}) };
      }),
  };
}
