import { dotToSvg, loadGraphviz } from '../../src/draw/index.js';
import { GRAPHVIZ_WASM_GLOBAL, type WasmMessage } from './separate-scripts.js';

/** Graphviz in its own thread: a big graph's layout (seconds for 80 nodes) never blocks typing. */
export interface LayoutRequest {
  readonly id: number;
  readonly dot: string;
}
export type LayoutReply = { readonly id: number; readonly svg: string } | { readonly id: number; readonly error: string };

const scope = self as unknown as Partial<Record<typeof GRAPHVIZ_WASM_GLOBAL, string>> & {
  addEventListener(type: 'message', listener: (event: MessageEvent<LayoutRequest | WasmMessage>) => void): void;
  postMessage(message: LayoutReply): void;
};

scope.addEventListener('message', ({ data }) => {
  if ('wasm' in data) {
    // The first message: Graphviz's WebAssembly, kept out of this code (web/graphviz-wasm-outside.ts).
    // It compiles at once, while the page goes on.
    scope[GRAPHVIZ_WASM_GLOBAL] = data.wasm;
    void loadGraphviz();
    return;
  }
  const { id, dot } = data;
  if (scope[GRAPHVIZ_WASM_GLOBAL] === undefined) {
    scope.postMessage({ id, error: "graph-worker.js started without Graphviz's WebAssembly (its first message)" });
    return;
  }
  dotToSvg(dot).then(
    (svg) => scope.postMessage({ id, svg }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
