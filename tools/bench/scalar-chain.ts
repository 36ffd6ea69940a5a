import * as tf from '@tensorflow/tfjs';
import { scalar } from '../../src/autograd/create.js';
import type { Contender } from './measure.js';

/**
 * (a) A long chain of 0-d ops, x ← x·c + d, built and differentiated back to x₀. Every step
 * makes two op results (the product and the sum), so `nodes` counts op results. c < 1 keeps
 * x bounded; the gradient is c^(nodes/2).
 */
const C = 0.999;
const D = 0.001;
const X0 = 0.5;

function stepsFor(nodes: number): number {
  if (nodes % 2 !== 0) throw new RangeError(`scalar chain: ${nodes} nodes is not a whole number of x·c + d steps`);
  return nodes / 2;
}

/** Build the chain on scalar tensors and call backward(); returns dx/dx₀. */
function mashagradChain(steps: number): number {
  const c = scalar(C);
  const d = scalar(D);
  const x0 = scalar(X0, { requiresGrad: true });
  let x = x0;
  for (let i = 0; i < steps; i++) x = x.mul(c).add(d);
  x.backward();
  if (x0.grad === null) throw new Error('scalar chain: backward() left no gradient on x0');
  return x0.grad.item();
}

/** The same chain under tf.grad with tf.scalar ops (tf.grad disposes the intermediates). */
function tfjsChain(steps: number): () => number {
  const c = tf.scalar(C);
  const d = tf.scalar(D);
  const gradient = tf.grad((x: tf.Tensor) => {
    let y = x;
    for (let i = 0; i < steps; i++) y = tf.add(tf.mul(y, c), d);
    return y;
  });
  return () => {
    const x0 = tf.scalar(X0);
    const g = gradient(x0);
    const value = g.dataSync()[0]!;
    g.dispose();
    x0.dispose();
    return value;
  };
}

export function mashagradChainContender(nodes: number): Contender {
  const steps = stepsFor(nodes);
  return {
    name: `mashagrad chain ${nodes}`,
    run: () => {
      mashagradChain(steps);
      return nodes;
    },
  };
}

export function tfjsChainContender(nodes: number): Contender {
  const run = tfjsChain(stepsFor(nodes));
  return {
    name: `TF.js chain ${nodes}`,
    run: () => {
      run();
      return nodes;
    },
  };
}

/** Both libraries must agree on the gradient (TF.js computes in float32). */
export function checkChain(nodes: number): void {
  const steps = stepsFor(nodes);
  const expected = C ** steps;
  const ours = mashagradChain(steps);
  const theirs = tfjsChain(steps)();
  if (Math.abs(ours - expected) > 1e-12 * expected || Math.abs(theirs - expected) > 1e-3 * expected) {
    throw new Error(`scalar chain: gradients disagree: mashagrad ${ours}, TF.js ${theirs}, exact ${expected}`);
  }
}
