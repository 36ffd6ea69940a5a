import { BinaryCode, UnaryCode } from '../kernels/codes.js';
import type { BinaryName, UnaryName } from './types.js';

/*
 * The op families whose members differ only in their kernel: elementwise ops of one input and
 * of two. Whatever offers every op of a family (the Algebra, the functional API, the Tensor
 * methods) is built from these lists and typed with these mapped types, so the compiler checks
 * that it has every member, and a new member needs no edit there.
 */

/** Every elementwise op of one input, by name (one per unary kernel code). */
export const unaryNames = Object.keys(UnaryCode) as UnaryName[];
/** Every elementwise op of two inputs, by name (one per binary kernel code). */
export const binaryNames = Object.keys(BinaryCode) as BinaryName[];

/** A function for each elementwise op of one input: x ↦ op(x). */
export type UnaryFunctions<X, Y> = { readonly [N in UnaryName]: (x: X) => Y };
/** A function for each elementwise op of two inputs: (a, b) ↦ op(a, b). */
export type BinaryFunctions<X, Y> = { readonly [N in BinaryName]: (a: X, b: X) => Y };
