/**
 * Hot reload delivers whole assets: a real watch session (in-process) on a temp workspace with a
 * model with LODs, a shader with variants, a font, a UI atlas and a chunked audio clip, and a
 * Node client with a bundle reader attached. Every output arrives, load() afterwards returns the
 * whole asset (the cached copy never shrinks), and partial edits fetch only the changed parts.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBundle, type BundleReader } from '../../src/runtime/bundle-reader.js';
import type { HotReloadClient, ReloadEvent } from '../../src/runtime/hot-reload-client.js';
import { httpSource } from '../../src/runtime/http-source.js';
import type { LoadedAudio, LoadedFont, LoadedModel, LoadedShader, LoadedUi } from '../../src/runtime/loaded-asset.js';
import type { WatchSession } from '../../src/watch/watch-session.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { atomicSave, is, type MessageLog, nodeClient, pngOf, startTestWatch } from '../watch/support/watch-fixture.js';

const repo = join(import.meta.dirname, '../..');
const PKG = `targets:
  duck: { rule: model, srcs: [duck/Duck.gltf], lods: [1.0, 0.5, 0.25], lod_error: 0.05 }
  lit: { rule: shader, srcs: [lit.wgsl], defines: { SCALE: "1.0" }, variants: { base: {}, emissive: { USE_EMISSIVE: true } } }
  font: { rule: font, srcs: [font/DejaVuSans.ttf], charset: "AB", charset_file: font/chars.txt, size: 16, mode: bitmap }
  icons: { rule: ui, srcs: [icons/a.png, icons/b.png], padding: 1 }
  song: { rule: audio, srcs: [song.wav], codec: vorbis, chunk_seconds: 2, normalize: false, quality: 2 }
  bundle: { rule: bundle, deps: [":duck", ":lit", ":font", ":icons", ":song"] }
`;

/** 6 s of mono 16-bit PCM at 48 kHz: a 440 Hz tone, optionally 660 Hz over the last half second. */
function toneWav(editEnd: boolean): Uint8Array {
  const rate = 48000;
  const frames = rate * 6;
  const bytes = new Uint8Array(44 + frames * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + frames * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, frames * 2, true);
  for (let i = 0; i < frames; i++) {
    const hz = editEnd && i > frames - rate / 2 ? 660 : 440;
    view.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000), true);
  }
  return bytes;
}

let ws: TempWorkspace;
let session: WatchSession;
let log: MessageLog;
let client: HotReloadClient;
let reader: BundleReader;
const reloads: ReloadEvent[] = [];
const file = (rel: string) => join(ws.root, 'pkgs/game', rel);

