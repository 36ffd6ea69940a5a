import { fillMessage, type Language, type MessageKey, type Params } from '../messages/catalogue.js';
import type { Block, Inline } from './document.js';

export { LANGUAGES, type Language } from '../messages/catalogue.js';

/** A problem file's own remark (where the book errs, say) as a note, in the reader's language where the file gives one. */
export function noteBlocks(note: string | { readonly en: string; readonly ru?: string } | undefined, language: Language): Block[] {
  const text = typeof note === 'string' ? note : note?.[language] ?? note?.en;
  return text === undefined ? [] : [{ kind: 'note', tone: 'info', content: [{ kind: 'text', text }] }];
}

/** A catalogue sentence as inline content: text stays text, formulas become inline math. */
export function say(language: Language, key: MessageKey, params: Params = {}): Inline[] {
  return fillMessage(language, key, params).map((part) => (typeof part === 'string' ? { kind: 'text', text: part } : { kind: 'math', math: part }));
}
