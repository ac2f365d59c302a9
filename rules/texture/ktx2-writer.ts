/** Wraps encoded levels (level 0 first) into a KTX2 file with ktx-parse. */
import { buildDfd } from './dfd.js';
import type { VkFormatInfo } from './vk-formats.js';

export interface Ktx2Layout {
  width: number;
  height: number;
  depth?: number;
  layers?: number;
  faces?: number;
}

/** Rule version in KTXwriter instead of ktx-parse's own, so the bytes change only when kiln's do. */
export async function writeKtx2(format: VkFormatInfo, layout: Ktx2Layout, levels: Uint8Array[], options: { writer: string; premultiplied?: boolean }): Promise<Uint8Array> {
  const { createDefaultContainer, write } = await import('ktx-parse');
  const container = createDefaultContainer();
  container.vkFormat = format.vkFormat as typeof container.vkFormat;
  container.typeSize = 1;
  container.pixelWidth = layout.width;
  container.pixelHeight = layout.height;
  container.pixelDepth = layout.depth ?? 0;
  container.layerCount = layout.layers ?? 0;
  container.faceCount = layout.faces ?? 1;
  container.levelCount = levels.length;
  container.levels = levels.map((levelData) => ({ levelData: levelData as Uint8Array<ArrayBuffer>, uncompressedByteLength: levelData.byteLength }));
  container.dataFormatDescriptor = [buildDfd(format, options.premultiplied ?? false)];
  container.keyValue = { KTXwriter: options.writer };
  return write(container, { keepWriter: true });
}
