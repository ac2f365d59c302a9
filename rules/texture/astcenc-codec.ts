/** ASTC through Arm's astcenc (the reference encoder), shipped by @gpu-tex-enc/astc. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, EncodeEffort } from './codecs.js';
import { readPng, writePng } from './png-io.js';
import { nativeTool } from './native-tools.js';
import { runTool, toolExecutable, toolIdentity } from './run-tool.js';

const PRESET: Record<EncodeEffort, string> = { fast: '-fast', normal: '-medium', high: '-thorough' };
const ASTC_HEADER_BYTES = 16;

const TOOL = nativeTool('astcenc');

export function astcencCodec(binary?: string): BlockEncoder {
  let exe = binary;
  return {
    name: 'astcenc',
    identity: () => toolIdentity(TOOL, binary),
    async encode(job: BlockEncodeJob): Promise<BlockEncodeResult> {
      if (job.format !== 'astc') throw new Error(`astcenc cannot encode ${job.format}`);
      // The build is picked by this CPU's features (AVX2, SSE4.1 or SSE2): see cpu-simd.ts.
      exe ??= toolExecutable(TOOL);
      const dir = await mkdtemp(join(job.dir, 'astc-'));
      const input = join(dir, 'in.png');
      const output = join(dir, 'out.astc');
      await writePng(job.image, input);
      const profile = job.srgb ? 'cs' : 'cl';
      await runTool(TOOL, exe, [`-${profile}`, input, output, job.astcBlock, PRESET[job.effort], '-j', '1', '-silent'], dir);
      const file = new Uint8Array(await readFile(output));
      const blocks = file.subarray(ASTC_HEADER_BYTES);
      if (!job.decode) return { blocks };
      const decodedPath = join(dir, 'decoded.png');
      await runTool(TOOL, exe, [`-d${job.srgb ? 's' : 'l'}`, output, decodedPath, '-j', '1', '-silent'], dir);
      return { blocks, decoded: await readPng(decodedPath) };
    },
  };
}
