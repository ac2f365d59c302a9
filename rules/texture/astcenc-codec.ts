/** ASTC through Arm's astcenc (the reference encoder), shipped by @gpu-tex-enc/astc. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, EncodeEffort } from './codecs.js';
import { readPng, writePng } from './png-io.js';
import { packageBinary, runTool } from './run-tool.js';

const PRESET: Record<EncodeEffort, string> = { fast: '-fast', normal: '-medium', high: '-thorough' };
const ASTC_HEADER_BYTES = 16;

function simdLevel(): string {
  // The avx2 build is the fast one; x64 CPUs without AVX2 are rare enough to need an explicit binary.
  return process.arch === 'x64' ? 'avx2' : 'sse2';
}

export function astcencCodec(binary?: string): BlockEncoder {
  let exe = binary;
  return {
    name: 'astcenc',
    async encode(job: BlockEncodeJob): Promise<BlockEncodeResult> {
      if (job.format !== 'astc') throw new Error(`astcenc cannot encode ${job.format}`);
      exe ??= packageBinary('@gpu-tex-enc/astc', (bins) => bins[`astcenc-${process.platform}-${process.arch}-${simdLevel()}`]);
      const dir = await mkdtemp(join(job.dir, 'astc-'));
      const input = join(dir, 'in.png');
      const output = join(dir, 'out.astc');
      await writePng(job.image, input);
      const profile = job.srgb ? 'cs' : 'cl';
      await runTool(exe, [`-${profile}`, input, output, job.astcBlock, PRESET[job.effort], '-j', '1', '-silent'], dir);
      const file = new Uint8Array(await readFile(output));
      const blocks = file.subarray(ASTC_HEADER_BYTES);
      if (!job.decode) return { blocks };
      const decodedPath = join(dir, 'decoded.png');
      await runTool(exe, [`-d${job.srgb ? 's' : 'l'}`, output, decodedPath, '-j', '1', '-silent'], dir);
      return { blocks, decoded: await readPng(decodedPath) };
    },
  };
}
