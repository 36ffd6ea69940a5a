import { describe, expect, it } from 'vitest';
import { en } from '../src/messages/en.js';
import { ru } from '../src/messages/ru.js';
import type { MessageKey } from '../src/messages/catalogue.js';
import type { NetworkTrace } from '../src/trace/types.js';
import {
  EXERCISES, LANGUAGES, PROBLEMS, documentProse, equations, explainIn, findEquation, formOf, mathText, parseHtml, renderAll,
  solveExample, solveProblemText, solveText, textOf, elements, type Both, type Rendered,
} from './worked-solutions.js';

/**
 * The worked solutions of the sheet's exercises, in both languages and every format, checked
 * for their mathematical content: the numbers and formulas a student writes by hand appear,
 * as Unicode in the terminal and as LaTeX in Markdown, LaTeX and HTML (where the formulas
 * KaTeX typeset are read back). Every expected number is derived by hand in the comments.
 */

const both = (pretty: string, latex: string = pretty): Both => ({ pretty, latex });
/** ∂of/∂by in both forms. */
const partial = (of: Both | string, by: Both | string): Both => {
  const [o, b] = [typeof of === 'string' ? both(of) : of, typeof by === 'string' ? both(by) : by];
  return both(`∂${o.pretty}/∂${b.pretty}`, `\\frac{\\partial ${o.latex}}{\\partial ${b.latex}}`);
};
/** a = b = c in both forms. */
const chain = (...parts: (Both | string)[]): Both => {
  const all = parts.map((part) => (typeof part === 'string' ? both(part) : part));
  return both(all.map((part) => part.pretty).join(' = '), all.map((part) => part.latex).join(' = '));
};
const label = (rendered: Rendered) => `${rendered.format} ${rendered.language}`;

function expectEquation(rendered: Rendered, expected: Both): void {
  expect(equations(rendered), `${label(rendered)}: the equation ${formOf(rendered, expected)}`).toContain(formOf(rendered, expected));
}
function expectEquationFromTo(rendered: Rendered, start: Both, end: Both): string {
  const found = findEquation(rendered, start, end);
  expect(found, `${label(rendered)}: an equation from ${formOf(rendered, start)} to ${formOf(rendered, end)}`).toBeDefined();
  return found!;
}
function expectMath(rendered: Rendered, expected: Both): void {
  expect(mathText(rendered), `${label(rendered)}: ${formOf(rendered, expected)}`).toContain(formOf(rendered, expected));
}

/** Text shows Unicode formulas, the others LaTeX; neither leaks into the other. */
function expectFormulaStyle(rendered: Rendered): void {
  if (rendered.format === 'text') {
    expect(rendered.output).not.toMatch(/\\(frac|cdot|partial|left|begin|hat|odot)\b/);
  } else {
    for (const line of equations(rendered)) expect(line, `${label(rendered)}: LaTeX, not Unicode`).not.toMatch(/[∂·²ŷ⊙←₁₂]/);
  }
}

const vector = (values: string[], latexValues = values.map((v) => v.replace('−', '-'))) =>
  both(`(${values.join(', ')})`, `\\begin{pmatrix} ${latexValues.join(' & ')} \\end{pmatrix}`);
const matrix = (rows: string[][]) =>
  both(`[${rows.map((row) => `[${row.join(', ')}]`).join(', ')}]`, `\\begin{pmatrix} ${rows.map((row) => row.map((v) => v.replace('−', '-')).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`);

// ---------------------------------------------------------------------------------------

