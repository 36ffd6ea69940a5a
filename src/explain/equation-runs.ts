import type { Block, MathText } from './document.js';

/** Consecutive display equations shown as one aligned block, one row per equation. */
export interface EquationRun {
  readonly kind: 'equations';
  readonly rows: readonly (readonly MathText[])[];
}

/**
 * The blocks with every run of two or more consecutive display equations gathered into one
 * aligned block, so a step (the initial weights, an update's lines) reads as one block. The
 * document model keeps one equation per block; only the renderers group them.
 */
export function equationRuns(blocks: readonly Block[]): (Block | EquationRun)[] {
  const out: (Block | EquationRun)[] = [];
  let run: (readonly MathText[])[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ kind: 'equation', parts: run[0]! });
    else if (run.length > 1) out.push({ kind: 'equations', rows: run });
    run = [];
  };
  for (const block of blocks) {
    if (block.kind === 'equation') {
      run.push(block.parts);
      continue;
    }
    flush();
    out.push(block);
  }
  flush();
  return out;
}

/** Between rows: a little extra space; `\\[` never occurs inside a matrix's own rows. */
export const ALIGNED_ROW_BREAK = ' \\\\[2pt] ';

/** The rows in LaTeX's aligned environment, aligned at each row's first = (KaTeX and amsmath read it alike). */
export function alignedLatex(rows: EquationRun['rows']): string {
  const row = (parts: readonly MathText[]) => (parts.length === 1 ? `${parts[0]!.latex} &` : `${parts[0]!.latex} &= ${parts.slice(1).map((part) => part.latex).join(' = ')}`);
  return `\\begin{aligned} ${rows.map(row).join(ALIGNED_ROW_BREAK)} \\end{aligned}`;
}
