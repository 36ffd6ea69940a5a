import { Option } from 'commander';
import { FORMATS, type Format } from '../explain/render.js';
import { LANGUAGES, type Language } from '../explain/i18n.js';

/** --format and --lang, shared by the commands that print worked solutions. */
export function formatOption(): Option {
  return new Option('--format <format>', 'text (terminal), md (Markdown), tex (LaTeX for xelatex) or html (self-contained page)').choices(FORMATS).default('text');
}

export function languageOption(): Option {
  return new Option('--lang <language>', 'language of the worked solution').choices(LANGUAGES).default('en');
}

export interface SolutionFlags {
  json?: boolean;
  format: Format;
  lang: Language;
  digits: string;
  out?: string;
}
