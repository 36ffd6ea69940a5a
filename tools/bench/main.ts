/**
 * `npm run bench`: mashagrad against TF.js's pure-JavaScript cpu backend, in one process,
 * repetitions interleaved. Prints a Markdown table and writes it to out/bench.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { checkProducts, mashagradMatmul, matmulInputs, tfjsMatmul } from './matmul.js';
import { interleave, type Measurement } from './measure.js';
import { checkChain, mashagradChainContender, tfjsChainContender } from './scalar-chain.js';
import { checkMlp, mashagradMlpContender, mlpNodesPerIteration, tfjsMlpContender } from './scalar-mlp.js';

const CHAIN_NODES = 1_000_000;
const TFJS_CHAIN_NODES = 20_000;
const MLP_ITERATIONS = 20;
const TFJS_MLP_ITERATIONS = 1;
const MATMUL_SIZES = [128, 256, 512, 1024];

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
  return `${cpu}, ${os.cpus().length} cores, ${memory} GiB, load average ${load} at start; Node ${process.version} (V8 ${process.versions.v8}); TF.js ${tf.version.tfjs} \`${tf.getBackend()}\` backend (pure JS), prod mode`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function scalarChain(): Row[] {
  log(`(a) scalar chain: mashagrad ${CHAIN_NODES} and ${TFJS_CHAIN_NODES} nodes, TF.js ${TFJS_CHAIN_NODES} nodes…`);
  checkChain(TFJS_CHAIN_NODES);
  // Two interleavings, so the garbage of a million-node graph is not collected in the small runs.
  const options = { warmup: 1, reps: 5, minSampleMs: 300 };
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
  const [ours, theirs] = interleave([mashagradMlpContender(MLP_ITERATIONS), tfjsMlpContender(TFJS_MLP_ITERATIONS)], { warmup: 1, reps: 5 });
  return [{
    benchmark: `(b) scalar MLP 2-16-16-1 tanh, 100 samples, forward + backward + SGD, ${nodes} nodes/iteration × ${MLP_ITERATIONS} (TF.js: × ${TFJS_MLP_ITERATIONS})`,
    ours: ours!, theirs: theirs!, unit: 'nodes/s',
  }];
}

function matmuls(): Row[] {
  const rows: Row[] = [];
  for (const n of MATMUL_SIZES) {
    log(`(c) matmul ${n}×${n}…`);
    const inputs = matmulInputs(n);
    const f32 = mashagradMatmul(inputs, 'float32');
    const f64 = mashagradMatmul(inputs, 'float64');
    const theirs = tfjsMatmul(inputs);
    const expected = theirs.product();
    checkProducts(n, f32.product(), expected);
    checkProducts(n, f64.product(), expected);
    const options = n >= 1024 ? { warmup: 1, reps: 3 } : { warmup: 1, reps: 5, minSampleMs: 300 };
    const [m32, m64, t32] = interleave([f32, f64, theirs], options);
    theirs.dispose();
    rows.push({ benchmark: `(c) matmul f32 ${n}×${n}`, ours: m32!, theirs: t32!, unit: 'GFLOP/s' });
    rows.push({ benchmark: `(c) matmul f64 ${n}×${n} (TF.js: f32)`, ours: m64!, theirs: t32!, unit: 'GFLOP/s' });
  }
  return rows;
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
await tf.setBackend('cpu');

const host = machine(); // before the runs, so the load average is the machine's own
const started = performance.now();
const rows = [...scalarChain(), ...scalarMlp(), ...matmuls()];
const seconds = (performance.now() - started) / 1000;

const report = [
  table(rows),
  '',
  `Machine: ${host}.`,
  '',
  'Medians of interleaved runs after one warm-up run each (5 runs; 3 at n = 1024). Nodes are op results of the forward graph; ' +
    'TF.js runs the scalar benchmarks on fewer nodes/iterations (it is much slower) and its float32 matmul is also the reference for f64.',
].join('\n');

console.log(report);
log(`\nSpread (${seconds.toFixed(0)} s in all):`);
for (const row of rows) {
  log(`  ${spread(row.ours, row.unit)}`);
  if (!row.benchmark.includes('f64')) log(`  ${spread(row.theirs, row.unit)}`);
}

const outDir = new URL('../../out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('bench.md', outDir), `${report}\n`);
log('Written to out/bench.md');
