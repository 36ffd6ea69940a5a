import type { Backend } from './backend.js';
import { referenceBackend } from './reference/index.js';

let active: Backend = referenceBackend;

/** The backend every op's forward kernel runs on. */
export function backend(): Backend {
  return active;
}

/** Force a backend (tests use this to run the whole suite on each one). */
export function setBackend(next: Backend): void {
  active = next;
}
