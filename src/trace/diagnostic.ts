import { messageText, type Params } from '../messages/catalogue.js';
import type { Diagnostic, DiagnosticCode } from './types.js';

/** A diagnostic with its English message filled from the catalogue. */
export function diagnostic(kind: Diagnostic['kind'], code: DiagnosticCode, params: Params, node?: string): Diagnostic {
  return { kind, code, params, ...(node === undefined ? {} : { node }), message: messageText('en', `diag.${code}`, params) };
}