describe('exercise 1: f(x, y) = x² + xy + (x + y)² at x = 1, y = 2', () => {
  const renderings = renderAll(solveExample('exercise-1'));

  // a = x² = 1, b = x·y = 2, c = x + y = 3, d = a + b = 3, e = c² = 9, f = d + e = 12.
  const NODES = [
    chain('a', both('x²', 'x^{2}'), both('1²', '1^{2}'), '1'),
    chain('b', both('x·y', 'x \\cdot y'), both('1·2', '1 \\cdot 2'), '2'),
    chain('c', 'x + y', '1 + 2', '3'),
    chain('d', 'a + b', '1 + 2', '3'),
    chain('e', both('c²', 'c^{2}'), both('3²', '3^{2}'), '9'),
    chain('f', 'd + e', '3 + 9', '12'),
  ];
  // ∂a/∂x = 2x = 2, ∂b/∂x = y = 2, ∂b/∂y = x = 1, ∂c/∂x = ∂c/∂y = 1, ∂d/∂a = ∂d/∂b = 1,
  // ∂e/∂c = 2c = 6, ∂f/∂d = ∂f/∂e = 1.
  const LOCAL = [
    chain(partial('a', 'x'), '2x', both('2·1', '2 \\cdot 1'), '2'),
    chain(partial('b', 'x'), 'y', '2'),
    chain(partial('b', 'y'), 'x', '1'),
    chain(partial('c', 'x'), '1'),
    chain(partial('c', 'y'), '1'),
    chain(partial('d', 'a'), '1'),
    chain(partial('d', 'b'), '1'),
    chain(partial('e', 'c'), '2c', both('2·3', '2 \\cdot 3'), '6'),
    chain(partial('f', 'd'), '1'),
    chain(partial('f', 'e'), '1'),
  ];
  // Paths x→a→d→f, x→b→d→f, x→c→e→f: 1·1·2x + 1·1·y + 1·2c·1 = 2x + y + 2(x + y) = 4x + 3y = 10;
  // paths y→b→d→f, y→c→e→f: 1·1·x + 1·2c·1 = x + 2(x + y) = 3x + 2y = 7.
  const PATH_SUMS = [
    chain(partial('f', 'x'), both('1·1·2x + 1·1·y + 1·2c·1', '1 \\cdot 1 \\cdot 2x + 1 \\cdot 1 \\cdot y + 1 \\cdot 2c \\cdot 1'),
      both('2x + y + 2(x + y)', '2x + y + 2\\left(x + y\\right)'), '4x + 3y', '10'),
    chain(partial('f', 'y'), both('1·1·x + 1·2c·1', '1 \\cdot 1 \\cdot x + 1 \\cdot 2c \\cdot 1'),
      both('x + 2(x + y)', 'x + 2\\left(x + y\\right)'), '3x + 2y', '7'),
  ];
  const PATHS = [
    both('x → a → d → f = 1·1·2x = 2', 'x \\to a \\to d \\to f = 1 \\cdot 1 \\cdot 2x = 2'),
    both('x → b → d → f = 1·1·y = 2', 'x \\to b \\to d \\to f = 1 \\cdot 1 \\cdot y = 2'),
    both('x → c → e → f = 1·2c·1 = 6', 'x \\to c \\to e \\to f = 1 \\cdot 2c \\cdot 1 = 6'),
    both('y → b → d → f = 1·1·x = 1', 'y \\to b \\to d \\to f = 1 \\cdot 1 \\cdot x = 1'),
    both('y → c → e → f = 1·2c·1 = 6', 'y \\to c \\to e \\to f = 1 \\cdot 2c \\cdot 1 = 6'),
  ];
  const times = (a: Both, b: Both) => both(`${a.pretty}·${b.pretty}`, `${a.latex} \\cdot ${b.latex}`);
  // Backward sweep: ∂f/∂x = ∂f/∂a·∂a/∂x + ∂f/∂b·∂b/∂x + ∂f/∂c·∂c/∂x = 1·2 + 1·2 + 6·1 = 10.
  const SWEEP_X = chain(partial('f', 'x'),
    both(['a', 'b', 'c'].map((node) => times(partial('f', node), partial(node, 'x')).pretty).join(' + '),
      ['a', 'b', 'c'].map((node) => times(partial('f', node), partial(node, 'x')).latex).join(' + ')),
    both('1·2 + 1·2 + 6·1', '1 \\cdot 2 + 1 \\cdot 2 + 6 \\cdot 1'), '10');
  const SWEEP_C = chain(partial('f', 'c'), times(partial('f', 'e'), partial('e', 'c')), both('1·6', '1 \\cdot 6'), '6');
  const SWEEP_E = chain(partial('f', 'e'), times(partial('f', 'f'), partial('f', 'e')), both('1·1', '1 \\cdot 1'), '1');
  // The node-by-input table ∂node/∂x, ∂node/∂y: x (1, 0), y (0, 1), a = x² (2x = 2, 0),
  // b = xy (y = 2, x = 1), c (1, 1), d = a + b (2 + 2 = 4, 0 + 1 = 1), e = c² (2c = 6, 6), f (10, 7).
  const TABLE = [['x', '1', '0'], ['y', '0', '1'], ['a', '2', '0'], ['b', '2', '1'], ['c', '1', '1'], ['d', '4', '1'], ['e', '6', '6'], ['f', '10', '7']];

  /** The rows of the node-by-input table as the reader sees them. */
  function tableRows(rendered: Rendered): string[][] {
    const lines = rendered.output.split('\n');
    switch (rendered.format) {
      case 'text': {
        const header = lines.findIndex((line) => line.includes('∂·/∂x'));
        const rows: string[][] = [];
        for (const line of lines.slice(header + 2)) {
          if (!/^ {2}\S/.test(line) || !/\S {2,}\S/.test(line)) break;
          rows.push(line.trim().split(/\s{2,}/));
        }
        return rows;
      }
      case 'md': return lines.filter((line) => line.startsWith('| $')).map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.replace(/^\$|\$$/g, '')));
      case 'tex': {
        const start = lines.indexOf('\\hline');
        const end = lines.indexOf('\\end{tabular}', start);
        return lines.slice(start + 1, end).map((line) => line.replace(/ \\\\$/, '').split(' & ').map((cell) => cell.replace(/^\$|\$$/g, '')));
      }
      case 'html': {
        const { document } = parseHtml(rendered.output);
        return elements(document).filter((element) => element.tagName === 'tbody')
          .flatMap((body) => body.childNodes.filter((node) => 'tagName' in node && node.tagName === 'tr'))
          .map((row) => ('childNodes' in row ? row.childNodes : []).map((cell) => textOf(cell).trim()));
      }
    }
  }

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: nodes, local derivatives, path sums, table and sweep', (_name, rendered) => {
    for (const node of NODES) expectEquation(rendered, node);
    for (const local of LOCAL) expectEquation(rendered, local);
    for (const sum of PATH_SUMS) expectEquation(rendered, sum);
    for (const path of PATHS) expectMath(rendered, path);
    expect(tableRows(rendered)).toEqual(TABLE);
    expectEquation(rendered, SWEEP_X);
    // The sweep goes from the output back: e before c before x.
    const lines = equations(rendered);
    const [e, c, x] = [SWEEP_E, SWEEP_C, SWEEP_X].map((expected) => lines.indexOf(formOf(rendered, expected)));
    expect(e).toBeGreaterThanOrEqual(0);
    expect(e).toBeLessThan(c!);
    expect(c).toBeLessThan(x!);
    expectFormulaStyle(rendered);
  });

  it('the sheet’s answers, ∂f/∂x = 4x + 3y and ∂f/∂y = 3x + 2y, are in the trace the renderers read', () => {
    const trace = solveExample('exercise-1');
    if (trace.kind !== 'expression') throw new Error('expected an expression trace');
    expect(trace.derivatives).toEqual({ x: '4*x + 3*y', y: '3*x + 2*y' });
    expect(trace.gradient).toEqual({ x: 10, y: 7 });
  });
});

