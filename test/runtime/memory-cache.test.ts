import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCache, type CacheCategory } from '../../src/runtime/memory-cache.js';

describe('memory cache', () => {
  it('evicts least recently used down to 90% of the budget when an insert goes over', () => {
    const cache = new MemoryCache<string>({ total: 1000 });
    for (let i = 0; i < 10; i++) cache.put(`a${i}`, 'other', 100, 0, `v${i}`);
    expect(cache.usage().total).toBe(1000);
    cache.get('a0'); // a0 is now most recent
    cache.put('new', 'other', 100, 0, 'new');
    // over by 100 → evict a1, a2 (→ 900 ≤ 900)
    expect(cache.has('a1')).toBe(false);
    expect(cache.has('a2')).toBe(false);
    expect(cache.has('a0')).toBe(true);
    expect(cache.has('new')).toBe(true);
    expect(cache.usage().total).toBe(900);
    expect(cache.evictions).toBe(2);
  });

  it('never evicts pinned assets, and refuses an asset that cannot fit', () => {
    const cache = new MemoryCache<string>({ total: 300 });
    cache.pin('p1');
    cache.pin('p2');
    cache.put('p1', 'texture', 100, 0, 'p1');
    cache.put('p2', 'texture', 100, 0, 'p2');
    expect(cache.put('x', 'texture', 150, 0, 'x')).toBe(false);
    expect(cache.has('p1') && cache.has('p2')).toBe(true);
    expect(cache.put('too-big', 'model', 400, 0, 'big')).toBe(false);
    cache.unpin('p1');
    expect(cache.put('x', 'texture', 150, 0, 'x')).toBe(true);
    expect(cache.has('p1')).toBe(false);
    expect(cache.usage().total).toBe(250);
  });

  it('keeps per-type budgets: textures evict textures, not models', () => {
    const cache = new MemoryCache<string>({ total: 10_000, texture: 300 });
    cache.put('m', 'model', 1000, 0, 'm');
    cache.put('t1', 'texture', 150, 64, 't1');
    cache.put('t2', 'texture', 150, 64, 't2');
    cache.put('t3', 'texture', 150, 64, 't3');
    expect(cache.has('m')).toBe(true);
    // 450 > 300 → evict LRU textures until ≤ 270: t1 and t2 go, the model stays
    expect(cache.has('t1') || cache.has('t2')).toBe(false);
    expect(cache.usage()).toMatchObject({ texture: 150, model: 1000, gpu: 64 });
  });

  it('stays within every budget under any sequence of puts, gets, pins and unpins', () => {
    const categories: CacheCategory[] = ['texture', 'model', 'audio', 'other'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), key: fc.integer({ min: 0, max: 30 }), cat: fc.constantFrom(...categories), size: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('pin' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('unpin' as const), key: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const budgets = { total: 1000, texture: 500, model: 600 };
        const cache = new MemoryCache<number>(budgets);
        const pinned = new Map<string, number>();
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'put') cache.put(key, o.cat, o.size, 0, o.size);
          else if (o.kind === 'get') cache.get(key);
          else if (o.kind === 'pin') {
            cache.pin(key);
            pinned.set(key, (pinned.get(key) ?? 0) + 1);
          } else if ((pinned.get(key) ?? 0) > 0) {
            cache.unpin(key);
            pinned.set(key, pinned.get(key)! - 1);
          }
          const use = cache.usage();
          expect(use.total).toBeLessThanOrEqual(budgets.total);
          expect(use.texture).toBeLessThanOrEqual(budgets.texture);
          expect(use.model).toBeLessThanOrEqual(budgets.model);
          expect(use.total).toBe(use.texture + use.model + use.audio + use.other);
        }
      }),
      { numRuns: 200 },
    );
  });
});
