/**
 * The model cook, start to end: read and validate the input, optimize once, build the LOD chain,
 * validate every LOD with the Khronos validator, optionally meshopt-compress, and store one GLB
 * per LOD. See index.ts for the attributes and platform settings this reads.
 */
import type { Document } from '@gltf-transform/core';
import type { RuleContext } from '../../src/rule/context.js';
import type { OutputMeta, PartLayout } from '../../src/rule/output.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { ModelCodecs } from './codecs.js';
import { downscaleEmbedded } from './embedded-images.js';
import { FallbackImages } from './fallback-image.js';
import { gltfLogger } from './gltf-logger.js';
import { listIssues, validateGltf } from './gltf-validation.js';
import { buildLod } from './lod-chain.js';
import { lodLevels } from './lod-levels.js';
import { type MeshStats, meshStats, sceneBounds } from './mesh-stats.js';
import { checkAttributes, checkBudgets } from './model-checks.js';
import { optimizeGeometry } from './optimize-geometry.js';
import { type LoadedModel, readModel } from './read-model.js';
import { matchTextureRefs } from './texture-refs.js';
import { prepareTextureRefs, writeGlb } from './write-glb.js';
import type { ModelOptions, ModelPlatformSettings } from './options.js';

type Ctx = RuleContext<ModelOptions, ModelPlatformSettings>;

interface Prepared {
  model: LoadedModel;
  stats: MeshStats;
}

/** Read, check and optimize: everything `kiln validate` needs, and the start of every cook. */
async function prepare(ctx: Ctx, codecs: ModelCodecs, checkBudget: boolean): Promise<Prepared> {
  const attrs = ctx.attrs;
  const logger = gltfLogger((m) => ctx.warn(m));
  const model = await readModel(ctx, codecs, logger, attrs.input_validation);
  const file = model.path;
  const doc = model.document;
  doc.setLogger(logger);
  // Draco was decoded on read; the output is never Draco-compressed (meshopt is the option).
  for (const ext of doc.getRoot().listExtensionsUsed()) {
    if (ext.extensionName === 'KHR_draco_mesh_compression') ext.dispose();
  }
  const missing = checkAttributes(ctx, doc, file);
  const geometry = await optimizeGeometry(doc, codecs, {
    tangents: attrs.tangents,
    resampleTolerance: attrs.resample_tolerance,
  });
  const stats = meshStats(doc);
  if (checkBudget) checkBudgets(ctx, stats, ctx.platform.settings, file);

  ctx.stat('input_bytes', model.inputBytes);
  ctx.stat('input_format', model.format);
  if (model.inputReport) {
    ctx.stat('input_validator_errors', model.inputReport.issues.numErrors);
    ctx.stat('input_validator_warnings', model.inputReport.issues.numWarnings);
  }
  ctx.stat('primitives_without_normals', missing.noNormals);
  ctx.stat('primitives_without_uvs', missing.noUvs);
  ctx.stat('tangents_generated', geometry.tangentsGenerated);
  ctx.stat('tangents_repaired', geometry.tangentsRepaired);
  ctx.stat('animations', doc.getRoot().listAnimations().length);
  ctx.stat('keyframes_before', geometry.keyframesBefore);
  ctx.stat('keyframes_after', geometry.keyframesAfter);
  ctx.stat('triangles', stats.triangles);
  ctx.stat('vertices', stats.vertices);
  return { model, stats };
}

/**
 * In validate mode only the validators run; budgets are then checked against the full mesh
 * (conservative when `lods` starts below 1), in a cook against the finished LOD0.
 */
