import { en, type MessageKey } from './en.js';
import { ru } from './ru.js';

export type { MessageKey };
export type Language = 'en' | 'ru';
export const LANGUAGES: readonly Language[] = ['en', 'ru'];

const catalogues: Record<Language, Readonly<Record<MessageKey, string>>> = { en, ru };

/** A formula inside a sentence. */
export interface MathParam {
  readonly pretty: string;
  readonly latex: string;
}

/** A message parameter: plain text, a number already formatted, or a formula. */
export type Param = string | number | MathParam;
export type Params = Readonly<Record<string, Param>>;

/** A number inside a sentence: Russian prose writes a decimal comma (70,5), English a point. */
function numberInProse(value: number, language: Language): string {
  const text = String(value);
  return language === 'ru' ? text.replace('.', ',') : text;
}

/**
 * A catalogue sentence split at its {placeholders}, which are filled with the parameters.
 * Whole sentences live in the catalogue, so no language is assembled from another's fragments.
 */
export function fillMessage(language: Language, key: MessageKey, params: Params = {}): (string | MathParam)[] {
  const template = catalogues[language][key];
  const parts: (string | MathParam)[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const value = params[match[1]!];
    if (value === undefined) throw new Error(`message ${key} (${language}) needs {${match[1]}}`);
    parts.push(typeof value === 'object' ? value : typeof value === 'number' ? numberInProse(value, language) : value);
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** A catalogue sentence as plain text (formulas in their Unicode form). */
export function messageText(language: Language, key: MessageKey, params: Params = {}): string {
  return fillMessage(language, key, params).map((part) => (typeof part === 'string' ? part : part.pretty)).join('');
}

/** Whether a key built at run time (optimizer.NAME) names a sentence of the catalogues. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
