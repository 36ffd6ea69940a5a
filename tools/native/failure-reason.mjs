// Why a native build failed, in one line a person can act on. Plain JavaScript, beside
// build.mjs (which runs at install time, before any TypeScript tooling); tested on its own.

/** The first line that says "error" (else the first line), trimmed to 200 characters. */
export function firstLine(text) {
  return (text.split('\n').find((line) => /error/i.test(line)) ?? text.split('\n')[0] ?? '').trim().slice(0, 200);
}

/** The most telling line of a failed node-gyp run. */
export function reasonOf(output) {
  if (/cannot find -lopenblas/.test(output)) return 'libopenblas not found by the linker: apt-get install libopenblas-dev';
  if (/\bg\+\+: (command )?not found|g\+\+: No such file/.test(output)) return 'g++ not found (node-gyp links with it): apt-get install g++';
  // Only node-gyp's error lines: its ordinary log also says "gyp info find Python using Python …".
  if (/gyp ERR! find Python/.test(output)) return 'node-gyp found no Python 3';
  if (/make: (command )?not found|spawn make ENOENT/.test(output)) return 'make not found';
  return `node-gyp failed: ${firstLine(output)}`;
}
