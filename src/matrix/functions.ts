import { FUNCTIONS } from '../formula/functions.js';
import { opNames, registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';

/**
 * The matrix grammar's functions of one argument, built from the registry: every function of
 * the grammar of numbers (exp, ln, sigmoid, …), applied elementwise, and the ops of matrices that
 * declare matrixGrammarNames (tr, det, inv, sum). Prototype-less, like the grammar's own table.
 */
export const MATRIX_FUNCTIONS: Readonly<Record<string, OpName>> = (() => {
  const table = Object.create(null) as Record<string, OpName>;
  for (const [name, fn] of Object.entries(FUNCTIONS)) if (fn.arity === 1) table[name] = fn.op;
  for (const name of opNames) {
    for (const grammarName of registry[name].matrixGrammarNames ?? []) {
      if (grammarName in table) throw new Error(`matrix grammar: ${grammarName} names both ${table[grammarName]!} and ${name}`);
      table[grammarName] = name;
    }
  }
  return Object.freeze(table);
})();

/** Ops of the matrix grammar that take a whole matrix rather than each element. */
export const isMatrixFunction = (op: OpName): boolean => registry[op].matrixGrammarNames !== undefined;
