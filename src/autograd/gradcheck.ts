import { AutogradError } from '../errors.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Random } from '../tensor/random.js';
import { tensor } from './create.js';
import { gradients } from './functional.js';
import { enableGrad, noGrad } from './grad-mode.js';
import type { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Absolute tolerance on u·J·v (default 1e-6). */
  atol?: number;
  /** Relative tolerance on u·J·v (default 1e-5). */
  rtol?: number;
  /** Seed of the random directions v and cotangent u (default 0). */
  seed?: number;
}

export interface GradcheckResult {
  /** Whether every comparison was within atol + rtol·|numeric|. */
  ok: boolean;
  /** The largest |reverse − numeric| over the comparisons (Infinity when something failed to run). */
  maxError: number;
  /** One line per comparison (or the reason it could not be made), for a test failure message. */
  details: string;
}

/** Σ aᵢbᵢ with Neumaier's compensated summation, so long dot products stay accurate. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < a.length; i++) {
    const term = a[i]! * b[i]!;
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return sum + compensation;
}

function float64Copy(x: Tensor, requiresGrad = false): Tensor {
  return tensor(Float64Array.from(x.data), { shape: [...x.shape], requiresGrad });
}

/** x + step·v in float64, a fresh leaf. */
function shifted(x: Tensor, v: Float64Array | null, step: number): Tensor {
  const data = Float64Array.from(x.data);
  if (v !== null) for (let i = 0; i < data.length; i++) data[i] = data[i]! + step * v[i]!;
  return tensor(data, { shape: [...x.shape] });
}

function normals(random: Random, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = random.normal();
  return out;
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(12) : String(value);
}

/**
 * Check reverse-mode gradients of `f` at `inputs` against central finite differences, as JAX's
 * check_grads does: with a random direction v (one per input) and a random cotangent u for the
 * output, compare u·J·v from one reverse pass (the gradients of Σ u⊙f, dotted with v) with
 * (u·f(x + εv) − u·f(x − εv)) / 2ε. Two forward passes per comparison, whatever the size of
 * the tensors. Everything runs in float64 (inputs of another dtype are copied).
 *
 * One comparison moves all inputs together; with several inputs, each input is also moved on
 * its own, so a wrong gradient for one input cannot hide behind the others. Never throws: an
 * exception from `f` or the engine is reported in `details` with ok = false.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const random = new Random(options.seed ?? 0);
  try {
    const directions = inputs.map((x) => normals(random, x.size));

    // Reverse mode: gradients of Σ u⊙f(x) with respect to every input.
    const leaves = inputs.map((x) => float64Copy(x, true));
    const output = enableGrad(() => f(...leaves));
    if (output.dtype !== 'float64') {
      return { ok: false, maxError: Infinity, details: `f returned ${output.dtype} from float64 inputs` };
    }
    const u = tensor(normals(random, output.size), { shape: [...output.shape] });
    const grads = enableGrad(() => gradients(output, leaves, { gradOutput: u }));
    const problems: string[] = [];
    grads.forEach((g, i) => {
      if (!sameShape(g.shape, inputs[i]!.shape)) {
        problems.push(`gradient ${i} has shape ${formatShape(g.shape)}, input has ${formatShape(inputs[i]!.shape)}`);
      }
    });
    if (problems.length > 0) return { ok: false, maxError: Infinity, details: problems.join('\n') };
    const uData = u.data;
    const projected = (xs: Tensor[]): number => {
      const y = noGrad(() => f(...xs));
      if (!sameShape(y.shape, output.shape)) throw new AutogradError('gradcheck', `f returned shape ${formatShape(y.shape)} at a shifted point, ${formatShape(output.shape)} at x`, { shapes: [y.shape, output.shape] });
      return dot(uData, y.data);
    };

    // Which inputs each comparison moves: all of them, then (with several) each on its own.
    const groups: { label: string; moved: number[] }[] = [{ label: inputs.length === 1 ? 'input 0' : 'all inputs', moved: inputs.map((_, i) => i) }];
    if (inputs.length > 1) inputs.forEach((_, i) => groups.push({ label: `input ${i}`, moved: [i] }));

    let ok = true;
    let maxError = 0;
    const lines: string[] = [];
    for (const { label, moved } of groups) {
      const reverse = moved.reduce((total, i) => total + dot(grads[i]!.data, directions[i]!), 0);
      const at = (step: number) => inputs.map((x, i) => shifted(x, moved.includes(i) ? directions[i]! : null, step));
      const numeric = (projected(at(eps)) - projected(at(-eps))) / (2 * eps);
      const error = Math.abs(reverse - numeric);
      const tolerance = atol + rtol * Math.abs(numeric);
      const passed = error <= tolerance; // false for NaN
      ok &&= passed;
      maxError = Number.isNaN(error) ? Infinity : Math.max(maxError, error);
      lines.push(`${label}: reverse u·J·v = ${fmt(reverse)}, central difference = ${fmt(numeric)}, |difference| = ${error.toExponential(3)} ${passed ? '≤' : '>'} ${tolerance.toExponential(3)}`);
    }
    return { ok, maxError, details: lines.join('\n') };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, maxError: Infinity, details: `gradcheck could not run: ${message}` };
  }
}