// ---------------------------------------------------------------------------------------

const W1 = both('W₁', 'W_{1}');
const W2 = both('W₂', 'W_{2}');
const H1 = both('H₁', 'H_{1}');
const O1 = both('O₁', 'O_{1}');
const YHAT = both('ŷ', '\\hat{y}');

describe('exercise 4, regression: ŷ = max(0, X·W₁)·W₂, MSE, x = (1, 2), y = 0, γ = 1', () => {
  const renderings = renderAll(solveExample('exercise-4-regression'));

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: forward, backward and the step', (_name, rendered) => {
    // H₁ = (1, 2)·[[1, −1], [0.5, 0]] = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1).
    expectEquationFromTo(rendered, both('H₁ = X·W₁', 'H_{1} = X \\cdot W_{1}'), both(`= ${vector(['2', '−1']).pretty}`, `= ${vector(['2', '−1']).latex}`));
    // O₁ = ReLU(H₁) = (2, 0).
    expectEquationFromTo(rendered, both('O₁ = ReLU(H₁)', 'O_{1} = \\operatorname{ReLU}\\left(H_{1}\\right)'), both(`= ${vector(['2', '0']).pretty}`, `= ${vector(['2', '0']).latex}`));
    // ŷ = O₁·W₂ = 2·0.5 + 0·1 = 1.
    expectEquationFromTo(rendered, both('ŷ = O₁·W₂', '\\hat{y} = O_{1} \\cdot W_{2}'), both('= 1'));
    // L = (1 − 0)² = 1.
    expectEquationFromTo(rendered, both('L = mean((ŷ − y)²)', 'L = \\operatorname{mean}\\left(\\left(\\hat{y} - y\\right)^{2}\\right)'), both('= 1'));
    // d = ∂L/∂ŷ = 2(ŷ − y) = 2.
    expectEquationFromTo(rendered, both('d = ∂L/∂ŷ = 2(ŷ − y)', 'd = \\frac{\\partial L}{\\partial \\hat{y}} = 2\\left(\\hat{y} - y\\right)'), both('= 2'));
    // The last layer passes d·W₂ᵀ = 2·(0.5, 1) = (1, 2) down; ∂L/∂W₂ = O₁ᵀ·d = (2, 0)ᵀ·2 = [[4], [0]].
    expectEquationFromTo(rendered, both(`${partial('L', O1).pretty} = d·W₂ᵀ`, `${partial('L', O1).latex} = d \\cdot W_{2}^{T}`), both(`= ${vector(['1', '2']).pretty}`, `= ${vector(['1', '2']).latex}`));
    expectEquationFromTo(rendered, both(`${partial('L', W2).pretty} = O₁ᵀ·d`, `${partial('L', W2).latex} = O_{1}^{T} \\cdot d`), both(`= ${matrix([['4'], ['0']]).pretty}`, `= ${matrix([['4'], ['0']]).latex}`));
    // ReLU: (1, 2) ⊙ [H₁ > 0] = (1, 2) ⊙ (1, 0) = (1, 0).
    expectEquationFromTo(rendered, both(`${partial('L', H1).pretty} = d ⊙ [H₁ > 0]`, `${partial('L', H1).latex} = d \\odot \\left[H_{1} > 0\\right]`), both(`= ${vector(['1', '0']).pretty}`, `= ${vector(['1', '0']).latex}`));
    // The first layer passes (1, 0)·W₁ᵀ = (1·1 + 0·(−1), 1·0.5 + 0·0) = (1, 0.5) down.
    expectEquationFromTo(rendered, both(`${partial('L', 'X').pretty} = d·W₁ᵀ`, `${partial('L', 'X').latex} = d \\cdot W_{1}^{T}`), both(`= ${vector(['1', '0.5']).pretty}`, `= ${vector(['1', '0.5']).latex}`));
    // ∂L/∂W₁ = Xᵀ·d = (1, 2)ᵀ·(1, 0) = [[1, 0], [2, 0]].
    expectEquationFromTo(rendered, both(`${partial('L', W1).pretty} = Xᵀ·d`, `${partial('L', W1).latex} = X^{T} \\cdot d`), both(`= ${matrix([['1', '0'], ['2', '0']]).pretty}`, `= ${matrix([['1', '0'], ['2', '0']]).latex}`));
    // W₁ ← [[1, −1], [0.5, 0]] − 1·[[1, 0], [2, 0]] = [[0, −1], [−1.5, 0]]; W₂ ← [[0.5], [1]] − [[4], [0]] = [[−3.5], [1]].
    expectEquationFromTo(rendered, both(`W₁ ← W₁ − γ·${partial('L', W1).pretty}`, `W_{1} \\leftarrow W_{1} - \\gamma \\cdot ${partial('L', W1).latex}`), both(`= ${matrix([['0', '−1'], ['−1.5', '0']]).pretty}`, `= ${matrix([['0', '−1'], ['−1.5', '0']]).latex}`));
    expectEquationFromTo(rendered, both(`W₂ ← W₂ − γ·${partial('L', W2).pretty}`, `W_{2} \\leftarrow W_{2} - \\gamma \\cdot ${partial('L', W2).latex}`), both(`= ${matrix([['−3.5'], ['1']]).pretty}`, `= ${matrix([['−3.5'], ['1']]).latex}`));
    // The accumulated gradient arriving at the first layer is named in the prose: d = (1, 0).
    expectMath(rendered, both(`d = ${vector(['1', '0']).pretty}`, `d = ${vector(['1', '0']).latex}`));
    expectFormulaStyle(rendered);
  });
});

