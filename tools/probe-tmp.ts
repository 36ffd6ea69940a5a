import v8 from 'node:v8';
import { scalar } from '../src/autograd/create.js';
import { Tensor } from '../src/autograd/tensor.js';
const gc = (globalThis as unknown as { gc: () => void }).gc;
const used = () => { gc(); gc(); return v8.getHeapStatistics().used_heap_size; };
const N = 500_000;
const c = scalar(0.999), d = scalar(0.001);
const keep: unknown[] = [];
for (let r = 0; r < 3; r++) {
  const h0 = used();
  const x0 = scalar(0.5, { requiresGrad: true });
  let x = x0;
  for (let i = 0; i < N; i++) x = x.mul(c).add(d);
  keep.push(x);
  const h1 = used();
  const leaves: Tensor[] = [];
  for (let i = 0; i < 2 * N; i++) leaves.push(Tensor.scalar(i + 0.5));
  keep.push(leaves);
  const h2 = used();
  const arr: number[] = []; for (let i = 0; i < 2 * N; i++) arr.push(i);
  keep.push(arr);
  const h3 = used();
  console.log('bytes/node graph', ((h1 - h0) / (2 * N)).toFixed(1), 'bare scalar', ((h2 - h1 - (h3 - h2)) / (2 * N)).toFixed(1));
}
