import { dotToSvg, loadGraphviz } from '../../src/draw/index.js';

/** Graphviz in its own thread: a big graph's layout (seconds for 80 nodes) never blocks typing. */
export interface LayoutRequest {
  readonly id: number;
  readonly dot: string;
}
export type LayoutReply = { readonly id: number; readonly svg: string } | { readonly id: number; readonly error: string };

const scope = self as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutReply): void;
};

// Compile Graphviz's WebAssembly as soon as the worker starts, while the page computes its first result.
void loadGraphviz();

scope.addEventListener('message', ({ data: { id, dot } }) => {
  dotToSvg(dot).then(
    (svg) => scope.postMessage({ id, svg }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
