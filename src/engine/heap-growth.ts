import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection found alive, set
 * for the process when a Builder is made. V8 picks that factor from how cheap collecting has
 * been, up to 4×: a cold build allocates its request graph, reports and action values steadily
 * and collects quickly, so it gets 4×. Measured on the 10k cold build (`--trace-gc`): a
 * mark-compact finding 71 MB alive three seconds in set the next limit at ~286 MB, no full
 * collection ran again, and the heap ended at ~250 MB with ~125 MB of it alive — the heap, not
 * the live data, made most of the 390–420 MB peak RSS. With 1.5× the same build peaked at
 * 310–330 MB (runs alternated with the default on a loaded 2-core machine) for a few more
 * mark-compacts (each ~10–30 ms at these sizes; user CPU within run-to-run noise).
 *
 * The flag is V8's own (not a Node option), read at every full collection, so setting it at run
 * time works; like jit-budget.ts it is set only on the V8 line it was measured on (Node 20's
 * V8 11), and never over a value given on the command line.
 */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;

export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  if (!process.versions.v8.startsWith('11.')) return;
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent')) || /--heap-growing-percent/.test(process.env.NODE_OPTIONS ?? '')) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
