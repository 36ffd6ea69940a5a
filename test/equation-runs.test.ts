import { describe, expect, it } from 'vitest';
import { equationRuns } from '../src/explain/equation-runs.js';
import type { Block } from '../src/explain/document.js';
import { explain } from '../src/explain/solution.js';
import { EXERCISES, alignedRows, render, solveExample } from './worked-solutions.js';

const equation = (...parts: string[]): Block => ({ kind: 'equation', parts: parts.map((pretty) => ({ pretty, latex: pretty })) });
const paragraph: Block = { kind: 'paragraph', content: [{ kind: 'text', text: 'p' }] };

describe('runs of one-line display equations read as one block', () => {
  it('gathers two or more consecutive equations, and leaves a single one alone', () => {
    const grouped = equationRuns([paragraph, equation('a', '1'), equation('b', '2'), paragraph, equation('c', '3')]);
    expect(grouped.map((block) => block.kind)).toEqual(['paragraph', 'equations', 'paragraph', 'equation']);
  });

  it('writes exercise 4’s initial weights as one aligned block in TeX, aligned at =', () => {
    const tex = render(solveExample('exercise-4-regression'), 'tex', 'en').output;
    expect(tex).toContain('\\[ \\begin{aligned} W_{1} &= \\begin{pmatrix} 1 & -1 \\\\ 0.5 & 0 \\end{pmatrix} \\\\[2pt] W_{2} &= \\begin{pmatrix} 0.5 \\\\ 1 \\end{pmatrix} \\end{aligned} \\]');
  });

  it.each(EXERCISES)('%s: KaTeX typesets every aligned block, and together they hold every equation of the solution', (id) => {
    const trace = solveExample(id);
    const rendered = render(trace, 'html', 'en');
    expect(rendered.output).not.toContain('katex-error');
    const model = explain(trace, { language: 'en' }).blocks.filter((block) => block.kind === 'equation');
    expect(rendered.displayed.flatMap(alignedRows)).toEqual(model.map((block) => (block.kind === 'equation' ? block.parts.map((part) => part.latex).join(' = ') : '')));
  });
});
