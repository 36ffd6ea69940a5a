/**
 * `npm run bench`: mashagrad against TF.js's pure-JavaScript cpu backend (and, for matmul,
 * mashagrad's WebAssembly SIMD backend on one thread and on worker threads, and its native
 * (OpenBLAS) backend, against TF.js's wasm backend, NumPy and PyTorch; for training, against
 * TF.js and PyTorch on one and on two threads), repetitions interleaved; NumPy and PyTorch run
 * in long-lived python3 processes (peer.ts) that time one sample whenever their turn comes.
 * Prints Markdown tables and writes them to out/bench.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setBackend } from '../../src/kernels/active.js';
import type { Backend } from '../../src/kernels/backend.js';
import { referenceBackend } from '../../src/kernels/reference/index.js';
import { loadNativeBackend, nativeInfo } from '../../src/kernels/native/index.js';
import { bestWasmVariant, loadWasmBackend } from '../../src/kernels/wasm/index.js';
import { checkProducts, mashagradMatmul, matmulInputs, reusedResultMatmul, tfjsMatmul, useTfBackend } from './matmul.js';
import { interleave, type Clock, type Contender, type Measurement, type SelfTimed } from './measure.js';
import { checkChain, mashagradChainContender, tfjsChainContender } from './scalar-chain.js';
import { checkMlp, mashagradMlpContender, mlpNodesPerIteration, tfjsMlpContender } from './scalar-mlp.js';
import { BATCH, mashagradTraining, tfjsTraining, trainingData } from './mlp-training.js';
import { startPeer, type Peer } from './peer.js';

const CHAIN_NODES = 1_000_000;
const TFJS_CHAIN_NODES = 20_000;
const MLP_ITERATIONS = 20;
const TFJS_MLP_ITERATIONS = 1;
const MATMUL_SIZES = [128, 256, 512, 1024];
/** The second thread count of the training table (the machine this was written on has 2 cores). */
const TWO_THREADS = 2;

/**
 * `--clock=cpu` times every sample by its process's CPU time instead of elapsed time, for a
 * machine shared with other jobs; CPU time adds up every thread's, so the rows on several
 * threads are left out then.
 */
const clockArgument = process.argv.find((arg) => arg.startsWith('--clock='))?.slice('--clock='.length) ?? 'wall';
if (clockArgument !== 'wall' && clockArgument !== 'cpu') {
  process.stderr.write(`npm run bench: --clock must be wall or cpu, not ${JSON.stringify(clockArgument)}\n`);
  process.exit(2);
}
const clock: Clock = clockArgument;

interface Row {
  benchmark: string;
  ours: Measurement;
  /** What mashagrad is compared with; absent for mashagrad-only rows. */
  theirs: Measurement;
  unit: 'nodes/s' | 'GFLOP/s';
}

function format(rate: number, unit: Row['unit']): string {
  const scaled = unit === 'GFLOP/s' ? rate / 1e9 : rate / 1e6;
  const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : scaled >= 1 ? 2 : 3;
  return `${scaled.toFixed(digits)} ${unit === 'GFLOP/s' ? 'GFLOP/s' : 'M nodes/s'}`;
}

function ratio(ours: number, theirs: number): string {
  const r = ours / theirs;
  return `${r.toFixed(r >= 10 ? 0 : 2)}×`;
}

function spread(m: Measurement, unit: Row['unit']): string {
  return `${m.name}: median ${format(m.median, unit)}, range ${format(Math.min(...m.rates), unit)} – ${format(Math.max(...m.rates), unit)} over ${m.rates.length} runs`;
}

