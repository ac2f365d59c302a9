/**
 * Builds one LOD document per level from the optimized source: a clone, simplified with
 * meshoptimizer when the level asks for fewer triangles, then reordered for the vertex cache and
 * vertex fetch and quantized (KHR_mesh_quantization). Each LOD is simplified from the full mesh,
 * not from the previous LOD, so errors do not accumulate down the chain.
 */
import type { Document, ILogger } from '@gltf-transform/core';
import type { ModelCodecs } from './codecs.js';
import type { LodLevel } from './lod-levels.js';

export interface LodBuildOptions {
  quantize: boolean;
  /** Compression-friendly order when meshopt will compress; GPU-cache order otherwise. */
  reorderFor: 'size' | 'performance';
}

export async function buildLod(
  source: Document,
  level: LodLevel,
  codecs: ModelCodecs,
  logger: ILogger,
  options: LodBuildOptions,
): Promise<Document> {
  const { cloneDocument, simplify, reorder, quantize } = codecs.functions;
  const doc = cloneDocument(source);
  doc.setLogger(logger);
  if (level.ratio < 1) {
    await doc.transform(simplify({ simplifier: codecs.simplifier, ratio: level.ratio, error: level.error, lockBorder: false }));
  }
  await doc.transform(reorder({ encoder: codecs.encoder, target: options.reorderFor }));
  if (options.quantize) await doc.transform(quantize());
  return doc;
}