export async function cookModel(ctx: Ctx, codecs: ModelCodecs): Promise<void> {
  const validating = ctx.mode === 'validate';
  const { model } = await prepare(ctx, codecs, validating);
  if (validating) return;
  const attrs = ctx.attrs;
  const settings = ctx.platform.settings;
  const file = model.path;
  const source = model.document;
  const logger = gltfLogger((m) => ctx.warn(m));

  const refs = await matchTextureRefs(ctx, source, model.imageUris, attrs.embed_basisu);
  for (const image of refs.unmatched) {
    ctx.warn(`image ${image} has no texture target in deps; it stays embedded in the model`, { file });
  }
  const resized = await downscaleEmbedded(source, refs, attrs.max_embedded_texture_size ?? settings.max_embedded_texture_size);

  const fallbacks = new FallbackImages(attrs.fallback_texture_size);
  const meshopt = attrs.meshopt ?? settings.meshopt;
  const levels = lodLevels(attrs, settings);
  const io = new codecs.core.NodeIO()
    .setLogger(logger)
    .registerExtensions(codecs.extensions.ALL_EXTENSIONS)
    .registerDependencies({ 'meshopt.encoder': codecs.encoder, 'meshopt.decoder': codecs.decoder });

  const built: { doc: Document; bytes: Uint8Array; stats: MeshStats; ratio: number; error: number }[] = [];
  let validatorWarnings = 0;
  for (const [levelIndex, level] of levels.entries()) {
    const doc = await buildLod(source, level, codecs, logger, {
      quantize: attrs.quantize,
      reorderFor: meshopt ? 'size' : 'performance',
    });
    const stats = meshStats(doc);
    const previous = built[built.length - 1];
    if (previous && stats.triangles >= previous.stats.triangles) {
      ctx.warn(
        `LOD ratio ${level.ratio}${level.error ? ` / error ${level.error}` : ''} left ${stats.triangles} triangles ` +
          `(not fewer than the previous LOD's ${previous.stats.triangles}); level dropped`,
        { file },
      );
      continue;
    }
    if (stats.triangles === 0 && levelIndex > 0) {
      ctx.warn(`LOD ratio ${level.ratio} simplified the model away; level dropped`, { file });
      continue;
    }
    const detached = await prepareTextureRefs(doc, refs, fallbacks);
    // The validator cannot read EXT_meshopt_compression, so every LOD is validated here, before it.
    let bytes = await writeGlb(io, doc, detached);
    const report = await validateGltf(codecs.validator, { bytes, uri: `${ctx.name}.glb` });
    if (report.issues.numErrors > 0) {
      throw new RuleError(`cooked LOD ${built.length} fails glTF validation:\n  ${listIssues(report, 0).join('\n  ')}`, { file });
    }
    validatorWarnings += report.issues.numWarnings;
    if (meshopt) {
      doc
        .createExtension(codecs.extensions.EXTMeshoptCompression)
        .setRequired(true)
        .setEncoderOptions({ method: codecs.extensions.EXTMeshoptCompression.EncoderMethod.QUANTIZE });
      bytes = await writeGlb(io, doc, detached);
    }
    built.push({ doc, bytes, stats, ratio: level.ratio, error: level.error });
  }
  if (built.length === 0) throw new RuleError('no LOD left after simplification', { file });
  // The budget applies to what ships as the finest LOD (a platform may start its chain below 1.0).
  checkBudgets(ctx, built[0]!.stats, settings, file);

  const bounds = sceneBounds(built[0]!.doc, codecs);
  const names = built.map((_, i) => (i === 0 ? `${ctx.name}.glb` : `${ctx.name}.lod${i}.glb`));
  const lodSummary = built.map((lod, i) => ({
    index: i,
    output: names[i]!,
    triangles: lod.stats.triangles,
    vertices: lod.stats.vertices,
    bytes: lod.bytes.byteLength,
  }));
  let outputBytes = 0;
  for (const [i, lod] of built.entries()) {
    const parts: PartLayout[] = [{ kind: 'lod', index: i, offset: 0, size: lod.bytes.byteLength }];
    const meta: OutputMeta = {
      lod: i,
      lodCount: built.length,
      ratio: lod.ratio,
      error: lod.error,
      triangles: lod.stats.triangles,
      vertices: lod.stats.vertices,
      bounds: bounds ? { min: bounds.min, max: bounds.max } : null,
      meshopt,
      textureRefs: refs.list().map((r) => ({ assetId: r.assetId, label: r.label })),
      parts,
    };
    if (i === 0) meta.lods = lodSummary;
    await ctx.output(names[i]!, lod.bytes, meta);
    outputBytes += lod.bytes.byteLength;
    ctx.stat(`lod${i}_triangles`, lod.stats.triangles);
    ctx.stat(`lod${i}_vertices`, lod.stats.vertices);
    ctx.stat(`lod${i}_bytes`, lod.bytes.byteLength);
  }
  ctx.stat('lods', built.length);
  ctx.stat('output_bytes', outputBytes);
  ctx.stat('textures_referenced', refs.count);
  ctx.stat('textures_embedded', refs.unmatched.length);
  ctx.stat('textures_downscaled', resized);
  ctx.stat('textures_basisu', refs.basisCount);
  ctx.stat('meshopt', meshopt);
  ctx.stat('validator', `0 errors, ${validatorWarnings} warnings (checked before meshopt compression)`);
  ctx.stat('validated_before_meshopt', meshopt);
}