function machine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match !== null) cpu = match[1]!.trim();
  } catch {
    // not Linux: keep os.cpus()'s model
  }
  const memory = Math.round(os.totalmem() / 2 ** 30);
  const load = os.loadavg()[0]!.toFixed(1);
  return `${cpu}, ${os.cpus().length} cores, ${memory} GiB, load average ${load} at start; Node ${process.version} (V8 ${process.versions.v8}); TF.js ${tf.version.tfjs} \`cpu\` (pure JS) and \`wasm\` (SIMD, one thread) backends, prod mode; mashagrad wasm build: ${bestWasmVariant() === 'relaxed' ? 'relaxed SIMD (fused multiply-add)' : 'baseline SIMD'}, ` +
    `on one thread and (its own column) on ${wasmThreaded.threads} threads${threadedWasm ? '' : clock === 'cpu' ? ' (not with --clock=cpu: the column stays empty)' : ' (no workers here: the column stays empty)'}; ` +
    `mashagrad native: ${native === undefined ? 'not built' : `${native.config}, ${native.threads} thread(s)${nativeTwoThreads === undefined ? '' : ` (and ${TWO_THREADS} in its own training row)`}`}`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function scalarChain(): Row[] {
  log(`(a) scalar chain: mashagrad ${CHAIN_NODES} and ${TFJS_CHAIN_NODES} nodes, TF.js ${TFJS_CHAIN_NODES} nodes…`);
  checkChain(TFJS_CHAIN_NODES);
  // Two interleavings, so the garbage of a million-node graph is not collected in the small runs.
  const options = { warmup: 1, reps: 5, minSampleMs: 300, clock };
  const [big, theirs] = interleave([mashagradChainContender(CHAIN_NODES), tfjsChainContender(TFJS_CHAIN_NODES)], options);
  const [small, theirsAgain] = interleave([mashagradChainContender(TFJS_CHAIN_NODES), tfjsChainContender(TFJS_CHAIN_NODES)], options);
  return [
    { benchmark: `(a) scalar chain x←x·c+d, build + backward, ${CHAIN_NODES / 1e6}M nodes (TF.js: ${TFJS_CHAIN_NODES / 1e3}k)`, ours: big!, theirs: theirs!, unit: 'nodes/s' },
    { benchmark: `(a) same chain, both ${TFJS_CHAIN_NODES / 1e3}k nodes`, ours: small!, theirs: theirsAgain!, unit: 'nodes/s' },
  ];
}

function scalarMlp(): Row[] {
  const nodes = mlpNodesPerIteration();
  log(`(b) scalar MLP: ${nodes} nodes per iteration, mashagrad ${MLP_ITERATIONS} iterations, TF.js ${TFJS_MLP_ITERATIONS}…`);
  checkMlp();
  const [ours, theirs] = interleave([mashagradMlpContender(MLP_ITERATIONS), tfjsMlpContender(TFJS_MLP_ITERATIONS)], { warmup: 1, reps: 5, clock });
  return [{
    benchmark: `(b) scalar MLP 2-16-16-1 tanh, 100 samples, forward + backward + SGD, ${nodes} nodes/iteration × ${MLP_ITERATIONS} (TF.js: × ${TFJS_MLP_ITERATIONS})`,
    ours: ours!, theirs: theirs!, unit: 'nodes/s',
  }];
}

/**
 * One matmul size and dtype: mashagrad's backends, TF.js's two (always float32), NumPy's and
 * PyTorch's; native, NumPy and PyTorch are absent where the addon is not built or no python3
 * here has the library.
 */
interface MatmulRow {
  benchmark: string;
  reference: Measurement;
  wasm: Measurement;
  /** The wasm backend on worker threads; absent where it has only one thread. */
  wasmThreads: Measurement | undefined;
  native: Measurement | undefined;
  /** The native backend's kernel into one result array reused every time, as NumPy's freed result is handed back hot. */
  nativeReused: Measurement | undefined;
  tfCpu: Measurement;
  tfWasm: Measurement;
  numpy: Measurement | undefined;
  torch: Measurement | undefined;
}

// One thread, as TF.js's wasm backend; and the default, one thread per core (if several), as its own column.
const wasmBackend = await loadWasmBackend({ threads: 1 });
const wasmThreaded = await loadWasmBackend();
const threadedLabel = `wasm, ${wasmThreaded.threads} threads`;
const nativeBackend = (() => {
  try {
    // One thread, as NumPy here and TF.js's wasm backend: a like-for-like comparison of kernels.
    return loadNativeBackend({ threads: 1 });
  } catch (error) {
    log(`native backend unavailable (${error instanceof Error ? error.message : String(error)}): its column stays empty`);
    return undefined;
  }
})();
const native = nativeInfo();

const threadedWasm = clock === 'wall' && wasmThreaded.threads > 1;
const nativeTwoThreads = clock === 'wall' && nativeBackend !== undefined && os.cpus().length >= TWO_THREADS ? loadNativeBackend({ threads: TWO_THREADS }) : undefined;

/** A python3 peer, or undefined after one line saying why it is not measured. */
function peer(library: 'numpy' | 'torch', label: string, pythons: readonly string[], env: NodeJS.ProcessEnv): Peer | undefined {
  const started = startPeer(library, pythons, env);
  if (typeof started !== 'string') return started;
  log(`${label} not measured: ${started}`);
  return undefined;
}

