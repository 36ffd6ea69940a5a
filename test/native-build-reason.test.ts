import { describe, expect, it } from 'vitest';
import { reasonOf } from '../tools/native/failure-reason.mjs';

// node-gyp's log on a fresh Debian machine with gcc but no g++ (the link step fails); its
// ordinary "gyp info find Python" line must not be read as a missing Python.
const NO_GXX = [
  'gyp info find Python using Python version 3.11.2 found at "/usr/bin/python3"',
  'gyp info spawn make',
  '  CC(target) Release/obj.target/mashagrad_native/src/gemm.o',
  '  SOLINK_MODULE(target) Release/obj.target/mashagrad_native.node',
  '/bin/sh: 1: g++: not found',
  'make: *** [mashagrad_native.target.mk:120: Release/obj.target/mashagrad_native.node] Error 127',
  'gyp ERR! build error',
].join('\n');

describe('why the native build failed', () => {
  it('names g++ when linking fails for want of it, not Python', () => {
    expect(reasonOf(NO_GXX)).toBe('g++ not found (node-gyp links with it): apt-get install g++');
  });

  it('says no Python only when node-gyp reports it as an error', () => {
    expect(reasonOf('gyp ERR! find Python\ngyp ERR! find Python Python is not set from command line or npm configuration')).toBe('node-gyp found no Python 3');
  });

  it('otherwise quotes the first error line', () => {
    const output = NO_GXX.replace('/bin/sh: 1: g++: not found\n', 'gemm.c:12: error: unknown type name\n');
    expect(reasonOf(output)).toBe('node-gyp failed: gemm.c:12: error: unknown type name');
  });
});
