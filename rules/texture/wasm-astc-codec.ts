/**
 * ASTC LDR in wasm: Basis Universal 2.x encodes plain ASTC blocks (4×4 … 12×12) straight into an
 * uncompressed KTX2, whose level 0 is taken as it is. Effort 2 matches astcenc -medium within
 * 0.05 dB at 4×4 (measured on kodim23); weights are 1,1,1,1 as for BC7.
 */
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, EncodeEffort } from './codecs.js';
import { basisWasmIdentity, decodeLevel0, SOURCE_RAW, withBasisEncoder } from './basis-module.js';

/** Basis Universal's ASTC effort 0 … 10. */
const EFFORT: Record<EncodeEffort, number> = { fast: 1, normal: 2, high: 4 };
const KTX2_SLACK = 4096;

export function wasmAstcCodec(): BlockEncoder {
  return {
    name: 'basis-wasm astc',
    identity: async () => basisWasmIdentity(),
    encode: async (job: BlockEncodeJob): Promise<BlockEncodeResult> => {
      // Imported on first use, not with the rule list: every `kiln build` that cooks loads that.
      const { read } = await import('ktx-parse');
      return withBasisEncoder((encoder, module) => {
        if (job.format !== 'astc') throw new Error(`the wasm ASTC encoder cannot encode ${job.format}`);
        const { width, height } = job.image;
        const format = module.basis_tex_format[`cASTC_LDR_${job.astcBlock}`];
        if (!format) throw new Error(`the wasm ASTC encoder has no ${job.astcBlock} block size`);
        if (!encoder.setSliceSourceImage(0, job.image.data, width, height, SOURCE_RAW)) throw new Error(`the wasm ASTC encoder refused a ${width}×${height} image`);
        encoder.setFormatMode(format.value);
        encoder.setCreateKTX2File(true);
        encoder.setKTX2UASTCSupercompression(false);
        encoder.setMipGen(false);
        encoder.setCheckForAlpha(false);
        encoder.setKTX2AndBasisSRGBTransferFunc(job.srgb);
        encoder.setLDRChannelWeights(1, 1, 1, 1);
        encoder.setASTCOrXUASTCLDREffortLevel(EFFORT[job.effort]);
        // 16 bytes per block, smallest block 4×4 = 1 byte per texel, plus the header and a partial block row/column.
        const out = new Uint8Array((Math.ceil(width / 4) + 1) * (Math.ceil(height / 4) + 1) * 16 + KTX2_SLACK);
        const size = encoder.encode(out);
        if (size <= 0) throw new Error(`the wasm ASTC encoder failed on a ${width}×${height} ${job.astcBlock} level`);
        const file = out.subarray(0, size);
        const blocks = read(file).levels[0]!.levelData.slice();
        if (!job.decode) return { blocks };
        return { blocks, decoded: { data: decodeLevel0(module, 'ktx2', file, width, height), width, height } };
      });
    },
  };
}
