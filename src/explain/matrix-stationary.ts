import { formatNumber } from '../formula/numbers.js';
import type { Values } from '../formula/values-text.js';
import type { MatrixStationary, MatrixTrace } from '../trace/types.js';
import type { Block, Inline, MathText } from './document.js';
import { say } from './i18n.js';
import { chain, distinct, mathOf } from './numbers-math.js';
import type { ExplainOptions } from './expression-solution.js';
import { hatted, matrixName } from '../matrix/write.js';

type Shaped = (values: Values, shape: readonly number[]) => MathText;

/** A variable's name as the formulas write it (matrixName): one writer, so ∇_mu f stands beside hat(mu). */
const named = (name: string): MathText => matrixName(name);
const nabla = (name: string): MathText => mathOf(`∇_${named(name).pretty} f`, `\\nabla_{${named(name).latex}} f`);
const zero = (name: string): MathText => chain(nabla(name), mathOf('0'));
/** vec stacks columns: the rule that turns L·dX·R into a matrix times vec dX (also the Kronecker Jacobian's, matrix-solution.ts). */
export const VEC_RULE = mathOf('vec(L·dX·R) = (Rᵀ ⊗ L)·vec dX', '\\operatorname{vec}(L\\,\\mathrm{d}X\\,R) = (R^{T} \\otimes L)\\operatorname{vec}\\mathrm{d}X');
const GRADIENT_ZERO = mathOf('∇ = 0', '\\nabla = 0');
const joined = (parts: readonly MathText[]): MathText => mathOf(parts.map((p) => p.pretty).join(', '), parts.map((p) => p.latex).join(',\\ '));

/** Values close to rounding (the formula's numbers beside the system's). */
function close(a: Values, b: Values): boolean {
  const flat = (v: Values): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));
  const [p, q] = [flat(a), flat(b)];
  return p.length === q.length && p.every((v, i) => Math.abs(v - q[i]!) <= 1e-9 * (1 + Math.abs(q[i]!)));
}

/**
 * Elements at most `bound` in size written as 0: the solve's rounding (8.9e−16 where the exact answer
 * is 0), which a student would read as a number (docs/matrix-calculus.md, "Rounding noise is printed as 0"). The trace
 * keeps the exact numbers; `zeroed` says whether any element changed, so the solution can say so.
 */
export function roundedToZero(values: Values, bound: number | undefined): { values: Values; zeroed: boolean } {
  let zeroed = false;
  const clean = (v: Values): Values => {
    if (typeof v !== 'number') return v.map(clean);
    if (bound === undefined || v === 0 || Math.abs(v) > bound) return v;
    zeroed = true;
    return 0;
  };
  const cleaned = clean(values);
  return { values: cleaned, zeroed };
}

/**
 * ∇ = 0 solved (`stationary: [w]`, docs/matrix-calculus.md "Stationary points"): the affine
 * gradient, the linear system and its tidy form, the point as a formula, its numbers beside the
 * formula's, the gradient left there and what the constant Hessian makes the point; or why there
 * is no such point here (singular, not linear).
 */
