import { fillMessage, type Language, type MessageKey, type Params } from '../messages/catalogue.js';
import type { Inline } from './document.js';

export { LANGUAGES, type Language } from '../messages/catalogue.js';

/** A catalogue sentence as inline content: text stays text, formulas become inline math. */
export function say(language: Language, key: MessageKey, params: Params = {}): Inline[] {
  return fillMessage(language, key, params).map((part) => (typeof part === 'string' ? { kind: 'text', text: part } : { kind: 'math', math: part }));
}