describe('exercise 4, classification: a sigmoid on top and logloss', () => {
  const renderings = renderAll(solveExample('exercise-4-classification'));
  const H2 = both('H₂', 'H_{2}');

  it('the numbers agree with each other: ∂L/∂p·∂p/∂z = p − y', () => {
    // p = σ(1) = 1/(1 + e⁻¹) = 0.731059; ∂L/∂p = 1/(1 − p) = 3.7183; ∂p/∂z = p(1 − p) = 0.19661;
    // their product is p − y = 0.731059 (y = 0).
    const p = 1 / (1 + Math.exp(-1));
    expect(p).toBeCloseTo(0.7310586, 7);
    expect((1 / (1 - p)) * p * (1 - p)).toBeCloseTo(p - 0, 12);
    const trace = solveExample('exercise-4-classification') as NetworkTrace;
    expect(trace.steps[0]!.prediction).toEqual([[expect.closeTo(p, 12) as number]]);
  });

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: both derivatives and their simplified product', (_name, rendered) => {
    expectEquationFromTo(rendered, both('ŷ = σ(H₂) = σ(1)', '\\hat{y} = \\sigma\\left(H_{2}\\right) = \\sigma\\left(1\\right)'), both('= 0.7311'));
    // ∂L/∂ŷ = (1 − y)/(1 − ŷ) − y/ŷ = 1/(1 − 0.7311) = 3.718.
    expectEquationFromTo(rendered,
      both('d = ∂L/∂ŷ = (1 − y)/(1 − ŷ) − y/ŷ', 'd = \\frac{\\partial L}{\\partial \\hat{y}} = \\frac{1 - y}{1 - \\hat{y}} - \\frac{y}{\\hat{y}}'), both('= 3.718'));
    // ∂ŷ/∂H₂ = ŷ(1 − ŷ) = 0.7311·0.2689 = 0.1966.
    expectEquationFromTo(rendered,
      both(`${partial(YHAT, H2).pretty} = ŷ ⊙ (1 − ŷ)`, `${partial(YHAT, H2).latex} = \\hat{y} \\odot \\left(1 - \\hat{y}\\right)`), both('= 0.1966'));
    // Their product, simplified: σ(H₂) − y = σ(1) − 0 = 0.7311 (H₂, the sigmoid's input, is the logit).
    const product = expectEquationFromTo(rendered, both(`${partial('L', H2).pretty} = `, `${partial('L', H2).latex} = `), both('= 0.7311'));
    expect(product).toContain(formOf(rendered, both('σ(H₂) − y', '\\sigma\\left(H_{2}\\right) - y')));
    expect(product).toContain(formOf(rendered, both('σ(1) − 0', '\\sigma\\left(1\\right) - 0')));
    // The rest of the network gets d = 0.7311 instead of 2: W₂ ← 0.5 − 2·0.7311 = −0.9621.
    expectEquationFromTo(rendered, both(`W₂ ← W₂ − γ·${partial('L', W2).pretty}`, `W_{2} \\leftarrow W_{2} - \\gamma \\cdot ${partial('L', W2).latex}`),
      both(`= ${matrix([['−0.9621'], ['1']]).pretty}`, `= ${matrix([['−0.9621'], ['1']]).latex}`));
    expectFormulaStyle(rendered);
  });
});

