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
