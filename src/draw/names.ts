import { isMessageKey, messageText, type Language } from '../messages/catalogue.js';

/** An optimizer's or a loss's name as the reader's language says it (градиентный спуск с моментом), or the name itself. */
export function wordFor(language: Language, kind: 'optimizer' | 'loss', name: string): string {
  const key = `${kind}.${name}`;
  return isMessageKey(key) ? messageText(language, key) : name;
}
