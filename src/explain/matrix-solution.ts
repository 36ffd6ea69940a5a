import { formatValues, latexValues, type Values } from '../formula/values-text.js';
import { shapeText as numericShapeText } from '../matrix/expr.js';
import { shapeInLetters } from '../matrix/declared.js';
import { matrixName } from '../matrix/write.js';
import type { MessageKey } from '../messages/catalogue.js';
import type { MatrixKronecker, MatrixTrace } from '../trace/types.js';
import { math, text, type Block, type Inline, type MathText, type WorkedSolution } from './document.js';
import { diagnosticBlocks } from './diagnostic-blocks.js';
import { noteBlocks, say } from './i18n.js';
import { chain, distinct, mathOf } from './numbers-math.js';
import type { ExplainOptions } from './expression-solution.js';
import { stationaryBlocks, VEC_RULE } from './matrix-stationary.js';

/** A value in its shape: a column vector as (1, 2)ᵀ, a matrix as rows, a number as itself. */
function shapedValues(values: Values, shape: readonly number[], options: ExplainOptions): MathText {
  const numbers = options.numbers ?? {};
  const column = Array.isArray(values) && shape.length === 2 && shape[1] === 1 && values.every((value) => typeof value === 'number');
  if (column) return mathOf(`${formatValues(values, numbers)}ᵀ`, latexValues((values).map((value) => [value]), numbers));
  return mathOf(formatValues(values, numbers), latexValues(values, numbers));
}

type ShapeText = (shape: readonly number[]) => string;
const bracketedShapeWith = (shapeText: ShapeText) => (shape: readonly number[]): MathText => mathOf(`[${shapeText(shape)}]`, `[${shapeText(shape).replace('×', '\\times ')}]`);
/** The rules of differentials a derivation names, as formulas (the same in every language). */
const RULES: Readonly<Record<string, MathText>> = {
  sum: mathOf('d(U + V) = dU + dV', '\\mathrm{d}(U + V) = \\mathrm{d}U + \\mathrm{d}V'),
  product: mathOf('d(U·V) = dU·V + U·dV', '\\mathrm{d}(UV) = \\mathrm{d}U\\,V + U\\,\\mathrm{d}V'),
  transpose: mathOf('d(Uᵀ) = (dU)ᵀ', '\\mathrm{d}(U^{T}) = (\\mathrm{d}U)^{T}'),
  trace: mathOf('d tr U = tr dU', '\\mathrm{d}\\operatorname{tr} U = \\operatorname{tr} \\mathrm{d}U'),
  det: mathOf('d det X = det X·tr(X⁻¹·dX)', '\\mathrm{d}\\det X = \\det X \\operatorname{tr}(X^{-1}\\mathrm{d}X)'),
  inv: mathOf('d X⁻¹ = −X⁻¹·dX·X⁻¹', '\\mathrm{d}X^{-1} = -X^{-1}\\,\\mathrm{d}X\\,X^{-1}'),
  elementwise: mathOf('d f(U) = f′(U) ⊙ dU', '\\mathrm{d} f(U) = f\'(U) \\odot \\mathrm{d}U'),
  diag: mathOf('d diag(U) = diag(dU)', '\\mathrm{d}\\operatorname{diag}(U) = \\operatorname{diag}(\\mathrm{d}U)'),
  symmetric: mathOf('uᵀ·S·v = (uᵀ·S·v)ᵀ = vᵀ·Sᵀ·u = vᵀ·S·u', 'u^{T} S v = (u^{T} S v)^{T} = v^{T} S^{T} u = v^{T} S u'),
  diagonal: mathOf('a ⊙ dx = diag(a)·dx', 'a \\odot \\mathrm{d}x = \\operatorname{diag}(a)\\,\\mathrm{d}x'),
};

const nabla = (name: string): MathText => mathOf(`∇_${matrixName(name).pretty} f`, `\\nabla_{${matrixName(name).latex}} f`);
const nablaSquared = (name: string): MathText => mathOf(`∇²_${matrixName(name).pretty} f`, `\\nabla^{2}_{${matrixName(name).latex}} f`);

/**
 * The worked solution of a matrix formula, as a matrix-calculus class writes it: the value at the
 * point; for each variable the differential with each factor's differential in place, the rules
 * used, the linear form df = Gᵀ·dx (or tr(Gᵀ·dX)) the gradient is read from, the shapes under the
 * gradient's factors, and the gradient at the point next to the engine's elementwise backward pass.
 */
