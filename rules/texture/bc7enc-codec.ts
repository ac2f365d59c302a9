/** BC4/BC5/BC7 through Rich Geldreich's bc7enc (bc7e.ispc for BC7), shipped by @gpu-tex-enc/bc. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, EncodeEffort } from './codecs.js';
import { readDds } from './dds-reader.js';
import { readPng, writePng } from './png-io.js';
import { nativeTool } from './native-tools.js';
import { runTool, toolExecutable, toolIdentity } from './run-tool.js';

const BC7_LEVEL: Record<EncodeEffort, string> = { fast: '-u1', normal: '-u4', high: '-u6' };
const BC45_LEVEL: Record<EncodeEffort, string[]> = { fast: ['-hl'], normal: [], high: ['-hr10'] };

const TOOL = nativeTool('bc7enc');

export function bc7encCodec(binary?: string): BlockEncoder {
  let exe = binary;
  return {
    name: 'bc7enc',
    identity: () => toolIdentity(TOOL, binary),
    async encode(job: BlockEncodeJob): Promise<BlockEncodeResult> {
      exe ??= toolExecutable(TOOL);
      const dir = await mkdtemp(join(job.dir, 'bc-'));
      const input = join(dir, 'in.png');
      const output = join(dir, 'out.dds');
      const unpacked = join(dir, 'unpacked.png');
      await writePng(job.image, input);
      const mode =
        job.format === 'bc7' ? [BC7_LEVEL[job.effort], ...(job.srgb ? ['-s'] : [])]
        : job.format === 'bc5' ? ['-5', ...BC45_LEVEL[job.effort]]
        : job.format === 'bc4' ? ['-4', ...BC45_LEVEL[job.effort]]
        : undefined;
      if (!mode) throw new Error(`bc7enc cannot encode ${job.format}`);
      const args = ['-q', ...mode, ...(job.decode ? [] : ['-g']), input, output, ...(job.decode ? [unpacked] : [])];
      await runTool(TOOL, exe, args, dir);
      const dds = readDds(new Uint8Array(await readFile(output)));
      const blocks = dds.levels[0]!;
      if (!job.decode) return { blocks };
      const decoded = await readPng(unpacked, job.format === 'bc7' ? join(dir, 'unpacked_alpha.png') : undefined);
      return { blocks, decoded };
    },
  };
}