describe('softmax on top and cross-entropy: the fused gradient is the textbook (1/n)(softmax(z) − y)', () => {
  const problem = [
    'title: { en: "Softmax and cross-entropy", ru: "Софтмакс и перекрёстная энтропия" }',
    'model:',
    '  - linear: { weights: [[1, -1, 0.5], [0.5, 0, -1]] }',
    '  - softmax',
    'loss: cross_entropy',
    'data: { x: [[1, 2], [0, 1]], y: [[0, 1, 0], [1, 0, 0]] }',
    'train: { lr: 1 }',
  ].join('\n');
  const H1 = both('H₁', 'H_{1}');

  it.each(renderAll(solveText(problem)).map((rendered) => [label(rendered), rendered] as const))('%s: ∂L/∂H₁ = 0.5(softmax(H₁) − y) with its numbers', (_name, rendered) => {
    // H₁ = X·W₁ = [[2, −1, −1.5], [0.5, 0, −1]]; softmax of row 1 = (e², e⁻¹, e⁻¹·⁵)/7.980 = (0.9259, 0.0461, 0.02796),
    // of row 2 = (e⁰·⁵, 1, e⁻¹)/3.0166 = (0.5465, 0.3315, 0.122); n = 2 rows, so ∂L/∂H₁ = ½(p − y):
    // row 1 (y = (0, 1, 0)): (0.463, −0.477, 0.01398); row 2 (y = (1, 0, 0)): (−0.2267, 0.1657, 0.06098).
    const result = matrix([['0.463', '−0.477', '0.01398'], ['−0.2267', '0.1657', '0.06098']]);
    const product = expectEquationFromTo(rendered, both(`${partial('L', H1).pretty} = `, `${partial('L', H1).latex} = `), both(`= ${result.pretty}`, `= ${result.latex}`));
    expect(product).toContain(formOf(rendered, both('0.5(softmax(H₁) − y)', '0.5\\left(\\operatorname{softmax}\\left(H_{1}\\right) - y\\right)')));
    expect(product).not.toMatch(/logsumexp/);
    expectFormulaStyle(rendered);
  });

  it.each(renderAll(solveText(problem)).map((rendered) => [label(rendered), rendered] as const))('%s: the softmax\'s derivative is its Jacobian per row, and the words say softmax, not sigmoid', (_name, rendered) => {
    // The seed-1 local derivative ŷ·(1 − Σŷ) is 0 for a softmax: a student would read "no gradient".
    expect(mathText(rendered)).toContain(formOf(rendered, both('∂ŷᵢ/∂H₁ⱼ = ŷᵢ·([i = j] − ŷⱼ)', '\\frac{\\partial {\\hat{y}}_{i}}{\\partial {H_{1}}_{j}} = {\\hat{y}}_{i}\\left([i = j] - {\\hat{y}}_{j}\\right)')));
    expect(mathText(rendered)).not.toContain(formOf(rendered, both('1 − Σ(ŷ)', '1 - \\sum')));
    expect(rendered.output).toMatch(rendered.language === 'en' ? /The softmax and the cross-entropy together/ : /Софтмакс вместе с перекрёстной энтропией/);
    expect(rendered.output).not.toMatch(/sigmoid|сигмоид/i);
  });
});

// ---------------------------------------------------------------------------------------

