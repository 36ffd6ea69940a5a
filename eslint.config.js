// Type-aware linting: the rules that catch real autodiff bugs (floating promises,
// unsafe any) need type information, so the whole project is linted with it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'out/', 'node_modules/', 'coverage/', 'tools/fixtures/*.py', 'src/interop/onnx-proto.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'Never eval: user text must not become code.' },
        { selector: "NewExpression[callee.name='Function']", message: 'Never new Function: user text must not become code.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  // tools/native/build.mjs is plain JavaScript (it runs at install, before any TypeScript tooling).
  { files: ['*.js', '*.config.ts', 'tools/native/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['eslint.config.js', 'vitest.config.ts', 'web/vite.config.ts'], rules: { 'no-restricted-exports': 'off' } },
);
