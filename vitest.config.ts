import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default in `run` mode is one worker fewer than the cores: a single worker on the
    // 2-core CI machine, which left a core idle while files waited on child builds and servers.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
