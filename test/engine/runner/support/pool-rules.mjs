/**
 * Rules for worker-pool tests, in plain JavaScript so a worker thread can import this very file
 * (Node 20 cannot load TypeScript; the test runner can load both). They use the compiled rule
 * contract from dist/ (the tests compile first).
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { RuleError } from '../../../../dist/src/rule/rule-error.js';
import { s } from '../../../../dist/src/rule/schema.js';

const text = (bytes) => new TextDecoder().decode(bytes);
const bytes = (value) => new TextEncoder().encode(value);

function poolRule(name, factory, cook) {
  return {
    name,
    version: 1,
    type: 'files',
    description: `pool test: ${name}`,
    attributes: s.object({}),
    defaults: {},
    needsSources: false,
    module: { url: import.meta.url, factory },
    cook,
  };
}

/** Copies its sources and its dependencies' outputs (read back from the store) into one output. */
export function echoRule() {
  return poolRule('echo', 'echoRule', async (ctx) => {
    const parts = [];
    for (const dep of ctx.deps) for (const out of dep.outputs) parts.push(text(await ctx.readOutput(out)));
    for (const src of ctx.srcs) parts.push(text(await ctx.readSource(src)).trim());
    ctx.stat('main_thread', isMainThread);
    await ctx.output(`${ctx.name}.txt`, bytes(parts.join('+')));
  });
}

/** Reads the file its source names through readFile (a discovered input). */
export function discoverRule() {
  return poolRule('discover', 'discoverRule', async (ctx) => {
    const wanted = text(await ctx.readSource(ctx.srcs[0])).trim();
    const found = await ctx.readFile(`${ctx.pkgDir}/${wanted}`);
    await ctx.output(`${ctx.name}.txt`, found ?? bytes('(absent)'));
  });
}

/** A failure the user can act on. */
export function refuseRule() {
  return poolRule('refuse', 'refuseRule', async (ctx) => {
    throw new RuleError('this file is refused', { file: ctx.srcs[0]?.path, line: 3, column: 2 });
  });
}

/** Ends its worker thread in the middle of the cook. */
export function exitRule() {
  return poolRule('exit', 'exitRule', async () => {
    process.exit(7);
  });
}

/** Never yields: only terminating its worker stops it. */
export function spinRule() {
  return poolRule('spin', 'spinRule', async () => {
    for (;;);
  });
}

/** Allocates until its worker's heap limit is reached. */
export function hogRule() {
  return poolRule('hog', 'hogRule', async () => {
    const hoard = [];
    for (;;) hoard.push(new Array(100_000).fill(hoard.length));
  });
}

/** Different bytes every run (for --check-determinism). */
export function noiseRule() {
  return poolRule('noise', 'noiseRule', async (ctx) => {
    await ctx.output(`${ctx.name}.bin`, bytes(`${Math.random()}`));
  });
}

/** Takes a moment and says which worker thread cooked it (two rules: `thread_a`, `thread_b`). */
export function threadARule() {
  return threadRule('thread_a', 'threadARule');
}
export function threadBRule() {
  return threadRule('thread_b', 'threadBRule');
}
function threadRule(name, factory) {
  return poolRule(name, factory, async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 60));
    ctx.stat('thread', threadId);
    await ctx.output(`${ctx.name}.txt`, bytes(ctx.name));
  });
}
