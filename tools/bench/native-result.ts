/**
 * Where a native float32 matmul's time goes besides OpenBLAS: the addon's gemm into one result
 * array reused every call, into a new Float32Array per call (what the tensor API does without
 * dispose()), the reused array zeroed first, the tensor API's matmul(), and matmul() with its
 * result disposed. CPU time of this process, the five interleaved in 11 rounds; prints median
 * µs per call and each one's ratio to the reused array. Each sample is short (a few ms), so
 * the median can miss what comes in bursts (a garbage collection, a heap trimmed): the
 * benchmark's samples last 300 ms and show it.
 *
 *   npx tsx tools/bench/native-result.ts
 *
 * docs/performance.md ("Against PyTorch") has the findings; tools/bench/two-openblas.c times
 * the bare cblas_sgemm of two OpenBLAS builds for comparison.
 */
import { matmul } from '../../src/autograd/api.js';
import { tensor } from '../../src/autograd/create.js';
import { setBackend } from '../../src/kernels/active.js';
import { loadAddon } from '../../src/kernels/native/addon.js';
import { loadNativeBackend } from '../../src/kernels/native/index.js';
import { median } from './measure.js';

setBackend(loadNativeBackend({ threads: 1 }));
const addon = loadAddon();

function cpuMicroseconds(work: () => void, calls: number): number {
  const start = process.cpuUsage();
  for (let c = 0; c < calls; c++) work();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / calls;
}

for (const n of [128, 256, 512, 1024]) {
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const reused = new Float32Array(n * n);
  const left = tensor(a, { shape: [n, n], dtype: 'float32' });
  const right = tensor(b, { shape: [n, n], dtype: 'float32' });
  const gemm = (out: Float32Array) => addon.gemm(a, b, out, 1, n, n, n, 0, 0, false, false);
  const ways: [string, () => void][] = [
    ['reused array', () => gemm(reused)],
    ['new array', () => gemm(new Float32Array(n * n))],
    ['reused, zeroed first', () => { reused.fill(0); gemm(reused); }],
    ['matmul()', () => { matmul(left, right); }],
    ['matmul(), disposed', () => { matmul(left, right).dispose(); }],
  ];
  const calls = Math.max(3, Math.round(1e9 / (2 * n ** 3)));
  const times: number[][] = ways.map(() => []);
  for (let round = 0; round < 11; round++) {
    for (let w = 0; w < ways.length; w++) times[w]!.push(cpuMicroseconds(ways[w]![1], calls));
  }
  const base = median(times[0]!);
  console.log(`n = ${n}: ${ways.map(([name], w) => `${name} ${median(times[w]!).toFixed(0)} µs (${(median(times[w]!) / base).toFixed(2)}×)`).join(', ')}`);
}
