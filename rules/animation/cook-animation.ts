/**
 * The animation cook: read the glTF (through the model rule's reader, so external .bin files are
 * discovered inputs and corrupt files fail the same way), keep the selected clip(s) and the
 * skeleton, resample, quantize rotations, validate, write one GLB (not in validate mode).
 */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { ModelCodecs } from '../model/codecs.js';
import { gltfLogger } from '../model/gltf-logger.js';
import { listIssues, validateGltf } from '../model/gltf-validation.js';
import { readModel } from '../model/read-model.js';
import { documentClipStats } from './clip-stats.js';
import { selectClips, stripToSkeleton } from './extract-clips.js';
import type { AnimationOptions } from './options.js';
import { quantizeRotations } from './quantize-rotations.js';

export async function cookAnimation(ctx: RuleContext<AnimationOptions>, codecs: ModelCodecs): Promise<void> {
  const logger = gltfLogger((m) => ctx.warn(m));
  const model = await readModel(ctx, codecs, logger, ctx.attrs.input_validation);
  const file = model.path;
  const doc = model.document;
  doc.setLogger(logger);
  selectClips(doc, ctx.attrs.clip, file);
  stripToSkeleton(doc);
  const { prune, resample } = codecs.functions;
  await doc.transform(prune({ keepLeaves: true, keepSolidTextures: true }));
  const before = documentClipStats(doc);
  const tolerance = ctx.attrs.resample_tolerance;
  if (tolerance > 0) await doc.transform(resample({ tolerance }));
  const quantized = ctx.attrs.quantize ? quantizeRotations(doc) : 0;
  const after = documentClipStats(doc);

  const keyframesBefore = before.reduce((n, c) => n + c.keyframes, 0);
  const keyframesAfter = after.reduce((n, c) => n + c.keyframes, 0);
  ctx.stat('clips', after.length);
  ctx.stat('duration', Math.max(...after.map((c) => c.duration)));
  ctx.stat('channels', after.reduce((n, c) => n + c.channels, 0));
  ctx.stat('keyframes_before', keyframesBefore);
  ctx.stat('keyframes_after', keyframesAfter);
  ctx.stat('rotation_tracks_quantized', quantized);
  if (ctx.mode === 'validate') return;

  const io = new codecs.core.NodeIO().setLogger(logger).registerExtensions(codecs.extensions.ALL_EXTENSIONS);
  const bytes = await io.writeBinary(doc);
  const report = await validateGltf(codecs.validator, { bytes, uri: `${ctx.name}.glb` });
  if (report.issues.numErrors > 0) {
    throw new RuleError(`cooked animation fails glTF validation:\n  ${listIssues(report, 0).join('\n  ')}`, { file });
  }
  ctx.stat('input_bytes', model.inputBytes);
  ctx.stat('output_bytes', bytes.byteLength);
  await ctx.output(`${ctx.name}.glb`, bytes, {
    clips: after.map((c) => ({ name: c.name, duration: c.duration, channels: c.channels, keyframes: c.keyframes })),
    duration: Math.max(...after.map((c) => c.duration)),
    nodes: doc.getRoot().listNodes().length,
  });
}
