/**
 * Post-order walk of a dependency graph with an explicit stack: every node after all of its
 * dependencies, each once. Iterative on purpose — a 10,000-long chain of targets must not hit
 * V8's call-stack limit (recursive walks crashed at ~3,000). Cycles are not detected here (the
 * graph builder rejects them); a node met again while on the stack is simply not revisited.
 */
export function dependenciesFirst(roots: Iterable<string>, depsOf: (node: string) => readonly string[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const nodes: string[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    nodes.push(root);
    next.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      const deps = depsOf(node);
      const index = next[top]!;
      if (index < deps.length) {
        next[top] = index + 1;
        const dep = deps[index]!;
        if (!seen.has(dep)) {
          seen.add(dep);
          nodes.push(dep);
          next.push(0);
        }
        continue;
      }
      nodes.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}
