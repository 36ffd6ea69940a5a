import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import { buildExpressionGraph } from '../src/formula/graph.js';
import { FUNCTIONS } from '../src/formula/functions.js';
import { en } from '../src/messages/en.js';
import { ru } from '../src/messages/ru.js';
import { binaryNames, unaryNames } from '../src/ops/families.js';
import { opNames, registry } from '../src/ops/registry.js';
import { Precedence, type OpAttrs, type OpName } from '../src/ops/types.js';
import { Random } from '../src/tensor/random.js';

/**
 * A walk over the registry: what every op must have besides its own definition. Each op is
 * exported from the package root, has its name in both catalogues, and — when it is a function
 * of numbers — parses back from its ascii form with the same value and derivative. Every op's
 * gradcheck case is in src/ops/registry.test.ts (a table mapped over the op names, so a missing
 * case is a compile error; its first test also checks the table against the registry).
 */

/** The ops formulas of numbers have: the elementwise families and leakyRelu (its slope written in). */
const SCALAR_OPS: readonly OpName[] = [...unaryNames, ...binaryNames, 'leakyRelu'];
const SLOPE = 0.2;

/** Points away from kinks, ties and the edges of domains (log, sqrt, pow want a positive first input). */
function pointsFor(name: OpName, random: Random): number[][] {
  // arcsin and arccos want |x| < 1; tan stays well inside (−π/2, π/2).
  const inside = name === 'asin' || name === 'acos' || name === 'tan';
  return Array.from({ length: 5 }, () => {
    const a = inside ? 0.1 + 0.8 * random.uniform() : 0.3 + 1.7 * random.uniform();
    const b = 0.3 + 1.7 * random.uniform();
    // Signs vary except where the domain is positive.
    const positive = name === 'log' || name === 'sqrt' || name === 'pow';
    const signA = positive || random.uniform() < 0.5 ? 1 : -1;
    return [signA * a, b];
  });
}

function asciiOf(name: OpName): string {
  const op = registry[name];
  const attrs = (name === 'leakyRelu' ? { slope: SLOPE } : {}) as OpAttrs[OpName];
  const args = ['x', 'y'].slice(0, op.arity as number).map((text) => ({ text, precedence: Precedence.atom }));
  return (op.notation as { write(a: typeof args, attrs: OpAttrs[OpName], style: 'ascii'): string }).write(args, attrs, 'ascii');
}

/** The op on numbers through the public API, with its gradient by each input (0 where none flows). */
function direct(name: OpName, point: readonly number[]): { value: number; grads: number[] } {
  const inputs = point.slice(0, registry[name].arity as number).map((v) => root.scalar(v, { requiresGrad: true }));
  const y = name === 'leakyRelu' ? root.leakyRelu(inputs[0]!, SLOPE) : (root[name] as (...xs: root.Tensor[]) => root.Tensor)(...inputs);
  if (y.requiresGrad) y.backward();
  return { value: y.item(), grads: inputs.map((x) => x.grad?.item() ?? 0) };
}

describe('registry walk: every op', () => {
  it('the ops outside the grammar of numbers are exactly the tensor-shaped ones, and have no grammar names', () => {
    const tensorShaped = opNames.filter((name) => !SCALAR_OPS.includes(name));
    expect(tensorShaped.sort()).toEqual(
      ['broadcastTo', 'concat', 'identity', 'logsumexp', 'matmul', 'max', 'mean', 'place', 'reshape', 'slice', 'softmax', 'softmaxCrossEntropy', 'sum', 'transpose', 'unfold', 'fold', 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'trace', 'det', 'inv', 'eyeLike', 'diag', 'kron', 'commutation'].sort(),
    );
    for (const name of tensorShaped) expect(registry[name].grammarNames, name).toBeUndefined();
  });

  for (const name of opNames) {
    describe(name, () => {
      it('is exported from the package root as a function', () => {
        expect(typeof (root as Record<string, unknown>)[name]).toBe('function');
      });

      it('has its name in the English and the Russian catalogue', () => {
        const key = `op.${name}`;
        expect((en as Record<string, string>)[key]?.trim() ?? '', `en ${key}`).not.toBe('');
        expect((ru as Record<string, string>)[key]?.trim() ?? '', `ru ${key}`).not.toBe('');
      });

      if (!SCALAR_OPS.includes(name)) return;

      if ((unaryNames as readonly string[]).includes(name) || (binaryNames as readonly string[]).includes(name)) {
        it('is a Tensor method', () => {
          const x = root.tensor([0.5, 1.5]);
          const method = (x as unknown as Record<string, (b?: root.Tensor) => root.Tensor>)[name]!;
          const viaMethod = registry[name].arity === 1 ? method.call(x) : method.call(x, root.tensor([1.25, 0.75]));
          expect(viaMethod.creator?.op.name ?? name).toBe(name);
        });
      }

      it('each of its grammar names calls it', () => {
        for (const grammarName of registry[name].grammarNames ?? []) expect(FUNCTIONS[grammarName]).toEqual({ op: name, arity: registry[name].arity });
      });

      it(`parses back from its ascii form (${asciiOf(name)}) with the same value and derivatives`, () => {
        const source = asciiOf(name);
        const random = new Random(opNames.indexOf(name) + 1);
        for (const point of pointsFor(name, random)) {
          const at: Record<string, number> = name === 'leakyRelu' || registry[name].arity === 1 ? { x: point[0]! } : { x: point[0]!, y: point[1]! };
          const graph = buildExpressionGraph(source, at);
          const output = graph.output;
          const want = direct(name, point);
          const value = 'tensor' in output ? output.tensor.item() : output.value;
          expect(value, `${source} at ${JSON.stringify(at)}`).toBeCloseTo(want.value, 12);
          if ('tensor' in output && output.tensor.requiresGrad) output.tensor.backward();
          const inputs = graph.nodes.filter((node) => node.op === 'input');
          Object.keys(at).forEach((variable, i) => {
            const input = inputs.find((node) => node.id === variable);
            expect(input?.tensor.grad?.item() ?? 0, `∂(${source})/∂${variable} at ${JSON.stringify(at)}`).toBeCloseTo(want.grads[i]!, 12);
          });
        }
      });
    });
  }
});