export function explainMatrix(trace: MatrixTrace & { readonly title?: string }, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const sizes = trace.symbolic?.sizes;
  const shapeText: ShapeText = sizes === undefined ? numericShapeText : (shape) => shapeInLetters(shape, sizes);
  const bracketedShape = bracketedShapeWith(shapeText);
  const blocks: Block[] = [];
  const heading = (content: Inline[]) => blocks.push({ kind: 'heading', level: 2, content });
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const args = trace.variables.join(', ');
  const f = mathOf(`f(${args}) = ${trace.formula.pretty}`, `f(${args}) = ${trace.formula.latex}`);
  const point = (): MathText => mathOf(
    trace.variables.map((name) => `${name} = ${shapedValues(trace.at[name]!, trace.shapes[name]!, options).pretty}`).join(', '),
    trace.variables.map((name) => `${name} = ${shapedValues(trace.at[name]!, trace.shapes[name]!, options).latex}`).join(',\\ '),
  );
  paragraph(trace.value === null ? say(language, 'matrix.intro.symbolic', { f }) : say(language, 'matrix.intro', { f, point: point() }));
  const shapes = mathOf(
    [...trace.variables.map((name) => `${name}: [${shapeText(trace.shapes[name]!)}]`), `f: [${shapeText(trace.shape)}]`].join(', '),
    [...trace.variables.map((name) => `${name}: [${shapeText(trace.shapes[name]!).replace('×', '\\times ')}]`), `f: [${shapeText(trace.shape).replace('×', '\\times ')}]`].join(',\\ '),
  );
  paragraph(say(language, 'matrix.shapes', { shapes }));
  for (const name of trace.symmetric ?? []) paragraph(say(language, 'matrix.symmetric', { s: matrixName(name), equation: mathOf(`${matrixName(name).pretty}ᵀ = ${matrixName(name).pretty}`, `${matrixName(name).latex}^{T} = ${matrixName(name).latex}`) }));
  // The problem file's own remark (where the book errs), in the reader's language where it gives one.
  blocks.push(...noteBlocks(trace.note, language));

  if (trace.value !== null) {
    heading(say(language, 'matrix.value.heading'));
    blocks.push({ kind: 'equation', parts: distinct([mathOf('f'), trace.formula, ...(trace.substituted === undefined ? [] : [trace.substituted]), shapedValues(trace.value, trace.shape, options)]) });
  }

  const scalar = trace.shape.every((extent) => extent === 1);
  for (const name of trace.variables) {
    heading(say(language, scalar ? 'matrix.gradient.heading' : 'matrix.jacobian.heading', { v: matrixName(name) }));
    const worked = trace.worked[name];
    const formula = trace.derivativeFormulas[name];
    const jacobianLabel = mathOf(`∂f/∂${name}`, `\\frac{\\partial f}{\\partial ${name}}`);
    if (worked !== undefined && formula !== undefined && !scalar) {
      // A vector by a vector: df = J·dx, and J is read off it (diag(f′(x)) for an elementwise f).
      if (worked.rules.length > 0) {
        blocks.push({ kind: 'list', items: worked.rules.map((rule) => say(language, `matrix.rule.${rule}` as MessageKey, { rule: RULES[rule] ?? mathOf(rule) })) });
      }
      blocks.push({ kind: 'equation', parts: distinct([mathOf('df', '\\mathrm{d}f'), ...(worked.differential === undefined ? [] : [worked.differential]), ...(worked.linearForm === undefined ? [] : [worked.linearForm])]) });
      paragraph(say(language, 'matrix.jacobian.read', { jacobian: chain(jacobianLabel, formula) }));
      const { substituted, formulaValue } = worked;
      const backward = trace.jacobian[name];
      if (substituted !== undefined && formulaValue !== undefined && backward !== undefined) {
        blocks.push({ kind: 'equation', parts: distinct([jacobianLabel, substituted, shapedValues(formulaValue, [], options)]) });
        blocks.push(checkNote(formulaValue, backward, [], options));
      } else if (backward !== undefined) {
        blocks.push({ kind: 'equation', parts: [jacobianLabel, shapedValues(backward, [], options)] });
      }
    } else if (worked !== undefined && formula !== undefined) {
      if (worked.rules.length > 0) {
        blocks.push({ kind: 'list', items: worked.rules.map((rule) => say(language, `matrix.rule.${rule}` as MessageKey, { rule: RULES[rule] ?? mathOf(rule) })) });
      }
      const df = mathOf('df', '\\mathrm{d}f');
      blocks.push({ kind: 'equation', parts: distinct([df, ...(worked.differential === undefined ? [] : [worked.differential]), ...(worked.linearForm === undefined ? [] : [worked.linearForm])]) });
      paragraph(say(language, 'matrix.gradient.read', { gradient: chain(nabla(name), formula) }));
      if (worked.factors.length > 0) {
        // A sum or ⊙ among the factors is bracketed, as in the product: (A + Aᵀ) [2×2] · x [2×1].
        const bracket = (formula: string, latex: boolean) => (/ [+−-] | [⊙⊘] |\\odot|\\oslash/.test(formula) ? (latex ? `\\left(${formula}\\right)` : `(${formula})`) : formula);
        const under = mathOf(worked.factors.map((factor) => `${bracket(factor.formula.pretty, false)} [${shapeText(factor.shape)}]`).join(' · '),
          worked.factors.map((factor) => `\\underbrace{${bracket(factor.formula.latex, true)}}_{${bracketedShape(factor.shape).latex}}`).join(' \\cdot '));
        paragraph(say(language, 'matrix.gradient.shapes', { factors: under, shape: bracketedShape(trace.shapes[name]!) }));
      }
      const { substituted, formulaValue } = worked;
      const backward = trace.gradient[name];
      if (substituted !== undefined && formulaValue !== undefined && backward !== undefined) {
        blocks.push({ kind: 'equation', parts: distinct([nabla(name), substituted, shapedValues(formulaValue, trace.shapes[name]!, options)]) });
        blocks.push(checkNote(formulaValue, backward, trace.shapes[name]!, options));
      }
    } else if (trace.kronecker?.[name] !== undefined) {
      blocks.push(...kroneckerBlocks(trace.kronecker[name], name, options));
    } else if (scalar && trace.gradient[name] !== undefined) {
      paragraph(say(language, 'matrix.gradient.numbers', { gradient: chain(nabla(name), shapedValues(trace.gradient[name], trace.shapes[name]!, options)) }));
    } else {
      if (formula !== undefined) paragraph(say(language, 'matrix.jacobian.formula', { jacobian: chain(mathOf(`∂f/∂${name}`, `\\frac{\\partial f}{\\partial ${name}}`), formula) }));
      const numbers = trace.jacobian[name];
      if (numbers !== undefined) blocks.push({ kind: 'equation', parts: [mathOf(`∂f/∂${name}`, `\\frac{\\partial f}{\\partial ${name}}`), shapedValues(numbers, [], options)] });
    }
    blocks.push(...hessianBlocks(trace, name, options));
  }
  if (trace.stationaryPoint !== undefined) blocks.push(...stationaryBlocks(trace.stationaryPoint, trace, options, (values, shape) => shapedValues(values, shape, options)));
  blocks.push(...diagnosticBlocks(trace.diagnostics, language));
  return { title: trace.title ?? trace.expression, blocks: blocks.length > 0 ? blocks : [{ kind: 'paragraph', content: [text(trace.expression), math(trace.formula)] }] };
}

