import type { Tensor } from './tensor.js';

/**
 * A max-heap of tensors by creation id: backward pops the newest node whose gradient is
 * complete. For a chain the heap holds one or two nodes, so a million-node graph is walked
 * in one pass, with no recursion and no separate topological sort.
 */
export class NewestFirst {
  private readonly heap: Tensor[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(tensor: Tensor): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(tensor);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.id >= tensor.id) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = tensor;
  }

  pop(): Tensor | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    const count = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && heap[right]!.id > heap[left]!.id ? right : left;
      if (heap[child]!.id <= last.id) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