export function stationaryBlocks(point: MatrixStationary, trace: MatrixTrace, options: ExplainOptions, shaped: Shaped): Block[] {
  const { language } = options;
  const blocks: Block[] = [];
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const equation = (parts: readonly MathText[]) => blocks.push({ kind: 'equation', parts: distinct(parts) });
  const shapeOf = (name: string) => trace.shapes[name]!;
  blocks.push({ kind: 'heading', level: 2, content: say(language, 'matrix.stationary.heading', { equation: joined(point.variables.map(zero)) }) });

  const one = point.variables.length === 1 ? point.variables[0]! : null;
  if (point.separately !== undefined) {
    paragraph(say(language, 'matrix.stationary.separately', { equation: GRADIENT_ZERO, names: joined(point.variables.map(named)) }));
    for (const part of point.separately) {
      const name = part.variables[0]!;
      blocks.push({ kind: 'heading', level: 3, content: [{ kind: 'math', math: zero(name) }] });
      blocks.push(...bodyOf(part, name));
    }
    return blocks;
  }
  blocks.push(...(one === null ? jointBody(point) : bodyOf(point, one)));
  return blocks;

  function bodyOf(part: MatrixStationary, name: string): Block[] {
    const start = blocks.length;
    const v = named(name);
    if (part.noClosedForm === true) paragraph(say(language, 'matrix.stationary.noClosedForm', { equation: zero(name), v }));
    else if (part.outcome === 'nonlinear') paragraph(say(language, 'matrix.stationary.nonlinear', { equation: zero(name), v }));
    else if (part.differential === undefined) paragraph(say(language, 'matrix.stationary.constant', { v, equation: zero(name) }));
    else {
      const differential = chain(mathOf(`d(${nabla(name).pretty})`, `\\mathrm{d}(${nabla(name).latex})`), part.differential);
      if (part.side === 'both' && part.kronecker !== undefined) {
        const hat = hatted(name);
        const system = mathOf(`(${part.kronecker.pretty})·vec ${hat.pretty} = −vec G₀`, `\\left(${part.kronecker.latex}\\right)\\operatorname{vec} ${hat.latex} = -\\operatorname{vec} G_0`);
        paragraph(say(language, 'matrix.stationary.both', { v, differential, rule: VEC_RULE, system, g0: mathOf('G₀', 'G_0'), zero: chain(named(name), mathOf('0')) }));
      } else if (part.equation !== undefined) {
        paragraph(say(language, 'matrix.stationary.affine', { v, differential }));
        equation([part.equation.lhs, part.equation.rhs]);
        if (part.reduced !== undefined) {
          const cancelled = part.reduced.cancelled;
          if (cancelled.length === 0) paragraph(say(language, 'matrix.stationary.reduced'));
          else {
            const product = (key: 'factor' | 'inverse') => mathOf(cancelled.map((c) => c[key].pretty).join('·'), cancelled.map((c) => c[key].latex).join(' '));
            paragraph(say(language, part.side === 'right' ? 'matrix.stationary.cancelled.right' : 'matrix.stationary.cancelled.left', { factor: product('factor'), inverse: product('inverse') }));
            // A number is invertible when it is not 0: said so, not "invertible".
            if (part.reduced.ifInvertible === true) paragraph(say(language, cancelled.every((c) => c.number === true) ? 'matrix.stationary.cancelledIfNonzero' : 'matrix.stationary.cancelledIf', { factor: product('factor') }));
          }
          equation([part.reduced.lhs, part.reduced.rhs]);
        }
      }
      const formula = part.formula?.[name];
      if (formula !== undefined && part.matrix !== undefined && part.outcome !== 'singular') {
        const solution = chain(hatted(name), formula);
        paragraph(part.matrix.pretty === '1' ? say(language, 'matrix.stationary.solved', { solution }) : say(language, part.matrixIsNumber === true ? 'matrix.stationary.solveNonzero' : 'matrix.stationary.solve', { matrix: part.matrix, solution }));
        if (part.mean !== undefined) paragraph(say(language, 'matrix.stationary.mean', { data: mathOf(part.mean), mean: mathOf(`${hatted(name).pretty} = x̄ = (1/n)·Σᵢ xᵢ`, `${hatted(name).latex} = \\bar{x} = \\frac{1}{n}\\sum_i x_i`) }));
      }
    }
    if (part.outcome === 'singular' && part.singular !== undefined) {
      const { value } = part.singular;
      if (value !== undefined) equation([part.singular.matrix, shaped(value, [])]);
      // A number (or 1×1) factor is zero, not "singular".
      const number = value !== undefined && (typeof value === 'number' || value.flat(2).length === 1);
      blocks.push({ kind: 'note', tone: 'warning', content: number ? say(language, 'matrix.stationary.zero', { factor: part.singular.matrix, v }) : say(language, 'matrix.stationary.singular', { matrix: part.singular.matrix }) });
    }
    blocks.push(...numbersOf(part));
    return blocks.splice(start);
  }

  function jointBody(part: MatrixStationary): Block[] {
    const start = blocks.length;
    const names = joined(part.variables.map(named));
    if (part.outcome === 'nonlinear') {
      paragraph(say(language, 'matrix.stationary.nonlinear', { equation: joined(part.variables.map(zero)), v: names }));
      return blocks.splice(start);
    }
    paragraph(say(language, 'matrix.stationary.joint', { names, equation: GRADIENT_ZERO }));
    const t = part.transposeAndAdd;
    if (t !== undefined) {
      const x = t.variable;
      const hat = hatted(x);
      const symmetric = mathOf(`${hat.pretty} = ${hat.pretty}ᵀ`, `${hat.latex} = ${hat.latex}^{T}`);
      paragraph(say(language, 'matrix.stationary.constraint', { gradient: chain(nabla(t.multiplier), t.constraint, mathOf('0')), constraint: symmetric }));
      const sum = chain(mathOf(`${nabla(x).pretty} + (${nabla(x).pretty})ᵀ`, `${nabla(x).latex} + (${nabla(x).latex})^{T}`), t.sum, mathOf('0'));
      paragraph(say(language, 'matrix.stationary.transpose', { equation: chain(nabla(x), t.gradient, mathOf('0')), multiplier: named(t.multiplier), sum, constraint: symmetric }));
      equation([t.symmetric, mathOf('0')]);
      equation([t.equation.lhs, t.equation.rhs]);
      const formula = part.formula?.[x];
      if (formula !== undefined) paragraph(say(language, 'matrix.stationary.solved', { solution: chain(hat, formula) }));
    }
    if (part.outcome === 'inconsistent') blocks.push({ kind: 'note', tone: 'warning', content: say(language, 'matrix.stationary.inconsistent', { equation: GRADIENT_ZERO }) });
    blocks.push(...numbersOf(part));
    return blocks.splice(start);
  }

  function numbersOf(part: MatrixStationary): Block[] {
    if (part.value === undefined) return [];
    // The least-norm solve runs where the system does not fix the point (record/matrix-stationary.ts).
    const leastNorm = part.rank !== undefined && part.unknowns !== undefined && part.rank < part.unknowns;
    const out: Block[] = [{ kind: 'paragraph', content: say(language, leastNorm ? 'matrix.stationary.numbersLeastNorm' : 'matrix.stationary.numbers') }];
    const rounded: string[] = [];
    for (const name of part.variables) {
      const value = part.value[name];
      if (value === undefined) continue;
      const formula = part.formula?.[name];
      const point = roundedToZero(value, part.pointBound);
      if (point.zeroed) rounded.push(name);
      out.push({ kind: 'equation', parts: distinct([hatted(name), ...(formula === undefined ? [] : [formula]), shaped(point.values, shapeOf(name))]) });
      const computed = part.formulaValue?.[name];
      if (computed !== undefined) {
        // Compared exactly; printed as the point is.
        const agrees = close(computed, value);
        out.push({ kind: 'note', tone: agrees ? 'right' : 'wrong', content: say(language, agrees ? 'matrix.stationary.agrees' : 'matrix.stationary.differs', { formula: shaped(roundedToZero(computed, part.pointBound).values, shapeOf(name)) }) });
      }
    }
    if (rounded.length > 0 && part.pointBound !== undefined) {
      const names = mathOf(rounded.map((name) => hatted(name).pretty).join(', '), rounded.map((name) => hatted(name).latex).join(',\\ '));
      out.push({ kind: 'paragraph', content: say(language, 'matrix.stationary.pointRounding', { names, bound: mathOf(formatNumber(part.pointBound, { digits: 2 })) }) });
    }
    if (part.notFixed !== undefined && part.notFixed.length > 0) {
      out.push({ kind: 'paragraph', content: say(language, 'matrix.stationary.notFixed', { names: joined(part.notFixed.map(named)), rank: part.rank ?? 0, unknowns: part.unknowns ?? 0 }) });
    }
    // The gradient at the point, its formula recomputed there line by line (the equation audit reads it).
    for (const [name, at] of Object.entries(part.gradientAt ?? {})) {
      const unknowns = part.variables.map(hatted);
      const label = mathOf(`${nabla(name).pretty}(${unknowns.map((h) => h.pretty).join(', ')})`, `${nabla(name).latex}(${unknowns.map((h) => h.latex).join(', ')})`);
      out.push({ kind: 'equation', parts: [label, ...(at.formula === undefined ? [] : [at.formula]), shaped(roundedToZero(at.value, part.residualBound).values, shapeOf(name))] });
    }
    // Above rounding's bound the point is not a stationary point to trust, so it is not called a minimum either.
    const zero = part.residual === undefined || part.residualBound === undefined || part.residual <= part.residualBound;
    if (part.residual !== undefined) {
      const residual = mathOf(formatNumber(part.residual, { digits: 2 }));
      out.push(zero
        ? { kind: 'note', tone: 'right', content: part.residual === 0 ? say(language, 'matrix.stationary.residualExact') : say(language, 'matrix.stationary.residual', { residual, bound: mathOf(formatNumber(part.residualBound ?? 0, { digits: 2 })) }) }
        : { kind: 'note', tone: 'wrong', content: say(language, 'matrix.stationary.residualLarge', { residual, bound: mathOf(formatNumber(part.residualBound, { digits: 2 })) }) });
    }
    if (part.hessian !== undefined && zero) {
      // The Hessian's numbers on a line of their own, where the equation audit recomputes them.
      const label = mathOf('H');
      out.push({ kind: 'equation', parts: [label, ...(part.hessian.formula === undefined ? [] : [part.hessian.formula]), shaped(part.hessian.value, [])] });
      out.push({ kind: 'paragraph', content: say(language, `matrix.stationary.${part.hessian.kind}`, { hessian: label }) });
      if (part.transposeAndAdd !== undefined && part.hessian.kind === 'saddle') out.push({ kind: 'paragraph', content: say(language, 'matrix.stationary.lagrangian') });
    }
    return out;
  }
}
