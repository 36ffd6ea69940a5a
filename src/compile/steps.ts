import type { Tensor } from '../autograd/tensor.js';
import type { KernelInput, OpAttrs, OpDef, OpName } from '../ops/types.js';
import type { Storage } from '../tensor/dtype.js';
import type { MatmulDims } from '../kernels/backend.js';
import type { UnaryCode } from '../kernels/codes.js';
import { sameShape, type Shape } from '../tensor/shape.js';

/** One call of a forward kernel on fixed buffers. */
export interface Step {
  run(): void;
  describe(): string;
}

/** An op's registry forward kernel, as recorded. */
class KernelStep implements Step {
  private readonly inputs: readonly KernelInput[];
  private readonly out: Storage;
  private readonly shape: Shape;
  private readonly op: OpDef<OpAttrs[OpName]>;
  private readonly attrs: never;

  constructor(node: Tensor) {
    this.op = node.op!;
    this.attrs = node.attrs as never;
    this.inputs = node.inputs.map((input) => ({ data: input.data, shape: input.shape }));
    this.out = node.data;
    this.shape = node.shape;
  }

  run(): void {
    this.op.forward(this.inputs, this.attrs, this.out, this.shape);
  }

  describe(): string {
    return `${this.op.name}(${this.inputs.map((input) => `[${input.shape.join(',')}]`).join(', ')}) → [${this.shape.join(',')}]`;
  }
}

/** A 2-D matrix product reading a transposed operand in place (its op's forwardTransposed). */
class MatmulStep implements Step {
  constructor(
    private readonly forward: NonNullable<OpDef<never>['forwardTransposed']>,
    private readonly a: Storage, private readonly b: Storage, private readonly out: Storage, private readonly dims: MatmulDims,
  ) {}

  run(): void {
    this.forward(this.a, this.b, this.out, this.dims);
  }

  describe(): string {
    // The stored shapes, with ᵀ where the operand is read transposed.
    const { m, k, n, transA, transB } = this.dims;
    const a = transA === true ? `[${k},${m}]ᵀ` : `[${m},${k}]`;
    const b = transB === true ? `[${n},${k}]ᵀ` : `[${k},${n}]`;
    return `matmul(${a}, ${b}) → [${m},${n}]`;
  }
}

/**
 * A bias add and the elementwise activation of its result, as one backend kernel: out =
 * act(x + bias), and the sum x + bias only where something else reads it (relu's vjp reads
 * step(x + bias)). A forward-kernel fusion only: the same kernels' operations on the same
 * buffers, so the results are those of the two steps apart; the derivatives are the traced
 * registry vjps, untouched.
 */
class BiasActivationStep implements Step {
  constructor(
    private readonly add: BiasAdd, private readonly activation: Tensor, private readonly code: UnaryCode, private readonly keepSum: boolean,
  ) {}

  run(): void {
    const { forward, x, bias, node } = this.add;
    forward(this.code, x.data, bias.data, this.keepSum ? node.data : null, this.activation.data);
  }

  describe(): string {
    const { x, bias, node } = this.add;
    const sum = this.keepSum ? ' and the sum' : '';
    return `add+${this.activation.op!.name}([${x.shape.join(',')}], [${bias.shape.join(',')}]) → [${node.shape.join(',')}]${sum}`;
  }
}

/** An add of a row vector to every row of a tensor of its dtype: a layer's bias add, in either order. */
interface BiasAdd {
  readonly forward: NonNullable<OpDef<never>['forwardBiasActivation']>;
  readonly node: Tensor;
  readonly x: Tensor;
  readonly bias: Tensor;
}

function asBiasAdd(node: Tensor): BiasAdd | undefined {
  const forward = node.op?.forwardBiasActivation;
  if (forward === undefined || node.rank === 0) return undefined;
  const [a, b] = node.inputs as [Tensor, Tensor];
  const [x, bias] = b.rank === 1 && sameShape(a.shape, node.shape) ? [a, b] : [b, a];
  const fits = sameShape(x.shape, node.shape) && bias.rank === 1 && bias.shape[0] === node.shape[node.rank - 1];
  return fits && x.dtype === node.dtype && bias.dtype === node.dtype ? { forward, node, x, bias } : undefined;
}

/** A transpose a matrix product can read its input in place of (the op says when: readableInPlace). */
function isMatrixTranspose(node: Tensor): boolean {
  return node.op?.readableInPlace?.(node.attrs as never, node.rank) === true;
}

/**
 * The steps that replay `order`. Layout ops that alias their input (reshape) cost nothing, a
 * matrix transpose feeding only matmuls is never materialised (the matmul reads it transposed),
 * and a bias add runs with the first elementwise activation of its result (BiasActivationStep).
 */
export function planSteps(order: readonly Tensor[], outputs: readonly Tensor[]): Step[] {
  const uses = new Map<Tensor, number>();
  const use = (node: Tensor, by: number) => uses.set(node, (uses.get(node) ?? 0) + by);
  for (const node of order) for (const input of node.inputs) use(input, 1);
  for (const output of outputs) use(output, 1);

  const matmuls = new Map<Tensor, MatmulStep>();
  for (const node of order) {
    const forward = node.op?.forwardTransposed;
    if (forward === undefined || node.rank !== 2) continue;
    const [a, b] = node.inputs as [Tensor, Tensor];
    if (a.rank !== 2 || b.rank !== 2) continue;
    const transA = isMatrixTranspose(a);
    const transB = isMatrixTranspose(b);
    if (transA) use(a, -1);
    if (transB) use(b, -1);
    const [m, n] = node.shape as [number, number];
    const k = a.shape[1]!;
    const dims: MatmulDims = { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0, transA, transB };
    matmuls.set(node, new MatmulStep(forward, transA ? a.inputs[0]!.data : a.data, transB ? b.inputs[0]!.data : b.data, node.data, dims));
  }

  // The first activation of each bias add's result takes the add's place in the order.
  const fused = new Map<Tensor, BiasActivationStep>();
  const fusedActivations = new Set<Tensor>();
  for (const node of order) {
    const code = node.op?.unaryCode;
    const add = code === undefined ? undefined : asBiasAdd(node.inputs[0]!);
    if (add === undefined || fused.has(add.node)) continue;
    fused.set(add.node, new BiasActivationStep(add, node, code!, uses.get(add.node)! > 1));
    fusedActivations.add(node);
  }

  const steps: Step[] = [];
  for (const node of order) {
    if (node.op!.aliasesInput === true || fusedActivations.has(node)) continue;
    if (isMatrixTranspose(node) && uses.get(node) === 0) continue;
    steps.push(matmuls.get(node) ?? fused.get(node) ?? new KernelStep(node));
  }
  return steps;
}