describe('exercise 2: three sigmoid neurons in a chain, zero weights, observation 2 first', () => {
  const renderings = renderAll(solveExample('exercise-2'));
  const STEP_HEADING = { en: (step: number, observation: number) => new RegExp(`Step ${step}: observations? ${observation}\\b`), ru: (step: number, observation: number) => new RegExp(`Шаг ${step}: наблюдени[ея] ${observation}\\b`) };
  const VANISHING = { en: 'The gradient shrinks on the way back', ru: 'Градиент затухает на обратном пути' };

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: step 1 is observation 2, step 2 observation 1, with the numbers', (_name, rendered) => {
    const step1 = rendered.output.search(STEP_HEADING[rendered.language](1, 2));
    const step2 = rendered.output.search(STEP_HEADING[rendered.language](2, 1));
    expect(step1, 'the heading of step 1 (observation 2)').toBeGreaterThan(0);
    expect(step2, 'the heading of step 2 (observation 1)').toBeGreaterThan(step1);
    // Observation 2 is x = 5, y = 0; observation 1 is x = 1, y = 1.
    const math = mathText(rendered);
    expect(math).toContain('X = 5');
    expect(math).toContain('X = 1');
    if (rendered.format !== 'html') expect(rendered.output.indexOf('X = 5')).toBeLessThan(rendered.output.indexOf('X = 1'));
    // Step 1 (all weights 0): every σ(0) = 0.5, L = −ln(0.5) = 0.6931, ∂L/∂z = 0.5 − 0 = 0.5,
    // W₃ ← 0 − 0.5·0.5 = −0.25, b₃ ← −0.5. Step 2: H₃ = 0.5·(−0.25) − 0.5 = −0.625,
    // ŷ = σ(−0.625) = 0.3486, L = −ln(0.3486) = 1.054, ∂L/∂z = 0.3486 − 1 = −0.6514,
    // W₃ ← −0.25 − 0.5·(−0.6514) = 0.07568, b₃ ← −0.5 + 0.6514 = 0.1514,
    // d at layer 2 = −0.6514·(−0.25)·0.25 = 0.04071, W₂ ← −0.5·0.04071 = −0.02035.
    const ends = (value: string) => equations(rendered).some((line) => line.endsWith(`= ${rendered.format === 'text' ? value : value.replace('−', '-')}`));
    for (const value of ['0.6931', '−0.25', '−0.5', '−0.625', '0.3486', '1.054', '−0.6514', '0.07568', '0.1514', '0.04071', '−0.02035']) {
      expect(ends(value), `${label(rendered)}: an equation ending in ${value}`).toBe(true);
    }
  });

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: the vanishing-gradient remark stands at step 2', (_name, rendered) => {
    const prose = rendered.format === 'html' ? textOf(parseHtml(rendered.output).document, true) : rendered.output;
    const remark = prose.indexOf(VANISHING[rendered.language]);
    expect(remark, 'the remark').toBeGreaterThan(0);
    expect(remark).toBeGreaterThan(prose.search(STEP_HEADING[rendered.language](2, 1)));
    expect(prose.lastIndexOf(VANISHING[rendered.language])).toBe(remark);
  });
});

// ---------------------------------------------------------------------------------------

describe('exercise 5: the algorithm in matrix form for ŷ = ReLU(X·W₂)·W₁, L = (y − ŷ)²', () => {
  const renderings = renderAll(solveExample('exercise-5-symbolic'));
  const transposed = (name: Both) => both(`${name.pretty}ᵀ`, `${name.latex}^{T}`);
  const FORWARD = [
    chain(H1, both('X·W₂', 'X \\cdot W_{2}')),
    chain(O1, both('ReLU(H₁)', '\\operatorname{ReLU}\\left(H_{1}\\right)')),
    chain(YHAT, both('O₁·W₁', 'O_{1} \\cdot W_{1}')),
  ];
  // In the order the backward pass goes: d = 2(ŷ − y); ∂L/∂W₁ = O₁ᵀ·d; d ← d·W₁ᵀ; d ← d ⊙ [H₁ > 0]; ∂L/∂W₂ = Xᵀ·d.
  const BACKWARD = [
    chain('d', partial('L', YHAT), both('2(ŷ − y)', '2\\left(\\hat{y} - y\\right)')),
    chain(partial('L', W1), both(`${transposed(O1).pretty}·d`, `${transposed(O1).latex} \\cdot d`)),
    both(`d ← d·${transposed(W1).pretty}`, `d \\leftarrow d \\cdot ${transposed(W1).latex}`),
    both('d ← d ⊙ [H₁ > 0]', 'd \\leftarrow d \\odot \\left[H_{1} > 0\\right]'),
    chain(partial('L', W2), both('Xᵀ·d', 'X^{T} \\cdot d')),
  ];
  const UPDATES = [W1, W2].map((w) => both(`${w.pretty} ← ${w.pretty} − γ·${partial('L', w).pretty}`, `${w.latex} \\leftarrow ${w.latex} - \\gamma \\cdot ${partial('L', w).latex}`));

  it.each(renderings.map((rendered) => [label(rendered), rendered] as const))('%s: outputs, derivatives, the rule for d and the step', (_name, rendered) => {
    for (const line of [...FORWARD, ...BACKWARD, ...UPDATES]) expectEquation(rendered, line);
    expectEquation(rendered, chain('L', both('Σ((ŷ − y)²)', '\\sum\\left(\\left(\\hat{y} - y\\right)^{2}\\right)')));
    const lines = equations(rendered);
    const order = BACKWARD.map((line) => lines.indexOf(formOf(rendered, line)));
    expect(order, 'the backward pass in its order').toEqual([...order].sort((a, b) => a - b));
    expectFormulaStyle(rendered);
  });
});

