import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The package as a consumer's project sees it, through package.json's exports and the built
 * dist/ (npm run build): a CommonJS project (what `npm init -y` makes) require()s the ES
 * modules, which Node does from 20.19 and 22.12 on; an ES module project imports them.
 */

const root = new URL('..', import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), 'mashagrad-consumer-'));
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'commonjs' }));
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules', 'mashagrad'), 'dir');
afterAll(() => rmSync(project, { recursive: true, force: true }));

const SUBPATHS = ['mashagrad/problem', 'mashagrad/draw', 'mashagrad/explain', 'mashagrad/interop', 'mashagrad/node'];

function run(file: string, source: string): unknown {
  writeFileSync(join(project, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })) as unknown;
}

describe('a consumer project', () => {
  it("require('mashagrad') works in a CommonJS project, and so do the subpaths; deep paths are closed", () => {
    const result = run('main.js', `
      const { tensor, grad } = require('mashagrad');
      // d(x²)/dx at x = 3 is 6.
      const slope = grad((x) => x.mul(x).sum())(tensor([3])).item();
      const subpaths = ${JSON.stringify(SUBPATHS)}.map((path) => Object.keys(require(path)).length > 0);
      let deep = 'loaded';
      try { require('mashagrad/dist/index.js'); } catch (error) { deep = error.code; }
      console.log(JSON.stringify({ slope, subpaths, deep }));
    `);
    expect(result).toEqual({ slope: 6, subpaths: SUBPATHS.map(() => true), deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('an ES module imports the same entries', () => {
    const result = run('main.mjs', `
      import { tensor, grad } from 'mashagrad';
      import { parseProblem, solvePlan } from 'mashagrad/problem';
      const slope = grad((x) => x.mul(x).sum())(tensor([3])).item();
      // x·y at (1, 2): ∂/∂x = y = 2.
      const trace = solvePlan(parseProblem('expression: x*y\\nat: {x: 1, y: 2}\\n'));
      console.log(JSON.stringify({ slope, dx: trace.gradient.x }));
    `);
    expect(result).toEqual({ slope: 6, dx: 2 });
  });
});
