import type { PortableLayer } from './layers.js';

/*
 * The PyTorch code of the same model: nn.Sequential with the same indices, so the state dict
 * written by encodeSafetensors (0.weight, 0.bias, 2.weight, …) loads into it with strict=True.
 */

/** A Python string literal for any text (JSON's escapes are valid Python). */
const pythonString = (text: string): string => JSON.stringify(text);

function moduleOf(layer: PortableLayer): string {
  switch (layer.kind) {
    case 'linear': return `nn.Linear(${layer.weights.length}, ${layer.weights[0]?.length ?? 0}${layer.bias === null ? ', bias=False' : ''})`;
    case 'relu': return 'nn.ReLU()';
    case 'sigmoid': return 'nn.Sigmoid()';
    case 'tanh': return 'nn.Tanh()';
    case 'softmax': return 'nn.Softmax(dim=-1)';
    case 'leaky_relu': return `nn.LeakyReLU(${layer.slope})`;
  }
}

export interface PytorchCodeOptions {
  /** The safetensors file the code loads (as written by `mashagrad export … --format safetensors`). */
  readonly weightsFile: string;
  /** float32 (default: what PyTorch uses) or float64 (torch.float64, mashagrad's exact arithmetic). */
  readonly dtype?: 'float32' | 'float64';
}

/** Python source that builds the model and loads its weights. */
export function pytorchCode(layers: readonly PortableLayer[], options: PytorchCodeOptions): string {
  const dtype = options.dtype ?? 'float32';
  return [
    '# The model exported by mashagrad, as PyTorch code. Needs torch and safetensors (pip install torch safetensors).',
    'import torch',
    'from torch import nn',
    'from safetensors.torch import load_file',
    '',
    '# Rows are observations, as in mashagrad; nn.Linear keeps its weight as [outputs, inputs].',
    'model = nn.Sequential(',
    ...layers.map((layer) => `    ${moduleOf(layer)},`),
    `)${dtype === 'float64' ? '.double()' : ''}`,
    `model.load_state_dict(load_file(${pythonString(options.weightsFile)}))`,
    'model.eval()',
    '',
  ].join('\n');
}
