import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pytorchCode } from './pytorch.js';

// The printed code is Python a user runs: a file name, whatever its characters, must stay one
// string literal in it and never become code.
const HOSTILE_NAMES = [
  'model.safetensors',
  'a"); import os; os.system("echo pwned"); ("',
  "it's \\ back\\slash.safetensors",
  'two\nlines\r\x1b[31m\u2028.safetensors',
  'юникод ✓.safetensors',
];

const PYTHON = '/usr/bin/python3';

describe('pytorchCode: the weights file name stays a Python string literal', () => {
  it.each(HOSTILE_NAMES)('%j', (name) => {
    const code = pytorchCode([{ kind: 'linear', weights: [[1], [2]], bias: [0.5] }], { weightsFile: name });
    const line = code.split('\n').find((text) => text.startsWith('model.load_state_dict('));
    expect(line).toBeDefined();
    // One line: no character of the name may end the statement.
    expect(code.split('\n').filter((text) => text.includes('load_file(')).length).toBe(1);
    if (!existsSync(PYTHON)) return;
    // Python itself reads the literal back as exactly the name (ast.literal_eval, nothing run).
    const literal = line!.slice('model.load_state_dict(load_file('.length, -'))'.length);
    const read = spawnSync(PYTHON, ['-c', 'import ast, sys; sys.stdout.write(ast.literal_eval(sys.stdin.read()))'], { input: literal, encoding: 'utf8' });
    expect(read.status).toBe(0);
    expect(read.stdout).toBe(name);
  });
});
