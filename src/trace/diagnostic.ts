import { messageText, type Language, type Params } from '../messages/catalogue.js';
import type { Diagnostic, DiagnosticCode } from './types.js';

/** A diagnostic as data: its code and parameters; the words are chosen when it is shown. */
export function diagnostic(kind: Diagnostic['kind'], code: DiagnosticCode, params: Params, node?: string): Diagnostic {
  return { kind, code, params, ...(node === undefined ? {} : { node }) };
}

/** A diagnostic worded in the reader's language. */
export function diagnosticText(remark: Pick<Diagnostic, 'code' | 'params'>, language: Language): string {
  return messageText(language, `diag.${remark.code}`, remark.params);
}
