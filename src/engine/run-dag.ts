import { dependenciesFirst } from '../graph/dependencies-first.js';
import { ReadyQueue } from './ready-queue.js';

/**
 * Runs a task per node, each after all of its dependencies, at most `jobs` at once. Among ready
 * nodes the ones with the most transitive dependents go first, so the critical path starts early.
 * A node whose dependency failed is skipped. Without `keepGoing`, the first failure stops new
 * work from starting (running tasks finish).
 */
export type NodeOutcome = 'ok' | 'failed' | 'skipped';

export interface DagRunOptions {
  nodes: readonly string[];
  depsOf: (node: string) => readonly string[];
  run: (node: string, slot: number) => Promise<'ok' | 'failed'>;
  onSkip?: (node: string, failedDep: string) => void;
  jobs: number;
  keepGoing: boolean;
  signal?: AbortSignal;
  /**
   * A node's group (its rule): among equally weighted ready nodes a slot takes the group it ran
   * last, else one no other slot is running, so each pool thread keeps cooking a rule it has warm.
   */
  groupOf?: (node: string) => string;
}

/** Completions after which the loop yields to the event loop once (see the pump). */
const TURN_EVERY = 1024;

/** How many equally weighted ready nodes a slot looks at for one of its group. */
const GROUP_LOOKAHEAD = 64;

export async function runDag(options: DagRunOptions): Promise<Map<string, NodeOutcome>> {
  const { nodes, depsOf, run, jobs, keepGoing, signal } = options;
  const outcome = new Map<string, NodeOutcome>();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    const deps = depsOf(node);
    waiting.set(node, deps.length);
    for (const dep of deps) {
      let list = dependents.get(dep);
      if (!list) dependents.set(dep, (list = []));
      list.push(node);
    }
  }
  const weight = criticalWeights(nodes, dependents);
  const ready = new ReadyQueue(weight);
  for (const node of nodes) if (waiting.get(node) === 0) ready.push(node);
  const freeSlots = Array.from({ length: Math.max(1, jobs) }, (_, i) => i).reverse();
  // Asked for up to GROUP_LOOKAHEAD nodes per pick: each node's group is looked up once.
  const groups = new Map<string, string>();
  const groupOf = options.groupOf
    ? (node: string): string => {
        let group = groups.get(node);
        if (group === undefined) groups.set(node, (group = options.groupOf!(node)));
        return group;
      }
    : undefined;
  // Per slot: the group it runs now or ran last.
  const slotGroup = new Map<number, string>();
  const busyGroups = new Map<string, number>();
  const next = (slot: number): string | undefined => {
    if (!groupOf) return ready.pop();
    const mine = slotGroup.get(slot);
    return ready.popPreferred((node) => {
      const group = groupOf(node);
      return group === mine ? 2 : (busyGroups.get(group) ?? 0) === 0 ? 1 : 0;
    }, GROUP_LOOKAHEAD);
  };
  let running = 0;
  let stopped = false;
  let sinceTurn = 0;
  let paused = false;

  return new Promise((resolve, reject) => {
    // Iterative: a failure at the bottom of a 10,000-long chain skips 10,000 dependents.
    const skip = (first: string, cause: string): void => {
      const stack = [first];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (outcome.has(node)) continue;
        outcome.set(node, 'skipped');
        options.onSkip?.(node, cause);
        for (const parent of dependents.get(node) ?? []) if (!outcome.has(parent)) stack.push(parent);
      }
    };
    const settle = (node: string, result: 'ok' | 'failed'): void => {
      outcome.set(node, result);
      if (result === 'failed') {
        if (!keepGoing) stopped = true;
        for (const parent of dependents.get(node) ?? []) skip(parent, node);
        return;
      }
      for (const parent of dependents.get(node) ?? []) {
        const left = (waiting.get(parent) ?? 0) - 1;
        waiting.set(parent, left);
        if (left === 0 && !outcome.has(parent)) ready.push(parent);
      }
    };
    const pump = (): void => {
      if (paused) return;
      if (signal?.aborted) stopped = true;
      if (!stopped) {
        while (running < jobs && ready.size > 0) {
          const slot = freeSlots.pop() ?? 0;
          const node = next(slot)!;
          if (outcome.has(node)) {
            freeSlots.push(slot);
            continue;
          }
          const group = groupOf?.(node);
          if (group !== undefined) {
            slotGroup.set(slot, group);
            busyGroups.set(group, (busyGroups.get(group) ?? 0) + 1);
          }
          running++;
          run(node, slot).then(
            (result) => {
              running--;
              if (group !== undefined) busyGroups.set(group, busyGroups.get(group)! - 1);
              freeSlots.push(slot);
              settle(node, result);
              // Cooks that finish without I/O resolve as microtasks, which never let the event
              // loop turn while any slot is busy: every few completions, start nothing new until
              // the loop has turned once, so the store's batched commits, the progress line and
              // timers run during a long build too.
              if (++sinceTurn >= TURN_EVERY && !paused) {
                sinceTurn = 0;
                paused = true;
                setImmediate(() => {
                  paused = false;
                  pump();
                });
              }
              pump();
            },
            (error: unknown) => {
              running--;
              reject(error);
            },
          );
        }
      }
      if (running === 0) resolve(outcome);
    };
    pump();
  });
}

/**
 * How much work waits on each node: the number of dependency paths up to it (a node counts once
 * per way it is reached, which favours shared foundations). Computed dependents-first, iteratively.
 */
function criticalWeights(nodes: readonly string[], dependents: Map<string, string[]>): Map<string, number> {
  const weight = new Map<string, number>();
  for (const node of dependenciesFirst(nodes, (n) => dependents.get(n) ?? [])) {
    let total = 0;
    for (const parent of dependents.get(node) ?? []) total += 1 + (weight.get(parent) ?? 0);
    weight.set(node, total);
  }
  return weight;
}
