/**
 * Greek letters a formula writes by name (mu, lambda, sigma, Sigma): the one table of how each is
 * printed, as the Unicode letter and as its LaTeX command. Which names a writer shows as letters
 * is its own choice (formula/write.ts, matrix/write.ts); how a letter looks is decided here.
 */
export interface GreekLetter {
  readonly pretty: string;
  readonly latex: string;
}

// In alphabetical order from U+03B1 (α); final sigma (ς, U+03C2) is skipped. ε and φ are the
// shapes of \varepsilon and \varphi; omicron has no command of its own in LaTeX.
const LOWER = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi', 'rho', '', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega'];
const LATEX_OF = new Map([['epsilon', '\\varepsilon'], ['phi', '\\varphi'], ['omicron', 'o']]);
// The capitals that differ from a Latin letter (Α is A).
const UPPER = new Map([['Gamma', 'Γ'], ['Delta', 'Δ'], ['Theta', 'Θ'], ['Lambda', 'Λ'], ['Xi', 'Ξ'], ['Pi', 'Π'], ['Sigma', 'Σ'], ['Upsilon', 'Υ'], ['Phi', 'Φ'], ['Psi', 'Ψ'], ['Omega', 'Ω']]);

const LETTERS: ReadonlyMap<string, GreekLetter> = new Map([
  ...LOWER.flatMap((name, i) => (name === '' ? [] : [[name, { pretty: String.fromCodePoint(0x3b1 + i), latex: LATEX_OF.get(name) ?? `\\${name}` }] as const])),
  ...[...UPPER].map(([name, letter]) => [name, { pretty: letter, latex: `\\${name}` }] as const),
]);

/** The letter a Greek name stands for (mu → μ, \mu), or undefined for any other name. */
export const greekLetter = (name: string): GreekLetter | undefined => LETTERS.get(name);
