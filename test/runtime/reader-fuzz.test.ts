/**
 * Truncated and mutated bundles and catalogs must give errors, never wrong data and never a hang.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import { openCatalog } from '../../src/runtime/catalog-reader.js';
import type { LoadedAsset } from '../../src/runtime/loaded-asset.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';
import { sampleBundle, type SampleBundle } from './support/sample-bundle.js';

let sample: SampleBundle;
let reference: Map<string, LoadedAsset>;

beforeAll(async () => {
  sample = await sampleBundle();
  const bundle = await openBundle(memorySource(sample.tar));
  reference = new Map();
  for (const asset of bundle.assets()) reference.set(asset.label, await bundle.load(asset.label));
});

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hang: no answer within ${ms} ms`)), ms))]);
}

/** Opens and loads (and streams) everything; each outcome must be a RuntimeError or the right data. */
async function everythingIsRightOrAnError(bytes: Uint8Array): Promise<void> {
  let bundle;
  try {
    bundle = await withinMs(openBundle(memorySource(bytes)), 2000);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return;
  }
  for (const [label, expected] of reference) {
    try {
      const loaded = await withinMs(bundle.load(label), 2000);
      expect(loaded).toEqual(expected);
    } catch (error) {
      expect(error, String(error)).toBeInstanceOf(RuntimeError);
    }
  }
}

async function streamsAreRightOrAnError(bytes: Uint8Array): Promise<void> {
  let bundle;
  try {
    bundle = await withinMs(openBundle(memorySource(bytes)), 2000);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return;
  }
  const handle = bundle.stream('//levels/forest:bark');
  try {
    expect(await withinMs(handle.done, 2000)).toEqual(reference.get('//levels/forest:bark'));
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    // whatever arrived before the failure is still correct
    const current = handle.current;
    if (current?.type === 'texture') {
      const full = reference.get('//levels/forest:bark');
      current.mips.forEach((mip, level) => {
        if (mip && full?.type === 'texture') expect(mip.bytes).toEqual(full.mips[level]!.bytes);
      });
    }
  }
}

describe('reader fuzzing', () => {
  it('turns mutated bundles into errors or the original data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 3 }),
        async (flips) => {
          const bytes = sample.tar.slice();
          for (const { at, xor } of flips) bytes[at % bytes.byteLength]! ^= xor;
          await everythingIsRightOrAnError(bytes);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('turns mutations aimed at the index into errors', async () => {
    const indexEnd = 512 + new TextDecoder().decode(sample.tar.subarray(512, 16_384)).indexOf('\0');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: indexEnd }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = sample.tar.slice();
        bytes[at]! ^= xor;
        await everythingIsRightOrAnError(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('turns truncated bundles into errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sample.tar.byteLength - 1 }), async (length) => {
        await everythingIsRightOrAnError(sample.tar.slice(0, length));
        await streamsAreRightOrAnError(sample.tar.slice(0, length));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps partially streamed data correct when a later part is corrupt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = sample.tar.slice();
        bytes[at % bytes.byteLength]! ^= xor;
        await streamsAreRightOrAnError(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('turns mutated or truncated catalogs into errors or the original catalog', async () => {
    const original = (await openCatalog(memorySource(sample.catalog), { resolve: () => memorySource(sample.tar) })).catalog;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (at, xor, truncate) => {
        const bytes = truncate ? sample.catalog.slice(0, at % sample.catalog.byteLength) : sample.catalog.slice();
        if (!truncate) bytes[at % bytes.byteLength]! ^= xor;
        try {
          const catalog = await withinMs(openCatalog(memorySource(bytes), { resolve: () => memorySource(sample.tar) }), 2000);
          expect(catalog.catalog).toEqual(original);
        } catch (error) {
          expect(error).toBeInstanceOf(RuntimeError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