/** A matrix by a matrix: dF, vec(L·dX·R) = (Rᵀ ⊗ L)·vec dX, the Jacobian by vec and its numbers beside the engine's. */
function kroneckerBlocks(kronecker: MatrixKronecker, name: string, options: ExplainOptions): Block[] {
  const { language } = options;
  const label = mathOf(`∂vec f/∂vec ${name}`, `\\frac{\\partial \\operatorname{vec} f}{\\partial \\operatorname{vec} ${name}}`);
  const blocks: Block[] = [
    { kind: 'equation', parts: distinct([mathOf('df', '\\mathrm{d}f'), kronecker.differential, kronecker.linear]) },
    ...(kronecker.commutation === true ? [{ kind: 'paragraph' as const, content: say(language, 'matrix.kronecker.commutation', { name: mathOf('K(X)'), definition: mathOf('K·vec X = vec Xᵀ', 'K\\operatorname{vec}X = \\operatorname{vec}X^{T}'), transposed: mathOf('dXᵀ', '\\mathrm{d}X^{T}'), rule: mathOf('vec dXᵀ = K·vec dX', '\\operatorname{vec}\\mathrm{d}X^{T} = K\\operatorname{vec}\\mathrm{d}X'), product: mathOf('vec(L·dXᵀ·R) = (Rᵀ ⊗ L)·K·vec dX', '\\operatorname{vec}(L\\,\\mathrm{d}X^{T}R) = (R^{T} \\otimes L)\\,K\\operatorname{vec}\\mathrm{d}X') }) }] : []),
    { kind: 'paragraph', content: say(language, 'matrix.kronecker.read', { rule: VEC_RULE, jacobian: chain(label, kronecker.formula), size: mathOf(`${kronecker.rows}×${kronecker.columns}`) }) },
  ];
  if (kronecker.value !== undefined && kronecker.engine !== undefined) {
    blocks.push({ kind: 'equation', parts: [label, kronecker.formula, shapedValues(kronecker.value, [], options)] });
    blocks.push({ kind: 'note', tone: kronecker.agrees === true ? 'right' : 'wrong', content: say(language, kronecker.agrees === true ? 'matrix.check.agrees' : 'matrix.check.differs', { backward: shapedValues(kronecker.engine, [], options) }) });
  }
  return blocks;
}

