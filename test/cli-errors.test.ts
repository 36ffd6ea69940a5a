import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { AutogradError, InputError, RunFailedError } from '../src/errors.js';
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
      if (kind === 'run') throw new RunFailedError('training stopped: the loss became NaN at epoch 1, step 3');
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

  it('a RunFailedError: its message, exit 1', async () => {
    expect(await runMashagrad('grad', 'run')).toMatchObject({ exitCode: 1, stderr: 'mashagrad: training stopped: the loss became NaN at epoch 1, step 3\n' });
  });

  it('a usage error: commander’s message and where to find the usage, exit 2', async () => {
    const { exitCode, stderr } = await runMashagrad('grad', 'input', '--frobnicate');
    expect(exitCode).toBe(2);
    expect(stderr).toContain("unknown option '--frobnicate'");
    expect(stderr).toContain('(run mashagrad --help for usage)');
  });

  it('anything else: an internal error, exit 1', async () => {
    const { exitCode, stderr } = await runMashagrad('grad', 'other');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^mashagrad: internal error: something nobody expected\n/);
  });
});
