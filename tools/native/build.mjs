// Build the optional native backend (native/: OpenBLAS through N-API) with node-gyp. Run by
// npm's `install` lifecycle and by `npm run build:native`. It never fails the install: when the
// addon cannot be built or loaded (no compiler, no libopenblas-dev, no Node headers) it prints
// one line saying why and exits 0, and mashagrad uses its WebAssembly backend instead.
// Plain JavaScript: it runs before (and without) the TypeScript toolchain.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { firstLine, reasonOf } from './failure-reason.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const nativeDir = path.join(root, 'native');
const addon = path.join(nativeDir, 'build', 'Release', 'mashagrad_native.node');

function say(line) {
  process.stdout.write(`mashagrad: ${line}\n`);
}

function unavailable(reason) {
  say(`native backend unavailable (${reason}); the WebAssembly backend will be used`);
  process.exit(0);
}

/** node-gyp: the one npm runs scripts with, else the one bundled with this Node's npm. */
function findNodeGyp() {
  const candidates = [
    process.env['npm_config_node_gyp'],
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/** Node's headers installed beside this node binary (Debian's nodejs, official tarballs): nothing to download. */
function findNodeDir() {
  const configured = process.env['npm_config_nodedir'];
  if (configured !== undefined && configured !== '') return configured;
  const prefix = path.join(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

/** Ask the C compiler whether it is there and finds cblas.h: a clear reason in a tenth of a second. */
function checkCompiler() {
  const cc = process.env['CC'] ?? 'cc';
  const probe = spawnSync(cc, ['-E', '-x', 'c', '-', '-o', '/dev/null'], { input: '#include <cblas.h>\n', encoding: 'utf8' });
  if (probe.error !== undefined) unavailable(`no C compiler: ${cc} ${probe.error.code ?? probe.error.message}`);
  if (probe.status !== 0) {
    unavailable(/cblas\.h/.test(probe.stderr) ? 'cblas.h not found: install OpenBLAS, e.g. apt-get install libopenblas-dev' : `${cc} failed: ${firstLine(probe.stderr)}`);
  }
  // node-gyp links every addon with the C++ driver ($(CXX), g++ on Debian), even one written in C.
  const cxx = process.env['CXX'] ?? 'g++';
  const linker = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
  if (linker.error !== undefined) unavailable(`no C++ compiler to link with: ${cxx} ${linker.error.code ?? linker.error.message}; e.g. apt-get install g++`);
}

if (process.env['MASHAGRAD_NATIVE'] === 'off') unavailable('MASHAGRAD_NATIVE=off');
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) unavailable('node-gyp not found');
checkCompiler();
const nodeDir = findNodeDir();
const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`, ...(nodeDir === undefined ? [] : [`--nodedir=${nodeDir}`])];
const build = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
if (build.error !== undefined) unavailable(`node-gyp did not run: ${build.error.message}`);
if (build.status !== 0) unavailable(reasonOf(`${build.stdout}\n${build.stderr}`));
try {
  // Loading it here catches what linking cannot, e.g. libopenblas.so missing at run time.
  const native = createRequire(import.meta.url)(addon);
  say(`native backend built: ${path.relative(root, addon)} (${native.config()})`);
} catch (error) {
  unavailable(`built, but it does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
