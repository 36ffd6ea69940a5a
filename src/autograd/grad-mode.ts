let enabled = true;

/** Whether ops record the graph (PyTorch's torch.is_grad_enabled). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Run `fn` without recording the graph (PyTorch's torch.no_grad, TF.js's tidy-free paths). */
export function noGrad<R>(fn: () => R): R {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Run `fn` with recording switched on, even inside noGrad (used for create_graph). */
export function enableGrad<R>(fn: () => R): R {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * @internal While > 0, every op with an input that has a history or wants a gradient is
 * recorded, differentiable or not (masks, comparisons): compile() replays such traces, and a
 * value it left out would be frozen at its traced number. A live binding, read on the hot path.
 */
export let tracingDepth = 0;

/** Run `fn` recording everything that depends on a traced input (see tracingDepth). */
export function traceAll<R>(fn: () => R): R {
  tracingDepth++;
  try {
    return enableGrad(fn);
  } finally {
    tracingDepth--;
  }
}
