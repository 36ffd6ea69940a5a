/** The first line that says "error" (else the first line), trimmed to 200 characters. */
export function firstLine(text: string): string;
/** The most telling line of a failed node-gyp run. */
export function reasonOf(output: string): string;
