/**
 * The smallest "engine" that uses a CacheStack the way the real one does: look an action up,
 * run it on a miss, store its outputs then its entry. Lets store tests compare results with and
 * without a (sick) remote cache without depending on the engine.
 */
import { digestKey, sha256Hex } from '../../src/hash/digest.js';
import type { ResultEntry } from '../../src/store/action-entry.js';
import type { CacheStack } from '../../src/store/cache-stack.js';

export interface FakeBuildResult {
  executed: number;
  /** action name → output bytes (as text). */
  outputs: Record<string, string>;
}

/** `count` independent actions; each one's output depends only on its name and `salt`. */
export async function fakeBuild(stack: CacheStack, count: number, salt = 'v1'): Promise<FakeBuildResult> {
  let executed = 0;
  const outputs: Record<string, string> = {};
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const name = `action${index}`;
      const key = sha256Hex(`${salt}:${index}`);
      let entry = await stack.actions.get(key);
      if (!entry || entry.kind !== 'result') {
        executed += 1;
        const bytes = new TextEncoder().encode(`${name} cooked with ${salt}: ${'x'.repeat(index * 100)}`);
        const digest = await stack.blobs.put(bytes);
        const result: ResultEntry = {
          kind: 'result',
          outputs: [{ name: `${name}.bin`, digest, meta: {}, parts: [] }],
          diagnostics: [],
          stats: {},
          durationMs: 1,
        };
        await stack.actions.put(key, result);
        entry = result;
      }
      const output = entry.outputs[0];
      if (!output) throw new Error(`${name}: entry without outputs`);
      const bytes = await stack.blobs.get(output.digest);
      if (!bytes) throw new Error(`${name}: blob ${digestKey(output.digest)} missing`);
      outputs[name] = new TextDecoder().decode(bytes);
    }),
  );
  return { executed, outputs };
}
