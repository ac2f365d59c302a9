/**
 * Ready nodes ordered by weight (most work waiting on them first), ties by name: a binary heap,
 * so taking the next node is O(log n) even when ten thousand are ready at once.
 */
export class ReadyQueue {
  private readonly heap: string[] = [];

  constructor(private readonly weight: ReadonlyMap<string, number>) {}

  get size(): number {
    return this.heap.length;
  }

  push(node: string): void {
    const heap = this.heap;
    heap.push(node);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && this.before(heap[left]!, heap[best]!)) best = left;
        if (right < heap.length && this.before(heap[right]!, heap[best]!)) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  }

  /**
   * The next node, letting `score` choose among the first `limit` nodes that weigh as much as the
   * top one (ties in weight are ordered by name only, so preferring one never delays a node more
   * work waits on). The highest score wins, the earliest on a tie.
   */
  popPreferred(score: (node: string) => number, limit: number): string | undefined {
    const top = this.pop();
    if (top === undefined || this.heap.length === 0) return top;
    const weight = this.weight.get(top) ?? 0;
    const tied = [top];
    while (tied.length < limit && this.heap.length > 0 && (this.weight.get(this.heap[0]!) ?? 0) === weight) tied.push(this.pop()!);
    let best = 0;
    let bestScore = score(top);
    for (let i = 1; i < tied.length; i++) {
      const s = score(tied[i]!);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    }
    for (let i = 0; i < tied.length; i++) if (i !== best) this.push(tied[i]!);
    return tied[best];
  }

  private before(a: string, b: string): boolean {
    const wa = this.weight.get(a) ?? 0;
    const wb = this.weight.get(b) ?? 0;
    return wa !== wb ? wa > wb : a < b;
  }
}
