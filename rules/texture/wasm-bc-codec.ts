/**
 * BC7/BC5/BC4 in wasm: Basis Universal's `encodeToDDS` with the bc7e (scalar) BC7 packer, the same
 * algorithm as native bc7enc's bc7e.ispc. Channel weights are 1,1,1,1: the default perceptual
 * weights (9,11,1,11) lose ~1 dB against bc7enc on kodim23; equal weights match it at every level.
 */
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, EncodeEffort } from './codecs.js';
import { readDds } from './dds-reader.js';
import { basisWasmIdentity, decodeLevel0, SOURCE_RAW, withBasisEncoder } from './basis-module.js';

/** bc7e levels 0 (fastest) … 6 (slowest): the same as bc7enc's -u1/-u4/-u6. */
const BC7_LEVEL: Record<EncodeEffort, number> = { fast: 1, normal: 4, high: 6 };
const DDS_SLACK = 4096;

export function wasmBcCodec(): BlockEncoder {
  return {
    name: 'basis-wasm bc7e',
    identity: async () => basisWasmIdentity(),
    encode: (job: BlockEncodeJob): Promise<BlockEncodeResult> =>
      withBasisEncoder((encoder, module) => {
        if (job.format !== 'bc7' && job.format !== 'bc5' && job.format !== 'bc4') throw new Error(`the wasm BC encoder cannot encode ${job.format}`);
        const { width, height } = job.image;
        if (!encoder.setSliceSourceImage(0, job.image.data, width, height, SOURCE_RAW)) throw new Error(`the wasm BC encoder refused a ${width}×${height} image`);
        encoder.setMipGen(false);
        encoder.setCheckForAlpha(false);
        encoder.setKTX2AndBasisSRGBTransferFunc(job.srgb);
        encoder.setLDRChannelWeights(1, 1, 1, 1);
        encoder.setDDSFormat(job.format);
        encoder.setDDSBC7Encoder(module.dds_bc7_encoder['cDDSBC7Encoder_BC7E_Scalar']!.value);
        encoder.setDDSBC7EScalarLevel(BC7_LEVEL[job.effort]);
        // Blocks are at most 1 byte per texel (BC7/BC5), plus the DDS header.
        const out = new Uint8Array(Math.max(4, width) * Math.max(4, height) + DDS_SLACK);
        const size = encoder.encodeToDDS(out);
        if (size <= 0) throw new Error(`the wasm BC encoder failed on a ${width}×${height} ${job.format} level`);
        const file = out.subarray(0, size);
        const blocks = readDds(file).levels[0]!.slice();
        if (!job.decode) return { blocks };
        return { blocks, decoded: { data: decodeLevel0(module, 'dds', file, width, height), width, height } };
      }),
  };
}
