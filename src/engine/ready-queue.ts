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

  private before(a: string, b: string): boolean {
    const wa = this.weight.get(a) ?? 0;
    const wb = this.weight.get(b) ?? 0;
    return wa !== wb ? wa > wb : a < b;
  }
}