// ---------------------------------------------------------------------------------------

describe('numbers as a person writes them', () => {
  it.each(renderAll(solveProblemText('fractions')).map((rendered) => [label(rendered), rendered] as const))('%s: (−0.5)⁵ = −1/32 and 0.7 − 0.2 = 0.5', (_name, rendered) => {
    const minus32 = both('−1/32', '-\\frac{1}{32}');
    expectEquation(rendered, chain('a', both('x⁵', 'x^{5}'), both('(−0.5)⁵', '\\left(-0.5\\right)^{5}'), minus32));
    expectEquation(rendered, chain('b', both('u − v', 'u - v'), both('0.7 − 0.2', '0.7 - 0.2'), '0.5'));
    // The output is always f: f = −1/32 + 16/32 = 15/32.
    expectEquation(rendered, chain('f', 'a + b', both(`${minus32.pretty} + 0.5`, `${minus32.latex} + 0.5`), both('15/32', '\\frac{15}{32}')));
    expect(rendered.output).not.toMatch(/0\.4999|0\.03125|0\.46875/);
  });

  it.each(renderAll(solveProblemText('networkFractions')).map((rendered) => [label(rendered), rendered] as const))('%s: a network step in fractions', (_name, rendered) => {
    // ŷ = 0.7 + (−0.2) = 0.5; d = 0.5 − 17/32 = −1/32; w ← 0.7 + 1/32 = 117/160; b ← −0.2 + 1/32 = −27/160.
    expectEquationFromTo(rendered, both('ŷ = X·W₁ + b₁', '\\hat{y} = X \\cdot W_{1} + b_{1}'), both('= 0.5'));
    expectEquationFromTo(rendered, both('d = ∂L/∂ŷ', 'd = \\frac{\\partial L}{\\partial \\hat{y}}'), both('= −1/32', '= -\\frac{1}{32}'));
    expectEquationFromTo(rendered, both('W₁ ← W₁', 'W_{1} \\leftarrow W_{1}'), both('= 117/160', '= \\frac{117}{160}'));
    expectEquationFromTo(rendered, both('b₁ ← b₁', 'b_{1} \\leftarrow b_{1}'), both('= −27/160', '= -\\frac{27}{160}'));
    expect(rendered.output).not.toMatch(/0\.4999|0\.03125|0\.73125|0\.16875/);
  });

  it('--json keeps full precision where the page rounds', () => {
    const trace = solveProblemText('networkFractions') as NetworkTrace;
    expect(trace.steps[0]!.prediction).toEqual([[0.7 + -0.2]]);
    expect(0.7 + -0.2).not.toBe(0.5);
  });

  it('a negative number after + is written in parentheses, 1·0.7 + (−0.2), not 1·0.7 + −0.2 (every format and language)', () => {
    const written = renderAll(solveProblemText('networkFractions')).map((rendered) => findEquation(rendered, both('ŷ = X·W₁ + b₁', '\\hat{y} = X \\cdot W_{1} + b_{1}'), both('= 0.5')));
    expect(written.every((line) => line !== undefined)).toBe(true);
    expect(written.filter((line) => /\+ [−-]/.test(line!))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

/** Latin words the sheet itself uses in Russian, and proper names. */
const LATIN_ALLOWED = new Set(['backpropagation', 'logloss', 'mse', 'relu', 'rmsprop', 'adam', 'adagrad', 'pytorch']);
const latinWords = (text: string) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word.toLowerCase()));
const CYRILLIC = /[\u0400-\u04FF]/;

/** A problem with wrong and carried answers, so that the answer checks are worded too. */
const WITH_ANSWERS = [
  'title: { en: "With answers", ru: "С ответами" }',
  'model:',
  '  - linear: { weights: [[1, -1], [0.5, 0]] }',
  '  - relu',
  '  - linear: { weights: [[0.5], [1]] }',
  'loss: mse',
  'data: { x: [[1, 2]], y: [[0]] }',
  'train: { lr: 1 }',
  'answers:',
  '  steps:',
  '    - layers: { 0: { output: [2, 1], gradOutput: [1, 0], gradInput: [1, 0.5] }, 1: { output: [2, 1] } }',
  '      loss: 4',
  '      prediction: 1',
  '      gradPrediction: 2',
  '      grads: { "0.weight": [[1, 0], [2, 0]] }',
  '      params: { "2.weight": [[-3.5], [1]] }',
].join('\n');

const ALL_TRACES = () => [
  ...EXERCISES.map((id) => [id, solveExample(id)] as const),
  ...(Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[]).map((id) => [id, solveProblemText(id)] as const),
  ['answers (network)', solveText(WITH_ANSWERS)] as const,
  ['answers (expression)', solveText('title: { en: "E", ru: "В" }\nexpression: x^2 + x*y\nat: { x: 1, y: 2 }\nanswers: { nodes: { a: 1, b: 3, f: 4 }, edges: { "a/x": "2*x" }, derivatives: { x: "2*x + y" } }')] as const,
];

describe('Russian', () => {
  it.each(ALL_TRACES())('%s: no English words in the prose of the Russian solution', (_name, trace) => {
    const prose = documentProse(explainIn(trace, 'ru'));
    const english = prose.flatMap(({ where, text }) => latinWords(text).map((word) => `${word} (${where}: “${text}”)`));
    expect(english).toEqual([]);
  });

  it('a problem file without a title gets a Russian title in the Russian solution', () => {
    const trace = solveText('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 1 }');
    expect(latinWords(explainIn(trace, 'ru').title)).toEqual([]);
  });

  it.each(EXERCISES.filter((id) => id !== 'exercise-1' && id !== 'exercise-5-symbolic'))('%s: the Russian solution uses the sheet’s terms, in every format', (id) => {
    for (const rendered of renderAll(solveExample(id)).filter((r) => r.language === 'ru')) {
      const prose = (rendered.format === 'html' ? textOf(parseHtml(rendered.output).document, true) : rendered.output).toLowerCase();
      for (const term of ['прямой проход', 'обратный проход', 'накопленный градиент', 'шаг градиентного спуска']) {
        expect(prose, `${label(rendered)}: ${term}`).toContain(term);
      }
    }
  });

  it('exercises 1 and 5 in Russian speak of the forward and backward pass too', () => {
    for (const id of ['exercise-1', 'exercise-5-symbolic'] as const) {
      const prose = documentProse(explainIn(solveExample(id), 'ru')).map(({ text }) => text).join(' ').toLowerCase();
      expect(prose).toContain('прямой проход');
      expect(prose).toMatch(/обратн(ый проход|ое распространение)/);
    }
  });

  it.each(ALL_TRACES())('%s: the English solution has no Cyrillic, in any format', (_name, trace) => {
    for (const rendered of renderAll(trace).filter((r) => r.language === 'en')) {
      const match = CYRILLIC.exec(rendered.output);
      expect(match === null ? null : rendered.output.slice(Math.max(0, match.index - 40), match.index + 40), label(rendered)).toBeNull();
    }
  });
});

describe('the message catalogues', () => {
  const keys = Object.keys(en) as MessageKey[];
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  /** A message with nothing to translate: only placeholders, symbols and the sheet's Latin terms. */
  const formulaOnly = (text: string) => latinWords(text.replace(/\{\w+\}/g, '')).length === 0 && !/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(text.replace(/\{\w+\}/g, ''));

  it('have the same keys and the same placeholders in each message', () => {
    expect(Object.keys(ru).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(placeholders(ru[key]), key).toEqual(placeholders(en[key]));
  });

  it('Russian messages are translated: none equals its English text except formula-only ones', () => {
    // The sheet's own terms and names stay as they are in Russian texts (logloss, Adam).
    const sameInBoth = new Set(['loss.logloss', 'optimizer.adam', 'optimizer.adagrad', 'optimizer.rmsprop']);
    // Op names (op.*) are notation: exp, sin, softmax are written so in Russian formulas too.
    const prose = keys.filter((key) => !key.startsWith('op.'));
    const untranslated = prose.filter((key) => ru[key] === en[key] && !formulaOnly(en[key]) && !sameInBoth.has(key));
    expect(untranslated).toEqual([]);
    for (const key of prose) expect(latinWords(ru[key].replace(/\{\w+\}/g, '')), `ru ${key}: ${ru[key]}`).toEqual([]);
    for (const key of keys) expect(CYRILLIC.test(en[key]), `en ${key}`).toBe(false);
  });

  it('every language has the sheet’s Russian terms in its catalogue', () => {
    const all = Object.values(ru).join(' ').toLowerCase();
    for (const term of ['прямой проход', 'обратный проход', 'накопленный градиент', 'шаг градиентного спуска']) expect(all).toContain(term);
  });
});

describe('every language renders every exercise in every format', () => {
  it('the renderings differ by language and are not empty', () => {
    for (const id of EXERCISES) {
      const renderings = renderAll(solveExample(id));
      expect(renderings).toHaveLength(LANGUAGES.length * 4);
      for (const rendered of renderings) expect(rendered.output.length, `${id} ${label(rendered)}`).toBeGreaterThan(500);
    }
  });
});