// NumPy on as many OpenBLAS threads as native (its environment sets them); PyTorch sets its
// threads per request. Debian's python3-torch is /usr/bin/python3's, which a pyenv or venv
// python3 on PATH may hide.
const nativeThreads = String(native?.threads ?? 1);
const numpyPeer = peer('numpy', 'NumPy', ['python3'], { ...process.env, OPENBLAS_NUM_THREADS: nativeThreads, OMP_NUM_THREADS: nativeThreads });
const torchPeer = peer('torch', 'PyTorch', ['python3', '/usr/bin/python3'], process.env);

function matmuls(): MatmulRow[] {
  const rows: MatmulRow[] = [];
  for (const n of MATMUL_SIZES) {
    log(`(c) matmul ${n}×${n}…`);
    const inputs = matmulInputs(n);
    const optional = (on: Backend | undefined, label?: string) => (on === undefined ? [] : [mashagradMatmul(inputs, 'float32', on, label), mashagradMatmul(inputs, 'float64', on, label)]);
    const mashagrad = [
      mashagradMatmul(inputs, 'float32', referenceBackend),
      mashagradMatmul(inputs, 'float32', wasmBackend),
      mashagradMatmul(inputs, 'float64', referenceBackend),
      mashagradMatmul(inputs, 'float64', wasmBackend),
      ...optional(nativeBackend),
      ...optional(threadedWasm ? wasmThreaded : undefined, threadedLabel),
    ];
    const tfCpuContender = tfjsMatmul(inputs, 'cpu');
    const tfWasmContender = tfjsMatmul(inputs, 'wasm');
    const expected = tfCpuContender.product();
    for (const c of [...mashagrad, tfWasmContender]) checkProducts(n, c.product(), expected);
    const reused = nativeBackend === undefined ? [] : (['float32', 'float64'] as const).map((dtype) => reusedResultMatmul(inputs, dtype, nativeBackend));
    const peerContenders = (on: Peer | undefined, name: string) =>
      (on === undefined ? [] : (['float32', 'float64'] as const).map((dtype) => on.contender(`${name} ${dtype} ${n}`, { op: 'matmul', n, dtype, threads: Number(nativeThreads) })));
    const numpy = peerContenders(numpyPeer, 'NumPy');
    const torch = peerContenders(torchPeer, 'PyTorch');
    const options = n >= 1024 ? { warmup: 1, reps: 3, clock } : { warmup: 1, reps: 5, minSampleMs: 300, clock };
    const all: (Contender | SelfTimed)[] = [tfCpuContender, tfWasmContender, ...mashagrad, ...reused, ...numpy, ...torch];
    const measured = new Map(interleave(all, options).map((m, i) => [all[i]!, m]));
    const of = (c: Contender | SelfTimed | undefined) => (c === undefined ? undefined : measured.get(c));
    const [ref32, wasm32, ref64, wasm64] = mashagrad.map(of);
    const [native32, native64] = nativeBackend === undefined ? [] : mashagrad.slice(4, 6).map(of);
    const [threads32, threads64] = threadedWasm ? mashagrad.slice(-2).map(of) : [];
    tfCpuContender.dispose();
    tfWasmContender.dispose();
    const tfCpu = of(tfCpuContender)!;
    const tfWasm = of(tfWasmContender)!;
    rows.push({ benchmark: `(c) matmul f32 ${n}×${n}`, reference: ref32!, wasm: wasm32!, wasmThreads: threads32, native: native32, nativeReused: of(reused[0]), tfCpu, tfWasm, numpy: of(numpy[0]), torch: of(torch[0]) });
    rows.push({ benchmark: `(c) matmul f64 ${n}×${n} (TF.js: f32)`, reference: ref64!, wasm: wasm64!, wasmThreads: threads64, native: native64, nativeReused: of(reused[1]), tfCpu, tfWasm, numpy: of(numpy[1]), torch: of(torch[1]) });
  }
  setBackend(referenceBackend);
  useTfBackend('cpu');
  return rows;
}

