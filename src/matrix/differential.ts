import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';
import { isScalarShape, type MatrixExpr } from './expr.js';
import { matrixAlgebra, matrixOp } from './symbolic.js';

/**
 * The differential of a matrix formula by one variable, as a teacher writes it before
 * collecting terms: d(xᵀAx) = dxᵀ·A·x + xᵀ·A·dx. `dv` is the variable's differential (a
 * variable named d<name>). Also the rules the derivation used, by name, for the worked solution.
 */

/** 'symmetric' is added by the derivation where a symmetric variable's Sᵀ is written S (matrix/symmetric.ts). */
export type DifferentialRule = 'sum' | 'product' | 'transpose' | 'trace' | 'det' | 'inv' | 'elementwise' | 'diag' | 'symmetric';

/**
 * `expr` null means dF = 0 (F does not depend on the variable) only when `unknown` is false;
 * `unknown` means some part of F has no rule here (a variable exponent, a two-argument function)
 * and no differential can be written: callers must then claim nothing about dF.
 */
export interface Differential {
  readonly expr: MatrixExpr | null;
  readonly rules: readonly DifferentialRule[];
  readonly unknown: boolean;
}

export function differential(expr: MatrixExpr, variable: string): Differential {
  const dv: MatrixExpr = { kind: 'var', name: `d${variable}`, shape: shapeOf(expr, variable), differentialOf: variable };
  const rules = new Set<DifferentialRule>();
  const add = (a: MatrixExpr | null, b: MatrixExpr | null): MatrixExpr | null => (a === null ? b : b === null ? a : matrixOp('add', [a, b], {}));
  const op = <N extends OpName>(name: N, args: readonly MatrixExpr[], attrs: OpAttrs[N]) => matrixOp(name, args, attrs);
  let unknown = false;
  const cannotWrite = (): null => {
    unknown = true;
    return null;
  };

  const d = (x: MatrixExpr): MatrixExpr | null => {
    if (x.kind === 'var') return x.name === variable ? dv : null;
    if (x.kind === 'const') return null;
    const [a, b] = x.args;
    const da = a === undefined ? null : d(a);
    const db = b === undefined ? null : d(b);
    if (da === null && db === null) return null;
    // A number added to a matrix is spread over it (y − c): so is its change, d(y − c) = −dc·1, not the number −dc.
    const spread = (change: MatrixExpr | null): MatrixExpr | null => (change !== null && isScalarShape(change.shape) && !isScalarShape(x.shape) ? op('broadcastTo', [change], { shape: x.shape }) : change);
    switch (x.op) {
      case 'add':
        rules.add('sum');
        return add(spread(da), spread(db));
      case 'sub': {
        rules.add('sum');
        const [du, dv] = [spread(da), spread(db)];
        return dv === null ? du : du === null ? op('neg', [dv], {}) : op('sub', [du, dv], {});
      }
      case 'neg': return op('neg', [da!], {});
      case 'mul':
      case 'matmul':
      case 'kron':
        // d(U·V) = dU·V + U·dV (the product rule; also for ⊙, ⊗ and a number times a matrix).
        if (da !== null && db !== null) rules.add('product');
        return add(da === null ? null : op(x.op, [da, b!], {}), db === null ? null : op(x.op, [a!, db], {}));
      case 'div': {
        if (db === null) return op('div', [da!, b!], {});
        // The quotient rule: d(U/V) = dU/V − (U/V)·dV/V.
        const ofDenominator = op('neg', [op('div', [op('mul', [x, db], {}), b!], {})], {});
        return da === null ? ofDenominator : op('add', [op('div', [da, b!], {}), ofDenominator], {});
      }
      case 'pow': {
        // The power rule, as a textbook writes it: d(U^V) = V ⊙ U^(V − 1) ⊙ dU + U^V ⊙ log(U) ⊙ dV
        // (where a base of 0 needs PyTorch's limit terms the derivation leaves this line out).
        rules.add('elementwise');
        const c = b!;
        const one: MatrixExpr = { kind: 'const', value: 1, shape: [] };
        const lowered: MatrixExpr = c.kind === 'const' ? { kind: 'const', value: c.value - 1, shape: [] } : op('sub', [c, one], {});
        const loweredValue = lowered.kind === 'const' ? lowered.value : null;
        const factor = loweredValue === 0 ? c : op('mul', [c, loweredValue === 1 ? a! : op('pow', [a!, lowered], {})], {});
        const ofBase = da === null ? null : op('mul', [factor, da], {});
        const ofExponent = db === null ? null : op('mul', [op('mul', [x, op('log', [a!], {})], {}), db], {});
        return add(spread(ofBase), spread(ofExponent));
      }
      case 'transpose':
        rules.add('transpose');
        return op('transpose', [da!], x.attrs as OpAttrs['transpose']);
      case 'trace':
        rules.add('trace');
        return op('trace', [da!], {});
      case 'sum':
        return op('sum', [da!], x.attrs as OpAttrs['sum']);
      case 'det':
        // d det X = det X · tr(X⁻¹·dX)
        rules.add('det');
        return op('mul', [x, op('trace', [op('matmul', [op('inv', [a!], {}), da!], {})], {})], {});
      case 'inv':
        // d X⁻¹ = −X⁻¹·dX·X⁻¹
        rules.add('inv');
        return op('neg', [op('matmul', [op('matmul', [x, da!], {}), x], {})], {});
      case 'diag':
        // diag is linear: d diag(U) = diag(dU).
        rules.add('diag');
        return op('diag', [da!], {});
      case 'commutation':
        // K depends on the shape only.
        return null;
      case 'reshape':
      case 'broadcastTo':
      case 'identity':
        return op(x.op, [da!], x.attrs as never);
    }
    // An elementwise function: d f(U) = f'(U) ⊙ dU, the registry's vjp with dU arriving.
    const definition = registry[x.op] as { arity: number | 'variadic'; vjp: (m: typeof matrixAlgebra, ctx: unknown) => readonly (MatrixExpr | null)[] };
    if (definition.arity === 1 && da !== null) {
      rules.add('elementwise');
      const change = definition.vjp(matrixAlgebra, { inputs: [a!], output: x, gy: da, attrs: x.attrs, needsGrad: [true] })[0] ?? null;
      // dU ⊙ f′(U) is written f′(U) ⊙ dU, as the rule reads (a number's dU·f′(U) stays as it is).
      const hadamard = change !== null && change.kind === 'op' && change.op === 'mul' && change.args[0] === da && !isScalarShape(change.shape);
      return hadamard ? op('mul', [change.args[1]!, da], {}) : change;
    }
    return cannotWrite();
  };
  const result = d(expr);
  return { expr: unknown ? null : result, rules: [...rules], unknown };
}

function shapeOf(expr: MatrixExpr, name: string): readonly number[] {
  if (expr.kind === 'var') return expr.name === name ? expr.shape : [];
  if (expr.kind === 'op') {
    for (const arg of expr.args) {
      const found = shapeOf(arg, name);
      if (found.length > 0 || (arg.kind === 'var' && arg.name === name)) return found;
    }
  }
  return [];
}
