/** Temp-folder cache stacks for store tests; every folder is removed by `cleanup()`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CacheStackOptions, type ConfiguredCacheStack, createCacheStack } from '../../src/store/create-cache-stack.js';

export interface StackFixture {
  /** A stack in a fresh temp folder, or in `localRoot` to reuse another stack's local cache. */
  make(remote?: CacheStackOptions['remote'], env?: CacheStackOptions['env'], localRoot?: string): Promise<TestStack>;
  cleanup(): Promise<void>;
}

export interface TestStack {
  stack: ConfiguredCacheStack;
  localRoot: string;
  /** Warnings delivered through `onWarning` as they happened. */
  printed: string[];
}

export function stackFixture(): StackFixture {
  const folders: string[] = [];
  return {
    async make(remote, env = {}, reuse) {
      const localRoot = reuse ?? (await mkdtemp(join(tmpdir(), 'kiln-store-')));
      folders.push(localRoot);
      const printed: string[] = [];
      const stack = createCacheStack({
        localRoot,
        env,
        onWarning: (message) => printed.push(message),
        ...(remote ? { remote } : {}),
      });
      return { stack, localRoot, printed };
    },
    async cleanup() {
      await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
    },
  };
}