function nextReload(label: string, from: number): Promise<ReloadEvent> {
  const seen = reloads.slice(from).find((r) => r.label === label);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client never reloaded ${label}`)), 30_000);
    const off = client.on('reload', (event) => {
      if (event.label !== label) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

beforeAll(async () => {
  ws = tempWorkspace({
    'pkgs/game/assets.yaml': PKG,
    'pkgs/game/lit.wgsl': readFileSync(join(repo, 'sample-project/common/shaders/lit.wgsl')),
    'pkgs/game/lib/pbr.wgsl': readFileSync(join(repo, 'sample-project/common/shaders/lib/pbr.wgsl')),
    'pkgs/game/font/chars.txt': 'CD',
    'pkgs/game/icons/a.png': await pngOf(16, [200, 30, 30]),
    'pkgs/game/icons/b.png': await pngOf(16, [30, 200, 30]),
    'pkgs/game/song.wav': toneWav(false),
  });
  mkdirSync(file('duck'), { recursive: true });
  mkdirSync(file('font'), { recursive: true });
  for (const name of ['Duck.gltf', 'Duck0.bin', 'DuckCM.png']) copyFileSync(join(repo, 'sample-project/props/models/duck', name), file(`duck/${name}`));
  copyFileSync(join(repo, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), file('font/DejaVuSans.ttf'));
  ({ session, log } = await startTestWatch(ws.root, ['//game:all']));
  client = nodeClient(session.url);
  client.on('reload', (event) => reloads.push(event));
  await client.connect();
  const bundle = client.versions.get('//game:bundle')!;
  reader = await openBundle(httpSource(`${session.url}/cas/${bundle.outputs[0]!.digest}`));
  client.attach(reader.loader);
  for (const label of ['//game:duck', '//game:lit', '//game:font', '//game:icons', '//game:song']) await reader.load(label);
}, 120_000);

afterAll(async () => {
  client?.close();
  await session?.close();
  ws?.cleanup();
});

describe('hot reload delivers every output', () => {
  it('a model edit arrives with every LOD, and load() afterwards still returns every LOD', async () => {
    const from = reloads.length;
    const gltf = readFileSync(file('duck/Duck.gltf'), 'utf8');
    atomicSave(file('duck/Duck.gltf'), gltf.replace('"name" : "blinn3-fx"', '"name" : "blinn3-fx-edited"').replace('"name": "blinn3-fx"', '"name": "blinn3-fx-edited"'));
    const reload = await nextReload('//game:duck', from);
    const model = reload.asset as LoadedModel;
    expect(model.lods).toHaveLength(3);
    for (const lod of model.lods) expect(new TextDecoder().decode(lod!.subarray(0, 4))).toBe('glTF');
    expect(reload.version.outputs.map((o) => o.name)).toEqual(['duck.glb', 'duck.lod1.glb', 'duck.lod2.glb']);
    const loaded = await reader.load<LoadedModel>('//game:duck');
    expect(loaded).toBe(model);
    expect(loaded.lods.every((l) => l !== undefined)).toBe(true);
  });

  it('a shader edit arrives with every variant', async () => {
    const from = reloads.length;
    atomicSave(file('lit.wgsl'), `${readFileSync(file('lit.wgsl'), 'utf8')}\n// tuned\n`);
    const shader = (await nextReload('//game:lit', from)).asset as LoadedShader;
    expect(Object.keys(shader.variants).sort()).toEqual(['base', 'emissive']);
    expect(new TextDecoder().decode(shader.variants.emissive!.bytes)).toContain('// tuned');
    expect(await reader.load<LoadedShader>('//game:lit')).toBe(shader);
  });

  it('a font edit arrives with metrics and atlas', async () => {
    const from = reloads.length;
    atomicSave(file('font/chars.txt'), 'CDE');
    const font = (await nextReload('//game:font', from)).asset as LoadedFont;
    expect(Object.keys((font.metrics as { glyphs: object }).glyphs)).toContain(String('E'.codePointAt(0)));
    expect([...font.atlas!.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect((await reader.load<LoadedFont>('//game:font')).atlas).toBe(font.atlas);
  });

  it('a UI icon edit arrives with atlas and rects, fetching only the atlas (the rects did not change)', async () => {
    const from = reloads.length;
    const bytesBefore = client.metrics().bytesFetched;
    atomicSave(file('icons/a.png'), await pngOf(16, [30, 30, 200]));
    const reload = await nextReload('//game:icons', from);
    const ui = reload.asset as LoadedUi;
    expect(ui.rects).toMatchObject({ sprites: { 'icons/a': expect.any(Object), 'icons/b': expect.any(Object) } });
    const atlas = reload.version.outputs[0]!;
    expect(ui.atlas.byteLength).toBe(atlas.size);
    // The first copy came from the bundle, so this reload fetched whole outputs; the next one
    // fetches only what differs from what the client now holds.
    const fetched = client.metrics().bytesFetched - bytesBefore;
    expect(fetched).toBeLessThanOrEqual(reload.version.outputs.reduce((n, o) => n + o.size, 0));
    const from2 = reloads.length;
    const before2 = client.metrics().bytesFetched;
    atomicSave(file('icons/a.png'), await pngOf(16, [90, 30, 200]));
    const second = await nextReload('//game:icons', from2);
    expect(client.metrics().bytesFetched - before2).toBe(second.version.outputs[0]!.size);
    expect((second.asset as LoadedUi).rects).toEqual(ui.rects);
  });

  it('an audio edit at the end fetches only the last chunk', async () => {
    // First reload: the client holds nothing of its own yet (the copy came from the bundle).
    let from = reloads.length;
    atomicSave(file('song.wav'), toneWav(true));
    const first = await nextReload('//game:song', from);
    expect((first.asset as LoadedAudio).chunks).toHaveLength(3);
    // Second edit (back to the plain tone): only chunk 2 differs from what the client holds.
    from = reloads.length;
    const bytesBefore = client.metrics().bytesFetched;
    const partialBefore = client.metrics().partialFetches;
    const changedFrom = log.all.length;
    atomicSave(file('song.wav'), toneWav(false));
    const second = await nextReload('//game:song', from);
    const changed = await log.next(is('changed', '//game:song'), changedFrom);
    expect(changed.parts.map((p) => p.index)).toEqual([2]);
    const last = second.version.outputs[0]!.parts.find((p) => p.index === 2)!;
    expect(client.metrics().bytesFetched - bytesBefore).toBe(last.size);
    expect(client.metrics().partialFetches).toBe(partialBefore + 1);
    expect(client.metrics().heldBytes).toBeGreaterThanOrEqual(second.version.outputs[0]!.size);
    const audio = second.asset as LoadedAudio;
    expect(audio.playableChunks).toBe(3);
    // Equal to decoding the whole new blob.
    const whole = await client.blob(second.digest);
    const parts = second.version.outputs[0]!.parts;
    parts.forEach((p) => expect(Buffer.from(audio.chunks[p.index]!).equals(Buffer.from(whole.subarray(p.offset, p.offset + p.size)))).toBe(true));
  });
});
