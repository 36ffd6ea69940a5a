import type { InputStandardization } from './input-standardization.js';
import type { PortableLayer } from './layers.js';
import type { MoreLayer } from './more-layers.js';

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
    case 'residual': return 'Residual(';
    default: return moreModuleOf(layer);
  }
}

/** The module's lines as an entry of nn.Sequential at `indent`, a residual block's body one level in. */
function moduleLines(layer: PortableLayer, indent: string): string[] {
  if (layer.kind !== 'residual') return [`${indent}${moduleOf(layer)},`];
  return [`${indent}Residual(`, ...layer.body.flatMap((inner) => moduleLines(inner, `${indent}    `)), `${indent}),`];
}

const hasKind = (layers: readonly PortableLayer[], kind: string): boolean => layers.some((layer) => layer.kind === kind || (layer.kind === 'residual' && hasKind(layer.body, kind)));

/** mashagrad's rnn as a module: nn.RNN(batch_first=True) from the buffer h0, passing on the last state or every step's. */
const RNN_CLASS = [
  '',
  'class RNN(nn.RNN):',
  '    """mashagrad\'s rnn: a tanh (or ReLU) cell from the initial state h0, passing on the last state or every step\'s.',
  '    Takes [N, steps, inputs], or rows of steps × inputs numbers (then every step\'s states come out as rows).',
  '    steps=True: every step\'s state as a row of its own, the rows of step 1 first (a layer after it acts at every step)."""',
  '',
  '    def __init__(self, inputs, hidden, bias=True, last=True, steps=False, nonlinearity=\'tanh\'):',
  '        super().__init__(inputs, hidden, bias=bias, batch_first=True, nonlinearity=nonlinearity)',
  '        self.last, self.steps = last, steps',
  '        self.register_buffer(\'h0\', torch.zeros(hidden))',
  '',
  '    def forward(self, x):',
  '        rows = x.dim() == 2',
  '        if rows:',
  '            x = x.reshape(x.shape[0], -1, self.input_size)',
  '        y, h = super().forward(x, self.h0.expand(1, x.shape[0], self.hidden_size).contiguous())',
  '        if self.last:',
  '            return h[0]',
  '        if self.steps:',
  '            return y.transpose(0, 1).reshape(-1, self.hidden_size)',
  '        return y.reshape(y.shape[0], -1) if rows else y',
  '',
];

/** mashagrad's residual block as a module: the state dict names its layers INDEX.body.J. */
const RESIDUAL_CLASS = [
  '',
  'class Residual(nn.Module):',
  '    """A skip connection, y = x + body(x), as mashagrad\'s residual block."""',
  '',
  '    def __init__(self, *layers):',
  '        super().__init__()',
  '        self.body = nn.Sequential(*layers)',
  '',
  '    def forward(self, x):',
  '        return x + self.body(x)',
  '',
];

const tuple = (pair: readonly number[]): string => `(${pair.join(', ')})`;

function moreModuleOf(layer: MoreLayer): string {
  switch (layer.kind) {
    case 'conv2d': {
      const [out = 0, inPerGroup = 0, height = 0, width = 0] = layer.weight.shape;
      return `nn.Conv2d(${inPerGroup * layer.groups}, ${out}, kernel_size=${tuple([height, width])}, stride=${tuple(layer.stride)}, padding=${tuple(layer.padding)}, dilation=${tuple(layer.dilation)}, groups=${layer.groups}${layer.bias === null ? ', bias=False' : ''})`;
    }
    case 'conv1d': {
      const [out = 0, inPerGroup = 0, size = 0] = layer.weight.shape;
      return `nn.Conv1d(${inPerGroup * layer.groups}, ${out}, kernel_size=${size}, stride=${layer.stride}, padding=${layer.padding}, dilation=${layer.dilation}, groups=${layer.groups}${layer.bias === null ? ', bias=False' : ''})`;
    }
    case 'maxpool2d': return `nn.MaxPool2d(kernel_size=${tuple(layer.kernel)}, stride=${tuple(layer.stride)}, padding=${tuple(layer.padding)})`;
    // count_include_pad=True: mashagrad averages the padding's zeros too, as PyTorch does by default.
    case 'avgpool2d': return `nn.AvgPool2d(kernel_size=${tuple(layer.kernel)}, stride=${tuple(layer.stride)}, padding=${tuple(layer.padding)}, count_include_pad=True)`;
    case 'rnn': return `RNN(${layer.weightIh.shape[1]}, ${layer.h0.length}${layer.biasIh === null && layer.biasHh === null ? ', bias=False' : ''}${layer.last ? '' : ', last=False'}${layer.steps ? ', steps=True' : ''}${layer.relu ? ", nonlinearity='relu'" : ''})`;
    case 'flatten': return 'nn.Flatten()';
    case 'dropout': return `nn.Dropout(p=${layer.p})`;
    case 'layernorm': return `nn.LayerNorm(${layer.features}, eps=${layer.eps})`;
    case 'batchnorm1d': case 'batchnorm2d': return `nn.${layer.kind === 'batchnorm2d' ? 'BatchNorm2d' : 'BatchNorm1d'}(${layer.features}, eps=${layer.eps}, momentum=${layer.momentum})`;
  }
}

