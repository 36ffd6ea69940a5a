import { describe, expect, it } from 'vitest';
import { renderSolution } from '../src/explain/render.js';
import { FORMATS, LANGUAGES, solveText } from './worked-solutions.js';

/** The statement as each format must write it: the user's text escaped, never taken as markup. */
const STATEMENT = 'Find <b>x</b> & y: 50% of $x$ * _y_ # \\emph{a}';
const ESCAPED = {
  text: STATEMENT,
  md: 'Find \\<b\\>x\\</b\\> & y: 50% of \\$x\\$ \\* \\_y\\_ \\# \\\\emph\\{a\\}',
  tex: 'Find <b>x</b> \\& y: 50\\% of \\$x\\$ * \\_y\\_ \\# \\textbackslash{}emph\\{a\\}',
  html: 'Find &lt;b&gt;x&lt;/b&gt; &amp; y: 50% of $x$ * _y_ # \\emph{a}',
} as const;
const HEADING = { en: 'The problem', ru: 'Условие задачи' } as const;

const problem = (description: string) => `title: { en: "T", ru: "Т" }\n${description}\nexpression: x*y\nat: { x: 1, y: 2 }`;
const KINDS = {
  expression: (description: string) => problem(description),
  network: (description: string) => `${description}\nmodel:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0.1 }`,
  layer: (description: string) => `${description}\nmodel:\n  - linear: { weights: [[1]] }\nx: [2]\ngradient: 1`,
  symbolic: (description: string) => `${description}\nmodel:\n  - linear: { weights: W2 }\n  - relu\n  - linear: { weights: W1 }\nloss: sse`,
  matrix: (description: string) => `${description}\nexpression: "a'*x"\nat: { a: [1, 2], x: [3, 4] }`,
};

describe("a problem file's description: is the statement at the top of the worked solution", () => {
  const trace = solveText(problem(`description: ${JSON.stringify(STATEMENT)}`));

  for (const language of LANGUAGES) {
    for (const format of FORMATS) {
      it(`${format}, ${language}: under «${HEADING[language]}», escaped, before the solution`, () => {
        const output = renderSolution(trace, { format, language });
        const heading = output.indexOf(HEADING[language]);
        const statement = output.indexOf(ESCAPED[format]);
        expect(heading).toBeGreaterThan(-1);
        expect(statement).toBeGreaterThan(heading);
        // Before the first step of the solution: the graph's heading.
        expect(statement).toBeLessThan(output.indexOf(language === 'en' ? 'Computation graph' : 'Граф вычислений'));
      });
    }
  }

  it('per language where the file gives one (en: and ru:), each line a paragraph', () => {
    const given = solveText(problem('description:\n  en: "Find the gradient."\n  ru: "Найдите градиент.\\nВторая строка."'));
    expect(renderSolution(given, { format: 'md', language: 'en' })).toContain('### The problem\n\nFind the gradient.\n');
    expect(renderSolution(given, { format: 'md', language: 'ru' })).toContain('### Условие задачи\n\nНайдите градиент.\n\nВторая строка.\n');
  });

  for (const [kind, write] of Object.entries(KINDS)) {
    it(`${kind}: the statement is shown and kept in the trace (--json)`, () => {
      const traced = solveText(write('description: "The statement."'));
      expect(traced.kind).toBe(kind);
      expect(traced.description).toBe('The statement.');
      expect(renderSolution(traced, { format: 'text', language: 'en' })).toMatch(/The problem\n─+\nThe statement\./);
    });
  }

  it('no description, no heading', () => {
    expect(renderSolution(solveText(problem('')), { format: 'text', language: 'en' })).not.toContain(HEADING.en);
  });

  it('a description that is neither text nor en:/ru: text says what it must be', () => {
    const expected = 'description: expected text, or one per language: en: text (and, if you like, ru: text)';
    expect(() => solveText(problem('description: 5'))).toThrow(expected);
    expect(() => solveText(problem('description: { ru: "Только по-русски" }'))).toThrow(expected);
  });
});
