import type { Diagnostic } from '../trace/types.js';
import type { Block } from './document.js';
import { say, type Language } from './i18n.js';

/** Diagnostics as notes, each worded from the catalogue of the language. */
export function diagnosticBlocks(diagnostics: readonly Diagnostic[], language: Language): Block[] {
  return diagnostics.map((remark) => ({
    kind: 'note',
    tone: remark.kind === 'note' ? 'info' : 'warning',
    content: say(language, `diag.${remark.code}`, remark.params),
  }));
}