/** A comment saying what the model takes when its first layer reads rows as images or sequences. */
function inputComment(layers: readonly PortableLayer[]): string[] {
  const first = layers[0];
  if (first === undefined || !('observationShape' in first) || first.observationShape === null) return [];
  const shape = first.observationShape.join(', ');
  return [`# The model takes observations of shape [N, ${shape}]; mashagrad's rows of numbers are x.reshape(-1, ${shape}).`];
}

export interface PytorchCodeOptions {
  /** The safetensors file the code loads (as written by `mashagrad export … --format safetensors`). */
  readonly weightsFile: string;
  /** float32 (default: what PyTorch uses) or float64 (torch.float64, mashagrad's exact arithmetic). */
  readonly dtype?: 'float32' | 'float64';
  /** When the model was trained on standardized inputs: the code puts (x - mean) / std in front of it. */
  readonly standardization?: InputStandardization | null;
}

/** A module with no parameters, so the state dict stays the network's own. */
const STANDARDIZE_CLASS = [
  '',
  'class Standardize(nn.Module):',
  '    """(x - mean) / std: the step mashagrad took on the training data before the model saw it."""',
  '',
  '    def __init__(self, mean, std):',
  '        super().__init__()',
  '        self.mean, self.std = mean, std',
  '',
  '    def forward(self, x):',
  '        return (x - self.mean) / self.std',
  '',
];

/** The lines that wrap the loaded model so it takes raw inputs (the numbers as float64 text that reads back exactly). */
function standardizeLines(standardization: InputStandardization | null): string[] {
  if (standardization === null) return [];
  return [
    '# The model was trained on standardized inputs: this takes raw ones. model[1] is the network the safetensors file holds.',
    `model = nn.Sequential(Standardize(mean=${String(standardization.mean)}, std=${String(standardization.std)}), model)`,
  ];
}

/** Python source that builds the model and loads its weights. */
export function pytorchCode(layers: readonly PortableLayer[], options: PytorchCodeOptions): string {
  const dtype = options.dtype ?? 'float32';
  const standardization = options.standardization ?? null;
  return [
    '# The model exported by mashagrad, as PyTorch code. Needs torch and safetensors (pip install torch safetensors).',
    'import torch',
    'from torch import nn',
    'from safetensors.torch import load_file',
    ...(hasKind(layers, 'residual') ? RESIDUAL_CLASS : []),
    ...(hasKind(layers, 'rnn') ? RNN_CLASS : []),
    ...(standardization === null ? [] : STANDARDIZE_CLASS),
    '',
    '# Rows are observations, as in mashagrad; nn.Linear keeps its weight as [outputs, inputs].',
    'model = nn.Sequential(',
    ...layers.flatMap((layer) => moduleLines(layer, '    ')),
    `)${dtype === 'float64' ? '.double()' : ''}`,
    ...inputComment(layers),
    `model.load_state_dict(load_file(${pythonString(options.weightsFile)}))`,
    'model.eval()  # dropout passes everything through, batch norm uses its running statistics',
    ...standardizeLines(standardization),
    '',
  ].join('\n');
}