function matmulTable(rows: readonly MatmulRow[]): string {
  const gflops = (m: Measurement | undefined) => (m === undefined ? '—' : format(m.median, 'GFLOP/s'));
  const over = (m: Measurement | undefined, by: Measurement | undefined) => (m === undefined || by === undefined ? '—' : ratio(m.median, by.median));
  return [
    `| benchmark | mashagrad reference | mashagrad wasm | mashagrad ${threadedLabel} | mashagrad native | native, result reused | TF.js cpu | TF.js wasm | NumPy | PyTorch | mashagrad wasm / TF.js wasm | ${threadedLabel} / TF.js wasm | native / NumPy | native, result reused / NumPy | native / PyTorch |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) =>
      `| ${row.benchmark} | ${gflops(row.reference)} | ${gflops(row.wasm)} | ${gflops(row.wasmThreads)} | ${gflops(row.native)} | ${gflops(row.nativeReused)} | ${gflops(row.tfCpu)} | ${gflops(row.tfWasm)} | ${gflops(row.numpy)} | ${gflops(row.torch)} | ` +
      `${over(row.wasm, row.tfWasm)} | ${over(row.wasmThreads, row.tfWasm)} | ${over(row.native, row.numpy)} | ${over(row.nativeReused, row.numpy)} | ${over(row.native, row.torch)} |`),
  ].join('\n');
}

/**
 * (d) The MLP 784-256-128-10 training benchmark: samples/s per contender, ratios against TF.js
 * wasm and against PyTorch on as many threads (TF.js and the reference run on one).
 */
function mlpTraining(): { table: string; measurements: Measurement[] } {
  const data = trainingData();
  log(`(d) MLP 784-256-128-10 training on ${data.source}…`);
  const tfCpu = tfjsTraining(data, 'cpu');
  const tfWasm = tfjsTraining(data, 'wasm');
  const torch = (threads: number) => torchPeer?.contender(`PyTorch, ${threads === 1 ? '1 thread' : `${threads} threads`}`, { op: 'mlp', threads });
  const torchOne = torch(1);
  const torchTwo = nativeTwoThreads === undefined ? undefined : torch(TWO_THREADS);
  const contenders: { contender: Contender | SelfTimed; threads: number }[] = [
    { contender: mashagradTraining(data, 'mashagrad reference', referenceBackend), threads: 1 },
    { contender: mashagradTraining(data, 'mashagrad wasm', wasmBackend), threads: 1 },
    ...(threadedWasm ? [{ contender: mashagradTraining(data, `mashagrad ${threadedLabel}`, wasmThreaded), threads: wasmThreaded.threads }] : []),
    ...(nativeBackend === undefined ? [] : [{ contender: mashagradTraining(data, 'mashagrad native (OpenBLAS)', nativeBackend), threads: 1 }]),
    ...(nativeTwoThreads === undefined ? [] : [{ contender: mashagradTraining(data, `mashagrad native (OpenBLAS), ${TWO_THREADS} threads`, nativeTwoThreads), threads: TWO_THREADS }]),
    { contender: tfCpu, threads: 1 },
    { contender: tfWasm, threads: 1 },
    ...(torchOne === undefined ? [] : [{ contender: torchOne, threads: 1 }]),
    ...(torchTwo === undefined ? [] : [{ contender: torchTwo, threads: TWO_THREADS }]),
  ];
  const measurements = interleave(contenders.map((c) => c.contender), { warmup: 1, reps: 5, minSampleMs: 1000, clock });
  setBackend(referenceBackend);
  tfCpu.dispose();
  tfWasm.dispose();
  useTfBackend('cpu');
  const byContender = new Map(contenders.map((c, i) => [c.contender, measurements[i]!]));
  const theirs = byContender.get(tfWasm)!;
  const torchRates = new Map<number, Measurement | undefined>();
  torchRates.set(1, torchOne === undefined ? undefined : byContender.get(torchOne));
  torchRates.set(TWO_THREADS, torchTwo === undefined ? undefined : byContender.get(torchTwo));
  const rate = (m: Measurement) => `${Math.round(m.median).toLocaleString('en-US')} samples/s`;
  const versusTorch = (m: Measurement, threads: number) => {
    const torchRate = torchRates.get(threads);
    return torchRate === undefined ? '—' : ratio(m.median, torchRate.median);
  };
  const table = [
    `| (d) MLP 784-256-128-10, Adam, f32, batches of ${BATCH} | samples/s | epoch of 60,000 | vs TF.js wasm | vs PyTorch on as many threads |`,
    '|---|---:|---:|---:|---:|',
    ...contenders.map(({ threads }, i) => {
      const m = measurements[i]!;
      return `| ${m.name} | ${rate(m)} | ${(60000 / m.median).toFixed(1)} s | ${ratio(m.median, theirs.median)} | ${versusTorch(m, threads)} |`;
    }),
    '',
    `Data: ${data.source}.`,
  ].join('\n');
  return { table, measurements };
}

function table(rows: readonly Row[]): string {
  const lines = [
    '| benchmark | mashagrad | TF.js cpu | mashagrad / TF.js |',
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| ${row.benchmark} | ${format(row.ours.median, row.unit)} | ${format(row.theirs.median, row.unit)} | ${ratio(row.ours.median, row.theirs.median)} |`),
  ];
  return lines.join('\n');
}

