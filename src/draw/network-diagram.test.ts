import { describe, expect, it } from 'vitest';
import { foreignWords, parseSvg } from '../../test/support/svg.js';
import { InputError } from '../errors.js';
import { solveProblem } from '../problem/solve-file.js';
import type { NetworkTrace } from '../trace/types.js';
import { networkDiagramDot } from './network-diagram.js';
import { dotToSvg } from './render.js';

function network(file: string): NetworkTrace {
  const trace = solveProblem(`examples/${file}.yaml`);
  if (trace.kind !== 'network') throw new Error(`${file} is not a network problem`);
  return trace;
}

describe('the network diagram', () => {
  it('draws exercise 2 as a chain of three neurons, each with a bias input 1 and a sigmoid box', async () => {
    const { dot } = networkDiagramDot(network('exercise-2'));
    const svg = parseSvg(await dotToSvg(dot));
    // x, three neurons, three sigmoid boxes, three bias inputs, the loss.
    expect(svg.groups.get('node')).toBe(11);
    expect(svg.texts.filter((text) => text === '1')).toHaveLength(3);
    expect(svg.texts.filter((text) => text === 'σ')).toHaveLength(3);
    for (const name of ['x', 'h₁', 'o₁', 'h₂', 'o₂', 'h₃', 'ŷ', 'L (logloss)']) expect(svg.texts).toContain(name);
  });

  it('fills exercise 4 with step 1: H₁ = (2, −1), ReLU gives (2, 0), ŷ = 1, and ∂L/∂w on the edges', async () => {
    const svg = parseSvg(await dotToSvg(networkDiagramDot(network('exercise-4-regression'), { step: 1 }).dot));
    // Two inputs, two neurons, two ReLU boxes, the output neuron, the loss.
    expect(svg.groups.get('node')).toBe(8);
    // Four weights into the hidden layer, two into the output, two into the ReLU boxes, one into the loss.
    expect(svg.groups.get('edge')).toBe(9);
    for (const line of ['h₁,₁', '2', 'h₁,₂', '−1', '∂L/∂o₁,₂ = 2', '∂L/∂ŷ = 2', 'L = 1']) expect(svg.texts).toContain(line);
    // w from h… o₁,₁ to ŷ: 0.5 before, ∂L/∂w = 4, 0.5 − 4 = −3.5 after.
    expect(svg.texts).toEqual(expect.arrayContaining(['0.5', '4', '→ −3.5']));
  });

  it('names the steps that exist when asked for one that does not', () => {
    expect(() => networkDiagramDot(network('exercise-2'), { step: 3 })).toThrow(InputError);
    expect(() => networkDiagramDot(network('exercise-2'), { step: 3 })).toThrow(/steps are numbered 1 to 2/);
  });
});

describe('the network diagram in Russian', () => {
  it('writes the header of a step and the edge legend in the sheet\'s terms, with no English words', async () => {
    const svg = parseSvg(await dotToSvg(networkDiagramDot(network('exercise-2'), { step: 1, language: 'ru' }).dot));
    const all = svg.texts.join('\n');
    for (const term of ['Упражнение 2', 'шаг 1 (эпоха 1), наблюдение 2', 'вес до шага', 'после шага градиентного спуска']) expect(all).toContain(term);
    expect(foreignWords(svg.texts)).toEqual([]);
  });

  it('writes the initial weights\' header in Russian, and leaves English as it was', async () => {
    const svg = parseSvg(await dotToSvg(networkDiagramDot(network('exercise-4-regression'), { language: 'ru' }).dot));
    expect(svg.texts.join('\n')).toContain('на рёбрах — начальные веса');
    expect(foreignWords(svg.texts)).toEqual([]);
    expect(networkDiagramDot(network('exercise-2'), { step: 1, language: 'en' }).dot).toBe(networkDiagramDot(network('exercise-2'), { step: 1 }).dot);
  });
});
