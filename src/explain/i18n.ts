import { fillMessage, type Language, type MessageKey, type Params } from '../messages/catalogue.js';
import type { Block, Inline } from './document.js';

export { LANGUAGES, type Language } from '../messages/catalogue.js';

/** A problem file's own text: one string, or one per language (English always given). */
export type FileText = string | { readonly en: string; readonly ru?: string };

/** A file's text in the reader's language where the file gives one, else its English. */
const inLanguage = (given: FileText | undefined, language: Language): string | undefined => (typeof given === 'string' ? given : given?.[language] ?? given?.en);

/** A problem file's own remark (where the book errs, say) as a note, in the reader's language where the file gives one. */
export function noteBlocks(note: FileText | undefined, language: Language): Block[] {
  const text = inLanguage(note, language);
  return text === undefined ? [] : [{ kind: 'note', tone: 'info', content: [{ kind: 'text', text }] }];
}

/**
 * The problem's statement (a file's description:) under its heading, a paragraph per line of
 * the file's text, so a teacher's reader sees what is asked before how it is solved.
 */
export function statementBlocks(description: FileText | undefined, language: Language): Block[] {
  const lines = inLanguage(description, language)?.split('\n').map((line) => line.trim()).filter((line) => line !== '') ?? [];
  if (lines.length === 0) return [];
  return [{ kind: 'heading', level: 2, content: say(language, 'problem.statement.heading') }, ...lines.map((line): Block => ({ kind: 'paragraph', content: [{ kind: 'text', text: line }] }))];
}

/** A catalogue sentence as inline content: text stays text, formulas become inline math. */
export function say(language: Language, key: MessageKey, params: Params = {}): Inline[] {
  return fillMessage(language, key, params).map((part) => (typeof part === 'string' ? { kind: 'text', text: part } : { kind: 'math', math: part }));
}