function flat(values: Values): number[] {
  return typeof values === 'number' ? [values] : values.flatMap(flat);
}

/** The formula's numbers and the backward pass's agree to rounding. */
function closeValues(a: Values, b: Values): boolean {
  const p = flat(a);
  const q = flat(b);
  // ∞ agrees with ∞ and NaN with NaN: (−∞, −2)ᵀ from both is no difference.
  return p.length === q.length && p.every((value, i) => value === q[i] || (Number.isNaN(value) && Number.isNaN(q[i]!)) || Math.abs(value - q[i]!) <= 1e-9 * (1 + Math.abs(q[i]!)));
}

/**
 * The backward pass's numbers beside the formula's: the same (right); different where a number
 * on the backward pass's way is infinite or undefined (sqrt(sum((x − x).^2)) has ∇ = 0, while
 * the chain rule meets 0·∞ there), which is no error; or different otherwise, which is one.
 */
function checkNote(formulaValue: Values, backward: Values, shape: readonly number[], options: ExplainOptions): Block {
  return differenceNote(formulaValue, backward, shape, options) ?? { kind: 'note', tone: 'right', content: say(options.language, 'matrix.check.agrees', { backward: shapedValues(backward, shape, options) }) };
}

/** checkNote where the numbers differ, and nothing where they agree (the summary says only a difference). */
function differenceNote(formulaValue: Values, backward: Values, shape: readonly number[], options: ExplainOptions): Block | null {
  if (closeValues(formulaValue, backward)) return null;
  const numbers = { backward: shapedValues(backward, shape, options) };
  // A NaN or ∞ excuses only its own entries: where both are finite they must still agree.
  const [ours, theirs] = [flat(formulaValue), flat(backward)];
  const finiteAgree = ours.length === theirs.length && ours.every((value, i) => !Number.isFinite(theirs[i]!) || closeValues(value, theirs[i]!));
  if (finiteAgree && !theirs.every(Number.isFinite)) return { kind: 'note', tone: 'warning', content: say(options.language, 'matrix.check.undefined', numbers) };
  return { kind: 'note', tone: 'wrong', content: say(options.language, 'matrix.check.differs', numbers) };
}

/** ∇²_v f as a formula equal to its own numbers, and a note where the backward pass's differ. */
function hessianBlocks(trace: MatrixTrace, name: string, options: ExplainOptions): Block[] {
  const hessian = trace.hessian?.[name];
  if (hessian === undefined) return [];
  const shown = hessian.formulaValue ?? hessian.value;
  const line: Block = { kind: 'equation', parts: distinct([nablaSquared(name), ...(hessian.formula === undefined ? [] : [hessian.formula]), ...(shown === undefined ? [] : [shapedValues(shown, [], options)])]) };
  const { formulaValue, value } = hessian;
  const note = formulaValue === undefined || value === undefined ? null : differenceNote(formulaValue, value, [], options);
  return note === null ? [line] : [line, note];
}

/**
 * What `mashagrad grad` prints for a matrix formula without --explain: the value and, for each
 * variable, its derivative as a formula in matrix notation and as numbers at the point.
 */
export function summarizeMatrix(trace: MatrixTrace, options: ExplainOptions): WorkedSolution {
  const scalar = trace.shape.every((extent) => extent === 1);
  const blocks: Block[] = [{ kind: 'equation', parts: [mathOf('f'), trace.formula, ...(trace.value === null ? [] : [shapedValues(trace.value, trace.shape, options)])] }];
  for (const name of trace.variables) {
    const label = scalar ? nabla(name) : mathOf(`∂f/∂${name}`, `\\frac{\\partial f}{\\partial ${name}}`);
    const formula = trace.derivativeFormulas[name];
    const given = scalar ? trace.gradient[name] : trace.jacobian[name];
    const shape = scalar ? trace.shapes[name]! : [];
    // The formula is written equal to its own numbers; where the backward pass's differ, a note says so.
    const formulaValue = formula === undefined ? undefined : trace.worked[name]?.formulaValue;
    const shown = formulaValue ?? given;
    const numbers = shown === undefined ? [] : [shapedValues(shown, shape, options)];
    if (formula === undefined && numbers.length === 0) continue;
    blocks.push({ kind: 'equation', parts: [label, ...(formula === undefined ? [] : [formula]), ...numbers] });
    const note = formulaValue === undefined || given === undefined ? null : differenceNote(formulaValue, given, shape, options);
    if (note !== null) blocks.push(note);
    blocks.push(...hessianBlocks(trace, name, options));
  }
  blocks.push(...diagnosticBlocks(trace.diagnostics, options.language));
  return { title: trace.expression, blocks };
}
