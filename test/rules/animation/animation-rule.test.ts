import { NodeIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { animationRule } from '../../../rules/animation/index.js';
import { runRule } from '../../support/rule-harness.js';
import { errorsOf, glbJson, validate } from '../model/gltf-check.js';
import { corpusRoot, filesUnder, fixtures, hasCorpus } from '../model/model-files.js';

const rule = animationRule();
const files = filesUnder(fixtures, '.');
const fox = 'Fox/glTF-Binary/Fox.glb';

describe('animation rule', () => {
  it('extracts every clip with the skeleton and no meshes, valid glTF', async () => {
    const r = await runRule(rule, { label: '//props:fox_clips', files, srcs: [fox] });
    const bytes = r.bytes('fox_clips.glb');
    expect(errorsOf(await validate(bytes))).toEqual([]);
    const doc = await new NodeIO().readBinary(bytes);
    expect(doc.getRoot().listAnimations().map((a) => a.getName())).toEqual(['Survey', 'Walk', 'Run']);
    expect(doc.getRoot().listMeshes()).toEqual([]);
    expect(doc.getRoot().listSkins()).toEqual([]);
    expect(doc.getRoot().listNodes().length).toBeGreaterThanOrEqual(24);
    const clips = r.outputs[0]!.meta.clips as { name: string; duration: number; channels: number }[];
    expect(clips.map((c) => c.name)).toEqual(['Survey', 'Walk', 'Run']);
    for (const clip of clips) expect(clip.duration).toBeGreaterThan(0.5);
    expect(r.stats.clips).toBe(3);
    expect(r.stats.channels).toBe(clips.reduce((n, c) => n + c.channels, 0));
  });

  it('extracts one clip by name and reports duration, channels and keyframes', async () => {
    const r = await runRule(rule, { label: '//props:fox_walk', files, srcs: [fox], attrs: { clip: 'Walk' } });
    const json = glbJson(r.bytes('fox_walk.glb'));
    expect(json.animations.map((a: { name: string }) => a.name)).toEqual(['Walk']);
    expect(r.stats.duration).toBeCloseTo(0.7083, 3);
    expect(r.stats.keyframes_after as number).toBeLessThanOrEqual(r.stats.keyframes_before as number);
    expect(r.stats.keyframes_after as number).toBeGreaterThan(0);
    // Only Walk's keyframes are stored: every accessor belongs to it, and the file is smaller than all clips.
    const all = await runRule(rule, { files, srcs: [fox] });
    expect(r.bytes('fox_walk.glb').byteLength).toBeLessThan(all.bytes('target.glb').byteLength / 2);
    expect(Math.max(...json.accessors.filter((a: { max?: number[] }) => a.max?.length === 1).map((a: { max: number[] }) => a.max[0]!))).toBeCloseTo(0.7083, 3);
  });

  it('quantizes rotation keyframes to normalized int16, and the output gets smaller', async () => {
    const q = await runRule(rule, { files, srcs: [fox] });
    const f = await runRule(rule, { files, srcs: [fox], attrs: { quantize: false } });
    const json = glbJson(q.bytes('target.glb'));
    const rotationOutputs = json.animations.flatMap((a: { channels: { sampler: number; target: { path: string } }[]; samplers: { output: number }[] }) =>
      a.channels.filter((c) => c.target.path === 'rotation').map((c) => json.accessors[a.samplers[c.sampler]!.output]),
    );
    expect(rotationOutputs.length).toBeGreaterThan(0);
    for (const accessor of rotationOutputs) expect([accessor.componentType, accessor.normalized]).toEqual([5122, true]);
    expect(q.bytes('target.glb').byteLength).toBeLessThan(f.bytes('target.glb').byteLength);
  });

  it('resampling drops redundant keyframes', async () => {
    const kept = await runRule(rule, { files, srcs: [fox], attrs: { resample_tolerance: 0 } });
    const resampled = await runRule(rule, { files, srcs: [fox], attrs: { resample_tolerance: 1e-3 } });
    expect(resampled.stats.keyframes_after as number).toBeLessThan(kept.stats.keyframes_after as number);
  });

  it('is deterministic', async () => {
    const a = await runRule(rule, { files, srcs: [fox] });
    const b = await runRule(rule, { files, srcs: [fox] });
    expect(a.outputs[0]!.digest).toEqual(b.outputs[0]!.digest);
  });

  it('names the clips when the requested one does not exist', async () => {
    await expect(runRule(rule, { files, srcs: [fox], attrs: { clip: 'Wlak' } })).rejects.toThrow(/no clip named "Wlak" \(did you mean "Walk"\?\); clips: Survey, Walk, Run/);
  });

  it('fails a source without animations with a RuleError', async () => {
    await expect(runRule(rule, { files, srcs: ['Box/glTF/Box.gltf'] })).rejects.toBeInstanceOf(RuleError);
  });

  it.skipIf(!hasCorpus)('reads a .gltf clip source with its external .bin as a discovered input', async () => {
    const corpus = filesUnder(corpusRoot, 'gltf/CesiumMan');
    const r = await runRule(rule, { files: corpus, srcs: ['gltf/CesiumMan/glTF/CesiumMan.gltf'] });
    expect(r.discovered.get('gltf/CesiumMan/glTF/CesiumMan0.bin')).toBe(true);
    expect(errorsOf(await validate(r.bytes('target.glb')))).toEqual([]);
    expect(r.stats.clips).toBe(1);
  });
});
