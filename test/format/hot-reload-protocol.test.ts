import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOT_RELOAD_PROTOCOL, parseServerMessage, type AssetVersion, type HelloMessage } from '../../src/format/hot-reload-protocol.js';
import { RELOAD_HANDLERS, reloadHandlerOf } from '../../src/format/reload-handler.js';
import { ASSET_TYPES } from '../../src/format/asset-type.js';
import { FormatError } from '../../src/format/format-error.js';

const bytes = new Uint8Array(100).fill(3);
const hash = createHash('sha256').update(bytes).digest('hex');
const half = createHash('sha256').update(bytes.subarray(0, 50)).digest('hex');

function version(): AssetVersion {
  return {
    label: '//a:clip',
    assetId: '0123456789abcdef',
    assetType: 'audio',
    priority: 'normal',
    rule: 'audio',
    outputs: [
      {
        name: 'clip.ogg',
        digest: `${hash}-100`,
        size: 100,
        meta: { codec: 'opus', container: 'ogg', sampleRate: 48000, channels: 1, frames: 96000, durationSeconds: 2, chunkSeconds: 1, chunkFrames: [48000, 48000], gainDb: 0 },
        parts: [
          { kind: 'chunk', index: 0, offset: 0, size: 50, hash: half },
          { kind: 'chunk', index: 1, offset: 50, size: 50, hash: half },
        ],
      },
    ],
  };
}

const hello = (assets: unknown[]): string =>
  JSON.stringify({ type: 'hello', protocol: HOT_RELOAD_PROTOCOL, platform: 'desktop', patterns: ['//...'], build: 1, assets, errors: [] } satisfies Omit<HelloMessage, 'assets'> & { assets: unknown[] });

describe('hot-reload protocol', () => {
  it('parses a hello whose asset versions carry typed meta and parts', () => {
    const message = parseServerMessage(hello([version()]));
    expect(message?.type).toBe('hello');
    expect(message?.type === 'hello' && message.assets[0]).toEqual(version());
  });

  it('refuses a message whose asset version is malformed (wrong meta for the type, a part outside its output, a size that lies), naming the field', () => {
    const broken: ((v: any) => void)[] = [
      (v) => (v.outputs[0].meta.sampleRate = 'fast'),
      (v) => (v.outputs[0].meta = { width: 4 }),
      (v) => (v.outputs[0].parts[1].offset = 60),
      (v) => (v.outputs[0].parts[0].hash = 'nope'),
      (v) => (v.outputs[0].size = 99),
      (v) => (v.assetType = 'hologram'),
    ];
    for (const edit of broken) {
      const v = structuredClone(version()) as any;
      edit(v);
      expect(() => parseServerMessage(hello([v])), edit.toString()).toThrow(FormatError);
      expect(() => parseServerMessage(JSON.stringify({ ...v, type: 'changed', build: 2, digest: v.outputs[0].digest, parts: [], savedAt: 0, cookMs: 0 })), edit.toString()).toThrow(/^changed\./);
    }
    // what is not a known message passes by quietly (a newer server may send more kinds)
    expect(parseServerMessage('{"type":"telemetry"}')).toBeUndefined();
    expect(parseServerMessage('not json')).toBeUndefined();
  });

  it('checks the changed parts list of a changed message', () => {
    const changed = { ...version(), type: 'changed', build: 2, digest: `${hash}-100`, parts: [{ output: 'clip.ogg', kind: 'chunk', index: 1 }], savedAt: 0, cookMs: 0 };
    expect(parseServerMessage(JSON.stringify(changed))?.type).toBe('changed');
    expect(() => parseServerMessage(JSON.stringify({ ...changed, parts: [{ output: 'clip.ogg', kind: 'chunk', index: -1 }] }))).toThrow('changed.parts[0].index');
  });

  it('names a reload handler for every asset type but bundles', () => {
    for (const type of ASSET_TYPES) expect(reloadHandlerOf(type), type).toBe(type === 'bundle' ? undefined : type);
    expect(Object.keys(RELOAD_HANDLERS).sort()).toEqual([...ASSET_TYPES].sort());
  });
});
