import { opNames, registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';

/** A function of the formula grammar: the registry op it is and how many arguments it takes. */
export interface GrammarFunction {
  readonly op: OpName;
  readonly arity: number;
}

/**
 * The grammar's functions, built from the registry: each op's grammar names (OpDef.grammarNames)
 * call it, so every op the grammar writes as a function parses back, and a new op needs no edit
 * here. Prototype-less, so a formula's `constructor(x)` is an unknown function, not Object's.
 */
export const FUNCTIONS: Readonly<Record<string, GrammarFunction>> = (() => {
  const table = Object.create(null) as Record<string, GrammarFunction>;
  for (const name of opNames) {
    const op = registry[name];
    for (const grammarName of op.grammarNames ?? []) {
      if (grammarName in table) throw new Error(`formula grammar: ${grammarName} names both ${table[grammarName]!.op} and ${name}`);
      if (typeof op.arity !== 'number') throw new Error(`formula grammar: ${name} has a variable number of inputs`);
      table[grammarName] = { op: name, arity: op.arity };
    }
  }
  return Object.freeze(table);
})();
