/*
 * Text safe to print to a terminal or write into Markdown and TeX: user text (titles, formulas,
 * names) may hold control characters — ESC sequences that set the terminal's title or colours
 * or clear the screen, bells, backspaces. They are shown as visible escapes (\x1b) instead.
 */

// C0 controls except tab and newline, DEL, and the C1 controls (U+0080–U+009F, e.g. CSI U+009B).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every control character but \n and \t written as a visible \xNN escape. */
export function printable(text: string): string {
  return text.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Characters of echoed input kept on each side of the place an error points at. */
export const ECHO_CONTEXT = 60;

/**
 * A window of `text` around [start, end) at most ECHO_CONTEXT characters each side, with "…"
 * where it was cut, and where the window's [start, end) now is: long inputs are not echoed whole.
 */
export function echoWindow(text: string, start: number, end = start + 1): { text: string; start: number; end: number } {
  const from = Math.max(0, start - ECHO_CONTEXT);
  const to = Math.min(text.length, Math.max(end, start + 1) + ECHO_CONTEXT);
  const before = from > 0 ? '…' : '';
  const after = to < text.length ? '…' : '';
  return { text: `${before}${text.slice(from, to)}${after}`, start: start - from + before.length, end: Math.min(end, to) - from + before.length };
}

/** A line of at most 2·ECHO_CONTEXT + 1 characters, cut in the middle when longer. */
export function shortLine(line: string): string {
  const limit = 4 * ECHO_CONTEXT;
  return line.length <= limit ? line : `${line.slice(0, 2 * ECHO_CONTEXT)}…${line.slice(-2 * ECHO_CONTEXT)}`;
}