tf.enableProdMode(); // also silences the "install tfjs-node" notice
// TF.js's wasm backend loads its .wasm files (shipped in the npm package) from this directory.
setWasmPaths(fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
await tf.setBackend('wasm'); // initialise it once; matmuls() switches between the two
await tf.setBackend('cpu');

const host = machine(); // before the runs, so the load average is the machine's own
const started = performance.now();
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const rows = only === undefined || only === 'scalar' ? [...scalarChain(), ...scalarMlp()] : [];
const training = only === undefined || only === 'training' ? mlpTraining() : null;
const matmulRows = only === undefined || only === 'matmul' ? matmuls() : [];
const seconds = (performance.now() - started) / 1000;

const report = [
  ...(rows.length > 0 ? [table(rows), ''] : []),
  ...(training === null ? [] : [training.table, '']),
  ...(matmulRows.length > 0 ? [matmulTable(matmulRows), ''] : []),
  `Machine: ${host}; NumPy: ${numpyPeer?.about ?? 'not measured'}, on as many threads as native; ${torchPeer?.about ?? 'PyTorch: not measured'}, run on as many threads as each row says; ` +
    `load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
  '',
  'Medians of interleaved runs after one warm-up run each (5 runs; 3 at n = 1024). Nodes are op results of the forward graph; ' +
    'TF.js runs the scalar benchmarks on fewer nodes/iterations (it is much slower) and its float32 matmul is also the reference for f64. ' +
    'Matmul: every mashagrad number but "result reused" is the tensor API\'s `matmul(a, b)` with its result disposed after (`dispose()`, as the TF.js contender disposes its product and NumPy\'s reference count frees its result; without it each result is new memory, as V8 frees array buffers only at garbage collection: `tools/bench/native-result.ts` times both) and includes copying into and out of its backend (for wasm: into WebAssembly memory, under 1% at n ≥ 512; ' +
    'native works on the tensors\' own arrays); mashagrad wasm runs on one thread, and on worker threads in its own column; TF.js wasm is its SIMD build, one thread ' +
    '(TF.js 4.22 turns its threaded build off in Node); NumPy and PyTorch run in python3 processes that time one sample at their turn in ' +
    'the same interleaving, on as many OpenBLAS threads as native (PyTorch: also its intra-op threads). (d) trains 20 batches per timed sample ' +
    '(PyTorch: the same model, loss, Adam and rows, its own shuffle), repeated for at least 1 s; the epoch column is 60,000 / rate. ' +
    `Clock: ${clock === 'wall' ? 'elapsed time' : 'each process\'s CPU time (--clock=cpu), so the rows on several threads are left out'}. ` +
    '`--only=scalar|training|matmul` runs one part; `--clock=cpu` times by CPU time, for a machine shared with other jobs.',
].join('\n');

console.log(report);
log(`\nSpread (${seconds.toFixed(0)} s in all):`);
for (const row of rows) {
  log(`  ${spread(row.ours, row.unit)}`);
  log(`  ${spread(row.theirs, row.unit)}`);
}
for (const m of training?.measurements ?? []) log(`  ${m.name}: median ${Math.round(m.median)} samples/s, range ${Math.round(Math.min(...m.rates))} – ${Math.round(Math.max(...m.rates))} over ${m.rates.length} runs`);
for (const row of matmulRows) {
  for (const m of [row.reference, row.wasm, row.wasmThreads, row.native, row.nativeReused, row.numpy, row.torch]) if (m !== undefined) log(`  ${spread(m, 'GFLOP/s')}`);
  if (!row.benchmark.includes('f64')) for (const m of [row.tfCpu, row.tfWasm]) log(`  ${spread(m, 'GFLOP/s')}`);
}

numpyPeer?.close();
torchPeer?.close();

const outDir = new URL('../../out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('bench.md', outDir), `${report}\n`);
log('Written to out/bench.md');
