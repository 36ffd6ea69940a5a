import type { NestedArray } from '../../src/autograd/tensor.js';
import { parseProblem } from '../../src/files/load-problem.js';

/** One case of test/fixtures/conv.json (tools/fixtures/conv.py): layers with PyTorch's numbers. */
export interface ConvCase<LayerSpec> {
  label: string;
  layers: LayerSpec[];
  parameters: Record<string, NestedArray>;
  input: NestedArray;
  output: NestedArray;
  u: NestedArray;
  gradInput: NestedArray;
  gradParameters: Record<string, NestedArray>;
}

/** The message a problem file's text is refused with, or 'no error'. */
export function refusal(text: string): string {
  try {
    parseProblem(text);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}
