import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { AutogradError, InputError } from '../src/errors.js';
import { runMashagrad } from './support/run-cli.js';

/**
 * How the CLI reports each error type (docs/architecture.md, "Errors"): a `grad` command that
 * throws what its argument names stands in for the real one, so every mapping is reached.
 */
vi.mock('../src/cli/grad-command.js', () => ({
  registerGrad(program: Command): void {
    program.command('grad').argument('<kind>').action((kind: string) => {
      if (kind === 'autograd') throw new AutogradError('matmul', 'its vjp returned a gradient of shape [3, 2] for input 0, which has shape [2, 3]', { input: 0, shapes: [[3, 2], [2, 3]] });
      if (kind === 'input') throw new InputError('--at: x is given twice');
      throw new TypeError('something nobody expected');
    });
  },
}));

describe('the CLI maps error types to messages and exit codes', () => {
  it('an AutogradError: its message naming the op, exit 1, not called an internal error', async () => {
    const { exitCode, stderr } = await runMashagrad('grad', 'autograd');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^mashagrad: matmul: its vjp returned a gradient of shape \[3, 2\] for input 0, which has shape \[2, 3\]\n/);
    expect(stderr).toContain('please report it');
    expect(stderr).not.toContain('internal error');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an InputError: its message, exit 2', async () => {
    expect(await runMashagrad('grad', 'input')).toMatchObject({ exitCode: 2, stderr: 'mashagrad: --at: x is given twice\n' });
  });

  it('anything else: an internal error, exit 1', async () => {
    const { exitCode, stderr } = await runMashagrad('grad', 'other');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^mashagrad: internal error: something nobody expected\n/);
  });
});
