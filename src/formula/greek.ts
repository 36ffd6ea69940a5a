/**
 * The Greek letters the formula writer shows by name (batch norm's γ, β, μ, σ and the L2 term's
 * λ): how each is printed, as the Unicode letter and as its LaTeX command, written once.
 */
export interface GreekLetter {
  readonly pretty: string;
  readonly latex: string;
}

const LETTERS: ReadonlyMap<string, GreekLetter> = new Map([
  ['beta', { pretty: 'β', latex: '\\beta' }],
  ['gamma', { pretty: 'γ', latex: '\\gamma' }],
  ['lambda', { pretty: 'λ', latex: '\\lambda' }],
  ['mu', { pretty: 'μ', latex: '\\mu' }],
  ['sigma', { pretty: 'σ', latex: '\\sigma' }],
]);

/** The letter a Greek name stands for (mu → μ, \mu), or undefined for any other name. */
export const greekLetter = (name: string): GreekLetter | undefined => LETTERS.get(name);
