import { describe, expect, it } from 'vitest';
import { dotToSvg } from '../src/draw/index.js';
import { traceExpression } from '../src/index.js';
import { firstPictureDot, SHIPPED_LAYOUTS_MODULE, shippedLayoutsPlugin } from '../web/shipped-layouts.js';
import { DEFAULT_STATE } from '../web/src/state.js';

/** The module the page's build gets from the plugin (web/vite.config.ts), parsed back into its pairs. */
async function builtModule(): Promise<{ layouts: Map<string, string>; version: string }> {
  const plugin = shippedLayoutsPlugin(() => Promise.resolve({ code: 'the graph worker’s code', wasm: '\'its WebAssembly\'' }));
  (plugin.configResolved as (config: { command: string }) => void)({ command: 'build' });
  const resolved = (plugin.resolveId as (id: string) => string | null)(SHIPPED_LAYOUTS_MODULE);
  const code = await (plugin.load as (id: string) => Promise<string>)(resolved!);
  const layouts = /^export const SHIPPED_LAYOUTS = (.*);$/m.exec(code)?.[1];
  const version = /^export const LAYOUT_VERSION = (.*);$/m.exec(code)?.[1];
  return { layouts: new Map(JSON.parse(layouts!) as [string, string][]), version: JSON.parse(version!) as string };
}

describe('layouts shipped with the page', () => {
  it('the default page\'s first picture (the backward graph of x^2 + x*y + (x+y)^2 at x = 1, y = 2) ships in English and Russian, as Graphviz draws it now', async () => {
    const { layouts } = await builtModule();
    for (const link of ['', '#lang=ru']) {
      const dot = firstPictureDot(link);
      expect(layouts.has(dot), `the DOT of ${link || 'the page without a fragment'} is shipped`).toBe(true);
      const svg = layouts.get(dot)!;
      expect(svg).toBe(await dotToSvg(dot));
      // The picture of the default state's trace: a group for each of its nodes (the walk marks them by title).
      const { nodes } = traceExpression(DEFAULT_STATE.formula, DEFAULT_STATE.at);
      for (const node of nodes) expect(svg).toContain(`<title>${node.id}</title>`);
    }
    // English and Russian draw different DOT (words on the picture), so two layouts ship, no more.
    expect(firstPictureDot('')).not.toBe(firstPictureDot('#lang=ru'));
    expect(layouts.size).toBe(2);
  });

  it('a link to the same formula written as the page writes it draws the shipped DOT; another formula does not', async () => {
    const { layouts } = await builtModule();
    expect(layouts.has(firstPictureDot('#mode=formula&lang=en&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:2'))).toBe(true);
    expect(layouts.has(firstPictureDot('#mode=formula&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:3'))).toBe(false);
    expect(layouts.has(firstPictureDot('#mode=formula&f=sin(x)*y'))).toBe(false);
  });

  it('the stored layouts\' version names Graphviz and changes with the graph worker\'s code or its WebAssembly', async () => {
    const version = async (code: string, wasm?: string) => {
      const plugin = shippedLayoutsPlugin(() => Promise.resolve(wasm === undefined ? { code } : { code, wasm }));
      (plugin.configResolved as (config: { command: string }) => void)({ command: 'build' });
      const module = await (plugin.load as (id: string) => Promise<string>)(`\0${SHIPPED_LAYOUTS_MODULE}`);
      return JSON.parse(/^export const LAYOUT_VERSION = (.*);$/m.exec(module)![1]!) as string;
    };
    const first = await version('one worker');
    expect(first).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{16}$/);
    expect(await version('one worker')).toBe(first);
    expect(await version('another worker')).not.toBe(first);
    const withWasm = await version('one worker', "'bytes'");
    expect(withWasm).not.toBe(first);
    expect(await version('one worker', "'other bytes'")).not.toBe(withWasm);
    // The code and the WebAssembly are hashed apart: moving text from one to the other is another version.
    expect(await version('one worker\'bytes\'', '')).not.toBe(await version('one worker', "'bytes'"));
  });
});
